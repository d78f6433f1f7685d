"""The worker's jobs. Functions are referenced by name so the job store can persist them."""

from __future__ import annotations

import logging

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from aggregator.runner import sync_configured
from aggregator.scheduler import TIMEZONE, JobSpec
from aggregator.sync import SyncPolicy
from connectors.sources import SourcesFile, load_sources
from signpost.settings import get_settings
from signpost.wiring import build_components, make_indexer

log = logging.getLogger(__name__)


def scheduled_jobs(sources: SourcesFile) -> list[JobSpec]:
    jobs = []
    for source in sources.sources:
        if source.schedule is None:
            continue
        trigger = (CronTrigger.from_crontab(source.schedule.cron, timezone=TIMEZONE)
                   if source.schedule.cron
                   else IntervalTrigger(seconds=source.schedule.interval.total_seconds()))
        jobs.append(JobSpec(f"sync:{source.id}", "aggregator.jobs:sync_job", trigger,
                            (source.id,)))
    return jobs


def sync_job(source_id: str) -> None:
    """Sync one source, reading configuration afresh (the sources file may have changed)."""
    settings = get_settings()
    config = load_sources(settings.signpost_sources).get(source_id)
    components = build_components(settings)
    try:
        policy = SyncPolicy(settings.sync_hold_below_ratio,
                            settings.sync_withdraw_after_missing_runs)
        (result,) = sync_configured(components.engine, [config], make_indexer(components),
                                    policy)
        log.info("scheduled sync finished", extra={"source": source_id, "result": str(
            getattr(result, "status", result))})
    finally:
        components.close()
