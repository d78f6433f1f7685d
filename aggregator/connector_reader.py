"""Adapts a connector (fetch + map) to the aggregator's ``SourceReader``."""

from __future__ import annotations

from collections.abc import Iterator

from aggregator.reader import FetchedRecord
from aggregator.sync import SourceInfo
from connectors.base import Connector, RawRecord
from connectors.http import Fetcher, ValidatorCache
from connectors.records import Rejection, ServiceRecord
from connectors.sources import SourceConfig


def source_info(config: SourceConfig) -> SourceInfo:
    return SourceInfo(id=config.id, name=config.name, format=config.format.value,
                      trust_rank=config.trust_rank, location=config.location,
                      licence=config.licence, attribution=config.attribution)


class ConnectorReader:
    def __init__(self, connector: Connector, cache: ValidatorCache | None = None) -> None:
        self.connector = connector
        self.cache = cache

    def fetch(self) -> Iterator[FetchedRecord]:
        source = self.connector.source
        with Fetcher(source.id, source.http, source.auth_headers(), cache=self.cache) as fetcher:
            for raw in self.connector.fetch(fetcher):
                yield FetchedRecord(raw.source_record_id, dict(raw.payload))

    def map(self, fetched: FetchedRecord) -> ServiceRecord | Rejection:
        raw = RawRecord(self.connector.source.id, fetched.source_record_id, fetched.payload)
        return self.connector.map(raw)
