"""The aggregator's commands as a steward runs them, on the demo borough feeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_SOURCES = ROOT / "demo" / "sources.yaml"


def _signpost(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SIGNPOST_SOURCES": str(DEMO_SOURCES),
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "signpost", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_sync_status_runs_duplicates_replay(database_url: str) -> None:
    first = _signpost("sync", database_url=database_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("succeeded") == 4
    assert "demo-01-oruk: succeeded" in first.stdout
    again = _signpost("sync", "demo-01-oruk", database_url=database_url)
    assert "new 0, changed 0, unchanged 53" in again.stdout.replace("\n", " ")

    status = _signpost("sources", "status", database_url=database_url)
    assert status.returncode == 0, status.stderr
    assert "published listings merged from 240 source records" in status.stdout

    runs = _signpost("runs", "list", database_url=database_url)
    assert runs.stdout.count("succeeded") == 5

    queue = _signpost("duplicates", "--all", database_url=database_url)
    assert queue.returncode == 0, queue.stderr
    assert "auto_merge" in queue.stdout

    replay = _signpost("replay", "demo-01-oruk", database_url=database_url)
    assert replay.returncode == 0, replay.stderr
    assert "demo-01-oruk: replayed" in replay.stdout

    check = _signpost("worker", "--check", database_url=database_url)
    assert check.returncode == 0, check.stderr
    assert "4 source(s), 7 job(s), database reachable" in check.stdout


def test_unknown_source_is_a_clear_error(database_url: str) -> None:
    result = _signpost("sync", "no-such-source", database_url=database_url)
    assert result.returncode == 1
    assert "no source 'no-such-source'" in result.stderr
    assert "Traceback" not in result.stderr
