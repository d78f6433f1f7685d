"""Every job the worker schedules names a function that exists."""

from __future__ import annotations

from pathlib import Path

from apscheduler.util import ref_to_obj

from connectors.sources import load_sources
from signpost.worker import worker_jobs

DEMO = Path(__file__).resolve().parents[1] / "demo" / "sources.yaml"


def test_worker_jobs_resolve() -> None:
    jobs = worker_jobs(load_sources(DEMO))
    assert {job.id for job in jobs} >= {"sync:demo-01-oruk", "referrals:nudge",
                                        "referrals:deliver-webhooks", "referrals:anonymise"}
    for job in jobs:
        assert callable(ref_to_obj(job.func)), job.func
