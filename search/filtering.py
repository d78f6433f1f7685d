"""The filters of a query applied to one document (the embedded backend's evaluator).

Elasticsearch expresses the same rules as query clauses (``search.elasticsearch_query``);
the contract suite checks both give the same answers.
"""

from __future__ import annotations

from search.document import SearchDocument
from search.opening import is_open
from search.query import Filters


def _any(wanted: list[str], present: list[str]) -> bool:
    return not wanted or any(value in present for value in wanted)


def passes(doc: SearchDocument, filters: Filters) -> bool:
    if not (
        _any(filters.categories, doc.categories)
        and _any(filters.boroughs, doc.boroughs)
        and _any(filters.languages, doc.languages)
        and _any(filters.delivery_modes, doc.delivery_modes)
        and _any(filters.accessibility, doc.accessibility)
    ):
        return False
    if filters.free is not None and doc.is_free is not filters.free:
        return False
    if filters.age is not None:
        if doc.age_min is not None and doc.age_min > filters.age:
            return False
        if doc.age_max is not None and doc.age_max < filters.age:
            return False
    return filters.open_at is None or is_open(
        doc.open_week, doc.holiday_dates, doc.special_open, filters.open_at
    )


def facet_keys(doc: SearchDocument, field: str) -> list[str]:
    """The values a document counts under for one facet's field."""
    value = getattr(doc, field)
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if value is None:
        return []
    return list(value)
