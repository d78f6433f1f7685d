"""``signpost reindex`` and ``signpost search-index status`` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.search.demo import SEARCHABLE


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "signpost", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def test_reindex_then_status(demo_engine: Engine, tmp_path: Path) -> None:
    env = {"DATABASE_URL": str(demo_engine.url),
           "SEARCH_INDEX_PATH": str(tmp_path / "cli-index.db")}
    built = _run(["reindex"], env)
    assert built.returncode == 0, built.stderr
    assert f"indexed {len(SEARCHABLE)} listings on embedded" in built.stderr
    status = _run(["search-index", "status"], env)
    assert status.returncode == 0, status.stderr
    assert f"{len(SEARCHABLE)} listings" in status.stdout


def test_reindex_reports_an_unreachable_elasticsearch(demo_engine: Engine) -> None:
    from tests.harness.process import free_port

    env = {"DATABASE_URL": str(demo_engine.url), "SEARCH_BACKEND": "elasticsearch",
           "ELASTICSEARCH_URL": f"http://127.0.0.1:{free_port()}"}
    failed = _run(["reindex"], env)
    assert failed.returncode == 1
    assert "cannot rebuild the search index" in failed.stderr
    assert "Traceback" not in failed.stderr
