"""Leases in the database, so that exactly one process does a thing at a time.

A lease has an expiry; the holder renews it while working, and a crashed holder's lease
lapses so another process can take over. Works the same on SQLite and PostgreSQL: taking a
lease is one conditional INSERT or UPDATE.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory.base import utcnow
from directory.federation import ProcessLock


class LockHeld(RuntimeError):
    """Another process holds the lease."""


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def try_acquire(engine: Engine, name: str, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder``; False if someone else holds it."""
    now = utcnow()
    with Session(engine) as session:
        taken = session.exec(
            update(ProcessLock)
            .where(ProcessLock.name == name)
            .where((ProcessLock.holder == holder) | (ProcessLock.expires_at < now))
            .values(holder=holder, expires_at=now + ttl)
        ).rowcount
        if not taken:
            try:
                session.exec(insert(ProcessLock).values(
                    name=name, holder=holder, expires_at=now + ttl))
            except IntegrityError:
                session.rollback()
                return False
        session.commit()
        return True


def release(engine: Engine, name: str, holder: str) -> None:
    with Session(engine) as session:
        session.exec(delete(ProcessLock).where(ProcessLock.name == name,
                                               ProcessLock.holder == holder))
        session.commit()


@contextmanager
def lease(engine: Engine, name: str, ttl: timedelta = timedelta(hours=1)) -> Iterator[str]:
    """Hold ``name`` for the block, or raise ``LockHeld`` at once."""
    holder = holder_id()
    if not try_acquire(engine, name, holder, ttl):
        raise LockHeld(f"{name} is held by another process")
    try:
        yield holder
    finally:
        release(engine, name, holder)
