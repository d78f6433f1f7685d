"""Builds the long-lived objects (database engine, search backend) from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from aggregator.indexing import ListingIndexer, NoIndexer
from directory.db import make_engine
from search.backend import SearchBackend
from search.elasticsearch_backend import ElasticsearchBackend, make_client
from search.embedded_backend import EmbeddedBackend
from signpost.settings import SearchBackendName, Settings


@dataclass
class Components:
    settings: Settings
    engine: Engine
    search: SearchBackend

    def close(self) -> None:
        self.engine.dispose()


def make_search_backend(settings: Settings, engine: Engine) -> SearchBackend:
    if settings.search_backend is SearchBackendName.ELASTICSEARCH:
        client = make_client(settings.elasticsearch_url, settings.elasticsearch_timeout_s)
        return ElasticsearchBackend(client)
    return EmbeddedBackend(engine)


def build_components(settings: Settings) -> Components:
    engine = make_engine(settings.database_url)
    return Components(settings, engine, make_search_backend(settings, engine))


def make_indexer(components: Components) -> ListingIndexer:
    """Where the aggregator hands changed listings for search."""
    return NoIndexer()
