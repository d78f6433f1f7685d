"""A source reader over records held in memory, for testing the aggregator's logic alone.

Payloads are ``ServiceRecord`` fields as JSON; ``fail`` makes the fetch raise part-way, as a
feed that breaks mid-pagination does. Tests of the real connectors against a misbehaving
feed server live beside these.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from aggregator.reader import FetchedRecord
from connectors.records import Rejection, ServiceRecord


@dataclass
class ListReader:
    source_id: str
    payloads: list[dict[str, Any]] = field(default_factory=list)
    fail: Exception | None = None

    def fetch(self) -> Iterator[FetchedRecord]:
        for index, payload in enumerate(self.payloads):
            if self.fail is not None and index == len(self.payloads) // 2:
                raise self.fail
            yield FetchedRecord(str(payload["id"]), payload)

    def map(self, fetched: FetchedRecord) -> ServiceRecord | Rejection:
        fields = {k: v for k, v in fetched.payload.items() if k != "id"}
        try:
            return ServiceRecord(source_id=self.source_id,
                                 source_record_id=fetched.source_record_id, **fields)
        except ValidationError as error:
            first = error.errors()[0]
            return Rejection(source_id=self.source_id, source_record_id=fetched.source_record_id,
                             field=".".join(map(str, first["loc"])), reason=first["msg"])


def service(id_: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": id_, "name": name, **fields}
