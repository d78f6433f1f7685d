"""Writes listings into the ORUK tables from short specifications (tests and benchmarks)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from directory.federation import FieldProvenance, Source
from directory.schema import (
    Accessibility,
    Eligibility,
    HolidaySchedule,
    Language,
    LinkTaxonomy,
    Location,
    Organization,
    PhysicalAddress,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
)

SOURCE_ID = "test-feed"


@dataclass
class VenueSpec:
    latitude: float
    longitude: float
    lad_code: str | None = None
    postcode: str | None = None
    accessibility: list[str] = field(default_factory=list)


@dataclass
class HoursSpec:
    byday: str
    opens: time
    closes: time
    freq: str = "WEEKLY"


@dataclass
class HolidaySpec:
    start: date
    end: date
    closed: bool = True
    opens: time | None = None
    closes: time | None = None


@dataclass
class ListingSpec:
    id: str
    name: str
    organization: str
    description: str = ""
    categories: list[str] = field(default_factory=list)
    venues: list[VenueSpec] = field(default_factory=list)
    areas: list[tuple[str, str | None]] = field(default_factory=list)
    is_free: bool | None = True
    ages: tuple[int | None, int | None] | None = None
    languages: list[str] = field(default_factory=list)
    delivery_modes: list[str] = field(default_factory=list)
    hours: list[HoursSpec] = field(default_factory=list)
    holidays: list[HolidaySpec] = field(default_factory=list)
    reviewed: date | None = date(2026, 10, 1)
    moderation_state: str = "published"
    withdrawn: bool = False


def _at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _key(kind: str, name: str) -> str:
    return f"{kind}-{hashlib.sha1(name.encode()).hexdigest()[:16]}"


def _rows(specs: Sequence[ListingSpec]) -> dict[type, list[dict[str, object]]]:
    rows: dict[type, list[dict[str, object]]] = {model: [] for model in (
        Organization, Service, Location, ServiceAtLocation, PhysicalAddress, Accessibility,
        Schedule, HolidaySchedule, Eligibility, Language, ServiceArea, Taxonomy, LinkTaxonomy,
        FieldProvenance,
    )}
    organizations: dict[str, str] = {}
    taxonomy: dict[str, str] = {}
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for spec in specs:
        org_id = organizations.get(spec.organization)
        if org_id is None:
            org_id = organizations[spec.organization] = _key("org", spec.organization)
            rows[Organization].append({"id": org_id, "name": spec.organization})
        rows[Service].append({
            "id": spec.id, "organization_id": org_id, "name": spec.name,
            "description": spec.description, "is_free": spec.is_free,
            "delivery_modes": ",".join(spec.delivery_modes) or None,
            "created_at": now, "updated_at": now, "last_reviewed_at": _at(spec.reviewed),
            "moderation_state": spec.moderation_state,
            "withdrawn_at": now if spec.withdrawn else None,
        })
        rows[FieldProvenance].append({
            "id": f"{spec.id}-p-name", "service_id": spec.id, "field": "name",
            "source_id": SOURCE_ID, "source_record_id": f"rec-{spec.id}", "fetched_at": now,
        })
        for i, venue in enumerate(spec.venues):
            location_id = f"{spec.id}-l{i}"
            rows[Location].append({
                "id": location_id, "organization_id": org_id, "latitude": venue.latitude,
                "longitude": venue.longitude, "lad_code": venue.lad_code,
                "location_type": "physical",
            })
            rows[ServiceAtLocation].append(
                {"id": f"{spec.id}-sal{i}", "service_id": spec.id, "location_id": location_id})
            rows[PhysicalAddress].append({
                "id": f"{location_id}-a", "location_id": location_id, "address_1": "1 High St",
                "postal_code": venue.postcode, "country": "GB",
            })
            rows[Accessibility].extend(
                {"id": f"{location_id}-x{j}", "location_id": location_id, "accessibility": a}
                for j, a in enumerate(venue.accessibility)
            )
        rows[Schedule].extend(
            {"id": f"{spec.id}-h{i}", "service_id": spec.id, "freq": h.freq, "byday": h.byday,
             "opens_at": h.opens, "closes_at": h.closes, "timezone": "Europe/London"}
            for i, h in enumerate(spec.hours)
        )
        rows[HolidaySchedule].extend(
            {"id": f"{spec.id}-hol{i}", "service_id": spec.id, "closed": h.closed,
             "opens_at": h.opens, "closes_at": h.closes, "start_date": h.start, "end_date": h.end}
            for i, h in enumerate(spec.holidays)
        )
        if spec.ages is not None:
            rows[Eligibility].append({"id": f"{spec.id}-e", "service_id": spec.id,
                                      "minimum_age": spec.ages[0], "maximum_age": spec.ages[1]})
        rows[Language].extend(
            {"id": f"{spec.id}-lang{i}", "service_id": spec.id, "name": name}
            for i, name in enumerate(spec.languages)
        )
        rows[ServiceArea].extend(
            {"id": f"{spec.id}-area{i}", "service_id": spec.id, "extent_type": kind, "code": code}
            for i, (kind, code) in enumerate(spec.areas)
        )
        for i, category in enumerate(spec.categories):
            term_id = taxonomy.get(category)
            if term_id is None:
                term_id = taxonomy[category] = _key("tax", category)
                rows[Taxonomy].append({"id": term_id, "name": category, "vocabulary": "signpost"})
            rows[LinkTaxonomy].append({"id": f"{spec.id}-t{i}", "link_type": "service",
                                       "link_id": spec.id, "taxonomy_id": term_id})
    return rows


def write_listings(engine: Engine, specs: Sequence[ListingSpec], chunk: int = 5000) -> None:
    """Insert the listings (and their source) in one transaction, table by table."""
    with Session(engine) as session:
        if session.get(Source, SOURCE_ID) is None:
            session.add(Source(id=SOURCE_ID, name="Test feed", format="oruk"))
            session.flush()
        for model, rows in _rows(specs).items():
            if model in (Organization, Taxonomy):
                known = set(session.exec(select(model.id)))  # type: ignore[call-overload]
                rows = [row for row in rows if row["id"] not in known]
            for start in range(0, len(rows), chunk):
                session.execute(insert(model), rows[start:start + chunk])  # type: ignore[arg-type]
        session.commit()
