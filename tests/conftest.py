"""Session-wide fixtures: the real Elasticsearch and PostgreSQL, and per-test databases.

Storage tests take the ``database_url`` fixture and run once on SQLite and once on
PostgreSQL. Search tests take ``elasticsearch_url``. Set ``TEST_ELASTICSEARCH_URL`` to use
an Elasticsearch you already run instead of starting one (tests use unique index names).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from directory.db import make_engine
from directory.migrations import upgrade
from tests.harness import elasticsearch, postgres
from tests.harness.services import BackgroundService

ELASTICSEARCH = BackgroundService(
    "Elasticsearch", elasticsearch.start_node, lambda node: node.stop()
)
POSTGRES = BackgroundService("PostgreSQL", postgres.start_cluster, lambda c: c.stop())
TEMPLATE_DB = "signpost_template"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start only the services that the selected tests need, in the background."""
    needs = {name for item in items for name in getattr(item, "fixturenames", ())}
    for item in items:
        params = getattr(item, "callspec", None)
        if params and params.params.get("database_url") == "postgres":
            item.add_marker(pytest.mark.postgres)
        if "elasticsearch_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.elasticsearch)
    if "elasticsearch_url" in needs and not os.environ.get("TEST_ELASTICSEARCH_URL"):
        ELASTICSEARCH.begin()
    if needs & {"database_url", "postgres_cluster"}:
        POSTGRES.begin()


def pytest_sessionfinish(session: pytest.Session) -> None:
    ELASTICSEARCH.shutdown()
    POSTGRES.shutdown()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    node = ELASTICSEARCH.started
    cluster = POSTGRES.started
    lines = []
    if node is not None:
        lines.append(
            f"Elasticsearch {elasticsearch.ES_VERSION} (JDK {node.java_home.name}) at {node.url},"
            f" ready in {node.startup_s:.1f} s"
        )
    if cluster is not None:
        lines.append(
            f"PostgreSQL {cluster.bin_dir.parent.name} on 127.0.0.1:{cluster.port},"
            f" ready in {cluster.startup_s:.1f} s"
        )
    if lines:
        terminalreporter.write_sep("-", "real services used by this run")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    return os.environ.get("TEST_ELASTICSEARCH_URL") or ELASTICSEARCH.get().url


@pytest.fixture(scope="session")
def postgres_cluster() -> postgres.PostgresCluster:
    return POSTGRES.get()


@pytest.fixture(scope="session")
def _postgres_template() -> str:
    """A migrated template database; each test clones it."""
    cluster = POSTGRES.get()
    cluster.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    upgrade(cluster.url(TEMPLATE_DB))
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database: SQLite file, then real PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "signpost.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_postgres_template")
    cluster: postgres.PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database(template=template)
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
