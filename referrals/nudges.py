"""Reminders for unanswered referrals: nudge the provider, then escalate.

A referral is unanswered while it is ``requested`` or ``received`` (neither accepted nor
rejected). After ``REFERRALS_NUDGE_AFTER_WORKING_DAYS`` working days the provider's
subscribers get a ``referral.reminder``; after ``REFERRALS_ESCALATE_AFTER_WORKING_DAYS``
more, the referrer's and stewards' subscribers get ``referral.escalated`` (so the person can
be referred elsewhere). Working days are Monday to Friday in Europe/London; England's bank
holidays are NOT excluded, so a reminder may come a day early around a bank holiday.
Each reminder is recorded once (unique per referral and level): running the job twice, or
from two schedulers, never nudges twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from directory.accounts import Role, as_utc
from directory.base import utcnow
from directory.db import session_scope
from referrals import audit, webhooks
from referrals.audit import Channel
from referrals.lifecycle import UNANSWERED_STATES
from referrals.models import Referral, ReferralNudge
from referrals.settings import ReferralSettings

LONDON = ZoneInfo("Europe/London")
NUDGE, ESCALATION = "nudge", "escalation"
_AUDIENCE = {
    NUDGE: frozenset({Role.PROVIDER.value, Role.STEWARD.value}),
    ESCALATION: frozenset({Role.LINK_WORKER.value, Role.GP_SYSTEM.value, Role.STEWARD.value}),
}
_EVENT = {NUDGE: "referral.reminder", ESCALATION: "referral.escalated"}


def working_days_between(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


@dataclass
class NudgeReport:
    nudged: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)


def _due_levels(elapsed: int, settings: ReferralSettings) -> list[str]:
    first = settings.nudge_after_working_days
    levels = [NUDGE] if elapsed >= first else []
    if elapsed >= first + settings.escalate_after_working_days:
        levels.append(ESCALATION)
    return levels


def _send(engine: Engine, referral_id: str, level: str, elapsed: int, now: datetime) -> bool:
    """Record and announce one reminder; False if it was already recorded."""
    try:
        with session_scope(engine) as session:
            session.add(ReferralNudge(referral_id=referral_id, level=level,
                                      working_days=elapsed, at=now))
            session.flush()
            referral = session.get(Referral, referral_id)
            assert referral is not None
            webhooks.enqueue(session, referral, _EVENT[level], now, audience=_AUDIENCE[level])
            audit.record(session, [referral_id], None, level, Channel.JOB)
    except IntegrityError:
        return False
    return True


def nudge_unanswered(
    engine: Engine, settings: ReferralSettings, now: datetime | None = None
) -> NudgeReport:
    """The scheduled job (and ``signpost referrals nudge``)."""
    now = now or utcnow()
    today = now.astimezone(LONDON).date()
    with session_scope(engine) as session:
        open_referrals = session.exec(
            select(Referral.id, Referral.created_at)
            .where(col(Referral.status).in_(sorted(UNANSWERED_STATES)))
        ).all()
        sent = set(session.exec(
            select(ReferralNudge.referral_id, ReferralNudge.level)
            .join(Referral, col(Referral.id) == col(ReferralNudge.referral_id))
            .where(col(Referral.status).in_(sorted(UNANSWERED_STATES)))
        ).all())
    report = NudgeReport()
    for referral_id, created_at in open_referrals:
        elapsed = working_days_between(as_utc(created_at).astimezone(LONDON).date(), today)
        for level in _due_levels(elapsed, settings):
            if (referral_id, level) not in sent and _send(engine, referral_id, level, elapsed,
                                                            now):
                (report.nudged if level == NUDGE else report.escalated).append(referral_id)
    return report
