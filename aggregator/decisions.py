"""A steward's decisions about duplicates: merge, split, or "not a duplicate".

Decisions are stored against the pair of source records, so they outlive later syncs: the
matcher never merges a pair a person kept apart, and records keep the listing a person put
them in. Each decision re-merges the listings it touches at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from aggregator.indexing import ListingIndexer, NoIndexer
from aggregator.listing_store import ListingStore
from aggregator.remerge import remerge_listings
from directory.base import utcnow
from directory.federation import MatchDecision, SourceRecord
from directory.schema import Service


class Decision(StrEnum):
    MERGE = "merge"
    SPLIT = "split"
    NOT_DUPLICATE = "not_duplicate"


class DecisionError(ValueError):
    """The decision cannot be applied; the message says why."""


@dataclass(frozen=True)
class ReviewItem:
    decision_id: str
    decision: str
    score: float | None
    explanation: dict[str, float]
    left: tuple[str, str, str]  # source, source record id, name
    right: tuple[str, str, str]
    same_listing: bool


def review_queue(engine: Engine, include_auto: bool = False, limit: int = 100) -> list[ReviewItem]:
    """Possible duplicates waiting for a person, most likely first."""
    wanted = ["possible", "auto_merge"] if include_auto else ["possible"]
    with Session(engine) as session:
        decisions = session.exec(
            select(MatchDecision).where(MatchDecision.decision.in_(wanted))
            .order_by(MatchDecision.score.desc(), MatchDecision.id).limit(limit)
        ).scalars().all()
        ids = {d.left_record_id for d in decisions} | {d.right_record_id for d in decisions}
        records = {
            r.id: r for r in session.exec(
                select(SourceRecord).where(SourceRecord.id.in_(ids))).scalars()
        }

        def describe(row_id: str) -> tuple[str, str, str]:
            r = records[row_id]
            return (r.source_id, r.source_record_id, (r.mapped or {}).get("name", ""))

        return [
            ReviewItem(d.id, d.decision, d.score, d.explanation or {},
                       describe(d.left_record_id), describe(d.right_record_id),
                       records[d.left_record_id].service_id
                       == records[d.right_record_id].service_id)
            for d in decisions
        ]


def decide(
    engine: Engine, decision_id: str, decision: Decision, decided_by: str,
    indexer: ListingIndexer | None = None,
) -> list[str]:
    """Apply a person's decision about a scored pair; returns the listings it changed."""
    indexer = indexer or NoIndexer()
    with Session(engine) as session:
        pair = session.get(MatchDecision, decision_id)
        if pair is None:
            raise DecisionError(f"no match decision {decision_id}")
        left = session.get(SourceRecord, pair.left_record_id)
        right = session.get(SourceRecord, pair.right_record_id)
        assert left is not None and right is not None
        store = ListingStore(session)
        if decision is Decision.MERGE:
            touched = [s for s in (left.service_id, right.service_id) if s]
            if left.service_id != right.service_id:
                session.exec(update(SourceRecord)
                             .where(SourceRecord.service_id == right.service_id)
                             .values(service_id=left.service_id))
        else:
            touched = [s for s in (left.service_id,) if s]
            if left.service_id == right.service_id:
                (fresh,) = store.create(1)
                session.exec(update(SourceRecord).where(SourceRecord.id == right.id)
                             .values(service_id=fresh))
                touched.append(fresh)
        pair.decision = decision.value
        pair.decided_by = decided_by
        pair.decided_at = utcnow()
        session.add(pair)
        changed, withdrawn = remerge_listings(session, store, sorted(set(touched)))
        session.commit()
    if changed:
        indexer.index_listings(changed)
    if withdrawn:
        indexer.remove_listings(withdrawn)
    return changed + withdrawn


def listing_sources(engine: Engine, service_id: str) -> list[tuple[str, str, str]]:
    """The source records that feed a listing: (source, record id, state)."""
    with Session(engine) as session:
        if session.get(Service, service_id) is None:
            raise DecisionError(f"no listing {service_id}")
        return list(session.exec(
            select(SourceRecord.source_id, SourceRecord.source_record_id, SourceRecord.state)
            .where(SourceRecord.service_id == service_id)).all())
