"""The search document: what both backends index for one canonical listing."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from directory.listings import Listing
from search.geo import area_key
from search.opening import DateSpan, TimeSpan, WeekRange, holiday_spans, weekly_ranges
from search.text import normalise

DELIVERY_MODES = ("in_person", "phone", "online")


class Venue(BaseModel):
    latitude: float
    longitude: float
    lad_code: str | None = None
    name: str | None = None
    postcode: str | None = None


class SearchDocument(BaseModel):
    id: str
    name: str
    name_key: str
    organization: str | None = None
    description: str = ""
    categories: list[str] = []
    boroughs: list[str] = []
    venues: list[Venue] = []
    area_keys: list[str] = []
    is_free: bool | None = None
    age_min: int | None = None
    age_max: int | None = None
    languages: list[str] = []
    delivery_modes: list[str] = []
    accessibility: list[str] = []
    open_week: list[WeekRange] = []
    holiday_dates: list[DateSpan] = []
    special_open: list[TimeSpan] = []
    confirmed_on: date


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        cleaned = " ".join(value.split())
        if cleaned:
            seen.setdefault(cleaned.lower(), cleaned)
    return sorted(seen.values(), key=str.lower)


def _age_bounds(listing: Listing) -> tuple[int | None, int | None]:
    rules = listing.eligibility
    minimums = [rule.minimum_age for rule in rules]
    maximums = [rule.maximum_age for rule in rules]
    low = None if not rules or None in minimums else min(m for m in minimums if m is not None)
    high = None if not rules or None in maximums else max(m for m in maximums if m is not None)
    return low, high


def build_document(listing: Listing, today: date) -> SearchDocument | None:
    """The document for a listing, or None when search must not show it."""
    if not listing.is_searchable:
        return None
    venues = [
        Venue(
            latitude=location.latitude,
            longitude=location.longitude,
            lad_code=location.lad_code,
            name=location.name,
            postcode=next((a.postal_code for a in location.addresses if a.postal_code), None),
        )
        for location in listing.locations
        if location.latitude is not None and location.longitude is not None
    ]
    areas = [area_key(area.extent_type, area.code) for area in listing.areas]
    boroughs = [v.lad_code for v in venues if v.lad_code] + [
        area.code for area in listing.areas
        if area.code and (area.extent_type or "").lower() == "borough"
    ]
    modes = [m.lower() for m in listing.delivery_modes if m.lower() in DELIVERY_MODES]
    if not modes and venues:
        modes = ["in_person"]
    holidays, special = holiday_spans(listing.holidays)
    age_min, age_max = _age_bounds(listing)
    confirmed = listing.last_reviewed_at or listing.source_updated_at or listing.updated_at
    return SearchDocument(
        id=listing.id,
        name=listing.name,
        name_key=normalise(listing.name),
        organization=listing.organization.name if listing.organization else None,
        description=listing.description or "",
        categories=_unique([term.name for term in listing.taxonomy]),
        boroughs=sorted(set(boroughs)),
        venues=venues,
        area_keys=sorted({key for key in areas if key}),
        is_free=listing.is_free,
        age_min=age_min,
        age_max=age_max,
        languages=_unique([(lang.name or lang.code or "").title() for lang in listing.languages]),
        delivery_modes=sorted(set(modes)),
        accessibility=_unique([
            (item.accessibility or "").lower()
            for location in listing.locations for item in location.accessibility
        ]),
        open_week=weekly_ranges(listing.schedules, today),
        holiday_dates=holidays,
        special_open=special,
        confirmed_on=confirmed.date(),
    )
