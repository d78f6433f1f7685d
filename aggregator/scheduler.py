"""The worker's scheduler: per-source sync jobs, persisted, run by exactly one process.

APScheduler keeps the jobs (and their next run times) in the database, so a restart
neither forgets a schedule nor runs every source at once. Several worker processes may
run for availability; a lease in the database elects the one whose scheduler runs, and the
others stand by paused until the lease lapses. Runs of one source never overlap:
``max_instances=1`` within the process, and the per-source sync lease across processes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import Engine

from aggregator.locks import holder_id, release, try_acquire

log = logging.getLogger(__name__)

LEADER_LOCK = "scheduler"
TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class JobSpec:
    """A job to keep scheduled: ``func`` is a "module:function" reference (persistable)."""

    id: str
    func: str
    trigger: BaseTrigger
    args: tuple[Any, ...] = ()


class LeaderScheduler:
    def __init__(self, engine: Engine, jobs: list[JobSpec],
                 lease_ttl: timedelta = timedelta(seconds=60)) -> None:
        self.engine = engine
        self.jobs = jobs
        self.lease_ttl = lease_ttl
        self.holder = holder_id()
        self.is_leader = False
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=engine)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=TIMEZONE,
        )

    def _install_jobs(self) -> None:
        wanted = {job.id for job in self.jobs}
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
        for spec in self.jobs:
            existing = self.scheduler.get_job(spec.id)
            if existing is not None and str(existing.trigger) == str(spec.trigger):
                continue  # keep its persisted next run time
            self.scheduler.add_job(spec.func, spec.trigger, args=spec.args, id=spec.id,
                                   replace_existing=True)

    def tick(self) -> bool:
        """Take or renew leadership; start, resume or pause the scheduler to match."""
        leader = try_acquire(self.engine, LEADER_LOCK, self.holder, self.lease_ttl)
        if leader and not self.scheduler.running:
            self.scheduler.start(paused=True)
            self._install_jobs()
            self.scheduler.resume()
            log.info("scheduler leader", extra={"holder": self.holder})
        elif leader and not self.is_leader:
            self._install_jobs()
            self.scheduler.resume()
            log.info("scheduler leader again", extra={"holder": self.holder})
        elif not leader and self.is_leader:
            self.scheduler.pause()
            log.warning("scheduler lost leadership", extra={"holder": self.holder})
        self.is_leader = leader
        return leader

    def run(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set, renewing the lease well within its lifetime."""
        interval = self.lease_ttl.total_seconds() / 3
        try:
            while not stop.is_set():
                self.tick()
                stop.wait(interval)
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.is_leader:
            release(self.engine, LEADER_LOCK, self.holder)
            self.is_leader = False
