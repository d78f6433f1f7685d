"""The nothing-lost rules end to end: the real ORUK connector fetching from a local feed
server that misbehaves, synced into SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from aggregator.connector_reader import source_info
from aggregator.runner import reader_for
from aggregator.sync import SyncPolicy, release_run, sync_source
from connectors.sources import HttpPolicy, SourceConfig
from demo.generate import Generator, to_oruk
from directory.federation import RecordRejection, SourceRecord
from directory.schema import Service
from tests.connectors.feed_server import FeedServer, Reply, oruk_envelope, paged

FAST = HttpPolicy(timeout_s=0.5, max_retries=1, backoff_s=0, rate_limit_per_s=None,
                  page_size=20)
_generator = Generator(seed=5)
SERVICES = [to_oruk(_generator.service(n)) for n in range(60)]
POLICY = SyncPolicy(hold_below_ratio=0.5, withdraw_after_missing_runs=3)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    feed = FeedServer().start()
    feed.routes["/api/services"] = paged(SERVICES, oruk_envelope)
    yield feed
    feed.stop()


def _config(server: FeedServer) -> SourceConfig:
    return SourceConfig.model_validate({
        "id": "borough", "name": "Borough directory", "format": "oruk", "trust_rank": 50,
        "licence": "test", "url": f"{server.url}/api", "http": FAST})


def _sync(engine: Engine, server: FeedServer):  # type: ignore[no-untyped-def]
    config = _config(server)
    return sync_source(engine, source_info(config), reader_for(config), policy=POLICY)


def _snapshot(engine: Engine) -> list[tuple[str, str, Any]]:
    with Session(engine) as session:
        return sorted(session.exec(select(Service.id, Service.name, Service.withdrawn_at)).all())


def _page(number: int, items: list[dict[str, Any]] = SERVICES) -> Reply:
    size = FAST.page_size
    chunk = items[(number - 1) * size: number * size]
    return Reply.json(oruk_envelope(chunk, number, -(-len(items) // size), len(items)))


def test_healthy_feed_syncs(engine: Engine, server: FeedServer) -> None:
    run = _sync(engine, server)
    assert (run.status, run.fetched_count, run.rejected_count) == ("succeeded", 60, 0)
    assert len(_snapshot(engine)) <= 60  # the generator may repeat a service


def _truncated() -> Reply:
    reply = _page(2)
    reply.truncate = True
    return reply


FAULTS = {
    "server error": [_page(1), Reply(500, b"oops"), Reply(500, b"oops")],
    "timeout": [_page(1), Reply.json({}, delay_s=1.0), Reply.json({}, delay_s=1.0)],
    "malformed json": [_page(1), Reply(200, b'{"content": [{"id": "x",')],
    "garbage page": [_page(1), Reply.json({"error": "maintenance"})],
    "truncated page": [_page(1), _truncated(), _truncated()],
    "repeated page": [_page(1), _page(1)],
    "empty page": [_page(1), Reply.json(oruk_envelope([], 2, 3, 60))],
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_misbehaving_feed_changes_nothing(engine: Engine, server: FeedServer,
                                            fault: str) -> None:
    _sync(engine, server)
    before = _snapshot(engine)
    server.script("/api/services", *FAULTS[fault])
    run = _sync(engine, server)
    assert run.status == "failed"
    assert "FetchError: source 'borough'" in (run.error or "")
    assert _snapshot(engine) == before


def test_far_fewer_records_is_held_then_released(engine: Engine, server: FeedServer) -> None:
    _sync(engine, server)
    before = _snapshot(engine)
    server.routes["/api/services"] = paged(SERVICES[:20], oruk_envelope)
    held = _sync(engine, server)
    assert held.status == "held"
    assert "held for review" in (held.error or "")
    assert _snapshot(engine) == before
    config = _config(server)
    released = release_run(engine, held.id, "steward", source_info(config), reader_for(config),
                           policy=POLICY)
    assert (released.status, released.missing_count) == ("succeeded", 40)


def test_missing_records_withdrawn_after_three_successful_runs(engine: Engine,
                                                              server: FeedServer) -> None:
    _sync(engine, server)
    server.routes["/api/services"] = paged(SERVICES[:55], oruk_envelope)
    gone = {s["id"] for s in SERVICES[55:]}
    for run_number in (1, 2, 3):
        run = _sync(engine, server)
        assert run.status == "succeeded"
        with Session(engine) as session:
            states = set(session.exec(select(SourceRecord.state).where(
                SourceRecord.source_record_id.in_(gone))).scalars())
        assert states == ({"withdrawn"} if run_number == 3 else {"absent"})


def test_a_record_that_stops_mapping_keeps_its_last_good_data(engine: Engine,
                                                             server: FeedServer) -> None:
    _sync(engine, server)
    before = _snapshot(engine)
    broken = [{**SERVICES[0], "name": "  "}, *SERVICES[1:]]
    server.routes["/api/services"] = paged(broken, oruk_envelope)
    run = _sync(engine, server)
    assert (run.status, run.rejected_count) == ("succeeded", 1)
    assert _snapshot(engine) == before
    with Session(engine) as session:
        rejection = session.exec(select(RecordRejection)).scalar_one()
    assert (rejection.source_record_id, rejection.field) == (SERVICES[0]["id"], "name")


def test_not_modified_pages_are_reused_across_runs(engine: Engine, server: FeedServer) -> None:
    pages = paged(SERVICES, oruk_envelope)

    def with_etag(query: dict[str, str]) -> Reply:
        reply = pages(query)
        reply.headers["ETag"] = f'"page-{query.get("page", "1")}"'
        return reply

    server.routes["/api/services"] = with_etag
    config = _config(server)
    first = sync_source(engine, source_info(config), reader_for(config, engine), policy=POLICY)
    assert first.status == "succeeded"
    server.script("/api/services", Reply(304), Reply(304), Reply(304))
    second = sync_source(engine, source_info(config), reader_for(config, engine), policy=POLICY)
    assert (second.status, second.unchanged_count) == ("succeeded", 60)
    conditional = [headers.get("If-None-Match") for path, _, headers in server.requests[-3:]]
    assert conditional == ['"page-1"', '"page-2"', '"page-3"']
