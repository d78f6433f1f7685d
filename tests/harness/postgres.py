"""A throwaway PostgreSQL cluster from Debian's packages, on loopback, for one test session.

Tests get a fresh database each, cloned from a template that has already been migrated, so
isolation costs one ``CREATE DATABASE ... TEMPLATE`` rather than a migration run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.harness.process import (
    ServiceError,
    as_user,
    ensure_service_user,
    free_port,
    give_to,
    running_as_root,
    wait_until,
)

SUPERUSER = "signpost"


def find_bin_dir() -> Path:
    """The newest installed server's bin folder (``postgresql`` from Debian's packages)."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not versions:
        raise ServiceError(
            "PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "run scripts/install-system-deps.sh (apt-get install postgresql)."
        )
    return versions[-1].parent


@dataclass
class PostgresCluster:
    host: str
    port: int
    workdir: Path
    bin_dir: Path
    user: str | None
    env: dict[str, str]
    startup_s: float = 0.0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def _dsn(self, database: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={SUPERUSER} dbname={database}"

    def execute(self, sql: str) -> None:
        with psycopg.connect(self._dsn(), autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self, template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run(
            as_user(self.user, [str(self.bin_dir / "pg_ctl"), "-D", str(self.workdir / "data"),
                                "-m", "fast", "-w", "stop"], self.env),
            capture_output=True,
        )
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_cluster(startup_timeout_s: float = 60) -> PostgresCluster:
    started = time.monotonic()
    bin_dir = find_bin_dir()
    user = ensure_service_user("signpost-pg") if running_as_root() else None
    workdir = Path(tempfile.mkdtemp(prefix="signpost-pg-"))
    os.chmod(workdir, 0o755)
    give_to(user, workdir)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(workdir)}
    data = workdir / "data"
    init = subprocess.run(
        as_user(user, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                       "-E", "UTF8", "--no-sync"], env),
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        raise ServiceError(f"initdb failed:\n{init.stdout}\n{init.stderr}")
    port = free_port()
    log = workdir / "server.log"
    options = f"-h 127.0.0.1 -p {port} -k {workdir} -F -c max_connections=200"
    start = subprocess.run(
        as_user(user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                       "start"], env),
        capture_output=True,
        text=True,
    )
    cluster = PostgresCluster("127.0.0.1", port, workdir, bin_dir, user, env)
    if start.returncode != 0:
        cluster.stop()
        raise ServiceError(f"pg_ctl start failed:\n{start.stdout}\n{start.stderr}")

    def ready() -> bool:
        try:
            cluster.execute("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    try:
        wait_until(ready, startup_timeout_s, "PostgreSQL", log)
    except BaseException:
        cluster.stop()
        raise
    cluster.startup_s = time.monotonic() - started
    return cluster
