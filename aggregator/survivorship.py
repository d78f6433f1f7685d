"""Merge the records that describe one service into one listing, field by field.

For each field the value comes from the most trusted source that has one; between equally
trusted sources, the more recently updated wins. Lists that describe the same things
(venues, phones, opening hours) are taken whole from one source rather than mixed, so a
listing never shows one feed's venue with another feed's hours for a different venue.
Categories and delivery modes are unions: each source may know a different true one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from connectors.records import ServiceRecord

WHOLE_FIELDS = (
    "name", "alternate_name", "description", "url", "email", "status", "organization",
    "locations", "contacts", "phones", "schedules", "eligibility", "cost_options",
    "fees_description", "application_process", "accreditations", "languages", "service_areas",
)
UNION_FIELDS = ("taxonomy_terms", "delivery_modes")


@dataclass(frozen=True)
class Contribution:
    """One source's current record of a service, and how far to trust it."""

    source_id: str
    source_record_id: str
    record: ServiceRecord
    trust_rank: int
    fetched_at: datetime

    @property
    def updated_at(self) -> datetime:
        stamp = self.record.source_updated_at or self.fetched_at
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)

    def precedence(self) -> tuple[int, datetime, str, str]:
        return (self.trust_rank, self.updated_at, self.source_id, self.source_record_id)


@dataclass(frozen=True)
class Merged:
    record: ServiceRecord
    provenance: dict[str, Contribution]
    source_updated_at: datetime | None
    last_reviewed_on: date | None


def _has_value(value: Any) -> bool:
    return value not in (None, "", [], {})


def _union(values: list[list[Any]]) -> list[Any]:
    seen: dict[str, Any] = {}
    for items in values:
        for item in items:
            key = item.model_dump_json() if hasattr(item, "model_dump_json") else str(item)
            seen.setdefault(key, item)
    return list(seen.values())


def _best_casing(chosen: str, names: list[str]) -> str:
    """A name shouted or whispered by the trusted source ("FOODBANK", "st luke's lunch
    club") takes the casing another source gives the very same words."""
    if chosen != chosen.lower() and chosen != chosen.upper():
        return chosen
    for name in names:
        if name.lower() == chosen.lower() and name not in (name.lower(), name.upper()):
            return name
    return chosen


def merge(contributions: list[Contribution]) -> Merged:
    """The listing these contributions describe; raises ValueError when given none."""
    if not contributions:
        raise ValueError("nothing to merge")
    ranked = sorted(contributions, key=Contribution.precedence, reverse=True)
    best = ranked[0]
    values: dict[str, Any] = {}
    provenance: dict[str, Contribution] = {}
    for name in WHOLE_FIELDS:
        for contribution in ranked:
            value = getattr(contribution.record, name)
            if _has_value(value):
                values[name] = value
                provenance[name] = contribution
                break
    for name in UNION_FIELDS:
        values[name] = _union([getattr(c.record, name) for c in ranked])
        holders = [c for c in ranked if getattr(c.record, name)]
        if holders:
            provenance[name] = holders[0]
    if "name" in values:
        values["name"] = _best_casing(values["name"], [c.record.name for c in ranked])
    record = best.record.model_copy(update=values)
    updated = max((c.updated_at for c in contributions), default=None)
    reviewed = max((c.record.assured_date for c in contributions if c.record.assured_date),
                   default=None)
    return Merged(record, provenance, updated, reviewed)
