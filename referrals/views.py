"""Referral rows rendered as the API's output models."""

from __future__ import annotations

from sqlmodel import Session, col, select

from directory.accounts import Principal, as_utc
from referrals.access import actor_for
from referrals.contracts import (
    ConsentOut,
    HistoryOut,
    NoteOut,
    PersonOut,
    ReferralOut,
    ReferralSummary,
    ReferrerOut,
)
from referrals.lifecycle import BusinessStatus, TaskStatus, allowed_targets
from referrals.models import Referral, ReferralHistory, ReferralNote


def etag(version: int) -> str:
    """The referral's entity tag, FHIR style (weak, the version number)."""
    return f'W/"{version}"'


def summary(referral: Referral, provider_org: str | None, viewer: Principal) -> ReferralSummary:
    status = TaskStatus(referral.status)
    return ReferralSummary(
        id=referral.id,
        version=referral.version,
        status=status,
        business_status=BusinessStatus(referral.business_status)
        if referral.business_status else None,
        status_reason=referral.status_reason,
        service_id=referral.service_id,
        provider_organization_id=provider_org,
        referrer=ReferrerOut(
            account_id=referral.referrer_account_id,
            organization_id=referral.referrer_organization_id,
            organisation_name=referral.referrer_organisation_name,
            ods_code=referral.referrer_ods_code,
            person=referral.referrer_person,
        ),
        person=PersonOut(
            nhs_number=referral.nhs_number,
            name=referral.person_name,
            contact_method=referral.contact_method,
            contact_details=referral.contact_details,
            do_not_contact=referral.do_not_contact,
        ),
        consent=ConsentOut(
            given=referral.consent_given, by=referral.consent_by,
            at=as_utc(referral.consent_at), scope=referral.consent_scope,
        ),
        reason=referral.reason,
        what_matters=referral.what_matters,
        urgency=referral.urgency,
        created_at=as_utc(referral.created_at),
        updated_at=as_utc(referral.updated_at),
        closed_at=as_utc(referral.closed_at) if referral.closed_at else None,
        anonymised_at=as_utc(referral.anonymised_at) if referral.anonymised_at else None,
        allowed_transitions=allowed_targets(status, actor_for(viewer)),
    )


def full(
    session: Session, referral: Referral, provider_org: str | None, viewer: Principal
) -> ReferralOut:
    history = session.exec(
        select(ReferralHistory).where(ReferralHistory.referral_id == referral.id)
        .order_by(col(ReferralHistory.version))
    ).all()
    notes = session.exec(
        select(ReferralNote).where(ReferralNote.referral_id == referral.id)
        .order_by(col(ReferralNote.created_at), col(ReferralNote.id))
    ).all()
    return ReferralOut(
        **summary(referral, provider_org, viewer).model_dump(),
        history=[
            HistoryOut.model_validate(entry, from_attributes=True).model_copy(
                update={"at": as_utc(entry.at)}
            )
            for entry in history
        ],
        notes=[
            NoteOut(id=n.id, author=n.author, text=n.text, created_at=as_utc(n.created_at))
            for n in notes
        ],
    )
