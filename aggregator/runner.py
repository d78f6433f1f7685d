"""Sync configured sources: what both ``signpost sync`` and the worker's jobs run."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from aggregator.connector_reader import ConnectorReader, source_info
from aggregator.http_cache import DatabaseValidatorCache
from aggregator.indexing import ListingIndexer
from aggregator.locks import LockHeld
from aggregator.sync import Progress, SyncPolicy, sync_source
from connectors.registry import connector_for
from connectors.sources import SourceConfig
from directory.federation import SyncRun
from directory.postcodes import default_lookup

ProgressFactory = Callable[[SourceConfig], Progress]


def reader_for(config: SourceConfig, engine: Engine | None = None) -> ConnectorReader:
    """The source's connector; with ``engine``, its conditional-request validators persist."""
    cache = DatabaseValidatorCache(engine, config.id) if engine is not None else None
    return ConnectorReader(connector_for(config, geocoder=default_lookup()), cache)


def sync_configured(
    engine: Engine, configs: list[SourceConfig], indexer: ListingIndexer, policy: SyncPolicy,
    progress_for: ProgressFactory | None = None,
) -> list[SyncRun | LockHeld]:
    """Sync each source in turn; a source already being synced elsewhere is reported."""
    results: list[SyncRun | LockHeld] = []
    for config in configs:
        progress = progress_for(config) if progress_for else None
        try:
            results.append(sync_source(engine, source_info(config), reader_for(config, engine),
                                       indexer=indexer, policy=policy, progress=progress))
        except LockHeld as held:
            results.append(held)
    return results
