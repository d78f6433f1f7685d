"""Conditional-request validators kept in the database, so 304s work across sync runs.

The connectors' fetcher asks a ``ValidatorCache`` for the ETag / Last-Modified of a page
and, on 304 Not Modified, for the body they validate. In memory that only helps within a
run; here it helps every run, in whichever process runs it.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, insert, select
from sqlmodel import Session

from connectors.http import CachedResponse
from directory.base import utcnow
from directory.federation import HttpValidator


def _url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


class DatabaseValidatorCache:
    def __init__(self, engine: Engine, source_id: str) -> None:
        self.engine = engine
        self.source_id = source_id

    def get(self, url: str) -> CachedResponse | None:
        with Session(self.engine) as session:
            row = session.exec(
                select(HttpValidator.etag, HttpValidator.last_modified, HttpValidator.body)
                .where(HttpValidator.source_id == self.source_id,
                       HttpValidator.url_hash == _url_hash(url))
            ).first()
        if row is None:
            return None
        etag, last_modified, body = row
        return CachedResponse(bytes(body), etag, last_modified)

    def put(self, url: str, response: CachedResponse) -> None:
        key = _url_hash(url)
        with Session(self.engine) as session:
            session.exec(delete(HttpValidator).where(HttpValidator.source_id == self.source_id,
                                                     HttpValidator.url_hash == key))
            session.exec(insert(HttpValidator).values(
                source_id=self.source_id, url_hash=key, url=url, etag=response.etag,
                last_modified=response.last_modified, body=response.body, stored_at=utcnow()))
            session.commit()
