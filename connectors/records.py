"""The normalised record every connector produces, whatever the feed's shape.

Names and shapes follow Open Referral UK / HSDS 3 so that an aggregator can map a
``ServiceRecord`` straight into the ORUK tables (organization, service, location,
service_at_location, physical_address, contact, phone, schedule, eligibility, cost_option,
language, service_area, taxonomy, link_taxonomy, accessibility). Identifiers here are the
*source's* identifiers: the aggregator assigns its own stable ids.

Times of day are local wall-clock times in Europe/London ("HH:MM"), which is what UK feeds
publish; HSDS's UTC-offset suffix is deliberately not used because it changes with BST.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class DeliveryMode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"


class ExtentType(StrEnum):
    """How local a service area is; search ranks borough above London-wide above national."""

    BOROUGH = "borough"
    LONDON = "london"
    REGION = "region"
    NATIONAL = "national"
    OTHER = "other"


class PhoneType(StrEnum):
    """RFC 6350 types, as HSDS uses them."""

    VOICE = "voice"
    CELL = "cell"
    TEXT = "text"
    FAX = "fax"
    TEXTPHONE = "textphone"
    VIDEO = "video"
    PAGER = "pager"


class LocationType(StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class ScheduleKind(StrEnum):
    REGULAR = "regular"
    HOLIDAY = "holiday"


class Phone(Model):
    number: str = Field(description="E.164, e.g. +442079460123")
    extension: str | None = None
    type: PhoneType = PhoneType.VOICE
    description: str | None = None


class Contact(Model):
    name: str | None = None
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phones: list[Phone] = Field(default_factory=list)


class Organization(Model):
    id: str | None = Field(default=None, description="the source's organisation id")
    name: str
    description: str | None = None
    url: str | None = None
    email: str | None = None
    logo: str | None = None
    charity_number: str | None = None
    company_number: str | None = None
    phones: list[Phone] = Field(default_factory=list)


class Accessibility(Model):
    description: str
    details: str | None = None


class Location(Model):
    id: str | None = Field(default=None, description="the source's location id")
    location_type: LocationType = LocationType.PHYSICAL
    name: str | None = None
    description: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    state_province: str | None = None
    postcode: str | None = None
    country: str = "GB"
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    lad_code: str | None = Field(default=None, description="borough (LAD) from the unit postcode")
    lad_name: str | None = None
    url: str | None = Field(default=None, description="for virtual locations")
    accessibility: list[Accessibility] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)


class Schedule(Model):
    """HSDS 3 schedule (RFC 5545 RRULE fields); holidays are ``kind=holiday``."""

    kind: ScheduleKind = ScheduleKind.REGULAR
    location_id: str | None = Field(default=None, description="set when location-specific")
    freq: str | None = Field(default=None, pattern="^(WEEKLY|MONTHLY)$")
    interval: int | None = Field(default=None, ge=1)
    byday: str | None = Field(default=None, description="e.g. 'MO,TU' or '1SA' when MONTHLY")
    bymonthday: str | None = None
    opens_at: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    closes_at: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    valid_from: date | None = None
    valid_to: date | None = None
    closed: bool = False
    description: str | None = None


class Eligibility(Model):
    minimum_age: int | None = Field(default=None, ge=0, le=130)
    maximum_age: int | None = Field(default=None, ge=0, le=130)
    description: str | None = None


class CostOption(Model):
    free: bool | None = None
    amount: Decimal | None = Field(default=None, ge=0)
    currency: str = "GBP"
    option: str | None = None
    amount_description: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class Language(Model):
    name: str
    code: str | None = Field(default=None, description="ISO 639-1 or 639-3")
    note: str | None = None


class ServiceArea(Model):
    name: str
    extent_type: ExtentType = ExtentType.OTHER
    code: str | None = Field(default=None, description="GSS code, e.g. E09000007")
    uri: str | None = None


class TaxonomyTerm(Model):
    code: str | None = None
    name: str
    vocabulary: str
    parent_code: str | None = None


class MappingWarning(Model):
    field: str
    message: str
    value: str | None = None


class ServiceRecord(Model):
    source_id: str
    source_record_id: str
    name: str = Field(min_length=1)
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: ServiceStatus = ServiceStatus.ACTIVE
    organization: Organization | None = None
    locations: list[Location] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    eligibility: Eligibility | None = None
    cost_options: list[CostOption] = Field(default_factory=list)
    fees_description: str | None = None
    application_process: str | None = None
    accreditations: str | None = None
    languages: list[Language] = Field(default_factory=list)
    service_areas: list[ServiceArea] = Field(default_factory=list)
    taxonomy_terms: list[TaxonomyTerm] = Field(default_factory=list)
    delivery_modes: list[DeliveryMode] = Field(default_factory=list)
    source_updated_at: datetime | None = None
    assured_date: date | None = Field(default=None, description="when a person last checked it")
    warnings: list[MappingWarning] = Field(default_factory=list)

    @property
    def is_free(self) -> bool | None:
        """True if any cost option is free, False if all are paid, None when unknown."""
        known = [c.free for c in self.cost_options if c.free is not None]
        if not known:
            return None
        return any(known)


class Rejection(Model):
    """A source record that could not be mapped, and why."""

    source_id: str
    source_record_id: str
    field: str
    reason: str

    def __str__(self) -> str:
        return (
            f"source {self.source_id!r} record {self.source_record_id!r} "
            f"field {self.field!r}: {self.reason}"
        )


MapOutcome = ServiceRecord | Rejection
