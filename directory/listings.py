"""The read model of canonical listings: a service with everything said about it.

A listing is loaded whole (organisation, venues and their addresses, phones, schedules,
eligibility, costs, languages, service areas, taxonomy terms, accessibility, and the
provenance of each field) for many services at once, with one query per table per batch.
Search builds its documents from these models; the API returns them as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from directory.federation import FieldProvenance
from directory.schema import (
    Accessibility,
    CostOption,
    Eligibility,
    HolidaySchedule,
    Language,
    LinkTaxonomy,
    Location,
    Organization,
    Phone,
    PhysicalAddress,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
)

DEFAULT_BATCH = 500


class _Part(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrganizationPart(_Part):
    id: str
    name: str
    description: str | None = None
    url: str | None = None
    email: str | None = None
    charity_number: str | None = None


class AddressPart(_Part):
    address_1: str = ""
    address_2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str = "GB"


class AccessibilityPart(_Part):
    accessibility: str | None = None
    description: str | None = None


class LocationPart(_Part):
    id: str
    name: str | None = None
    location_type: str = "physical"
    latitude: float | None = None
    longitude: float | None = None
    lad_code: str | None = None
    url: str | None = None
    addresses: list[AddressPart] = []
    accessibility: list[AccessibilityPart] = []


class PhonePart(_Part):
    number: str
    extension: str | None = None
    type: str | None = None
    description: str | None = None


class SchedulePart(_Part):
    freq: str | None = None
    interval: int | None = None
    byday: str | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    timezone: str = "Europe/London"
    description: str | None = None
    location_id: str | None = None


class HolidayPart(_Part):
    closed: bool = True
    opens_at: time | None = None
    closes_at: time | None = None
    start_date: date
    end_date: date


class EligibilityPart(_Part):
    eligibility: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    description: str | None = None


class CostPart(_Part):
    option: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    amount_description: str | None = None


class LanguagePart(_Part):
    name: str | None = None
    code: str | None = None


class AreaPart(_Part):
    service_area: str | None = None
    extent_type: str | None = None
    code: str | None = None


class TaxonomyPart(_Part):
    id: str
    name: str
    vocabulary: str
    code: str | None = None


class ProvenancePart(_Part):
    field: str
    source_id: str
    source_record_id: str
    fetched_at: datetime
    source_updated_at: datetime | None = None
    last_reviewed_at: datetime | None = None


class Listing(_Part):
    """One canonical listing, whole."""

    id: str
    name: str
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: str = "active"
    delivery_modes: list[str] = []
    is_free: bool | None = None
    fees_description: str | None = None
    created_at: datetime
    updated_at: datetime
    source_updated_at: datetime | None = None
    last_reviewed_at: datetime | None = None
    moderation_state: str = "published"
    withdrawn_at: datetime | None = None
    organization: OrganizationPart | None = None
    locations: list[LocationPart] = []
    phones: list[PhonePart] = []
    schedules: list[SchedulePart] = []
    holidays: list[HolidayPart] = []
    eligibility: list[EligibilityPart] = []
    costs: list[CostPart] = []
    languages: list[LanguagePart] = []
    areas: list[AreaPart] = []
    taxonomy: list[TaxonomyPart] = []
    provenance: list[ProvenancePart] = []

    @field_validator("delivery_modes", mode="before")
    @classmethod
    def _split_modes(cls, value: object) -> object:
        """The table keeps a comma list: ``in_person,phone``."""
        if value is None:
            return []
        if isinstance(value, str):
            return [mode.strip() for mode in value.split(",") if mode.strip()]
        return value

    @property
    def is_searchable(self) -> bool:
        """Published, active and not withdrawn: the listings search may show."""
        return (
            self.withdrawn_at is None
            and self.moderation_state == "published"
            and self.status == "active"
        )


P = TypeVar("P", bound=_Part)


def _group(rows: Iterable[Any], key: str, part: type[P]) -> dict[str, list[P]]:
    grouped: dict[str, list[P]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(part.model_validate(row))
    return grouped


def _load_batch(session: Session, ids: Sequence[str]) -> list[Listing]:
    services = session.exec(select(Service).where(col(Service.id).in_(ids))).all()
    if not services:
        return []
    org_ids = {s.organization_id for s in services if s.organization_id}
    orgs = {
        o.id: OrganizationPart.model_validate(o)
        for o in session.exec(select(Organization).where(col(Organization.id).in_(org_ids)))
    }
    links = session.exec(
        select(ServiceAtLocation, Location)
        .join(Location, col(Location.id) == col(ServiceAtLocation.location_id))
        .where(col(ServiceAtLocation.service_id).in_(ids))
        .order_by(col(Location.id))
    ).all()
    location_ids = {location.id for _, location in links}
    link_ids = {link.id for link, _ in links}
    addresses = _group(
        session.exec(select(PhysicalAddress).where(
            col(PhysicalAddress.location_id).in_(location_ids))),
        "location_id", AddressPart,
    )
    access = _group(
        session.exec(select(Accessibility).where(
            col(Accessibility.location_id).in_(location_ids))),
        "location_id", AccessibilityPart,
    )
    locations: dict[str, list[LocationPart]] = defaultdict(list)
    service_of_link = {link.id: link.service_id for link, _ in links}
    services_of_location: dict[str, set[str]] = defaultdict(set)
    for link, location in links:
        services_of_location[location.id].add(link.service_id)
        locations[link.service_id].append(LocationPart.model_validate(location).model_copy(
            update={"addresses": addresses.get(location.id, []),
                    "accessibility": access.get(location.id, [])}
        ))
    wanted = set(ids)

    def owners(row: Any) -> set[str]:
        """The services a phone, schedule or language row belongs to."""
        found = {row.service_id} if getattr(row, "service_id", None) else set()
        link_id = getattr(row, "service_at_location_id", None)
        if link_id in service_of_link:
            found.add(service_of_link[link_id])
        elif getattr(row, "location_id", None):
            found |= services_of_location.get(row.location_id, set())
        return found & wanted

    def attached(model: type[Any], part: type[P]) -> dict[str, list[P]]:
        conditions = [col(model.service_id).in_(ids)]
        if hasattr(model, "location_id"):
            conditions.append(col(model.location_id).in_(location_ids))
        if hasattr(model, "service_at_location_id"):
            conditions.append(col(model.service_at_location_id).in_(link_ids))
        grouped: dict[str, list[P]] = defaultdict(list)
        for row in session.exec(select(model).where(or_(*conditions)).order_by(col(model.id))):
            for service_id in owners(row):
                grouped[service_id].append(part.model_validate(row))
        return grouped

    phones = attached(Phone, PhonePart)
    schedules = attached(Schedule, SchedulePart)
    holidays = attached(HolidaySchedule, HolidayPart)
    languages = attached(Language, LanguagePart)

    def by_service(model: type[Any], part: type[P]) -> dict[str, list[P]]:
        rows = session.exec(
            select(model).where(col(model.service_id).in_(ids)).order_by(col(model.id))
        )
        return _group(rows, "service_id", part)

    eligibility = by_service(Eligibility, EligibilityPart)
    costs = by_service(CostOption, CostPart)
    areas = by_service(ServiceArea, AreaPart)
    provenance = by_service(FieldProvenance, ProvenancePart)
    taxonomy: dict[str, list[TaxonomyPart]] = defaultdict(list)
    for link_row, term in session.exec(
        select(LinkTaxonomy, Taxonomy)
        .join(Taxonomy, col(Taxonomy.id) == col(LinkTaxonomy.taxonomy_id))
        .where(LinkTaxonomy.link_type == "service", col(LinkTaxonomy.link_id).in_(ids))
        .order_by(col(Taxonomy.name))
    ):
        taxonomy[link_row.link_id].append(TaxonomyPart.model_validate(term))

    listings = []
    for service in services:
        listings.append(Listing.model_validate(service).model_copy(update={
            "organization": orgs.get(service.organization_id or ""),
            "locations": locations.get(service.id, []),
            "phones": phones.get(service.id, []),
            "schedules": schedules.get(service.id, []),
            "holidays": holidays.get(service.id, []),
            "eligibility": eligibility.get(service.id, []),
            "costs": costs.get(service.id, []),
            "languages": languages.get(service.id, []),
            "areas": areas.get(service.id, []),
            "taxonomy": taxonomy.get(service.id, []),
            "provenance": provenance.get(service.id, []),
        }))
    order = {service_id: i for i, service_id in enumerate(ids)}
    return sorted(listings, key=lambda listing: order.get(listing.id, 0))


def load_listings(
    engine: Engine, ids: Sequence[str], batch_size: int = DEFAULT_BATCH
) -> list[Listing]:
    """The listings with these ids (unknown ids are left out), in the order asked."""
    unique = list(dict.fromkeys(ids))
    found: list[Listing] = []
    with Session(engine) as session:
        for start in range(0, len(unique), batch_size):
            found.extend(_load_batch(session, unique[start:start + batch_size]))
    return found


def load_listing(engine: Engine, listing_id: str) -> Listing | None:
    found = load_listings(engine, [listing_id])
    return found[0] if found else None


def page_listing_ids(engine: Engine, after: str | None, limit: int) -> list[str]:
    """Listing ids in id order after ``after`` (keyset paging, stable under inserts)."""
    statement = select(Service.id).order_by(col(Service.id)).limit(limit)
    if after is not None:
        statement = statement.where(col(Service.id) > after)
    with Session(engine) as session:
        return list(session.exec(statement))


def iter_listing_batches(
    engine: Engine, batch_size: int = DEFAULT_BATCH
) -> Iterator[list[Listing]]:
    """Every listing, a batch at a time, in id order."""
    after: str | None = None
    while True:
        ids = page_listing_ids(engine, after, batch_size)
        if not ids:
            return
        yield load_listings(engine, ids, batch_size)
        after = ids[-1]


def listing_ids_changed_since(engine: Engine, since: datetime) -> list[str]:
    """Listings whose row changed at or after ``since`` (to catch up after a rebuild)."""
    with Session(engine) as session:
        return list(session.exec(select(Service.id).where(col(Service.updated_at) >= since)))
