"""The embedded backend's own SQLite file: documents, FTS5 text, an R-tree of venues.

The file is derived: ``rebuild`` writes a complete new file beside it and renames it over
the old one (atomic on POSIX), so searches never see a half-built index. Incremental writes
bump a generation number that readers compare to know when to refresh their snapshot.
The file uses a rollback journal, not WAL, so a rename never strands a WAL file.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from search.document import SearchDocument

TEXT_COLUMNS = ("name", "organization", "categories", "description")
VENUES_PER_DOC = 1000  # venue ids are doc rowid * this + position
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS doc (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                                body TEXT NOT NULL, venues INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS doc_text USING fts5(
    {", ".join(TEXT_COLUMNS)}, tokenize='porter unicode61 remove_diacritics 2', prefix='2 3');
CREATE VIRTUAL TABLE IF NOT EXISTS doc_terms USING fts5vocab(doc_text, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS venue USING rtree(id, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', '0');
"""


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


def _write(db: sqlite3.Connection, documents: Sequence[SearchDocument]) -> None:
    _remove(db, [doc.id for doc in documents])
    for doc in documents:
        cursor = db.execute(
            "INSERT INTO doc (id, body, venues) VALUES (?, ?, ?)",
            (doc.id, doc.model_dump_json(), len(doc.venues)),
        )
        rowid = cursor.lastrowid
        assert rowid is not None
        db.execute(
            "INSERT INTO doc_text (rowid, name, organization, categories, description) "
            "VALUES (?, ?, ?, ?, ?)",
            (rowid, doc.name, doc.organization or "", " ; ".join(doc.categories),
             doc.description),
        )
        db.executemany(
            "INSERT INTO venue VALUES (?, ?, ?, ?, ?)",
            [(rowid * VENUES_PER_DOC + i, v.latitude, v.latitude, v.longitude, v.longitude)
             for i, v in enumerate(doc.venues[:VENUES_PER_DOC])],
        )


def _remove(db: sqlite3.Connection, ids: Sequence[str]) -> None:
    for doc_id in ids:
        row = db.execute("SELECT rowid, venues FROM doc WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            continue
        rowid, venues = row
        db.execute("DELETE FROM doc WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM doc_text WHERE rowid = ?", (rowid,))
        db.executemany("DELETE FROM venue WHERE id = ?",
                       [(rowid * VENUES_PER_DOC + i,) for i in range(venues)])


def _bump(db: sqlite3.Connection) -> None:
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")


class EmbeddedStore:
    """Reads and writes the index file; one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def db(self) -> sqlite3.Connection:
        """This thread's connection, reopened when a rebuild replaced the file."""
        inode = self.path.stat().st_ino if self.path.exists() else None
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or inode is None or getattr(self._local, "inode", None) != inode:
            if db is not None:
                db.close()
            db = connect(self.path)
            self._local.db = db
            self._local.inode = self.path.stat().st_ino
        return db

    def identity(self) -> tuple[int, str]:
        """(file inode, generation): changes whenever the index content changes."""
        db = self.db()
        generation = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
        return self._local.inode, str(generation)

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        db = self.db()
        with _transaction(db):
            _write(db, documents)
            _bump(db)

    def delete(self, ids: Sequence[str]) -> None:
        db = self.db()
        with _transaction(db):
            _remove(db, ids)
            _bump(db)

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        staging = self.path.with_name(f"{self.path.name}.building-{os.getpid()}")
        staging.unlink(missing_ok=True)
        db = connect(staging)
        count = 0
        try:
            for batch in batches:
                with _transaction(db):
                    _write(db, batch)
                count += len(batch)
            with _transaction(db):
                db.execute("INSERT INTO doc_text (doc_text) VALUES ('optimize')")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('built_at', ?)",
                           (datetime.now(UTC).isoformat(),))
            db.close()
            os.replace(staging, self.path)
        except BaseException:
            db.close()
            staging.unlink(missing_ok=True)
            raise
        return count
