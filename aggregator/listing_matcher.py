"""Find the listing a new source record belongs to, or decide it is a new listing.

Records keep the listing they were given, so listing ids are stable across syncs and a
person's merge or split stands; only records seen for the first time are matched.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from aggregator.features import MatchFeatures, features_of
from aggregator.matching import MatchScore, blocking_keys, score_pair
from connectors.records import ServiceRecord
from directory.base import new_id
from directory.federation import BlockingKey, MatchDecision, SourceRecord

if TYPE_CHECKING:
    from aggregator.sync import Progress

_CHUNK = 500
# A key shared by this many records (a council switchboard, a national helpline's e-mail)
# distinguishes nothing, and comparing every pair in it would be quadratic.
MAX_BLOCK = 25
MANUAL = {"merge", "split", "not_duplicate"}


class FeatureCache:
    """Match features of stored records, kept across runs in one process.

    Parsing a candidate's stored JSON costs far more than scoring it; a multi-source sync
    (or the worker) meets the same candidates again and again. Entries are keyed by the
    record's content hash, so a changed record is parsed afresh.
    """

    def __init__(self, limit: int = 500_000) -> None:
        self.limit = limit
        self._entries: dict[str, tuple[str, MatchFeatures]] = {}

    def get(self, row_id: str, content_hash: str) -> MatchFeatures | None:
        entry = self._entries.get(row_id)
        return entry[1] if entry and entry[0] == content_hash else None

    def put(self, row_id: str, content_hash: str, features: MatchFeatures) -> None:
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[row_id] = (content_hash, features)

    def clear(self) -> None:
        self._entries.clear()


FEATURES = FeatureCache()


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class ListingMatcher:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.features: dict[str, MatchFeatures] = {}
        self.keys: dict[str, set[str]] = {}
        self.decisions: dict[tuple[str, str], str] = {
            (left, right): decision
            for left, right, decision in session.exec(
                select(MatchDecision.left_record_id, MatchDecision.right_record_id,
                       MatchDecision.decision)
            ).all()
        }

    def refresh_keys(self, records: dict[str, ServiceRecord], hashes: dict[str, str]) -> None:
        """Recompute the blocking keys of records whose content is new or changed."""
        row_ids = list(records)
        for start in range(0, len(row_ids), _CHUNK):
            self.session.exec(delete(BlockingKey).where(
                BlockingKey.source_record_id.in_(row_ids[start:start + _CHUNK])))
        rows = []
        for row_id, record in records.items():
            self.features[row_id] = features_of(record)
            FEATURES.put(row_id, hashes[row_id], self.features[row_id])
            self.keys[row_id] = blocking_keys(self.features[row_id])
            rows.extend({"source_record_id": row_id, "key": key} for key in self.keys[row_id])
        if rows:
            self.session.exec(insert(BlockingKey), params=rows)

    def _blocks(self, keys: set[str]) -> dict[str, set[str]]:
        members: dict[str, set[str]] = defaultdict(set)
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            for row_id, key in self.session.exec(
                select(BlockingKey.source_record_id, BlockingKey.key)
                .where(BlockingKey.key.in_(ordered[start:start + _CHUNK]))
            ).all():
                members[key].add(row_id)
        return {k: v for k, v in members.items() if len(v) <= MAX_BLOCK}

    def _load_existing(self, row_ids: set[str]) -> dict[str, str]:
        """Listings of already-matched candidates, and their features (cached or parsed)."""
        listing_of: dict[str, str] = {}
        to_parse: list[str] = []
        hashes: dict[str, str] = {}
        ordered = sorted(row_ids)
        for start in range(0, len(ordered), _CHUNK):
            for row_id, service_id, digest in self.session.exec(
                select(SourceRecord.id, SourceRecord.service_id, SourceRecord.content_hash)
                .where(SourceRecord.id.in_(ordered[start:start + _CHUNK]),
                       SourceRecord.service_id.is_not(None),
                       SourceRecord.state != "withdrawn")
            ).all():
                listing_of[row_id] = service_id
                cached = self.features.get(row_id) or FEATURES.get(row_id, digest)
                if cached is None:
                    to_parse.append(row_id)
                    hashes[row_id] = digest
                else:
                    self.features[row_id] = cached
        for start in range(0, len(to_parse), _CHUNK):
            for row_id, mapped in self.session.exec(
                select(SourceRecord.id, SourceRecord.mapped)
                .where(SourceRecord.id.in_(to_parse[start:start + _CHUNK]))
            ).all():
                self.features[row_id] = features_of(ServiceRecord.model_validate(mapped))
                FEATURES.put(row_id, hashes[row_id], self.features[row_id])
        return listing_of

    def _score(self, a: str, b: str) -> MatchScore | None:
        """None when a person said these two are different services."""
        decision = self.decisions.get(_pair(a, b))
        if decision in {"split", "not_duplicate"}:
            return None
        if decision == "merge":
            return MatchScore(1.0, {"manual": 1.0})
        return score_pair(self.features[a], self.features[b])

    def assign(self, new_rows: dict[str, ServiceRecord], progress: Progress) -> dict[str, str]:
        """``row_id -> service id`` of an existing listing, or a ``new:N`` cluster label."""
        blocks = self._blocks(set().union(*(self.keys[r] for r in new_rows)) if new_rows
                              else set())
        candidates = set().union(*blocks.values()) if blocks else set()
        listing_of = self._load_existing(candidates - new_rows.keys())
        found: list[dict[str, object]] = []
        for done, row_id in enumerate(sorted(new_rows), 1):
            best: tuple[float, str] | None = None
            others = set().union(*(blocks.get(k, set()) for k in self.keys[row_id]))
            for other in sorted(others - {row_id}):
                if other not in listing_of:
                    continue  # an unmatched record of this run: it will compare with us
                score = self._score(row_id, other)
                if score is None or score.decision == "distinct":
                    continue
                pair = _pair(row_id, other)
                if pair not in self.decisions:
                    self.decisions[pair] = score.decision
                    found.append({"id": new_id(), "left_record_id": pair[0],
                                  "right_record_id": pair[1], "decision": score.decision,
                                  "score": round(score.score, 4),
                                  "explanation": score.explanation()})
                if score.decision == "auto_merge" and (best is None or score.score > best[0]):
                    best = (score.score, listing_of[other])
            listing_of[row_id] = best[1] if best else f"new:{done}"
            if done % 1000 == 0:
                progress("match", done, len(new_rows))
        progress("match", len(new_rows), len(new_rows))
        if found:
            self.session.exec(insert(MatchDecision), params=found)
        return {row_id: listing_of[row_id] for row_id in new_rows}
