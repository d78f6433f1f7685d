"""Reminders for unanswered referrals, counted in working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from directory.db import session_scope
from referrals import subscriptions
from referrals.lifecycle import TaskStatus
from referrals.models import Referral, ReferralNudge, WebhookDelivery
from referrals.nudges import nudge_unanswered, working_days_between
from referrals.settings import ReferralSettings
from tests.referrals.conftest import World, make_referral, move

SETTINGS = ReferralSettings(nudge_after_working_days=3, escalate_after_working_days=5)
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _brute_force(start: date, end: date) -> int:
    return sum(1 for n in range(1, (end - start).days + 1)
               if (start + timedelta(days=n)).weekday() < 5)


@pytest.mark.parametrize("start_offset", range(7))
def test_working_days_match_counting_one_by_one(start_offset: int) -> None:
    start = date(2026, 11, 2) + timedelta(days=start_offset)
    for length in range(-2, 40):
        end = start + timedelta(days=length)
        assert working_days_between(start, end) == _brute_force(start, end), (start, end)


def _created_at(world: World, referral_id: str, moment: datetime) -> None:
    with session_scope(world.engine) as session:
        session.execute(update(Referral).where(col(Referral.id) == referral_id)
                        .values(created_at=moment))


def _levels(world: World) -> list[tuple[str, str, int]]:
    with Session(world.engine) as session:
        return sorted((n.referral_id, n.level, n.working_days)
                      for n in session.exec(select(ReferralNudge)))


def test_nudge_then_escalate_once_each(world: World) -> None:
    for name in ["provider_client", "gp"]:
        subscriptions.subscribe(world.engine, world[name].principal, "http://127.0.0.1:9/x")
    waiting = make_referral(world, by="gp")
    answered = make_referral(world, by="gp")
    move(world, answered, "provider", TaskStatus.ACCEPTED)
    for referral in (waiting, answered):
        _created_at(world, referral.id, MONDAY)

    wednesday = nudge_unanswered(world.engine, SETTINGS, now=MONDAY + timedelta(days=2))
    assert (wednesday.nudged, wednesday.escalated) == ([], [])
    thursday = nudge_unanswered(world.engine, SETTINGS, now=MONDAY + timedelta(days=3))
    assert (thursday.nudged, thursday.escalated) == ([waiting.id], [])
    again = nudge_unanswered(world.engine, SETTINGS, now=MONDAY + timedelta(days=3, hours=5))
    assert (again.nudged, again.escalated) == ([], [])
    week_later = nudge_unanswered(world.engine, SETTINGS, now=MONDAY + timedelta(days=10))
    assert (week_later.nudged, week_later.escalated) == ([], [waiting.id])
    assert _levels(world) == [(waiting.id, "escalation", 8), (waiting.id, "nudge", 3)]

    with Session(world.engine) as session:
        sent = session.exec(select(WebhookDelivery).where(
            col(WebhookDelivery.event_type).in_(["referral.reminder", "referral.escalated"])
        )).all()
    owners = {s.id: n for n in ["provider_client", "gp"]
              for s in subscriptions.list_subscriptions(world.engine, world[n].principal)}
    assert sorted((d.event_type, owners[d.subscription_id]) for d in sent) == [
        ("referral.escalated", "gp"), ("referral.reminder", "provider_client")]


def test_weekends_do_not_count(world: World) -> None:
    referral = make_referral(world)
    friday = MONDAY + timedelta(days=4)
    _created_at(world, referral.id, friday)
    assert nudge_unanswered(world.engine, SETTINGS, now=friday + timedelta(days=4)).nudged == []
    assert nudge_unanswered(world.engine, SETTINGS,
                            now=friday + timedelta(days=5)).nudged == [referral.id]
