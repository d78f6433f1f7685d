"""Logs are structured: one JSON object per line, with the fields a call passed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from signpost.logging import configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_carry_extra_fields(capsys: pytest.CaptureFixture[str],
                                      restore_logging: None) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("aggregator.sync").warning("sync failed", extra={"source": "demo"})
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "sync failed"
    assert record["level"] == "warning"
    assert record["source"] == "demo"
