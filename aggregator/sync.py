"""One sync run of one source: fetch, keep raw, detect changes, match, merge, hand off.

The nothing-lost rules live here:

- a fetch that fails (error, timeout, garbage) changes nothing and is recorded as failed;
- a fetch that returns far fewer records than the last good run is *held*: its raw records
  are kept but not applied until a steward releases the run;
- a record missing from a successful run is marked absent, and its listing is withdrawn
  (kept as a tombstone) only after several successful runs in a row without it;
- a record that no longer maps keeps its last good mapping, and the rejection is recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from aggregator.indexing import ListingIndexer, NoIndexer
from aggregator.locks import lease
from aggregator.raw_store import load_payloads, store_raw
from aggregator.reader import FetchedRecord, SourceReader
from aggregator.record_apply import ApplyMode, apply_records
from directory.base import utcnow
from directory.federation import Source, SourceRecord, SyncRun

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class SourceInfo:
    id: str
    name: str
    format: str
    trust_rank: int = 50
    location: str | None = None
    licence: str | None = None
    attribution: str | None = None


@dataclass(frozen=True)
class SyncPolicy:
    hold_below_ratio: float = 0.5
    withdraw_after_missing_runs: int = 3


def _no_progress(_stage: str, _done: int, _total: int | None) -> None:
    return None


def register_source(engine: Engine, source: SourceInfo) -> None:
    """Create or update the source's row from its configuration."""
    with Session(engine) as session:
        row = session.get(Source, source.id)
        if row is None:
            row = Source(id=source.id, name=source.name, format=source.format)
        for key, value in vars(source).items():
            setattr(row, key, value)
        session.add(row)
        session.commit()


def _start_run(engine: Engine, source_id: str, status: str = "running") -> str:
    with Session(engine) as session:
        run = SyncRun(source_id=source_id, status=status)
        session.add(run)
        session.commit()
        return run.id


def _finish_run(engine: Engine, run_id: str, **values: object) -> SyncRun:
    with Session(engine) as session:
        run = session.get(SyncRun, run_id)
        assert run is not None
        for key, value in {"finished_at": utcnow(), **values}.items():
            setattr(run, key, value)
        session.add(run)
        session.commit()
        session.refresh(run)
        return run


def last_good_fetch_count(session: Session, source_id: str) -> int | None:
    return session.exec(
        select(SyncRun.fetched_count)
        .where(SyncRun.source_id == source_id, SyncRun.status == "succeeded")
        .order_by(SyncRun.started_at.desc())
        .limit(1)
    ).scalars().first()


def _fetch_all(reader: SourceReader, progress: Progress) -> dict[str, FetchedRecord]:
    records: dict[str, FetchedRecord] = {}
    for record in reader.fetch():
        records[record.source_record_id] = record
        if len(records) % 500 == 0:
            progress("fetch", len(records), None)
    progress("fetch", len(records), len(records))
    return records


def sync_source(
    engine: Engine,
    source: SourceInfo,
    reader: SourceReader,
    *,
    indexer: ListingIndexer | None = None,
    policy: SyncPolicy | None = None,
    progress: Progress | None = None,
) -> SyncRun:
    """Run one sync of ``source``; the returned run says what happened."""
    policy = policy or SyncPolicy()
    progress = progress or _no_progress
    register_source(engine, source)
    with lease(engine, f"sync:{source.id}"):
        run_id = _start_run(engine, source.id)
        try:
            fetched = _fetch_all(reader, progress)
        except Exception as error:  # any failure of the source: record it, change nothing
            log.warning("sync failed", extra={"source": source.id, "error": str(error)})
            return _finish_run(engine, run_id, status="failed",
                               error=f"{type(error).__name__}: {error}")
        manifest = [[rid, r.content_hash] for rid, r in fetched.items()]
        with Session(engine) as session:
            previous = last_good_fetch_count(session, source.id)
            store_raw(session, source.id, run_id, fetched.values())
            session.commit()
        if previous and len(fetched) < policy.hold_below_ratio * previous:
            reason = (f"held for review: {len(fetched)} records, under "
                      f"{policy.hold_below_ratio:.0%} of the last good run's {previous}")
            log.warning("sync held", extra={"source": source.id, "reason": reason})
            return _finish_run(engine, run_id, status="held", error=reason, manifest=manifest,
                               fetched_count=len(fetched))
        return _apply_and_index(engine, source, reader, run_id, fetched.values(), manifest,
                                ApplyMode.SYNC, indexer or NoIndexer(), policy, progress)


