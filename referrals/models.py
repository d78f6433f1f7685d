"""Referral tables: the referral, its append-only history, notes, audit, idempotency, nudges
and the webhook outbox.

A referral's ``version`` is its optimistic-concurrency counter (the ETag): every change is a
conditional ``UPDATE ... WHERE version = :seen``. Personal data lives only in ``referral``,
``referral_note`` and history reasons, which is what anonymisation clears.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from directory.base import new_id, timestamp_column, utcnow


class Referral(SQLModel, table=True):
    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_updated_at_id", "updated_at", "id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    version: int = 1
    status: str = Field(max_length=20, index=True)
    business_status: str | None = Field(default=None, max_length=30)
    # The reason given with the latest change of status (FHIR Task.statusReason).
    status_reason: str | None = Field(default=None, sa_column=Column(Text))
    service_id: str = Field(foreign_key="service.id", index=True)
    # Who referred: the account, its organisation (shared caseload) and practice ODS code.
    referrer_account_id: str = Field(foreign_key="account.id", index=True)
    referrer_organization_id: str | None = Field(
        default=None, foreign_key="organization.id", index=True
    )
    referrer_ods_code: str | None = Field(default=None, max_length=10, index=True)
    referrer_organisation_name: str | None = Field(default=None, max_length=300)
    referrer_person: str | None = Field(default=None, max_length=300)
    # The person referred: the minimum needed to make contact.
    nhs_number: str | None = Field(default=None, max_length=10, index=True)
    person_name: str | None = Field(default=None, max_length=300)
    contact_method: str | None = Field(default=None, max_length=10)
    contact_details: str | None = Field(default=None, max_length=500)
    do_not_contact: bool = False
    consent_given: bool
    consent_by: str | None = Field(default=None, max_length=300)
    consent_at: datetime = Field(sa_column=timestamp_column(False))
    consent_scope: str | None = Field(default=None, max_length=500)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    what_matters: str | None = Field(default=None, sa_column=Column(Text))
    urgency: str = Field(default="routine", max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    closed_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    anonymised_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class ReferralHistory(SQLModel, table=True):
    """One change of a referral: never updated (anonymisation alone redacts ``reason``)."""

    __tablename__ = "referral_history"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    referral_id: str = Field(foreign_key="referral.id", index=True)
    version: int
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    account_id: str | None = Field(default=None, foreign_key="account.id")
    actor: str = Field(max_length=20)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    from_business_status: str | None = Field(default=None, max_length=30)
    to_business_status: str | None = Field(default=None, max_length=30)
    reason: str | None = Field(default=None, sa_column=Column(Text))


class ReferralNote(SQLModel, table=True):
    __tablename__ = "referral_note"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    referral_id: str = Field(foreign_key="referral.id", index=True)
    account_id: str | None = Field(default=None, foreign_key="account.id")
    author: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class ReferralAudit(SQLModel, table=True):
    """Every read and write of a referral: who, when, what, through which channel."""

    __tablename__ = "referral_audit"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    referral_id: str = Field(max_length=64, index=True)
    account_id: str | None = Field(default=None, max_length=64, index=True)
    action: str = Field(max_length=30)
    channel: str = Field(max_length=20)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class IdempotencyRecord(SQLModel, table=True):
    """An ``Idempotency-Key`` seen from one account, with the body it came with."""

    __tablename__ = "referral_idempotency"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="account.id")
    key: str = Field(max_length=200)
    request_sha256: str = Field(max_length=64)
    referral_id: str = Field(foreign_key="referral.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class ReferralNudge(SQLModel, table=True):
    """A reminder (level ``nudge``) or escalation sent for an unanswered referral."""

    __tablename__ = "referral_nudge"
    __table_args__ = (UniqueConstraint("referral_id", "level"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    referral_id: str = Field(foreign_key="referral.id", index=True)
    level: str = Field(max_length=20)
    working_days: int
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class WebhookSubscription(SQLModel, table=True):
    """An API client's endpoint. The secret signs deliveries, so it is kept, not hashed."""

    __tablename__ = "webhook_subscription"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="account.id", index=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=100)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class WebhookDelivery(SQLModel, table=True):
    """The outbox: one row per event per subscriber, written with the change it announces."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    subscription_id: str = Field(foreign_key="webhook_subscription.id", index=True)
    event_id: str = Field(max_length=64, index=True)
    event_type: str = Field(max_length=50)
    referral_id: str = Field(max_length=64, index=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    delivered_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    last_error: str | None = Field(default=None, max_length=500)


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: one row per HTTP attempt."""

    __tablename__ = "webhook_attempt"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    delivery_id: str = Field(foreign_key="webhook_delivery.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    http_status: int | None = None
    error: str | None = Field(default=None, max_length=500)
    duration_ms: int
