"""The shapes referrals take at the edges: what clients send and what they get back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from referrals.lifecycle import BusinessStatus, TaskStatus
from referrals.nhs_number import normalise_nhs_number

MAX_TEXT = 4000

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
NhsNumber = Annotated[str, AfterValidator(normalise_nhs_number)]
ContactDetails = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
OdsCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9]{3,10}$")
]


class ContactMethod(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    POST = "post"


class Urgency(StrEnum):
    """FHIR request priority codes."""

    ROUTINE = "routine"
    URGENT = "urgent"
    ASAP = "asap"
    STAT = "stat"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(Strict):
    nhs_number: NhsNumber | None = None
    name: ShortText
    contact_method: ContactMethod | None = None
    contact_details: ContactDetails | None = None
    do_not_contact: bool = False

    @model_validator(mode="after")
    def _contact_is_coherent(self) -> PersonIn:
        if self.do_not_contact and (self.contact_method or self.contact_details):
            raise ValueError("a person who must not be contacted has no contact details here")
        if bool(self.contact_method) != bool(self.contact_details):
            raise ValueError("give contact_method and contact_details together")
        if self.contact_method is ContactMethod.EMAIL and "@" not in (self.contact_details or ""):
            raise ValueError("contact_details is not an email address")
        return self


class ConsentIn(Strict):
    given: Literal[True] = Field(description="Referrals need the person's recorded consent.")
    by: ShortText = Field(description="Who gave it: the person, or their representative.")
    at: AwareDatetime
    scope: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _not_in_future(self) -> ConsentIn:
        if self.at > datetime.now(UTC) + timedelta(minutes=5):
            raise ValueError("consent cannot be given in the future")
        return self


class ReferrerIn(Strict):
    person: ShortText | None = None
    organisation_name: ShortText | None = None
    ods_code: OdsCode | None = None


class ReferralCreate(Strict):
    service_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    person: PersonIn
    consent: ConsentIn
    referrer: ReferrerIn = ReferrerIn()
    reason: Text
    what_matters: Text | None = None
    urgency: Urgency = Urgency.ROUTINE
    notes: Text | None = None


class TransitionIn(Strict):
    status: TaskStatus | None = None
    business_status: BusinessStatus | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> TransitionIn:
        if self.status is None and self.business_status is None:
            raise ValueError("give a status, a business_status, or both")
        return self


class NoteIn(Strict):
    text: Text


class SubjectAccessIn(Strict):
    nhs_number: NhsNumber


class SubscriptionIn(Strict):
    url: HttpUrl


class PersonOut(BaseModel):
    nhs_number: str | None
    name: str | None
    contact_method: str | None
    contact_details: str | None
    do_not_contact: bool


class ConsentOut(BaseModel):
    given: bool
    by: str | None
    at: datetime
    scope: str | None


class ReferrerOut(BaseModel):
    account_id: str
    organization_id: str | None
    organisation_name: str | None
    ods_code: str | None
    person: str | None


class HistoryOut(BaseModel):
    version: int
    at: datetime
    actor: str
    account_id: str | None
    from_status: str | None
    to_status: str
    from_business_status: str | None
    to_business_status: str | None
    reason: str | None


class NoteOut(BaseModel):
    id: str
    author: str
    text: str
    created_at: datetime


class ReferralSummary(BaseModel):
    id: str
    version: int
    status: TaskStatus
    business_status: BusinessStatus | None
    status_reason: str | None
    service_id: str
    provider_organization_id: str | None
    referrer: ReferrerOut
    person: PersonOut
    consent: ConsentOut
    reason: str | None
    what_matters: str | None
    urgency: Urgency
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    anonymised_at: datetime | None
    allowed_transitions: list[TaskStatus] = Field(
        description="The states the caller may move this referral to now."
    )


class ReferralOut(ReferralSummary):
    history: list[HistoryOut]
    notes: list[NoteOut]


class ReferralPage(BaseModel):
    items: list[ReferralSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class SubjectAccessExport(BaseModel):
    nhs_number: str
    exported_at: datetime
    referrals: list[ReferralOut]


class SubscriptionOut(BaseModel):
    id: str
    url: str
    active: bool
    created_at: datetime
    secret: str | None = Field(default=None, description="Shown once, when created.")


class AttemptOut(BaseModel):
    at: datetime
    http_status: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: str
    event_id: str
    event_type: str
    referral_id: str
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None
    log: list[AttemptOut]
