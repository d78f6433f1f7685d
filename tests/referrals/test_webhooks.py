"""Webhooks against a real HTTP receiver on 127.0.0.1 that fails, then recovers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from directory.base import utcnow
from directory.db import make_engine
from referrals import subscriptions
from referrals.delivery import backoff, deliver_due
from referrals.lifecycle import TaskStatus
from referrals.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from referrals.settings import ReferralSettings
from referrals.webhooks import EVENT_HEADER, SIGNATURE_HEADER, verify
from tests.harness.process import free_port
from tests.referrals.conftest import World, make_referral, move

SETTINGS = ReferralSettings(webhook_backoff_s=10, webhook_max_attempts=4, webhook_timeout_s=2)


class Receiver:
    """An HTTP endpoint that answers 503 to the first ``failures`` requests, then 204."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.port = free_port()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                failing = len(receiver.received) <= receiver.failures
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/signpost"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(failures=2) as running:
        yield running


def test_delivery_survives_a_receiver_that_fails_then_recovers(
    world: World, receiver: Receiver
) -> None:
    subscription = subscriptions.subscribe(world.engine, world["gp"].principal, receiver.url)
    assert subscription.secret
    referral = make_referral(world, by="gp")
    move(world, referral, "provider", TaskStatus.RECEIVED)
    now = utcnow()

    first = deliver_due(world.engine, SETTINGS, now=now)
    assert (first.delivered, first.retrying) == (0, 2)      # both events got a 503
    assert deliver_due(world.engine, SETTINGS, now=now).retrying == 0   # not due yet
    second = deliver_due(world.engine, SETTINGS, now=now + timedelta(seconds=10))
    assert (second.delivered, second.retrying) == (2, 0)

    assert len(receiver.received) == 4
    events = {e["type"]: e for e in (json.loads(body) for _, body in receiver.received[2:])}
    assert set(events) == {"referral.created", "referral.status-changed"}
    assert events["referral.status-changed"]["referral"] == {
        "id": referral.id, "status": "received", "business_status": None, "version": 2}
    for headers, body in receiver.received:
        assert verify(subscription.secret, headers[SIGNATURE_HEADER], body, int(time.time()))
        assert not verify("whsec_wrong", headers[SIGNATURE_HEADER], body, int(time.time()))
    first_tries = {headers[EVENT_HEADER] for headers, _ in receiver.received[:2]}
    assert first_tries == {headers[EVENT_HEADER] for headers, _ in receiver.received[2:]}

    log = subscriptions.deliveries(world.engine, world["gp"].principal, subscription.id)
    assert {d.status for d in log} == {"delivered"}
    assert [[a.http_status for a in d.log] for d in log] == [[503, 204], [503, 204]]


def test_outbox_survives_a_restart(database_url: str, world: World) -> None:
    """Events queued while the receiver is down are delivered by a later, fresh worker."""
    with Receiver(failures=0) as down:
        url = down.url
    subscription = subscriptions.subscribe(world.engine, world["provider_client"].principal, url)
    make_referral(world)
    now = utcnow()
    assert deliver_due(world.engine, SETTINGS, now=now).retrying == 1   # connection refused
    world.engine.dispose()

    restarted = make_engine(database_url)
    with Session(restarted) as session:
        delivery = session.exec(select(WebhookDelivery)).one()
        assert delivery.last_error and "ConnectError" in delivery.last_error
    with Receiver(failures=0) as back:
        with Session(restarted) as session:
            row = session.get(WebhookSubscription, subscription.id)
            assert row is not None
            row.url = back.url
            session.add(row)
            session.commit()
        report = deliver_due(restarted, SETTINGS, now=now + timedelta(seconds=10))
        assert report.delivered == 1
        assert len(back.received) == 1
    restarted.dispose()


def test_gives_up_after_max_attempts_and_logs_each(world: World) -> None:
    with Receiver(failures=100) as failing:
        subscriptions.subscribe(world.engine, world["steward_client"].principal, failing.url)
        make_referral(world)
        now = utcnow()
        for attempt in range(SETTINGS.webhook_max_attempts):
            deliver_due(world.engine, SETTINGS, now=now)
            now += backoff(attempt + 1, SETTINGS)
        assert deliver_due(world.engine, SETTINGS, now=now + timedelta(days=1)).dead == 0
    with Session(world.engine) as session:
        delivery = session.exec(select(WebhookDelivery)).one()
        attempts = session.exec(select(WebhookAttempt)).all()
    assert delivery.status == "dead"
    assert len(attempts) == SETTINGS.webhook_max_attempts
    assert {a.http_status for a in attempts} == {503}


def test_backoff_doubles_and_is_capped() -> None:
    settings = ReferralSettings(webhook_backoff_s=30, webhook_backoff_max_s=300)
    assert [backoff(n, settings).total_seconds() for n in range(1, 7)] == [
        30, 60, 120, 240, 300, 300]


def test_subscribers_hear_only_of_referrals_they_may_see(world: World) -> None:
    for name in ["gp", "other_gp", "provider_client", "steward_client"]:
        subscriptions.subscribe(world.engine, world[name].principal, "http://127.0.0.1:9/x")
    make_referral(world, by="gp")
    with Session(world.engine) as session:
        deliveries = session.exec(select(WebhookDelivery)).all()
    owners = {subscriptions.list_subscriptions(world.engine, world[n].principal)[0].id: n
              for n in ["gp", "other_gp", "provider_client", "steward_client"]}
    assert sorted(owners[d.subscription_id] for d in deliveries) == [
        "gp", "provider_client", "steward_client"]


def test_subscription_api(client: TestClient, world: World) -> None:
    headers = world["gp"].headers
    created = client.post("/webhook-subscriptions", json={"url": "https://gp.example/hook"},
                          headers=headers)
    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/webhook-subscriptions", headers=headers).json()
    assert [s["secret"] for s in listed] == [None]
    other = client.delete(f"/webhook-subscriptions/{listed[0]['id']}",
                          headers=world["other_gp"].headers)
    assert other.status_code == 404
    gone = client.delete(f"/webhook-subscriptions/{listed[0]['id']}", headers=headers)
    assert gone.status_code == 204
    assert client.get("/webhook-subscriptions", headers=headers).json()[0]["active"] is False
    bad = client.post("/webhook-subscriptions", json={"url": "not a url"}, headers=headers)
    assert bad.status_code == 422
