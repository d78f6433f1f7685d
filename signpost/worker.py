"""The worker process: every scheduled job of every stage, under one elected scheduler."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from aggregator.jobs import scheduled_jobs
from aggregator.scheduler import TIMEZONE, JobSpec
from connectors.sources import SourcesFile

REFERRAL_JOBS = [
    JobSpec("referrals:deliver-webhooks", "referrals.jobs:deliver_webhooks_job",
            IntervalTrigger(seconds=30)),
    JobSpec("referrals:nudge", "referrals.jobs:nudge_job",
            CronTrigger(minute=0, hour="8-18", day_of_week="mon-fri", timezone=TIMEZONE)),
    JobSpec("referrals:anonymise", "referrals.jobs:anonymise_job",
            CronTrigger(hour=2, minute=30, timezone=TIMEZONE)),
]


def worker_jobs(sources: SourcesFile) -> list[JobSpec]:
    return [*scheduled_jobs(sources), *REFERRAL_JOBS]
