"""What the aggregator needs from a connector: fetch raw records, and map one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from connectors.records import Rejection, ServiceRecord


@dataclass(frozen=True)
class FetchedRecord:
    source_record_id: str
    payload: Any

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.payload)


def content_hash(payload: Any) -> str:
    """A stable hash of a raw record: key order and whitespace do not change it."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SourceReader(Protocol):
    def fetch(self) -> Iterator[FetchedRecord]:
        """Every record the source has now; raises if the source fails or sends garbage."""
        ...

    def map(self, fetched: FetchedRecord) -> ServiceRecord | Rejection: ...
