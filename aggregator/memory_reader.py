"""A source reader over records already in the normalised shape, held in memory.

Payloads are ``ServiceRecord`` fields as JSON plus an ``id``. The evaluation and benchmark
scripts feed generated directories through it, and tests use ``fail`` to make the fetch
break part-way, as a feed that fails mid-pagination does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from aggregator.reader import FetchedRecord
from connectors.records import Rejection, ServiceRecord


@dataclass
class RecordsReader:
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
