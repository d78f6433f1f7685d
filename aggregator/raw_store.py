"""Raw source records, stored once per distinct content so a mapping fix can be replayed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select
from sqlmodel import Session

from aggregator.reader import FetchedRecord
from directory.base import new_id, utcnow
from directory.federation import RawRecord

_CHUNK = 500


def store_raw(
    session: Session, source_id: str, run_id: str, records: Iterable[FetchedRecord]
) -> None:
    """Insert records whose content is new. Raw records are immutable snapshots: which
    runs saw each one is in those runs' manifests."""
    now = utcnow()
    known = set(session.exec(
        select(RawRecord.source_record_id, RawRecord.content_hash)
        .where(RawRecord.source_id == source_id)
    ).all())
    fresh = []
    for record in records:
        key = (record.source_record_id, record.content_hash)
        if key not in known:
            known.add(key)
            fresh.append({
                "id": new_id(), "source_id": source_id,
                "source_record_id": record.source_record_id, "content_hash": key[1],
                "payload": record.payload, "first_fetched_at": now, "sync_run_id": run_id,
            })
    if fresh:
        session.connection().execute(insert(RawRecord.__table__), fresh)


def load_payloads(
    session: Session, source_id: str, manifest: Sequence[Sequence[str]]
) -> list[FetchedRecord]:
    """The stored raw records named by ``[source_record_id, content_hash]`` pairs."""
    wanted = {(rid, digest) for rid, digest in manifest}
    by_hash: dict[tuple[str, str], object] = {}
    hashes = sorted({digest for _, digest in wanted})
    for start in range(0, len(hashes), _CHUNK):
        rows = session.exec(
            select(RawRecord.source_record_id, RawRecord.content_hash, RawRecord.payload)
            .where(RawRecord.source_id == source_id,
                   RawRecord.content_hash.in_(hashes[start:start + _CHUNK]))
        ).all()
        for rid, digest, payload in rows:
            if (rid, digest) in wanted:
                by_hash[(rid, digest)] = payload
    missing = wanted - by_hash.keys()
    if missing:
        raise LookupError(f"{len(missing)} raw records of the manifest are not stored")
    return [FetchedRecord(rid, by_hash[(rid, digest)]) for rid, digest in manifest]
