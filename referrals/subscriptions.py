"""API clients manage their webhook subscriptions and read their delivery log."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from directory.accounts import CredentialKind, Principal, Scope, as_utc
from directory.db import session_scope
from referrals.access import require
from referrals.contracts import AttemptOut, DeliveryOut, SubscriptionOut
from referrals.errors import Forbidden, NotFound
from referrals.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from referrals.webhooks import new_secret


def _client_only(principal: Principal) -> None:
    require(principal, Scope.READ)
    if principal.credential_kind is not CredentialKind.API_KEY:
        raise Forbidden("Webhooks belong to API clients: use an API key.", code="api_key_required")


def _out(subscription: WebhookSubscription, secret: str | None = None) -> SubscriptionOut:
    return SubscriptionOut(id=subscription.id, url=subscription.url, active=subscription.active,
                           created_at=as_utc(subscription.created_at), secret=secret)


def _own(session: Session, principal: Principal, subscription_id: str) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.account_id != principal.account_id:
        raise NotFound("You have no webhook subscription with that id.")
    return subscription


def subscribe(engine: Engine, principal: Principal, url: str) -> SubscriptionOut:
    """A new subscription; its signing secret is in the answer and never shown again."""
    _client_only(principal)
    secret = new_secret()
    with session_scope(engine) as session:
        subscription = WebhookSubscription(account_id=principal.account_id, url=url, secret=secret)
        session.add(subscription)
        session.flush()
        return _out(subscription, secret)


def list_subscriptions(engine: Engine, principal: Principal) -> list[SubscriptionOut]:
    _client_only(principal)
    with session_scope(engine) as session:
        rows = session.exec(
            select(WebhookSubscription)
            .where(WebhookSubscription.account_id == principal.account_id)
            .order_by(col(WebhookSubscription.created_at))
        ).all()
        return [_out(s) for s in rows]


def unsubscribe(engine: Engine, principal: Principal, subscription_id: str) -> None:
    """Stop deliveries; the subscription and its log are kept (inactive)."""
    _client_only(principal)
    with session_scope(engine) as session:
        subscription = _own(session, principal, subscription_id)
        subscription.active = False
        session.add(subscription)


def deliveries(
    engine: Engine, principal: Principal, subscription_id: str, limit: int = 100
) -> list[DeliveryOut]:
    """The newest deliveries of a subscription with every attempt made."""
    _client_only(principal)
    with session_scope(engine) as session:
        _own(session, principal, subscription_id)
        rows = session.exec(
            select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id))
            .limit(limit)
        ).all()
        attempts = session.exec(
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_id).in_([d.id for d in rows]))
            .order_by(col(WebhookAttempt.at), col(WebhookAttempt.id))
        ).all()
        log: dict[str, list[AttemptOut]] = {}
        for attempt in attempts:
            log.setdefault(attempt.delivery_id, []).append(AttemptOut(
                at=as_utc(attempt.at), http_status=attempt.http_status, error=attempt.error,
                duration_ms=attempt.duration_ms,
            ))
        return [
            DeliveryOut(
                id=d.id, event_id=d.event_id, event_type=d.event_type, referral_id=d.referral_id,
                status=d.status, attempts=d.attempts, next_attempt_at=as_utc(d.next_attempt_at),
                delivered_at=as_utc(d.delivered_at) if d.delivered_at else None,
                last_error=d.last_error, log=log.get(d.id, []),
            )
            for d in rows
        ]
