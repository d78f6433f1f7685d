"""Builds the long-lived objects (database engine, search backend) from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from aggregator.indexing import ListingIndexer
from directory.db import make_engine
from search.backend import SearchBackend
from search.elasticsearch_backend import ElasticsearchBackend, make_client
from search.embedded_backend import EmbeddedBackend
from search.indexing import SearchIndexer
from search.vocabulary import VocabularySource
from signpost.settings import SearchBackendName, Settings


@dataclass
class Components:
    settings: Settings
    engine: Engine
    search: SearchBackend

    def close(self) -> None:
        self.engine.dispose()


def make_search_backend(settings: Settings) -> SearchBackend:
    """The configured backend; the embedded one keeps its own file beside the database."""
    vocabulary = VocabularySource(settings.search_vocabulary_path)
    if settings.search_backend is SearchBackendName.ELASTICSEARCH:
        client = make_client(settings.elasticsearch_url, settings.elasticsearch_timeout_s)
        return ElasticsearchBackend(client, settings.elasticsearch_index, vocabulary)
    return EmbeddedBackend(settings.search_index_path, vocabulary)


def build_components(settings: Settings) -> Components:
    engine = make_engine(settings.database_url)
    return Components(settings, engine, make_search_backend(settings))


def make_indexer(components: Components) -> ListingIndexer:
    """Where the aggregator hands changed listings for search."""
    return SearchIndexer(components.engine, components.search)
