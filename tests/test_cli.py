"""The ``signpost`` command as an operator runs it: real processes, real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.harness.process import free_port

SIGNPOST = [sys.executable, "-m", "signpost"]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SIGNPOST, *args], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120)


def test_help_lists_commands() -> None:
    result = _run(["--help"], {})
    assert result.returncode == 0
    for command in ("serve", "db"):
        assert command in result.stdout


def test_db_upgrade_then_serve_answers_health(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert _run(["db", "upgrade"], env).returncode == 0
    port = free_port()
    server = subprocess.Popen([*SIGNPOST, "serve", "--port", str(port)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "serve did not answer within 30 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_db_upgrade_reports_unreachable_database_without_traceback() -> None:
    env = {"DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x"}
    result = _run(["db", "upgrade"], env)
    assert result.returncode == 1
    assert "cannot migrate the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_unmigrated_database_is_one_clear_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
           "SIGNPOST_SOURCES": str(Path(__file__).resolve().parents[1] / "demo" / "sources.yaml")}
    result = _run(["sources", "status"], env)
    assert result.returncode == 1
    assert "database error: no such table" in result.stderr
    assert "Traceback" not in result.stderr
