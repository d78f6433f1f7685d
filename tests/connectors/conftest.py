"""Fixtures for connector tests: the shared real feeds, a live feed server, fast policies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.http import Fetcher
from connectors.sources import HttpPolicy, SourceConfig
from directory.postcodes import PostcodeLookup, default_lookup
from tests.connectors.feed_server import FeedServer

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
BRISTOL = CORPORA / "oruk" / "oruk_bristol_services_2024-12.json"
NORTH_LINCS = CORPORA / "oruk" / "oruk_north_lincolnshire_services_2024-12.json"

# Real sockets, no waiting: retries back off by 0 s and nothing is rate limited.
FAST = HttpPolicy(timeout_s=0.5, max_retries=2, backoff_s=0, rate_limit_per_s=None, page_size=100)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    feed = FeedServer().start()
    yield feed
    feed.stop()


@pytest.fixture(scope="session")
def geocoder() -> PostcodeLookup:
    """The real ONSPD lookup, over the user's cache (built once, then milliseconds)."""
    return default_lookup()


def source(format: str, policy: HttpPolicy = FAST, **fields: object) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "test",
            "name": "Test feed",
            "format": format,
            "trust_rank": 50,
            "licence": "test only",
            "http": policy,
            **fields,
        }
    )


def fetcher_for(config: SourceConfig, sleeps: list[float] | None = None) -> Fetcher:
    """A fetcher that records the waits it would make instead of sleeping."""
    record = sleeps if sleeps is not None else []
    return Fetcher(config.id, config.http, sleep=record.append)
