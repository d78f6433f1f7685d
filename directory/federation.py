"""What a federation adds to the standard: sources, sync runs, raw records, provenance.

These tables let the aggregator keep every raw record it fetched (so a mapping fix can be
replayed without re-fetching), link each source record to the canonical listing it feeds,
remember which source gave each field of a listing, and store the decisions people make
about duplicates so that later syncs respect them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from directory.base import new_id, timestamp_column, utcnow


class Source(SQLModel, table=True):
    """A directory we pull from; ``self-maintained`` is the source of organisations' own edits."""

    __tablename__ = "source"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=300)
    format: str = Field(max_length=30)
    location: str | None = Field(default=None, max_length=2000)
    trust_rank: int = Field(default=50)
    licence: str | None = Field(default=None, max_length=300)
    attribution: str | None = None
    enabled: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class SyncRun(SQLModel, table=True):
    """One attempt to sync one source: running, then succeeded, failed or held for review."""

    __tablename__ = "sync_run"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    source_id: str = Field(foreign_key="source.id", index=True)
    status: str = Field(default="running", max_length=20, index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    error: str | None = None
    fetched_count: int = 0
    mapped_count: int = 0
    rejected_count: int = 0
    new_count: int = 0
    changed_count: int = 0
    unchanged_count: int = 0
    missing_count: int = 0
    released_by: str | None = Field(default=None, max_length=200)
    released_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    # [source_record_id, content_hash] of every record the run fetched: lets a held run be
    # applied when a steward releases it, without fetching again.
    manifest: Any = Field(default=None, sa_column=Column(JSON))


class RawRecord(SQLModel, table=True):
    """A source record exactly as fetched, stored once per distinct content."""

    __tablename__ = "raw_record"
    __table_args__ = (UniqueConstraint("source_id", "source_record_id", "content_hash"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    source_id: str = Field(foreign_key="source.id", index=True)
    source_record_id: str = Field(max_length=300)
    content_hash: str = Field(max_length=64)
    payload: Any = Field(sa_column=Column(JSON, nullable=False))
    first_fetched_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    sync_run_id: str | None = Field(default=None, foreign_key="sync_run.id")


class SourceRecord(SQLModel, table=True):
    """The current state of one source's record and the canonical listing it feeds.

    ``fetched_at`` is when its current content was fetched; ``last_seen_at`` when a
    successful run last listed it.
    """

    __tablename__ = "source_record"
    __table_args__ = (UniqueConstraint("source_id", "source_record_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    source_id: str = Field(foreign_key="source.id", index=True)
    source_record_id: str = Field(max_length=300)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True)
    content_hash: str = Field(max_length=64)
    mapped: Any = Field(default=None, sa_column=Column(JSON))
    state: str = Field(default="present", max_length=20)
    missing_runs: int = 0
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    source_updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    first_seen_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class HttpValidator(SQLModel, table=True):
    """A page's ETag / Last-Modified and the body they validate, kept between sync runs so
    that a source which answers 304 Not Modified is not downloaded again."""

    __tablename__ = "http_validator"

    source_id: str = Field(foreign_key="source.id", primary_key=True, max_length=64)
    url_hash: str = Field(primary_key=True, max_length=64, description="sha256 of the URL")
    url: str
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    stored_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class BlockingKey(SQLModel, table=True):
    """A key (postcode, phone, e-mail, domain, identifier ...) that a record shares with the
    records it could duplicate; matching compares only records that share a key."""

    __tablename__ = "blocking_key"

    source_record_id: str = Field(foreign_key="source_record.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=200, index=True)


class ProcessLock(SQLModel, table=True):
    """A lease held by one process: the active scheduler, or a source being synced."""

    __tablename__ = "process_lock"

    name: str = Field(primary_key=True, max_length=200)
    holder: str = Field(max_length=200)
    expires_at: datetime = Field(sa_column=timestamp_column(False))


class RecordRejection(SQLModel, table=True):
    """A source record that could not be mapped, with the field and the reason."""

    __tablename__ = "record_rejection"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    sync_run_id: str = Field(foreign_key="sync_run.id", index=True)
    source_record_id: str | None = Field(default=None, max_length=300)
    field: str | None = Field(default=None, max_length=200)
    reason: str


class FieldProvenance(SQLModel, table=True):
    """Which source gave one field of a canonical listing, and how fresh it was."""

    __tablename__ = "field_provenance"
    __table_args__ = (UniqueConstraint("service_id", "field"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    service_id: str = Field(foreign_key="service.id", index=True)
    field: str = Field(max_length=100)
    source_id: str = Field(foreign_key="source.id")
    source_record_id: str = Field(max_length=300)
    fetched_at: datetime = Field(sa_column=timestamp_column(False))
    source_updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    last_reviewed_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class MatchDecision(SQLModel, table=True):
    """A match between two source records: scored by the matcher or decided by a person.

    ``decision`` is ``auto_merge``, ``possible`` (awaiting review), ``merge``, ``split`` or
    ``not_duplicate``; people's decisions survive later syncs.
    """

    __tablename__ = "match_decision"
    __table_args__ = (UniqueConstraint("left_record_id", "right_record_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    left_record_id: str = Field(foreign_key="source_record.id", index=True)
    right_record_id: str = Field(foreign_key="source_record.id", index=True)
    decision: str = Field(max_length=20, index=True)
    score: float | None = None
    explanation: Any = Field(default=None, sa_column=Column(JSON))
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
