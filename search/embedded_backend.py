"""The embedded backend: search on the local SQL database, for a single machine."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from search.backend import SearchUnavailable


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def check(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                if connection.dialect.name == "sqlite":
                    fts5 = connection.execute(
                        text("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
                    ).scalar()
                    if not fts5:
                        raise SearchUnavailable("this SQLite build has no FTS5")
        except SQLAlchemyError as error:
            message = f"the embedded index's database is unreachable: {error}"
            raise SearchUnavailable(message) from error