def _apply_and_index(
    engine: Engine, source: SourceInfo, reader: SourceReader, run_id: str,
    fetched: Iterable[FetchedRecord], manifest: list[list[str]], mode: ApplyMode,
    indexer: ListingIndexer, policy: SyncPolicy, progress: Progress,
    status: str = "succeeded", **run_values: object,
) -> SyncRun:
    try:
        with Session(engine) as session:
            outcome = apply_records(session, source.id, run_id, list(fetched), reader, mode,
                                    policy.withdraw_after_missing_runs, progress)
            session.commit()
    except Exception as error:
        log.exception("applying a sync failed", extra={"source": source.id})
        return _finish_run(engine, run_id, status="failed",
                           error=f"{type(error).__name__}: {error}")
    run = _finish_run(engine, run_id, status=status, manifest=manifest,
                      fetched_count=len(manifest), **outcome.counts(), **run_values)
    _hand_off(indexer, outcome.changed_listings, outcome.withdrawn_listings, source.id)
    return run


def _hand_off(indexer: ListingIndexer, changed: list[str], withdrawn: list[str],
              source_id: str) -> None:
    try:
        if changed:
            indexer.index_listings(changed)
        if withdrawn:
            indexer.remove_listings(withdrawn)
    except Exception:  # the database is right; `signpost reindex` repairs the index
        log.exception("search index update failed", extra={"source": source_id})


def release_run(
    engine: Engine, run_id: str, released_by: str, source: SourceInfo, reader: SourceReader,
    *, indexer: ListingIndexer | None = None, policy: SyncPolicy | None = None,
    progress: Progress | None = None,
) -> SyncRun:
    """Apply a held run's records, as a steward decided, without fetching again."""
    policy = policy or SyncPolicy()
    with Session(engine) as session:
        run = session.get(SyncRun, run_id)
        if run is None or run.status != "held" or run.source_id != source.id:
            raise ValueError(f"run {run_id} is not a held run of source {source.id}")
        manifest = run.manifest
        fetched = load_payloads(session, source.id, manifest)
        session.exec(update(SyncRun).where(SyncRun.id == run_id).values(status="running"))
        session.commit()
    with lease(engine, f"sync:{source.id}"):
        return _apply_and_index(engine, source, reader, run_id, fetched, manifest,
                                ApplyMode.SYNC, indexer or NoIndexer(), policy,
                                progress or _no_progress, released_by=released_by,
                                released_at=utcnow())


def replay_source(
    engine: Engine, source: SourceInfo, reader: SourceReader, *,
    indexer: ListingIndexer | None = None, progress: Progress | None = None,
) -> SyncRun:
    """Re-map the stored raw records of every current source record (after a mapping fix)."""
    with lease(engine, f"sync:{source.id}"):
        run_id = _start_run(engine, source.id)
        with Session(engine) as session:
            current = session.exec(
                select(SourceRecord.source_record_id, SourceRecord.content_hash)
                .where(SourceRecord.source_id == source.id)
            ).all()
            manifest = [[rid, digest] for rid, digest in current]
            fetched = load_payloads(session, source.id, manifest)
        return _apply_and_index(engine, source, reader, run_id, fetched, manifest,
                                ApplyMode.REPLAY, indexer or NoIndexer(), SyncPolicy(),
                                progress or _no_progress, status="replayed")
