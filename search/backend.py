"""The one interface every search backend implements.

The search issue grows this interface (index, search, suggest); the foundation needs only a
readiness check so that ``/readyz`` can report whether the configured backend can answer.
"""

from __future__ import annotations

from typing import Protocol


class SearchUnavailable(RuntimeError):
    """The backend cannot serve queries now; the message says why."""


class SearchBackend(Protocol):
    name: str

    def check(self) -> None:
        """Return if the backend can answer queries, else raise ``SearchUnavailable``."""
        ...
