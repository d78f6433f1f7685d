"""The webhook worker: send due deliveries from the outbox, retry with exponential backoff.

Nothing is held in memory between runs: a delivery is a row, claimed by moving its
``next_attempt_at`` forward by a lease with a conditional UPDATE (so two workers never send
the same attempt, and a worker that dies mid-send leaves the row to be retried when the
lease runs out). Delivery is at least once; receivers dedupe on ``Signpost-Event-Id``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine, update
from sqlmodel import col, select

from directory.base import utcnow
from directory.db import session_scope
from referrals.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from referrals.settings import ReferralSettings
from referrals.webhooks import EVENT_HEADER, SIGNATURE_HEADER, sign


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


def backoff(attempts: int, settings: ReferralSettings) -> timedelta:
    """Delay before the next try after ``attempts`` failures: base x 2^(n-1), capped."""
    seconds = settings.webhook_backoff_s * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.webhook_backoff_max_s))


def _claim(engine: Engine, delivery: WebhookDelivery, now: datetime, lease: timedelta) -> bool:
    with session_scope(engine) as session:
        result = session.execute(
            update(WebhookDelivery)
            .where(col(WebhookDelivery.id) == delivery.id,
                   col(WebhookDelivery.next_attempt_at) == delivery.next_attempt_at,
                   col(WebhookDelivery.status) == "pending")
            .values(next_attempt_at=now + lease)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


def _send(
    client: httpx.Client, subscription: WebhookSubscription, delivery: WebhookDelivery
) -> tuple[int | None, str | None]:
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(subscription.secret, int(time.time()), body),
        EVENT_HEADER: delivery.event_id,
    }
    try:
        response = client.post(subscription.url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _record(
    engine: Engine,
    delivery_id: str,
    outcome: tuple[int | None, str | None],
    duration_ms: int,
    now: datetime,
    settings: ReferralSettings,
) -> str:
    http_status, error = outcome
    with session_scope(engine) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        delivery.attempts += 1
        session.add(WebhookAttempt(delivery_id=delivery_id, at=now, http_status=http_status,
                                   error=error, duration_ms=duration_ms))
        if error is None:
            delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
        elif delivery.attempts >= settings.webhook_max_attempts:
            delivery.status, delivery.last_error = "dead", error
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts, settings)
            delivery.last_error = error
        session.add(delivery)
        return delivery.status


def deliver_due(
    engine: Engine,
    settings: ReferralSettings,
    now: datetime | None = None,
    limit: int = 100,
    client: httpx.Client | None = None,
) -> DeliveryReport:
    """Try every delivery due at ``now`` (default: the current time) once."""
    now = now or utcnow()
    report = DeliveryReport()
    with session_scope(engine) as session:
        due = session.exec(
            select(WebhookDelivery, WebhookSubscription)
            .join(WebhookSubscription,
                  col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id))
            .where(col(WebhookDelivery.status) == "pending",
                   col(WebhookDelivery.next_attempt_at) <= now,
                   col(WebhookSubscription.active))
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.created_at),
                      col(WebhookDelivery.id))
            .limit(limit)
        ).all()
        session.expunge_all()
    lease = timedelta(seconds=settings.webhook_lease_s)
    own_client = client is None
    http = client or httpx.Client(timeout=settings.webhook_timeout_s, follow_redirects=False)
    try:
        for delivery, subscription in due:
            if not _claim(engine, delivery, now, lease):
                continue
            started = time.monotonic()
            outcome = _send(http, subscription, delivery)
            elapsed = int((time.monotonic() - started) * 1000)
            status = _record(engine, delivery.id, outcome, elapsed, now, settings)
            if status == "delivered":
                report.delivered += 1
            elif status == "dead":
                report.dead += 1
            else:
                report.retrying += 1
    finally:
        if own_client:
            http.close()
    return report
