"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import directory.models  # noqa: F401
from directory.migrations import alembic_config, current_heads

ORUK_TABLES = {
    "organization", "service", "location", "service_at_location", "physical_address", "contact",
    "phone", "schedule", "holiday_schedule", "eligibility", "cost_option", "language",
    "service_area", "taxonomy", "link_taxonomy", "accessibility",
}
FEDERATION_TABLES = {
    "source", "sync_run", "raw_record", "source_record", "record_rejection",
    "field_provenance", "match_decision",
}


def test_migrated_database_has_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert tables >= ORUK_TABLES | FEDERATION_TABLES


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_database_is_at_the_single_head(database_url: str) -> None:
    heads = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
    assert len(heads) == 1, f"migrations have branched: {heads}"
    assert current_heads(database_url) == set(heads)
