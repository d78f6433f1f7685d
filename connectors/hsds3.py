"""HSDS 3.0 API (and, through ``datapackage``, its tabular form).

List: ``GET {root}/services?page=N&per_page=M&full=true[&modified_after=ISO]`` ->
``{"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
"empty", "contents": [...]}``. Detail: ``GET {root}/services/{id}`` (fully nested).
``?minimal=true`` lists ids only, for deletion detection.
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
from connectors.paging import Page, Progress, numbered_pages, parse_envelope
from connectors.records import Eligibility, Location, LocationType, Schedule, ServiceRecord
from connectors.sources import SourceFormat

Raw = Mapping[str, Any]


class HsdsPage(BaseModel):
    model_config = ConfigDict(extra="allow")

    contents: list[dict[str, Any]]
    total_items: int | None = None
    total_pages: int | None = None
    page_number: int | None = None
    last_page: bool | None = None


def read_page(fetcher: Fetcher, body: Any, url: str) -> Page:
    page = parse_envelope(fetcher, url, body, HsdsPage)
    return Page(page.contents, page.page_number, page.total_pages, page.total_items, page.last_page)


class Hsds3Connector(Connector):
    format = SourceFormat.HSDS3

    def _pages(
        self, fetcher: Fetcher, extra: Mapping[str, Any], progress: Progress | None = None
    ) -> Iterator[Page]:
        size = self.source.http.page_size
        return numbered_pages(
            fetcher,
            f"{self.source.location}/services",
            lambda n: {"page": n, "per_page": size, **extra},
            lambda body, url: read_page(fetcher, body, url),
            progress=progress,
        )

    def fetch(
        self, fetcher: Fetcher, since: datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        extra = {"full": "true", "modified_after": since.isoformat() if since else None}
        for page in self._pages(fetcher, extra, progress):
            for item in page.items:
                yield self.raw(self.detail(fetcher, item), item.get("id"))

    def list_ids(self, fetcher: Fetcher) -> set[str]:
        ids: set[str] = set()
        for page in self._pages(fetcher, {"minimal": "true"}):
            ids.update(str(item["id"]) for item in page.items if item.get("id"))
        return ids

    def map_payload(self, payload: Raw, ctx: MappingContext) -> ServiceRecord:
        return map_service(payload, ctx, self.source.id)


def _location(entry: Raw, ctx: MappingContext) -> Location:
    addresses = items(entry.get("addresses"))
    physical = [a for a in addresses if text(a, "address_type") in (None, "physical")]
    address = (physical or addresses or [{}])[0]
    kind = text(entry, "location_type")
    return ctx.location(
        id=cleaning.clean_text(entry.get("id")),
        location_type=LocationType(kind) if kind in {t.value for t in LocationType} else None,
        name=cleaning.clean_name(entry.get("name")),
        description=cleaning.html_to_text(entry.get("description")),
        address_1=text(address, "address_1"),
        address_2=text(address, "address_2"),
        city=text(address, "city"),
        state_province=text(address, "state_province") or text(address, "region"),
        postcode=address.get("postal_code"),
        latitude=entry.get("latitude"),
        longitude=entry.get("longitude"),
        url=ctx.url("location.url", entry.get("url")),
        accessibility=hsds_common.accessibility(entry.get("accessibility"), "description"),
        phones=hsds_common.phone_list(entry.get("phones"), ctx, "location.phones"),
    )


def _locations(raw: Raw, ctx: MappingContext) -> tuple[list[Location], list[Schedule]]:
    locations, schedules = [], []
    for link in items(raw.get("service_at_locations")):
        entry = link.get("location")
        if not isinstance(entry, Mapping):
            continue
        location = _location(entry, ctx)
        locations.append(location)
        schedules += hsds_common.schedules(link.get("schedules"), None, ctx, location.id)
        schedules += hsds_common.schedules(entry.get("schedules"), None, ctx, location.id)
    return locations, schedules


def _eligibility(raw: Raw, ctx: MappingContext) -> Eligibility | None:
    result = Eligibility(
        minimum_age=ctx.integer("minimum_age", raw.get("minimum_age")),
        maximum_age=ctx.integer("maximum_age", raw.get("maximum_age")),
        description=cleaning.html_to_text(raw.get("eligibility_description")),
    )
    return result if result != Eligibility() else None


def _taxonomy(raw: Raw) -> list[Any]:
    terms = []
    for attribute in items(raw.get("attributes")):
        term = attribute.get("taxonomy_term")
        if not isinstance(term, Mapping):
            continue
        taxonomy = term.get("taxonomy")
        vocabulary = (
            taxonomy.get("name") if isinstance(taxonomy, Mapping) else taxonomy
        ) or term.get("taxonomy_id")
        terms.append(
            hsds_common.taxonomy_term(
                term.get("code") or term.get("id"),
                term.get("name"),
                vocabulary,
                term.get("parent_id"),
            )
        )
    return list({(t.vocabulary, t.code, t.name): t for t in terms if t}.values())


def _identifiers(raw: Raw) -> list[Raw]:
    organization = raw.get("organization")
    if not isinstance(organization, Mapping):
        return []
    return items(organization.get("organization_identifiers"))


def map_service(raw: Raw, ctx: MappingContext, source_id: str) -> ServiceRecord:
    name = ctx.name("name", raw.get("name"))
    locations, location_schedules = _locations(raw, ctx)
    areas = [
        values.service_area(a.get("name"), hsds_common.gss_code(a.get("uri"), a.get("extent")))
        for a in items(raw.get("service_areas"))
    ]
    languages = [
        values.language(str(lang.get("code") or lang.get("name") or ""))
        for lang in items(raw.get("languages"))
    ]
    modes = values.delivery_modes([s.get("attending_type") for s in items(raw.get("schedules"))])
    return ServiceRecord(
        source_id=source_id,
        source_record_id=ctx.record_id,
        name=name,
        alternate_name=cleaning.clean_name(raw.get("alternate_name")),
        description=cleaning.html_to_text(raw.get("description")),
        url=ctx.url("url", raw.get("url")),
        email=ctx.email("email", raw.get("email")),
        status=ctx.clean("status", raw.get("status"), values.status) or values.status(None),
        organization=hsds_common.organization(
            raw.get("organization"), ctx, "website", _identifiers(raw)
        ),
        locations=locations,
        contacts=hsds_common.contacts(raw.get("contacts"), ctx),
        phones=hsds_common.phone_list(raw.get("phones"), ctx, "phones"),
        schedules=hsds_common.schedules(raw.get("schedules"), None, ctx) + location_schedules,
        eligibility=_eligibility(raw, ctx),
        cost_options=hsds_common.cost_options(raw.get("cost_options"), ctx),
        fees_description=cleaning.clean_text(raw.get("fees_description")),
        application_process=cleaning.html_to_text(raw.get("application_process")),
        accreditations=cleaning.clean_text(raw.get("accreditations")),
        languages=[lang for lang in languages if lang],
        service_areas=[a for a in areas if a],
        taxonomy_terms=_taxonomy(raw),
        delivery_modes=delivery_modes(modes, locations),
        source_updated_at=ctx.datetime("last_modified", raw.get("last_modified")),
        assured_date=ctx.date("assured_date", raw.get("assured_date")),
    )
