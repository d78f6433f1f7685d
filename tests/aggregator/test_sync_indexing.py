"""A sync hands what changed to the search index: merged listings become searchable, and a
withdrawn listing stops being found."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from aggregator.memory_reader import RecordsReader, service
from aggregator.sync import SourceInfo, SyncPolicy, sync_source
from search.embedded_backend import EmbeddedBackend
from search.indexing import SearchIndexer
from search.query import SearchQuery
from search.vocabulary import VocabularySource
from signpost.settings import Settings

SOURCE = SourceInfo(id="borough", name="Borough", format="memory")
POLICY = SyncPolicy(hold_below_ratio=0.0, withdraw_after_missing_runs=1)
CHOIR = service("1", "Peckham Community Choir", description="Sing together on Tuesdays.")
SHED = service("2", "Camberwell Men's Shed", description="Woodwork and a cuppa.")


def _names(backend: EmbeddedBackend, text: str) -> list[str]:
    page = backend.search(SearchQuery(text=text, today=datetime.now(UTC).date()))
    return [hit.name for hit in page.hits]


def test_synced_listings_are_searchable_and_withdrawals_disappear(
    engine: Engine, tmp_path: Path
) -> None:
    backend = EmbeddedBackend(tmp_path / "index.db",
                              VocabularySource(Settings().search_vocabulary_path))
    indexer = SearchIndexer(engine, backend)
    sync_source(engine, SOURCE, RecordsReader(SOURCE.id, [CHOIR, SHED]), indexer=indexer,
                policy=POLICY)
    assert _names(backend, "choir") == ["Peckham Community Choir"]
    assert _names(backend, "woodwork") == ["Camberwell Men's Shed"]
    sync_source(engine, SOURCE, RecordsReader(SOURCE.id, [SHED]), indexer=indexer,
                policy=POLICY)
    assert _names(backend, "choir") == []
