"""What every connector offers, and the run that turns a whole feed into outcomes.

A connector does two separate things so that raw records can be stored and replayed:
``fetch`` reads the feed into ``RawRecord``s (JSON-able payloads), ``map`` turns one raw
record into a ``ServiceRecord`` or a ``Rejection`` without any I/O.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from connectors.http import Fetcher, is_url
from connectors.mapping import Geocoder, MappingContext, map_record
from connectors.paging import Progress
from connectors.records import MapOutcome, Rejection, ServiceArea, ServiceRecord
from connectors.sources import SourceConfig, SourceFormat


@dataclass(frozen=True)
class RawRecord:
    source_id: str
    source_record_id: str  # "" when the source gave none; mapping then rejects it
    payload: Mapping[str, Any]


class Connector(ABC):
    format: ClassVar[SourceFormat]

    def __init__(self, source: SourceConfig, geocoder: Geocoder | None = None) -> None:
        self.source = source
        self.geocoder = geocoder

    @abstractmethod
    def fetch(
        self, fetcher: Fetcher, since: datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        """Every record of the feed (or those changed since ``since`` where supported).

        Raises FetchError part-way if the feed turns out broken: consume it completely
        (``collect`` does) before trusting any of it.
        """

    @abstractmethod
    def map_payload(self, payload: Mapping[str, Any], ctx: MappingContext) -> ServiceRecord:
        """Map one payload; use ``ctx`` for every value that may be bad."""

    def list_ids(self, fetcher: Fetcher) -> set[str] | None:
        """All current record ids, cheaply, for deletion detection; None if unsupported."""
        return None

    def detail(self, fetcher: Fetcher, item: Mapping[str, Any]) -> Mapping[str, Any]:
        """The fully nested ``{root}/services/{id}`` when the source asks for details."""
        location = self.source.location
        if not (self.source.fetch_details and is_url(location) and item.get("id")):
            return item
        url = f"{location}/services/{item['id']}"
        found = fetcher.get_json(url)
        if not isinstance(found, dict) or str(found.get("id")) != str(item["id"]):
            raise fetcher.error("service detail is not the service asked for", url)
        return found

    def raw(self, payload: Mapping[str, Any], record_id: object) -> RawRecord:
        text = "" if record_id is None else str(record_id).strip()
        return RawRecord(self.source.id, text, payload)

    def map(self, raw: RawRecord) -> MapOutcome:
        if not raw.source_record_id:
            return Rejection(
                source_id=raw.source_id,
                source_record_id="(none)",
                field="id",
                reason="record has no id",
            )
        outcome = map_record(
            raw.source_id, raw.source_record_id, raw.payload, self.map_payload, self.geocoder
        )
        area = self.source.default_service_area
        if isinstance(outcome, ServiceRecord) and area and not outcome.service_areas:
            outcome.service_areas = [
                ServiceArea(name=area.name, code=area.code, extent_type=area.extent_type)
            ]
        return outcome


@dataclass
class Batch:
    """A complete fetch of one source, mapped."""

    source_id: str
    fetched_at: datetime
    raw: list[RawRecord] = field(default_factory=list)
    records: list[ServiceRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def map_all(connector: Connector, raws: Iterable[RawRecord]) -> Iterator[MapOutcome]:
    """Map each raw record; a second record with an id already seen is rejected."""
    seen: set[str] = set()
    for raw in raws:
        if raw.source_record_id and raw.source_record_id in seen:
            yield Rejection(
                source_id=raw.source_id,
                source_record_id=raw.source_record_id,
                field="id",
                reason="duplicate record id in this feed",
            )
            continue
        seen.add(raw.source_record_id)
        yield connector.map(raw)


def collect(
    connector: Connector,
    fetcher: Fetcher,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Fetch the whole feed first (FetchError leaves nothing half-done), then map it."""
    batch = Batch(connector.source.id, datetime.now(UTC))
    batch.raw = list(connector.fetch(fetcher, since=since, progress=progress))
    for outcome in map_all(connector, batch.raw):
        if isinstance(outcome, Rejection):
            batch.rejections.append(outcome)
        else:
            batch.records.append(outcome)
    return batch
