"""The one interface every search backend implements, and what the index reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from search.document import SearchDocument
from search.query import SearchPage, SearchQuery, Suggestion, SuggestQuery


class SearchUnavailable(RuntimeError):
    """The backend cannot serve queries now; the message says why."""


class IndexStatus(BaseModel):
    backend: str
    index: str
    documents: int
    built_at: datetime | None = None


class SearchBackend(Protocol):
    name: str

    def check(self) -> None:
        """Return if the backend can answer queries, else raise ``SearchUnavailable``."""
        ...

    def search(self, query: SearchQuery) -> SearchPage:
        """One page of hits, the total and the facet counts."""
        ...

    def suggest(self, query: SuggestQuery) -> list[Suggestion]:
        ...

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents; searches see them when this returns."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents (unknown ids are ignored); searches stop seeing them at once."""
        ...

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        """Build a new index from ``batches`` and switch searches to it at once; the count."""
        ...

    def status(self) -> IndexStatus:
        ...
