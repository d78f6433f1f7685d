"""The facets a search counts: names, the document field each counts, and labels."""

from __future__ import annotations

from collections import Counter

from directory.postcodes import LONDON_BOROUGHS
from search.query import FacetValue

FACET_FIELDS: dict[str, str] = {
    "category": "categories",
    "borough": "boroughs",
    "free": "is_free",
    "language": "languages",
    "delivery_mode": "delivery_modes",
    "accessibility": "accessibility",
}
FACET_SIZE = 50
_MODE_LABELS = {"in_person": "In person", "phone": "By phone", "online": "Online"}


def label(facet: str, value: str) -> str:
    if facet == "borough":
        return LONDON_BOROUGHS.get(value, value)
    if facet == "free":
        return "Free" if value == "true" else "Not free"
    if facet == "delivery_mode":
        return _MODE_LABELS.get(value, value)
    return value


def facet_values(facet: str, counts: Counter[str]) -> list[FacetValue]:
    """Most frequent first, then by value, the same order on every backend."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
    return [FacetValue(value=v, label=label(facet, v), count=n) for v, n in ranked if n > 0]
