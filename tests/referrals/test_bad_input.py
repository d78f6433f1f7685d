"""Bad input: each case a 4xx with a machine-readable error, and not one row written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from directory.accounts import Account, CredentialKind, issue_credential, revoke_credential
from directory.db import session_scope
from referrals.contracts import MAX_TEXT
from referrals.models import (
    IdempotencyRecord,
    Referral,
    ReferralHistory,
    ReferralNote,
    WebhookDelivery,
)
from referrals.settings import ReferralSettings
from tests.referrals.conftest import World, count_rows, make_referral, referral_body

TABLES = (Referral, ReferralHistory, ReferralNote, IdempotencyRecord, WebhookDelivery)


@pytest.fixture(scope="module")
def dead_keys(shared_world: World) -> dict[str, str]:
    """An expired and a revoked API key of the GP system."""
    with session_scope(shared_world.engine) as session:
        account = session.get(Account, shared_world["gp"].principal.account_id)
        assert account is not None
        expired = issue_credential(session, account, CredentialKind.API_KEY,
                                   expires_in=timedelta(seconds=-1))[1]
        credential, revoked = issue_credential(session, account, CredentialKind.API_KEY)
        revoke_credential(session, credential.id)
    return {"expired": expired, "revoked": revoked}


def _person(**changes: Any) -> Callable[[World], dict[str, Any]]:
    def body(world: World) -> dict[str, Any]:
        base = referral_body(world)
        return {**base, "person": {**base["person"], **changes}}
    return body


def _without(field: str) -> Callable[[World], dict[str, Any]]:
    def body(world: World) -> dict[str, Any]:
        return {k: v for k, v in referral_body(world).items() if k != field}
    return body


# case: (body maker, extra headers / raw content, status, code, error location)
CASES: dict[str, tuple[Callable[[World], Any], dict[str, str], int, str, list[Any] | None]] = {
    "unknown listing": (lambda w: referral_body(w, service_id="no-such-listing"), {}, 422,
                        "unknown_listing", ["body", "service_id"]),
    "withdrawn listing": (lambda w: referral_body(w, service_id=w.services["closed"]), {}, 422,
                          "listing_unavailable", ["body", "service_id"]),
    "invalid NHS number": (_person(nhs_number="9434765918"), {}, 422, "invalid_request",
                           ["body", "person", "nhs_number"]),
    "NHS number too short": (_person(nhs_number="943476591"), {}, 422, "invalid_request",
                             ["body", "person", "nhs_number"]),
    "missing consent": (_without("consent"), {}, 422, "invalid_request", ["body", "consent"]),
    "consent refused": (lambda w: referral_body(w, consent={
        **referral_body(w)["consent"], "given": False}), {}, 422, "invalid_request",
        ["body", "consent", "given"]),
    "consent in the future": (lambda w: referral_body(w, consent={
        **referral_body(w)["consent"], "at": "2999-01-01T00:00:00Z"}), {}, 422,
        "invalid_request", ["body", "consent"]),
    "oversized text": (lambda w: referral_body(w, reason="x" * (MAX_TEXT + 1)), {}, 422,
                       "invalid_request", ["body", "reason"]),
    "unknown field": (lambda w: referral_body(w, favourite_colour="blue"), {}, 422,
                      "invalid_request", ["body", "favourite_colour"]),
    "contact details despite do-not-contact": (_person(do_not_contact=True), {}, 422,
                                               "invalid_request", ["body", "person"]),
    "someone else's ODS code": (lambda w: referral_body(w, referrer={"ods_code": "B82002"}),
                                {}, 422, "ods_code_mismatch", ["body", "referrer", "ods_code"]),
    "body too large": (lambda w: referral_body(w, notes="x" * 70_000), {}, 413,
                       "payload_too_large", None),
    "malformed JSON": (lambda w: b'{"service_id": ', {"Content-Type": "application/json"}, 400,
                       "malformed_json", None),
    "wrong content type": (lambda w: json.dumps(referral_body(w)).encode(),
                           {"Content-Type": "text/plain"}, 415, "unsupported_media_type", None),
    "no credential": (referral_body, {"X-API-Key": ""}, 401, "unauthenticated", None),
    "unknown key": (referral_body, {"X-API-Key": "spk_nothing.secret"}, 401,
                    "invalid_credential", None),
    "expired key": (referral_body, {"X-API-Key": "expired"}, 401, "credential_expired", None),
    "revoked key": (referral_body, {"X-API-Key": "revoked"}, 401, "credential_revoked", None),
    "read-only key": (referral_body, {"X-API-Key": "gp_read_only"}, 403, "missing_scope", None),
    "provider cannot refer": (referral_body, {"X-API-Key": "provider_client"}, 403,
                              "role_not_allowed", None),
}


def _post(client: TestClient, world: World, dead: dict[str, str], case: str) -> Response:
    make, headers, *_ = CASES[case]
    auth = dict(world["gp"].headers)
    if "X-API-Key" in headers:
        named = headers["X-API-Key"]
        auth = {"X-API-Key": dead.get(named) or (world[named].secret if named in
                                                  world.callers else named)}
    body = make(world)
    if isinstance(body, bytes):
        return client.post("/referrals", content=body, headers={**auth, **headers})
    return client.post("/referrals", json=body, headers=auth)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_create_is_refused_and_writes_nothing(
    shared_client: TestClient, shared_world: World, dead_keys: dict[str, str], case: str
) -> None:
    _, _, status, code, location = CASES[case]
    assert ReferralSettings().max_body_bytes < 70_000
    before = count_rows(shared_world.engine, *TABLES)
    response = _post(shared_client, shared_world, dead_keys, case)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    if location is not None:
        assert location in [d["location"] for d in error["details"]]
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count_rows(shared_world.engine, *TABLES) == before


UPDATES = {
    "another organisation's referral": ("other_provider", {"status": "received"}, 404,
                                        "referral_not_found"),
    "unknown status": ("provider", {"status": "finished"}, 422, "invalid_request"),
    "empty change": ("provider", {}, 422, "invalid_request"),
    "oversized reason": ("provider", {"status": "failed", "reason": "x" * (MAX_TEXT + 1)}, 422,
                         "invalid_request"),
}


@pytest.mark.parametrize("case", list(UPDATES))
def test_bad_update_is_refused_and_writes_nothing(
    shared_client: TestClient, shared_world: World, case: str
) -> None:
    caller, body, status, code = UPDATES[case]
    referral = make_referral(shared_world, by="gp")
    before = count_rows(shared_world.engine, *TABLES)
    response = shared_client.post(
        f"/referrals/{referral.id}/status", json=body,
        headers={**shared_world[caller].headers, "If-Match": 'W/"1"'},
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert count_rows(shared_world.engine, *TABLES) == before
    after = shared_client.get(f"/referrals/{referral.id}", headers=shared_world["gp"].headers)
    assert after.json()["version"] == 1
