"""Identifiers and timestamp columns shared by every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime


def new_id() -> str:
    """Our own stable identifier: a random UUID, never a source's id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_column(nullable: bool = True) -> Column:
    """A timezone-aware timestamp column (stored as UTC); required ones default to now,
    also for bulk inserts that bypass the models."""
    return Column(DateTime(timezone=True), nullable=nullable,
                  default=None if nullable else utcnow)
