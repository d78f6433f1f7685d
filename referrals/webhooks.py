"""Webhook subscriptions, the outbox, and signatures.

A change to a referral writes one ``webhook_delivery`` row per subscriber that may see the
referral, in the same transaction as the change: if the change commits, the notification
will be sent (by :mod:`referrals.delivery`), and if it rolls back, nothing is announced.
Payloads carry no personal data: the subscriber reads the referral with its own credential.

Signature: header ``Signpost-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
HMAC-SHA256 of ``"<t>.<body>"`` under the subscription's secret. Receivers should reject a
``t`` more than a few minutes old (replay) and compare in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from directory.accounts import Account, Principal, as_utc
from directory.base import new_id, utcnow
from directory.schema import Service
from referrals.access import visible_to
from referrals.models import Referral, WebhookDelivery, WebhookSubscription

SIGNATURE_HEADER = "Signpost-Signature"
EVENT_HEADER = "Signpost-Event-Id"


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance_s: int = 300) -> bool:
    """What a receiver does: check the signature and that it is recent."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def _may_see(session: Session, account: Account, referral_id: str) -> bool:
    found = session.exec(
        select(Referral.id)
        .join(Service, col(Service.id) == col(Referral.service_id))
        .where(Referral.id == referral_id, visible_to(Principal.of(account)))
    ).first()
    return found is not None


def enqueue(
    session: Session,
    referral: Referral,
    event_type: str,
    at: datetime,
    audience: frozenset[str] | None = None,
) -> int:
    """Queue ``event_type`` about ``referral`` for every subscriber allowed to see it.

    ``audience`` narrows it to some roles (a reminder goes to providers only). Returns how
    many deliveries were queued.
    """
    event_id = new_id()
    payload = json.dumps({
        "id": event_id,
        "type": event_type,
        "occurred_at": as_utc(at).isoformat(),
        "referral": {
            "id": referral.id,
            "status": referral.status,
            "business_status": referral.business_status,
            "version": referral.version,
        },
    })
    rows = session.exec(
        select(WebhookSubscription, Account)
        .join(Account, col(Account.id) == col(WebhookSubscription.account_id))
        .where(col(WebhookSubscription.active), col(Account.active))
    ).all()
    queued = 0
    for subscription, account in rows:
        if audience is not None and account.role not in audience:
            continue
        if not _may_see(session, account, referral.id):
            continue
        session.add(WebhookDelivery(
            subscription_id=subscription.id, event_id=event_id, event_type=event_type,
            referral_id=referral.id, payload=payload, next_attempt_at=utcnow(),
        ))
        queued += 1
    return queued
