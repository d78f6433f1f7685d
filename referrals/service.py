"""Referral use cases: create, read, list, change status, add a note.

Each call is one transaction that checks the caller's scope, role and view of the referral,
makes the change with a conditional ``UPDATE ... WHERE version = :seen`` (so concurrent
writers never lose an update silently, on SQLite as on PostgreSQL), appends history,
queues webhook deliveries and writes the audit log, all or nothing.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from directory.accounts import Principal, Role, Scope, as_utc
from directory.base import utcnow
from directory.db import session_scope
from directory.schema import Service
from referrals import audit, views, webhooks
from referrals.access import REFERRER_ROLES, actor_for, require, visible_to
from referrals.audit import Channel
from referrals.contracts import NoteIn, ReferralCreate, ReferralOut, ReferralPage, TransitionIn
from referrals.errors import (
    Conflict,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from referrals.lifecycle import (
    CLOSED_STATES,
    Actor,
    TaskStatus,
    TransitionError,
    check_move,
)
from referrals.models import IdempotencyRecord, Referral, ReferralHistory, ReferralNote

MAX_PAGE = 200
_ETAG = re.compile(r'\s*(?:W/)?"(\d+)"\s*')
COMPARISONS = {
    "gt": lambda c, v: c > v, "ge": lambda c, v: c >= v,
    "lt": lambda c, v: c < v, "le": lambda c, v: c <= v,
}


@dataclass(frozen=True)
class Created:
    referral: ReferralOut
    replayed: bool


@dataclass(frozen=True)
class Filters:
    statuses: frozenset[TaskStatus] = frozenset()
    updated: tuple[tuple[str, datetime], ...] = ()
    """Comparisons on the last update: ``(op, moment)`` with op ``gt``, ``ge``, ``lt``, ``le``."""
    service_id: str | None = None
    made_by_me: bool = False
    cursor: str | None = None
    limit: int = 50


def _visible(principal: Principal) -> Select[tuple[Referral, str | None]]:
    return (
        select(Referral, Service.organization_id)
        .join(Service, col(Service.id) == col(Referral.service_id))
        .where(visible_to(principal))
    )


def _load(session: Session, principal: Principal, referral_id: str) -> tuple[Referral, str | None]:
    row = session.exec(_visible(principal).where(Referral.id == referral_id)).first()
    if row is None:
        raise NotFound("No referral with that id is visible to you.", code="referral_not_found")
    return row[0], row[1]


def expected_version(if_match: str | None, current: int) -> int:
    """The version ``If-Match`` names; 428 without one, 412 if it is not the current one."""
    if not if_match or if_match.strip() == "*":
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last read of this referral."
        )
    match = _ETAG.fullmatch(if_match)
    if match is None or int(match[1]) != current:
        raise PreconditionFailed(
            f"The referral has changed since you read it (it is now {views.etag(current)}); "
            "read it again and retry.",
            [{"location": ["header", "If-Match"], "message": views.etag(current),
              "type": "current_etag"}],
        )
    return current


def _bump(session: Session, referral: Referral, seen: int, values: dict[str, Any]) -> None:
    """The conditional update: nothing happens unless the row is still at version ``seen``."""
    result = session.execute(
        update(Referral)
        .where(col(Referral.id) == referral.id, col(Referral.version) == seen)
        .values(version=seen + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed(
            "Someone else changed the referral at the same moment; read it again and retry."
        )
    # The row now holds exactly these values: mirror them without another SELECT.
    for name, value in {"version": seen + 1, **values}.items():
        set_committed_value(referral, name, value)


def _check_listing(session: Session, service_id: str) -> Service:
    service = session.get(Service, service_id)
    location: list[str | int] = ["body", "service_id"]
    if service is None:
        raise Invalid("There is no listing with that id.", [
            {"location": location, "message": "unknown listing", "type": "unknown_listing"}
        ], code="unknown_listing")
    if service.withdrawn_at is not None or service.status != "active":
        raise Invalid("That listing is not taking referrals.", [
            {"location": location, "message": "listing withdrawn", "type": "listing_unavailable"}
        ], code="listing_unavailable")
    return service


def _insert(
    session: Session, principal: Principal, data: ReferralCreate
) -> tuple[Referral, str | None]:
    """The new referral and the organisation that will answer it."""
    service = _check_listing(session, data.service_id)
    if data.referrer.ods_code and data.referrer.ods_code != principal.ods_code:
        raise Invalid("The referrer's ODS code must be your own.", [
            {"location": ["body", "referrer", "ods_code"], "message": "not your ODS code",
             "type": "ods_code_mismatch"}
        ], code="ods_code_mismatch")
    now = utcnow()
    person, consent = data.person, data.consent
    referral = Referral(
        status=TaskStatus.REQUESTED,
        service_id=data.service_id,
        referrer_account_id=principal.account_id,
        referrer_organization_id=principal.organization_id,
        referrer_ods_code=principal.ods_code,
        referrer_organisation_name=data.referrer.organisation_name,
        referrer_person=data.referrer.person
        or (principal.name if principal.role is Role.LINK_WORKER else None),
        nhs_number=person.nhs_number,
        person_name=person.name,
        contact_method=person.contact_method,
        contact_details=person.contact_details,
        do_not_contact=person.do_not_contact,
        consent_given=consent.given,
        consent_by=consent.by,
        consent_at=consent.at.astimezone(UTC),
        consent_scope=consent.scope,
        reason=data.reason,
        what_matters=data.what_matters,
        urgency=data.urgency,
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    session.add(ReferralHistory(
        referral_id=referral.id, version=1, at=now, account_id=principal.account_id,
        actor=Actor.REFERRER, to_status=TaskStatus.REQUESTED,
    ))
    if data.notes:
        session.add(ReferralNote(
            referral_id=referral.id, account_id=principal.account_id, author=principal.name,
            text=data.notes, created_at=now,
        ))
    return referral, service.organization_id


def _replay(
    engine: Engine, principal: Principal, key: str, fingerprint: str, channel: Channel
) -> Created | None:
    with session_scope(engine) as session:
        record = session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.account_id == principal.account_id, IdempotencyRecord.key == key
            )
        ).first()
        if record is None:
            return None
        if record.request_sha256 != fingerprint:
            raise Invalid(
                "This Idempotency-Key was used with a different request body.",
                [{"location": ["header", "Idempotency-Key"], "message": "reused key",
                  "type": "idempotency_key_reused"}],
                code="idempotency_key_reused",
            )
        referral, org = _load(session, principal, record.referral_id)
        audit.record(session, [referral.id], principal.account_id, "replay", channel)
        return Created(views.full(session, referral, org, principal), replayed=True)


def create(
    engine: Engine,
    principal: Principal,
    data: ReferralCreate,
    channel: Channel,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Created:
    """Make a referral; with an ``Idempotency-Key`` a repeat of the same request returns the
    first result, and a different request under the same key is refused."""
    require(principal, Scope.WRITE, REFERRER_ROLES)
    if idempotency_key and (done := _replay(engine, principal, idempotency_key, fingerprint,
                                              channel)):
        return done
    try:
        with session_scope(engine) as session:
            referral, org = _insert(session, principal, data)
            if idempotency_key:
                session.add(IdempotencyRecord(
                    account_id=principal.account_id, key=idempotency_key,
                    request_sha256=fingerprint, referral_id=referral.id,
                ))
                session.flush()
            webhooks.enqueue(session, referral, "referral.created", referral.created_at)
            audit.record(session, [referral.id], principal.account_id, "create", channel)
            return Created(views.full(session, referral, org, principal), replayed=False)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        if idempotency_key and (done := _replay(engine, principal, idempotency_key,
                                                  fingerprint, channel)):
            return done
        raise


def read(engine: Engine, principal: Principal, referral_id: str, channel: Channel) -> ReferralOut:
    require(principal, Scope.READ)
    with session_scope(engine) as session:
        referral, org = _load(session, principal, referral_id)
        audit.record(session, [referral.id], principal.account_id, "read", channel)
        return views.full(session, referral, org, principal)


def _encode_cursor(referral: Referral) -> str:
    raw = json.dumps([as_utc(referral.updated_at).isoformat(), referral.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        moment, referral_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(moment).astimezone(UTC), str(referral_id)
    except (ValueError, TypeError) as error:
        raise Invalid("That cursor is not one we gave out.", [
            {"location": ["query", "cursor"], "message": "invalid cursor", "type": "cursor"}
        ], code="invalid_cursor") from error


def search(
    engine: Engine, principal: Principal, filters: Filters, channel: Channel
) -> ReferralPage:
    """Visible referrals, oldest change first, a page at a time (keyset paging, so polling
    clients never skip a referral that changes while they page)."""
    require(principal, Scope.READ)
    query = _visible(principal)
    if filters.statuses:
        query = query.where(col(Referral.status).in_(sorted(filters.statuses)))
    for op, moment in filters.updated:
        bound = as_utc(moment).astimezone(UTC)  # a time without a zone is taken as UTC
        query = query.where(COMPARISONS[op](col(Referral.updated_at), bound))
    if filters.service_id:
        query = query.where(Referral.service_id == filters.service_id)
    if filters.made_by_me:
        query = query.where(Referral.referrer_account_id == principal.account_id)
    if filters.cursor:
        moment, last_id = _decode_cursor(filters.cursor)
        query = query.where(or_(
            col(Referral.updated_at) > moment,
            and_(col(Referral.updated_at) == moment, col(Referral.id) > last_id),
        ))
    limit = max(1, min(filters.limit, MAX_PAGE))
    query = query.order_by(col(Referral.updated_at), col(Referral.id)).limit(limit + 1)
    with session_scope(engine) as session:
        rows = session.exec(query).all()
        page = rows[:limit]
        audit.record(session, [r.id for r, _ in page], principal.account_id, "list", channel)
        return ReferralPage(
            items=[views.summary(r, org, principal) for r, org in page],
            next_cursor=_encode_cursor(page[-1][0]) if len(rows) > limit else None,
        )


@contextmanager
def _editing(
    engine: Engine, principal: Principal, referral_id: str, if_match: str | None
) -> Iterator[tuple[Session, Referral, str | None, int]]:
    """One write transaction on a visible referral whose ETag ``if_match`` names: yields the
    session, the referral, its provider organisation and the version seen."""
    require(principal, Scope.WRITE)
    with session_scope(engine) as session:
        referral, org = _load(session, principal, referral_id)
        yield session, referral, org, expected_version(if_match, referral.version)


def change_status(
    engine: Engine,
    principal: Principal,
    referral_id: str,
    if_match: str | None,
    change: TransitionIn,
    channel: Channel,
) -> ReferralOut:
    """Move a referral along its lifecycle and/or record a business status."""
    with _editing(engine, principal, referral_id, if_match) as (session, referral, org, seen):
        source = TaskStatus(referral.status)
        actor = actor_for(principal)
        try:
            target = check_move(source, change.status, change.business_status, actor,
                                change.reason)
        except TransitionError as error:
            details = [{"location": ["body", "status"], "message": allowed.value,
                        "type": "allowed_transition"} for allowed in error.allowed]
            kind = Invalid if error.code == "reason_required" else Conflict
            raise kind(error.message, details, code=error.code) from error
        now = utcnow()
        previous_business = referral.business_status
        values: dict[str, Any] = {"updated_at": now}
        if target != source:
            values |= {"status": target.value, "status_reason": change.reason}
            if target in CLOSED_STATES:
                values["closed_at"] = now
        if change.business_status:
            values["business_status"] = change.business_status.value
        _bump(session, referral, seen, values)
        session.add(ReferralHistory(
            referral_id=referral.id, version=referral.version, at=now,
            account_id=principal.account_id, actor=actor, from_status=source,
            to_status=target, from_business_status=previous_business,
            to_business_status=referral.business_status, reason=change.reason,
        ))
        webhooks.enqueue(session, referral, "referral.status-changed", now)
        audit.record(session, [referral.id], principal.account_id, "change-status", channel)
        return views.full(session, referral, org, principal)


def add_note(
    engine: Engine,
    principal: Principal,
    referral_id: str,
    if_match: str | None,
    note: NoteIn,
    channel: Channel,
) -> ReferralOut:
    """Append a note. It changes the referral's representation, so it needs If-Match too."""
    with _editing(engine, principal, referral_id, if_match) as (session, referral, org, seen):
        now = utcnow()
        _bump(session, referral, seen, {"updated_at": now})
        session.add(ReferralNote(
            referral_id=referral.id, account_id=principal.account_id, author=principal.name,
            text=note.text, created_at=now,
        ))
        webhooks.enqueue(session, referral, "referral.note-added", now)
        audit.record(session, [referral.id], principal.account_id, "add-note", channel)
        return views.full(session, referral, org, principal)
