"""Anonymising closed referrals after retention, and subject-access export."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from directory.base import utcnow
from directory.db import session_scope
from referrals.lifecycle import TaskStatus
from referrals.models import Referral, ReferralAudit, ReferralHistory, ReferralNote
from referrals.retention import REDACTED, anonymise_closed
from tests.referrals.conftest import (
    NHS_NUMBER,
    OTHER_NHS_NUMBER,
    World,
    make_referral,
    move,
    referral_in,
)


def _closed_days_ago(world: World, referral_id: str, days: int) -> None:
    with session_scope(world.engine) as session:
        session.execute(update(Referral).where(col(Referral.id) == referral_id)
                        .values(closed_at=utcnow() - timedelta(days=days)))


def test_closed_referrals_are_anonymised_after_retention(world: World) -> None:
    old = referral_in(world, TaskStatus.ACCEPTED, notes="Lives at 1 Acacia Avenue")
    old = move(world, old, "provider", TaskStatus.FAILED, reason="Ada never answered")
    recent = referral_in(world, TaskStatus.CANCELLED)
    still_open = referral_in(world, TaskStatus.IN_PROGRESS)
    _closed_days_ago(world, old.id, 800)
    _closed_days_ago(world, recent.id, 10)

    assert anonymise_closed(world.engine, retention_days=730) == 1
    assert anonymise_closed(world.engine, retention_days=730) == 0

    with Session(world.engine) as session:
        gone = session.get(Referral, old.id)
        assert gone is not None and gone.anonymised_at is not None
        assert (gone.nhs_number, gone.person_name, gone.contact_details, gone.reason,
                gone.what_matters, gone.consent_by, gone.status_reason) == (None,) * 7
        assert gone.status == "failed" and gone.version == old.version + 1
        notes = session.exec(select(ReferralNote).where(ReferralNote.referral_id == old.id))
        assert {n.text for n in notes} == {REDACTED}
        history = session.exec(select(ReferralHistory)
                               .where(ReferralHistory.referral_id == old.id)).all()
        assert [h.to_status for h in history][-1] == "failed"
        assert {h.reason for h in history} <= {None, REDACTED}
        for kept in (recent.id, still_open.id):
            row = session.get(Referral, kept)
            assert row is not None and row.nhs_number == NHS_NUMBER
        audit = session.exec(select(ReferralAudit).where(ReferralAudit.action == "anonymise"))
        assert [a.referral_id for a in audit] == [old.id]


def test_subject_access_export_for_stewards(client: TestClient, world: World) -> None:
    by_gp = make_referral(world, by="gp")
    by_link_worker = referral_in(world, TaskStatus.RECEIVED)
    make_referral(world, person={"nhs_number": OTHER_NHS_NUMBER, "name": "Someone Else"})
    response = client.post("/referrals/subject-access", json={"nhs_number": "943 476 5919"},
                           headers=world["steward"].headers)
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["nhs_number"] == NHS_NUMBER
    assert [r["id"] for r in export["referrals"]] == [by_gp.id, by_link_worker.id]
    assert [h["to_status"] for h in export["referrals"][1]["history"]] == [
        "requested", "received"]
    with Session(world.engine) as session:
        audit = session.exec(select(ReferralAudit)
                             .where(ReferralAudit.action == "subject-access")).all()
    assert {a.referral_id for a in audit} == {by_gp.id, by_link_worker.id}
    invalid = client.post("/referrals/subject-access", json={"nhs_number": "1234567890"},
                          headers=world["steward"].headers)
    assert invalid.status_code == 422
