"""Keeping the search index in step with the directory: the hand-off the aggregator calls.

``index_listings(ids)`` after listings were created or changed (a listing that is
withdrawn, unpublished or gone is removed from the index), ``remove_listings(ids)`` after
listings were deleted, and ``reindex()`` to rebuild the whole index from the database
without interrupting searches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime

from pydantic import BaseModel
from sqlalchemy import Engine

from directory.listings import (
    DEFAULT_BATCH,
    Listing,
    iter_listing_batches,
    listing_ids_changed_since,
    load_listings,
)
from search.backend import SearchBackend
from search.document import SearchDocument, build_document

log = logging.getLogger(__name__)


class IndexReport(BaseModel):
    indexed: int
    removed: int


class RebuildReport(BaseModel):
    documents: int
    seconds: float
    caught_up: IndexReport


class SearchIndexer:
    def __init__(
        self, engine: Engine, backend: SearchBackend,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        self.engine = engine
        self.backend = backend
        self.today = today

    def _documents(self, listings: Sequence[Listing]) -> list[SearchDocument]:
        today = self.today()
        return [doc for doc in (build_document(lst, today) for lst in listings) if doc]

    def index_listings(self, ids: Sequence[str]) -> IndexReport:
        """Bring these listings' documents up to date (add, replace or remove)."""
        ids = list(dict.fromkeys(ids))
        documents = self._documents(load_listings(self.engine, ids))
        shown = {doc.id for doc in documents}
        hidden = [listing_id for listing_id in ids if listing_id not in shown]
        if documents:
            self.backend.upsert(documents)
        if hidden:
            self.backend.delete(hidden)
        return IndexReport(indexed=len(documents), removed=len(hidden))

    def remove_listings(self, ids: Sequence[str]) -> IndexReport:
        """Take these listings out of the index (whatever the database says)."""
        self.backend.delete(list(dict.fromkeys(ids)))
        return IndexReport(indexed=0, removed=len(ids))

    def reindex(self, batch_size: int = DEFAULT_BATCH) -> RebuildReport:
        """Rebuild from the database, switch searches over, then catch up on changes made
        while it ran (their incremental updates went to the old index)."""
        started_wall, started = datetime.now(UTC), time.monotonic()

        def batches() -> Iterator[list[SearchDocument]]:
            for listings in iter_listing_batches(self.engine, batch_size):
                yield self._documents(listings)

        count = self.backend.rebuild(batches())
        caught_up = self.index_listings(listing_ids_changed_since(self.engine, started_wall))
        report = RebuildReport(documents=count, seconds=round(time.monotonic() - started, 3),
                               caught_up=caught_up)
        log.info("search index rebuilt", extra=report.model_dump())
        return report
