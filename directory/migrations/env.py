"""Alembic environment: the directory's metadata, batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import directory.models  # noqa: F401  (registers the tables on the metadata)
from directory.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


# Tables that other libraries own and create themselves (APScheduler's job store).
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name in FOREIGN_TABLES)


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by directory.migrations.alembic_config"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
