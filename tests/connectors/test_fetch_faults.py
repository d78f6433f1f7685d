"""Fetching against a real server that misbehaves: every fault fails loudly or recovers."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.aliss import AlissConnector
from connectors.base import collect
from connectors.hsds3 import Hsds3Connector
from connectors.http import FetchError
from connectors.oruk import OrukConnector
from connectors.sources import HttpPolicy
from tests.connectors.conftest import FAST, fetcher_for, source
from tests.connectors.feed_server import FeedServer, Reply, hsds_envelope, oruk_envelope, paged

SERVICES = [{"id": f"s{i}", "name": f"Service {i}"} for i in range(250)]


def _page(number: int, items: list[dict[str, Any]] = SERVICES, size: int = 100) -> Reply:
    chunk = items[(number - 1) * size : number * size]
    return Reply.json(oruk_envelope(chunk, number, -(-len(items) // size), len(items)))


def _oruk(server: FeedServer, policy: HttpPolicy = FAST) -> tuple[OrukConnector, Any]:
    server.routes["/api/services"] = paged(SERVICES, oruk_envelope)
    config = source("oruk", policy, url=f"{server.url}/api")
    return OrukConnector(config), config


def _run(server: FeedServer, policy: HttpPolicy = FAST, sleeps: list[float] | None = None):
    connector, config = _oruk(server, policy)
    with fetcher_for(config, sleeps) as fetcher:
        return collect(connector, fetcher), fetcher


def test_a_healthy_feed(server: FeedServer) -> None:
    batch, fetcher = _run(server)
    assert len(batch.records) == 250
    assert fetcher.stats.requests == 3


def test_server_errors_are_retried_with_backoff(server: FeedServer) -> None:
    server.script("/api/services", Reply(500), Reply(503))
    sleeps: list[float] = []
    policy = FAST.model_copy(update={"backoff_s": 0.01})
    batch, fetcher = _run(server, policy, sleeps)
    assert len(batch.records) == 250
    assert sleeps == [0.01, 0.02]
    assert fetcher.stats.retries == 2


def test_persistent_server_errors_fail_the_fetch(server: FeedServer) -> None:
    server.script("/api/services", _page(1), Reply(500), Reply(500), Reply(500))
    with pytest.raises(FetchError, match=r"server error 500 \(gave up after 3 attempts\)"):
        _run(server)


def test_a_timeout_is_retried_then_fails(server: FeedServer) -> None:
    policy = FAST.model_copy(update={"timeout_s": 0.2, "max_retries": 1})
    slow = Reply(200, b"{}", delay_s=0.6)
    server.script("/api/services", slow, slow)
    with pytest.raises(FetchError, match=r"timed out after 0\.2s"):
        _run(server, policy)


def test_a_timeout_then_success_recovers(server: FeedServer) -> None:
    policy = FAST.model_copy(update={"timeout_s": 0.2})
    server.script("/api/services", Reply(200, b"{}", delay_s=0.6))
    batch, _ = _run(server, policy)
    assert len(batch.records) == 250


def test_malformed_json_fails_the_fetch(server: FeedServer) -> None:
    server.script("/api/services", _page(1), Reply(200, b'{"content": [{"id": "x",'))
    with pytest.raises(FetchError, match="not valid JSON"):
        _run(server)


def test_a_page_of_garbage_fails_the_fetch(server: FeedServer) -> None:
    server.script("/api/services", _page(1), Reply.json({"error": "oops"}))
    with pytest.raises(FetchError, match="unexpected page shape at content"):
        _run(server)


def test_429_honours_retry_after(server: FeedServer) -> None:
    server.script("/api/services", Reply(429, headers={"Retry-After": "7"}))
    sleeps: list[float] = []
    batch, _ = _run(server, FAST, sleeps)
    assert len(batch.records) == 250
    assert sleeps == [7.0]


def test_429_asking_too_long_a_wait_fails(server: FeedServer) -> None:
    server.script("/api/services", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="429 asks us to wait 3600s"):
        _run(server)


def test_a_truncated_page_fails_the_fetch(server: FeedServer) -> None:
    truncated = _page(2)
    truncated.truncate = True
    server.script("/api/services", _page(1), truncated, truncated, truncated)
    with pytest.raises(FetchError, match="transport error"):
        _run(server)


def test_a_repeated_page_fails_the_fetch(server: FeedServer) -> None:
    server.script("/api/services", _page(1), _page(1))
    with pytest.raises(FetchError, match="page 2 repeats page 1"):
        _run(server)


def test_an_empty_page_before_the_end_fails_the_fetch(server: FeedServer) -> None:
    empty = Reply.json(oruk_envelope([], 2, 3, 250))
    server.script("/api/services", _page(1), empty)
    with pytest.raises(FetchError, match="page 2 is empty but the feed says there are more"):
        _run(server)


def test_fewer_records_than_promised_fails_the_fetch(server: FeedServer) -> None:
    short = Reply.json(oruk_envelope(SERVICES[200:240], 3, 3, 250))
    server.script("/api/services", _page(1), _page(2), short)
    with pytest.raises(FetchError, match="promised 250 records but its pages held 240"):
        _run(server)


def test_an_empty_feed_is_not_an_error(server: FeedServer) -> None:
    server.script("/api/services", Reply.json(oruk_envelope([], 1, 0, 0)))
    batch, _ = _run(server)
    assert batch.records == [] and batch.rejections == []


def test_client_errors_are_not_retried(server: FeedServer) -> None:
    server.script("/api/services", Reply(403))
    with pytest.raises(FetchError, match="HTTP 403"):
        _run(server)
    assert server.count("/api/services") == 1


def test_rate_limit_spaces_requests(server: FeedServer) -> None:
    sleeps: list[float] = []
    _run(server, FAST.model_copy(update={"rate_limit_per_s": 5.0}), sleeps)
    assert len(sleeps) == 2 and all(0 < s <= 0.2 for s in sleeps)


def test_conditional_requests_reuse_the_body_on_304(server: FeedServer) -> None:
    body = hsds_envelope([{"id": "a", "name": "A"}], 1, 1, 1)

    def handler(query: dict[str, str]) -> Reply:
        return Reply.json(body, ETag='"v1"', **{"Last-Modified": "Mon, 03 Nov 2025 09:00:00 GMT"})

    server.routes["/hsds/services"] = handler
    config = source("hsds3", url=f"{server.url}/hsds")
    with fetcher_for(config) as fetcher:
        first = collect(Hsds3Connector(config), fetcher)
        server.script("/hsds/services", Reply(304))
        second = collect(Hsds3Connector(config), fetcher)
    headers = server.requests[-1][2]
    assert headers.get("If-None-Match") == '"v1"'
    assert headers.get("If-Modified-Since") == "Mon, 03 Nov 2025 09:00:00 GMT"
    assert fetcher.stats.not_modified == 1
    assert [r.name for r in first.records] == [r.name for r in second.records] == ["A"]


def test_auth_header_comes_from_the_environment(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_FEED_TOKEN", "s3cret")
    server.routes["/api/services"] = paged(SERVICES[:3], oruk_envelope)
    config = source(
        "oruk", url=f"{server.url}/api", auth={"env": "TEST_FEED_TOKEN", "prefix": "Bearer "}
    )
    from connectors.http import Fetcher

    with Fetcher(config.id, config.http, config.auth_headers()) as fetcher:
        collect(OrukConnector(config), fetcher)
    assert server.requests[0][2]["Authorization"] == "Bearer s3cret"


def test_linked_pages_that_loop_fail_the_fetch(server: FeedServer) -> None:
    def page(next_url: str | None, ids: list[str]) -> Reply:
        return Reply.json(
            {"count": 9, "next": next_url, "data": [{"id": i, "name": i} for i in ids]}
        )

    server.script("/aliss/services/", page(f"{server.url}/aliss/p2", ["a", "b"]))
    server.script("/aliss/p2", page(f"{server.url}/aliss/services/?page_size=100", ["c"]))
    config = source("aliss", url=f"{server.url}/aliss")
    with fetcher_for(config) as fetcher, pytest.raises(FetchError, match="loops back"):
        collect(AlissConnector(config), fetcher)
