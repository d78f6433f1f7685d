"""Open Referral UK: the v1 API and the Placecube "openplace" v2 shape.

List: ``GET {root}/services?page=N&per_page=M`` -> ``{"totalElements", "totalPages",
"number", "size", "first", "last", "content": [service, ...]}`` (pages count from 1).
Detail: ``GET {root}/services/{id}``. A ``path`` source is a saved snapshot: the same
envelope, or a bare JSON list of services.

Services carry HTML descriptions, a nested organisation, ``assured_date``, and in v2
``pc_metadata`` (created/modified/assured dates) and ``pc_targetAudience``. The fully
nested v1 shape adds ``service_at_locations`` (location, ``physical_addresses``,
``accessibility_for_disabilities``), ``regular_schedules``/``holiday_schedules``,
``eligibilitys``, ``cost_options``, ``languages``, ``service_areas``, ``contacts`` and
``service_taxonomys``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from connectors import cleaning, hsds_common, values
from connectors.base import Connector, RawRecord
from connectors.hsds_common import items, text
from connectors.http import Fetcher, is_url
from connectors.mapping import MappingContext, delivery_modes
from connectors.paging import Page, Progress, numbered_pages, parse_envelope
from connectors.records import Eligibility, Location, ServiceRecord
from connectors.sources import SourceFormat

Raw = Mapping[str, Any]


class OrukPage(BaseModel):
    model_config = ConfigDict(extra="allow")

    content: list[dict[str, Any]]
    totalElements: int | None = None
    totalPages: int | None = None
    number: int | None = None
    last: bool | None = None


def read_page(fetcher: Fetcher, body: Any, url: str) -> Page:
    if isinstance(body, list):  # a saved snapshot: every service in one list
        body = {"content": body, "totalElements": len(body), "last": True}
    page = parse_envelope(fetcher, url, body, OrukPage)
    return Page(page.content, page.number, page.totalPages, page.totalElements, page.last)


class OrukConnector(Connector):
    format = SourceFormat.ORUK

    def fetch(
        self, fetcher: Fetcher, since: datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        location = self.source.location
        if not is_url(location):
            page = read_page(
                fetcher, fetcher.parse_json(fetcher.read(location), location), location
            )
            pages: Iterator[Page] = iter([page])
            if progress:
                progress(len(page.items), len(page.items))
        else:
            size = self.source.http.page_size
            pages = numbered_pages(
                fetcher,
                f"{location}/services",
                lambda n: {"page": n, "per_page": size},
                lambda body, url: read_page(fetcher, body, url),
                progress=progress,
            )
        for page in pages:
            for item in page.items:
                yield self.raw(self.detail(fetcher, item), item.get("id"))

    def map_payload(self, payload: Raw, ctx: MappingContext) -> ServiceRecord:
        return map_service(payload, ctx, self.source.id)


def _locations(raw: Raw, ctx: MappingContext) -> tuple[list[Location], list[Any]]:
    locations, schedules = [], []
    for link in items(raw.get("service_at_locations")):
        entry = link.get("location") if isinstance(link.get("location"), Mapping) else {}
        address = (items(entry.get("physical_addresses")) or [{}])[0]
        location_id = cleaning.clean_text(entry.get("id"))
        locations.append(
            ctx.location(
                id=location_id,
                name=cleaning.clean_name(entry.get("name")),
                description=cleaning.html_to_text(entry.get("description")),
                address_1=text(address, "address_1"),
                address_2=text(address, "address_2"),
                city=text(address, "city"),
                state_province=text(address, "state_province"),
                postcode=address.get("postal_code"),
                latitude=entry.get("latitude"),
                longitude=entry.get("longitude"),
                accessibility=hsds_common.accessibility(
                    entry.get("accessibility_for_disabilities"), "accessibility"
                ),
            )
        )
        schedules += hsds_common.schedules(
            link.get("regular_schedules"), link.get("holiday_schedules"), ctx, location_id
        )
    return locations, schedules


def _eligibility(raw: Raw, ctx: MappingContext) -> Eligibility | None:
    entries = items(raw.get("eligibilitys"))
    if not entries:
        return None
    minimums = [
        m
        for e in entries
        if (m := ctx.integer("eligibility.minimum_age", e.get("minimum_age"))) is not None
    ]
    maximums = [
        m
        for e in entries
        if (m := ctx.integer("eligibility.maximum_age", e.get("maximum_age"))) is not None
    ]
    described = [d for e in entries if (d := cleaning.clean_text(e.get("eligibility")))]
    return Eligibility(
        minimum_age=min(minimums) if minimums else None,
        maximum_age=max(maximums) if maximums else None,
        description="; ".join(dict.fromkeys(described)) or None,
    )


def _taxonomy(raw: Raw, source_id: str) -> list[Any]:
    terms = []
    for link in items(raw.get("service_taxonomys")):
        taxonomy = link.get("taxonomy") if isinstance(link.get("taxonomy"), Mapping) else {}
        parent = taxonomy.get("parent")
        parent_code = parent.get("id") if isinstance(parent, Mapping) else parent
        terms.append(
            hsds_common.taxonomy_term(
                taxonomy.get("id"), taxonomy.get("name"), taxonomy.get("vocabulary"), parent_code
            )
        )
    for audience in items(raw.get("pc_targetAudience")):
        terms.append(
            hsds_common.taxonomy_term(
                audience.get("id"), audience.get("audienceType"), f"{source_id}:target-audience"
            )
        )
    deliverable = raw.get("deliverable_type")
    terms.append(hsds_common.taxonomy_term(None, deliverable, "oruk:deliverable-type"))
    return list({(t.vocabulary, t.code, t.name): t for t in terms if t}.values())


def _application_process(raw: Raw) -> str | None:
    parts = [
        cleaning.clean_text(raw.get("attending_access")),
        cleaning.clean_multiline(raw.get("pc_attendingAccess_additionalInfo")),
    ]
    return "\n\n".join(p for p in parts if p) or None


def map_service(raw: Raw, ctx: MappingContext, source_id: str) -> ServiceRecord:
    name = ctx.name("name", raw.get("name"))
    metadata = raw.get("pc_metadata") if isinstance(raw.get("pc_metadata"), Mapping) else {}
    locations, location_schedules = _locations(raw, ctx)
    costs = hsds_common.cost_options(raw.get("cost_options"), ctx)
    fees = cleaning.clean_text(raw.get("fees"))
    if not costs and fees:
        costs = [c for c in [values.cost(fees)] if c]
    areas = [
        values.service_area(a.get("service_area"), hsds_common.gss_code(a.get("uri")))
        for a in items(raw.get("service_areas"))
    ]
    return ServiceRecord(
        source_id=source_id,
        source_record_id=ctx.record_id,
        name=name,
        description=cleaning.html_to_text(raw.get("description")),
        url=ctx.url("url", raw.get("url")),
        email=ctx.email("email", raw.get("email")),
        status=ctx.clean("status", raw.get("status"), values.status) or values.status(None),
        organization=hsds_common.organization(raw.get("organization"), ctx, "url"),
        locations=locations,
        contacts=hsds_common.contacts(raw.get("contacts"), ctx),
        phones=hsds_common.phone_list(raw.get("phones"), ctx, "phones"),
        schedules=hsds_common.schedules(
            raw.get("regular_schedules"), raw.get("holiday_schedules"), ctx
        )
        + location_schedules,
        eligibility=_eligibility(raw, ctx),
        cost_options=costs,
        fees_description=fees,
        application_process=_application_process(raw),
        accreditations=cleaning.clean_text(raw.get("accreditations")),
        languages=values.languages([lang.get("language") for lang in items(raw.get("languages"))]),
        service_areas=[a for a in areas if a],
        taxonomy_terms=_taxonomy(raw, source_id),
        delivery_modes=delivery_modes(values.delivery_modes(raw.get("attending_type")), locations),
        source_updated_at=ctx.datetime("pc_metadata.date_modified", metadata.get("date_modified")),
        assured_date=ctx.date(
            "assured_date", raw.get("assured_date") or metadata.get("date_assured")
        ),
    )
