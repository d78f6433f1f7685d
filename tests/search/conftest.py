"""Fixtures for the search suites: the demo directory, and each backend over it.

``backend`` runs every test twice: on the embedded backend (its own file in a temporary
folder) and on the real Elasticsearch node (a unique alias and index per test).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy import Engine

from directory.db import make_engine
from search.backend import SearchBackend
from search.elasticsearch_backend import ElasticsearchBackend
from search.embedded_backend import EmbeddedBackend
from search.indexing import SearchIndexer
from search.vocabulary import DEFAULT_PATH, VocabularySource
from tests.search.demo import DEMO, TODAY
from tests.search.factory import write_listings


@pytest.fixture(scope="session")
def _demo_database(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(_sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    write_listings(engine, DEMO)
    engine.dispose()
    return path


@pytest.fixture
def demo_engine(_demo_database: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the demo directory (tests may add listings to it)."""
    path = tmp_path / "demo.db"
    shutil.copy(_demo_database, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def vocabulary_file(tmp_path: Path) -> Path:
    path = tmp_path / "vocabulary.yaml"
    shutil.copy(DEFAULT_PATH, path)
    return path


@pytest.fixture
def es_client(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    client = Elasticsearch(elasticsearch_url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, vocabulary_file: Path
) -> Iterator[SearchBackend]:
    vocabulary = VocabularySource(vocabulary_file)
    if request.param == "embedded":
        yield EmbeddedBackend(tmp_path / "search-index.db", vocabulary)
        return
    client: Elasticsearch = request.getfixturevalue("es_client")
    alias = f"test-{uuid.uuid4().hex[:10]}"
    yield ElasticsearchBackend(client, alias, vocabulary)
    client.indices.delete(index=f"{alias}-v*", ignore_unavailable=True)


@pytest.fixture
def indexer(demo_engine: Engine, backend: SearchBackend) -> SearchIndexer:
    return SearchIndexer(demo_engine, backend, today=lambda: TODAY)


@pytest.fixture
def demo(indexer: SearchIndexer) -> SearchBackend:
    """The backend with the demo directory indexed."""
    indexer.reindex()
    return indexer.backend
