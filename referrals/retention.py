"""Retention and subject access.

Closed referrals are anonymised ``REFERRALS_RETENTION_DAYS`` after they closed: the person's
details, consent wording, reasons, notes and the free-text reasons in history are cleared or
redacted. What stays is what reporting needs and nothing that identifies the person: the
listing, states and their times, who (which account) did what, and the audit log. Redacting
history reasons is the one edit history ever receives, because free text may name the person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import col, select

from directory.accounts import Principal, Role, Scope
from directory.base import utcnow
from directory.db import session_scope
from directory.schema import Service
from referrals import audit, views
from referrals.access import require
from referrals.audit import Channel
from referrals.contracts import SubjectAccessExport
from referrals.lifecycle import CLOSED_STATES
from referrals.models import Referral, ReferralHistory, ReferralNote

REDACTED = "[redacted]"
_PERSONAL_FIELDS = (
    "nhs_number", "person_name", "contact_method", "contact_details", "consent_by",
    "consent_scope", "reason", "what_matters", "referrer_person", "status_reason",
)


def anonymise_closed(
    engine: Engine, retention_days: int, now: datetime | None = None, batch: int = 500
) -> int:
    """Anonymise closed referrals past retention; returns how many were anonymised."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    done = 0
    while True:
        with session_scope(engine) as session:
            ids = list(session.exec(
                select(Referral.id).where(
                    col(Referral.status).in_(sorted(CLOSED_STATES)),
                    col(Referral.closed_at) <= cutoff,
                    col(Referral.anonymised_at).is_(None),
                ).limit(batch)
            ).all())
            if not ids:
                return done
            session.execute(
                update(Referral).where(col(Referral.id).in_(ids))
                .values(version=Referral.version + 1, updated_at=now, anonymised_at=now,
                        **dict.fromkeys(_PERSONAL_FIELDS))
            )
            session.execute(
                update(ReferralNote).where(col(ReferralNote.referral_id).in_(ids))
                .values(text=REDACTED)
            )
            session.execute(
                update(ReferralHistory).where(col(ReferralHistory.referral_id).in_(ids),
                                              col(ReferralHistory.reason).is_not(None))
                .values(reason=REDACTED)
            )
            audit.record(session, ids, None, "anonymise", Channel.JOB)
            done += len(ids)


def export_subject(
    engine: Engine, viewer: Principal, nhs_number: str, channel: Channel
) -> SubjectAccessExport:
    """Every referral of one person, with history and notes (stewards only)."""
    require(viewer, Scope.READ, frozenset({Role.STEWARD}))
    now = utcnow()
    with session_scope(engine) as session:
        rows = session.exec(
            select(Referral, Service.organization_id)
            .join(Service, col(Service.id) == col(Referral.service_id))
            .where(Referral.nhs_number == nhs_number)
            .order_by(col(Referral.created_at), col(Referral.id))
        ).all()
        audit.record(session, [r.id for r, _ in rows], viewer.account_id, "subject-access",
                     channel)
        return SubjectAccessExport(
            nhs_number=nhs_number, exported_at=now,
            referrals=[views.full(session, r, org, viewer) for r, org in rows],
        )
