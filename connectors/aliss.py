"""ALISS-style JSON API (ALISS v4: services with organisation, locations and areas).

List: ``GET {root}/services/?page_size=M`` -> ``{"meta": {...}, "count", "next",
"previous", "data": [service, ...]}``; follow ``next`` until it is null. A service has
``organisation{id, name, ...}``, ``locations[{id, name, formatted_address,
street_address, locality, region, postal_code, latitude, longitude}]``,
``service_areas[{code, type, name}]``, ``categories[{name, slug}]``, ``phone``,
``email``, ``url`` and ``last_updated``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from connectors import cleaning, hsds_common, values
from connectors.base import Connector, RawRecord
from connectors.hsds_common import items, text
from connectors.http import Fetcher
from connectors.mapping import MappingContext, delivery_modes
from connectors.paging import Page, Progress, linked_pages, parse_envelope
from connectors.records import Organization, ServiceRecord
from connectors.sources import SourceFormat

Raw = Mapping[str, Any]


class AlissPage(BaseModel):
    model_config = ConfigDict(extra="allow")

    data: list[dict[str, Any]]
    count: int | None = None
    next: str | None = None


def read_page(fetcher: Fetcher, body: Any, url: str) -> Page:
    page = parse_envelope(fetcher, url, body, AlissPage)
    return Page(page.data, total_items=page.count, next_url=page.next or None)


class AlissConnector(Connector):
    format = SourceFormat.ALISS

    def fetch(
        self, fetcher: Fetcher, since: datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        pages = linked_pages(
            fetcher,
            f"{self.source.location}/services/",
            {"page_size": self.source.http.page_size},
            lambda body, url: read_page(fetcher, body, url),
            progress=progress,
        )
        for page in pages:
            for item in page.items:
                yield self.raw(item, item.get("id"))

    def map_payload(self, payload: Raw, ctx: MappingContext) -> ServiceRecord:
        return map_service(payload, ctx, self.source.id)


def _organization(raw: Raw, ctx: MappingContext) -> Organization | None:
    entry = raw.get("organisation")
    if not isinstance(entry, Mapping):
        return None
    adapted = {**entry, "url": entry.get("url") or entry.get("aliss_url")}
    return hsds_common.organization(adapted, ctx, "url")


def map_service(raw: Raw, ctx: MappingContext, source_id: str) -> ServiceRecord:
    name = ctx.name("name", raw.get("name"))
    locations = [
        ctx.location(
            id=cleaning.clean_text(entry.get("id")),
            name=cleaning.clean_name(entry.get("name")),
            description=cleaning.html_to_text(entry.get("description")),
            address_1=text(entry, "street_address") or text(entry, "formatted_address"),
            city=text(entry, "locality"),
            state_province=text(entry, "region"),
            postcode=entry.get("postal_code"),
            latitude=entry.get("latitude"),
            longitude=entry.get("longitude"),
        )
        for entry in items(raw.get("locations"))
    ]
    areas = [
        values.service_area(a.get("name"), hsds_common.gss_code(a.get("code")), a.get("type"))
        for a in items(raw.get("service_areas"))
    ]
    terms = [
        hsds_common.taxonomy_term(c.get("slug"), c.get("name"), "aliss:category")
        for c in items(raw.get("categories"))
    ]
    return ServiceRecord(
        source_id=source_id,
        source_record_id=ctx.record_id,
        name=name,
        description=cleaning.html_to_text(raw.get("description")),
        url=ctx.url("url", raw.get("url")),
        email=ctx.email("email", raw.get("email")),
        organization=_organization(raw, ctx),
        locations=locations,
        phones=ctx.phones_in_text("phone", raw.get("phone")),
        service_areas=[a for a in areas if a],
        taxonomy_terms=[t for t in terms if t],
        delivery_modes=delivery_modes([], locations),
        source_updated_at=ctx.datetime("last_updated", raw.get("last_updated")),
    )
