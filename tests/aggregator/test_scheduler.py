"""One active scheduler across processes, with jobs persisted in the database."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, text

from aggregator.scheduler import JobSpec, LeaderScheduler

JOBS = [JobSpec("sync:demo", "builtins:print", IntervalTrigger(hours=6), ("demo",))]


def test_only_one_scheduler_leads_and_a_standby_takes_over(engine: Engine) -> None:
    ttl = timedelta(seconds=1)
    first, second = LeaderScheduler(engine, JOBS, ttl), LeaderScheduler(engine, JOBS, ttl)
    try:
        assert first.tick() is True
        assert second.tick() is False
        assert first.scheduler.running and not second.scheduler.running
        first.shutdown()  # releases the lease
        assert second.tick() is True
        assert second.scheduler.get_job("sync:demo") is not None
    finally:
        first.shutdown()
        second.shutdown()


def test_jobs_are_persisted_with_their_next_run(engine: Engine) -> None:
    scheduler = LeaderScheduler(engine, JOBS)
    try:
        scheduler.tick()
        job = scheduler.scheduler.get_job("sync:demo")
        first_run = job.next_run_time
    finally:
        scheduler.shutdown()
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
    assert stored == ["sync:demo"]
    again = LeaderScheduler(engine, JOBS)
    try:
        again.tick()
        assert again.scheduler.get_job("sync:demo").next_run_time == first_run
    finally:
        again.shutdown()


def test_unconfigured_jobs_are_removed(engine: Engine) -> None:
    first = LeaderScheduler(engine, JOBS)
    first.tick()
    first.shutdown()
    later = LeaderScheduler(engine, [])
    try:
        assert later.tick() is True
        assert later.scheduler.get_jobs() == []
    finally:
        later.shutdown()
