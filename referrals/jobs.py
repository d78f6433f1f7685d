"""The referral service's periodic work: what the worker schedules and the CLI runs by hand.

Plain functions of no arguments, so the scheduler's job store can persist references to
them; each reads its configuration afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine

from directory.db import make_engine
from referrals.delivery import DeliveryReport, deliver_due
from referrals.nudges import NudgeReport, nudge_unanswered
from referrals.retention import anonymise_closed
from referrals.settings import ReferralSettings, get_referral_settings
from signpost.settings import get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


def _run(name: str, work: Callable[[Engine, ReferralSettings], T]) -> T:
    engine = make_engine(get_settings().database_url)
    try:
        result = work(engine, get_referral_settings())
    finally:
        engine.dispose()
    log.info("referral job finished", extra={"job": name, "result": repr(result)})
    return result


def nudge_job() -> NudgeReport:
    """Remind providers of unanswered referrals; escalate the long-unanswered."""
    return _run("nudge", nudge_unanswered)


def deliver_webhooks_job() -> DeliveryReport:
    """Send due webhook notifications from the outbox (retries back off per delivery)."""
    return _run("deliver-webhooks", deliver_due)


def anonymise_job() -> int:
    """Anonymise closed referrals past the retention period; returns how many."""
    return _run("anonymise", lambda engine, s: anonymise_closed(engine, s.retention_days))
