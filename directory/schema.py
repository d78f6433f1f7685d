"""The normalised directory: Open Referral UK / HSDS tables.

Names and shapes follow ORUK (which extends HSDS) so that anyone who knows the standard can
read them and the read API can publish an ORUK-compatible feed. A canonical listing is a
``service`` row; its id is ours and stable, and source ids are kept in the federation tables
(``directory.federation``), never reused as ours. Moderation and freshness columns that a
federation needs and the standard lacks are marked below.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel

from directory.base import new_id, timestamp_column, utcnow


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    name: str = Field(max_length=500, index=True)
    alternate_name: str | None = Field(default=None, max_length=500)
    description: str | None = None
    email: str | None = Field(default=None, max_length=320)
    url: str | None = Field(default=None, max_length=2000)
    tax_status: str | None = Field(default=None, max_length=100)
    tax_id: str | None = Field(default=None, max_length=100)
    year_incorporated: int | None = None
    legal_status: str | None = Field(default=None, max_length=100)
    logo: str | None = Field(default=None, max_length=2000)
    uri: str | None = Field(default=None, max_length=2000)
    # UK identifiers used by matching: a charity number alone never proves a duplicate.
    charity_number: str | None = Field(default=None, max_length=20, index=True)
    company_number: str | None = Field(default=None, max_length=20, index=True)


class Service(SQLModel, table=True):
    """A canonical listing."""

    __tablename__ = "service"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True)
    name: str = Field(max_length=500, index=True)
    alternate_name: str | None = Field(default=None, max_length=500)
    description: str | None = None
    url: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320)
    status: str = Field(default="active", max_length=30)
    interpretation_services: str | None = None
    application_process: str | None = None
    wait_time: str | None = Field(default=None, max_length=200)
    fees: str | None = None
    fees_description: str | None = None
    accreditations: str | None = None
    assured_date: date | None = None
    assurer_email: str | None = Field(default=None, max_length=320)
    attending_type: str | None = Field(default=None, max_length=100)
    attending_access: str | None = Field(default=None, max_length=100)
    deliverable_type: str | None = Field(default=None, max_length=100)
    # Federation: what search filters on, derived when the listing is merged.
    delivery_modes: str | None = Field(
        default=None, max_length=100, description="comma list of in_person, phone, online"
    )
    is_free: bool | None = Field(default=None, description="None when no source says")
    # Federation: freshness kept apart, moderation, withdrawal as a tombstone.
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    source_updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    last_reviewed_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    review_due_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    moderation_state: str = Field(default="published", max_length=30)
    withdrawn_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class Location(SQLModel, table=True):
    __tablename__ = "location"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True)
    location_type: str = Field(default="physical", max_length=30)
    name: str | None = Field(default=None, max_length=500)
    alternate_name: str | None = Field(default=None, max_length=500)
    description: str | None = None
    transportation: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    external_identifier: str | None = Field(default=None, max_length=200)
    external_identifier_type: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=2000, description="virtual locations")
    # Federation: the local authority (borough) of the unit postcode, ONS code.
    lad_code: str | None = Field(default=None, max_length=9, index=True)


class ServiceAtLocation(SQLModel, table=True):
    __tablename__ = "service_at_location"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str = Field(foreign_key="service.id", index=True)
    location_id: str = Field(foreign_key="location.id", index=True)
    description: str | None = None


class PhysicalAddress(SQLModel, table=True):
    __tablename__ = "physical_address"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    location_id: str = Field(foreign_key="location.id", index=True)
    attention: str | None = Field(default=None, max_length=200)
    address_1: str = Field(default="", max_length=500)
    address_2: str | None = Field(default=None, max_length=500)
    city: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)
    state_province: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=10, index=True)
    country: str = Field(default="GB", max_length=2)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    service_at_location_id: str | None = Field(
        default=None, foreign_key="service_at_location.id", index=True
    )
    name: str | None = Field(default=None, max_length=300)
    title: str | None = Field(default=None, max_length=300)
    department: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=320)


class Phone(SQLModel, table=True):
    __tablename__ = "phone"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True)
    contact_id: str | None = Field(default=None, foreign_key="contact.id", index=True)
    service_at_location_id: str | None = Field(
        default=None, foreign_key="service_at_location.id", index=True
    )
    number: str = Field(max_length=50, index=True)
    extension: str | None = Field(default=None, max_length=20)
    type: str | None = Field(default=None, max_length=30)
    description: str | None = None


class Schedule(SQLModel, table=True):
    """A regular opening pattern (HSDS 3 / RFC 5545 fields), in Europe/London local time."""

    __tablename__ = "schedule"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    service_at_location_id: str | None = Field(
        default=None, foreign_key="service_at_location.id", index=True
    )
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    timezone: str = Field(default="Europe/London", max_length=64)
    until: date | None = None
    count: int | None = None
    wkst: str | None = Field(default=None, max_length=2)
    freq: str | None = Field(default=None, max_length=10)
    interval: int | None = None
    byday: str | None = Field(default=None, max_length=100)
    byweekno: str | None = Field(default=None, max_length=100)
    bymonthday: str | None = Field(default=None, max_length=100)
    byyearday: str | None = Field(default=None, max_length=100)
    description: str | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    attending_type: str | None = Field(default=None, max_length=100)
    notes: str | None = None


class HolidaySchedule(SQLModel, table=True):
    """A closure or changed hours on specific dates (ORUK holiday_schedule)."""

    __tablename__ = "holiday_schedule"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    service_at_location_id: str | None = Field(
        default=None, foreign_key="service_at_location.id", index=True
    )
    closed: bool = True
    opens_at: time | None = None
    closes_at: time | None = None
    start_date: date
    end_date: date


class Eligibility(SQLModel, table=True):
    __tablename__ = "eligibility"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str = Field(foreign_key="service.id", index=True)
    eligibility: str | None = Field(default=None, max_length=200)
    minimum_age: int | None = None
    maximum_age: int | None = None
    description: str | None = None


class CostOption(SQLModel, table=True):
    __tablename__ = "cost_option"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str = Field(foreign_key="service.id", index=True)
    valid_from: date | None = None
    valid_to: date | None = None
    option: str | None = Field(default=None, max_length=200)
    currency: str | None = Field(default="GBP", max_length=3)
    amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(10, 2)))
    amount_description: str | None = None


class Language(SQLModel, table=True):
    __tablename__ = "language"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    phone_id: str | None = Field(default=None, foreign_key="phone.id", index=True)
    name: str | None = Field(default=None, max_length=100)
    code: str | None = Field(default=None, max_length=20)
    note: str | None = None


class ServiceArea(SQLModel, table=True):
    __tablename__ = "service_area"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str = Field(foreign_key="service.id", index=True)
    service_area: str | None = Field(default=None, max_length=300)
    description: str | None = None
    extent: str | None = None
    extent_type: str | None = Field(
        default=None, max_length=30, description="borough, london, region, national or other"
    )
    code: str | None = Field(default=None, max_length=20, description="GSS code of the area")
    uri: str | None = Field(default=None, max_length=2000)


class Taxonomy(SQLModel, table=True):
    """A term of a vocabulary (ORUK taxonomy): the vocabulary is kept with every term."""

    __tablename__ = "taxonomy"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    name: str = Field(max_length=300)
    vocabulary: str = Field(max_length=100, index=True)
    code: str | None = Field(default=None, max_length=100)
    parent_id: str | None = Field(default=None, foreign_key="taxonomy.id")
    description: str | None = None


class LinkTaxonomy(SQLModel, table=True):
    """Attaches a taxonomy term to a service, organization or location (ORUK link_taxonomy)."""

    __tablename__ = "link_taxonomy"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    link_type: str = Field(max_length=30)
    link_id: str = Field(max_length=64, index=True)
    taxonomy_id: str = Field(foreign_key="taxonomy.id", index=True)


class Accessibility(SQLModel, table=True):
    __tablename__ = "accessibility"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    location_id: str = Field(foreign_key="location.id", index=True)
    accessibility: str | None = Field(default=None, max_length=200)
    description: str | None = None
    details: str | None = None
    url: str | None = Field(default=None, max_length=2000)
