"""What the search benchmarks share: a database of listings and the two backends on it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from elasticsearch import Elasticsearch
from sqlalchemy import Engine

from directory.db import make_engine
from directory.migrations import upgrade
from search.backend import SearchBackend
from search.elasticsearch_backend import ElasticsearchBackend
from search.embedded_backend import EmbeddedBackend
from search.vocabulary import VocabularySource
from tests.search.factory import ListingSpec, write_listings

BACKENDS = ("embedded", "elasticsearch")


def build_database(folder: Path, specs: Sequence[ListingSpec]) -> Engine:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    write_listings(engine, specs)
    return engine


@contextlib.contextmanager
def elasticsearch(url: str | None) -> Iterator[str]:
    """The given node, or one started like the test harness starts it (stopped after)."""
    if url:
        yield url
        return
    from tests.harness.elasticsearch import start_node

    node = start_node()
    try:
        yield node.url
    finally:
        node.stop()


def make_backend(name: str, folder: Path, es_url: str) -> tuple[SearchBackend, dict[str, str]]:
    """A backend and the environment that makes `signpost serve` use the same index."""
    vocabulary = VocabularySource()
    if name == "embedded":
        path = folder / "search-index.db"
        return EmbeddedBackend(path, vocabulary), {
            "SEARCH_BACKEND": "embedded", "SEARCH_INDEX_PATH": str(path)}
    alias = f"bench-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(es_url, request_timeout=120)
    return ElasticsearchBackend(client, alias, vocabulary), {
        "SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": es_url,
        "ELASTICSEARCH_INDEX": alias}


def drop(backend: SearchBackend, folder: Path) -> None:
    if isinstance(backend, ElasticsearchBackend):
        backend.client.indices.delete(index=f"{backend.alias}-v*", ignore_unavailable=True)
    (folder / "search-index.db").unlink(missing_ok=True)
