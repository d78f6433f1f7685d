"""Merge listings again from their live source records, after anything changed them."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session

from aggregator.listing_store import ListingStore
from aggregator.survivorship import Contribution, merge
from connectors.records import ServiceRecord
from directory.base import utcnow
from directory.federation import Source, SourceRecord

if TYPE_CHECKING:
    from aggregator.sync import Progress

_CHUNK = 500


def remerge_listings(
    session: Session, store: ListingStore, service_ids: list[str],
    progress: Progress | None = None,
    known: dict[tuple[str, str], ServiceRecord] | None = None,
) -> tuple[list[str], list[str]]:
    """Merge each listing again from its live contributions; withdraw those left with none.

    ``known`` holds records already parsed by this run, keyed by (source, record id), so
    they are not parsed again from their stored JSON.
    """
    known = known or {}
    trust = dict(session.exec(select(Source.id, Source.trust_rank)).all())
    now = utcnow()
    changed: list[str] = []
    withdrawn: list[str] = []
    for start in range(0, len(service_ids), _CHUNK):
        chunk = service_ids[start:start + _CHUNK]
        contributions: dict[str, list[Contribution]] = defaultdict(list)
        rows = session.exec(
            select(SourceRecord.service_id, SourceRecord.source_id,
                   SourceRecord.source_record_id, SourceRecord.mapped, SourceRecord.fetched_at)
            .where(SourceRecord.service_id.in_(chunk), SourceRecord.state != "withdrawn")
        ).all()
        for service_id, source_id, rid, mapped, fetched_at in rows:
            record = known.get((source_id, rid)) or ServiceRecord.model_validate(mapped)
            contributions[service_id].append(Contribution(
                source_id, rid, record, trust.get(source_id, 0), fetched_at))
        merged = {sid: merge(contributions[sid]) for sid in chunk if contributions[sid]}
        store.write(merged, now)
        gone = [sid for sid in chunk if not contributions[sid]]
        store.withdraw(gone, now)
        changed.extend(merged)
        withdrawn.extend(gone)
        if progress:
            progress("merge", start + len(chunk), len(service_ids))
    return changed, withdrawn
