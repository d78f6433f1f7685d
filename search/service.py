"""Running a search for the API: the backend call plus the structured no-results log."""

from __future__ import annotations

import logging

import structlog

from search.backend import SearchBackend
from search.query import SearchPage, SearchQuery

# Bound to the stdlib logger "search" whatever structlog's global configuration, so the
# application's structured handler renders it (key=value or JSON) and tests can capture it.
log = structlog.wrap_logger(
    logging.getLogger("search"),
    wrapper_class=structlog.stdlib.BoundLogger,
    processors=[
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
)


def run_search(backend: SearchBackend, query: SearchQuery) -> SearchPage:
    page = backend.search(query)
    if page.total == 0:
        filters = query.filters.model_dump(mode="json", exclude_defaults=True)
        log.info(
            "search_no_results", backend=backend.name, q=query.text,
            place=query.place.label if query.place else None, radius_km=query.radius_km,
            filters=filters,
        )
    return page
