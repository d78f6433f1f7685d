"""The hand-off from the aggregator to the search index.

After a sync commits, the aggregator tells the indexer which listings changed and which
were withdrawn; the search package implements this interface for each backend. Indexing
is derived state: if it fails, the database is still right and a reindex repairs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class ListingIndexer(Protocol):
    """What the search package offers the aggregator; return values are reports to log."""

    def index_listings(self, service_ids: Sequence[str]) -> object: ...

    def remove_listings(self, service_ids: Sequence[str]) -> object: ...


class NoIndexer:
    """For runs that only touch the database (tests, benchmarks of the sync alone)."""

    def index_listings(self, service_ids: Sequence[str]) -> None:
        return None

    def remove_listings(self, service_ids: Sequence[str]) -> None:
        return None
