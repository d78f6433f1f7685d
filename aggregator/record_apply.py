"""Apply one run's records to the directory, in the caller's transaction.

Classifies each record (new, changed, unchanged, missing), maps what changed, matches new
records to existing listings, and re-merges every listing whose contributions changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from aggregator.listing_matcher import ListingMatcher
from aggregator.listing_store import ListingStore
from aggregator.reader import FetchedRecord, SourceReader
from aggregator.remerge import remerge_listings
from connectors.records import Rejection, ServiceRecord
from directory.base import new_id, utcnow
from directory.federation import RecordRejection, SourceRecord

if TYPE_CHECKING:
    from aggregator.sync import Progress

_CHUNK = 500


class ApplyMode(StrEnum):
    SYNC = "sync"  # a complete fetch: records not in it are missing
    REPLAY = "replay"  # re-map stored records: nothing is missing


@dataclass
class ApplyOutcome:
    mapped: int = 0
    rejected: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    changed_listings: list[str] = field(default_factory=list)
    withdrawn_listings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"mapped_count": self.mapped, "rejected_count": self.rejected,
                "new_count": self.new, "changed_count": self.changed,
                "unchanged_count": self.unchanged, "missing_count": self.missing}


@dataclass
class _Existing:
    row_id: str
    content_hash: str
    service_id: str | None
    state: str
    missing_runs: int


def _existing(session: Session, source_id: str) -> dict[str, _Existing]:
    rows = session.exec(
        select(SourceRecord.source_record_id, SourceRecord.id, SourceRecord.content_hash,
               SourceRecord.service_id, SourceRecord.state, SourceRecord.missing_runs)
        .where(SourceRecord.source_id == source_id)
    ).all()
    return {rid: _Existing(*rest) for rid, *rest in rows}


def _bulk_update(session: Session, values: list[dict[str, Any]]) -> None:
    if values:
        session.connection().execute(
            update(SourceRecord).where(SourceRecord.id == bindparam("row_id"))
            .values({k: bindparam(k) for k in values[0] if k != "row_id"}),
            values,
        )


def apply_records(
    session: Session, source_id: str, run_id: str, fetched: list[FetchedRecord],
    reader: SourceReader, mode: ApplyMode, withdraw_after: int, progress: Progress,
) -> ApplyOutcome:
    now = utcnow()
    outcome = ApplyOutcome()
    existing = _existing(session, source_id)
    to_map: list[FetchedRecord] = []
    back: list[dict[str, Any]] = []
    for record in fetched:
        old = existing.get(record.source_record_id)
        if (mode is ApplyMode.REPLAY or old is None or old.content_hash != record.content_hash
                or old.state == "withdrawn"):
            to_map.append(record)
        else:
            outcome.unchanged += 1
            if old.state != "present" or old.missing_runs:
                back.append({"row_id": old.row_id, "state": "present", "missing_runs": 0})
    _bulk_update(session, back)  # absent records that are listed again

    mapped: dict[str, ServiceRecord] = {}
    rejections: list[dict[str, Any]] = []
    for done, record in enumerate(to_map, 1):
        result = reader.map(record)
        if isinstance(result, Rejection):
            rejections.append({"id": new_id(), "sync_run_id": run_id,
                               "source_record_id": record.source_record_id,
                               "field": result.field, "reason": result.reason})
        else:
            mapped[record.source_record_id] = result
        if done % 1000 == 0:
            progress("map", done, len(to_map))
    progress("map", len(to_map), len(to_map))
    outcome.rejected = len(rejections)
    outcome.mapped = len(mapped) + outcome.unchanged
    if rejections:
        session.exec(insert(RecordRejection), params=rejections)

    hashes = {r.source_record_id: r.content_hash for r in to_map}
    affected: set[str] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    new_rows: dict[str, ServiceRecord] = {}
    changed_rows: dict[str, ServiceRecord] = {}
    for rid, record in mapped.items():
        old = existing.get(rid)
        values = {"content_hash": hashes[rid], "mapped": record.model_dump(mode="json"),
                  "state": "present", "missing_runs": 0, "fetched_at": now,
                  "last_seen_at": now, "source_updated_at": record.source_updated_at}
        if old is None:
            row_id = new_id()
            new_rows[row_id] = record
            inserts.append({"id": row_id, "source_id": source_id, "source_record_id": rid,
                            "first_seen_at": now, "service_id": None, **values})
        else:
            changed_rows[old.row_id] = record
            updates.append({"row_id": old.row_id, **values})
            if old.service_id:
                affected.add(old.service_id)
    outcome.new, outcome.changed = len(inserts), len(updates)
    if inserts:
        session.exec(insert(SourceRecord), params=inserts)
    _bulk_update(session, updates)

    if mode is ApplyMode.SYNC:
        seen = {r.source_record_id for r in fetched}
        missing = []
        for rid, old in existing.items():
            if rid in seen or old.state == "withdrawn":
                continue
            runs = old.missing_runs + 1
            state = "withdrawn" if runs >= withdraw_after else "absent"
            missing.append({"row_id": old.row_id, "missing_runs": runs, "state": state})
            if state == "withdrawn" and old.service_id:
                affected.add(old.service_id)
        outcome.missing = len(missing)
        _bulk_update(session, missing)
        # Everything this run listed is now present: one set-based statement, not one per row.
        session.connection().execute(
            update(SourceRecord.__table__)
            .where(SourceRecord.source_id == source_id, SourceRecord.state == "present")
            .values(last_seen_at=now))

    matcher = ListingMatcher(session)
    row_hashes = {row["id"]: row["content_hash"] for row in inserts}
    row_hashes |= {row["row_id"]: row["content_hash"] for row in updates}
    matcher.refresh_keys({**new_rows, **changed_rows}, row_hashes)
    clusters = matcher.assign(new_rows, progress)
    store = ListingStore(session)
    new_labels = sorted({label for label in clusters.values() if label.startswith("new:")})
    listing_of = dict(zip(new_labels, store.create(len(new_labels)), strict=True))
    assignments = [{"row_id": row_id, "service_id": listing_of.get(label, label)}
                   for row_id, label in clusters.items()]
    _bulk_update(session, assignments)
    affected |= {a["service_id"] for a in assignments}

    known = {(source_id, rid): record for rid, record in mapped.items()}
    changed, withdrawn = remerge_listings(session, store, sorted(affected), progress, known)
    outcome.changed_listings, outcome.withdrawn_listings = changed, withdrawn
    return outcome
