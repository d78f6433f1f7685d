"""Every role x endpoint, as a table. The referral in each case is made by the GP system
(practice A81001) to a listing of the befriending organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from referrals.contracts import ReferralOut
from tests.referrals.conftest import ACCOUNTS, NHS_NUMBER, World, make_referral, referral_body
from tests.referrals.test_fhir import fhir_service_request

CALLERS = list(ACCOUNTS)
SEES = {"gp", "gp_read_only", "provider", "provider_client", "steward", "steward_client"}
REFERRERS = {"link_worker", "colleague", "other_link_worker", "gp", "other_gp"}
API_CLIENTS = {"provider_client", "gp", "other_gp", "gp_read_only", "steward_client"}
WRITE = {name for name in CALLERS if name != "gp_read_only"}

Call = Callable[[TestClient, World, ReferralOut, dict[str, str]], Response]


def _status(status: str) -> Call:
    def call(client: TestClient, world: World, referral: ReferralOut,
             headers: dict[str, str]) -> Response:
        return client.post(f"/referrals/{referral.id}/status",
                           json={"status": status, "reason": "testing"},
                           headers={**headers, "If-Match": 'W/"1"'})
    return call


ENDPOINTS: dict[str, Call] = {
    "create": lambda c, w, r, h: c.post("/referrals", json=referral_body(w), headers=h),
    "read": lambda c, w, r, h: c.get(f"/referrals/{r.id}", headers=h),
    "list": lambda c, w, r, h: c.get("/referrals", headers=h),
    "receive": _status("received"),
    "cancel": _status("cancelled"),
    "fail": _status("failed"),
    "note": lambda c, w, r, h: c.post(f"/referrals/{r.id}/notes", json={"text": "hi"},
                                      headers={**h, "If-Match": 'W/"1"'}),
    "subject-access": lambda c, w, r, h: c.post("/referrals/subject-access",
                                                json={"nhs_number": NHS_NUMBER}, headers=h),
    "subscribe": lambda c, w, r, h: c.post("/webhook-subscriptions",
                                           json={"url": "http://127.0.0.1:9/hook"}, headers=h),
    "fhir-service-request": lambda c, w, r, h: c.get(f"/fhir/ServiceRequest/{r.id}", headers=h),
    "fhir-task": lambda c, w, r, h: c.get(f"/fhir/Task/{r.id}", headers=h),
    "fhir-search": lambda c, w, r, h: c.get("/fhir/Task", headers=h),
    "fhir-create": lambda c, w, r, h: c.post(
        "/fhir/ServiceRequest", content=fhir_service_request(w),
        headers={**h, "Content-Type": "application/fhir+json"}),
}


def _visible(ok: int) -> Callable[[str], int]:
    """Visible callers get ``ok``; read-only keys 403 on writes; the rest cannot see it."""
    def expect(name: str) -> int:
        if name in SEES:
            return ok
        return 404
    return expect


def _write_on_visible(allowed: set[str], ok: int) -> Callable[[str], int]:
    def expect(name: str) -> int:
        if name not in WRITE:
            return 403
        if name not in SEES:
            return 404
        return ok if name in allowed else 409
    return expect


EXPECTED: dict[str, Callable[[str], int]] = {
    "create": lambda n: 201 if n in REFERRERS else 403,
    "read": _visible(200),
    "list": lambda n: 200,
    "receive": _write_on_visible({"provider", "provider_client"}, 200),
    "cancel": _write_on_visible({"gp", "steward", "steward_client"}, 200),
    "fail": _write_on_visible({"provider", "provider_client", "steward", "steward_client"}, 200),
    "note": _write_on_visible(SEES, 201),
    "subject-access": lambda n: 200 if n in {"steward", "steward_client"} else 403,
    "subscribe": lambda n: 201 if n in API_CLIENTS else 403,
    "fhir-service-request": _visible(200),
    "fhir-task": _visible(200),
    "fhir-search": lambda n: 200,
    "fhir-create": lambda n: 201 if n in REFERRERS else 403,
}
CASES = [(endpoint, caller, EXPECTED[endpoint](caller))
         for endpoint in ENDPOINTS for caller in CALLERS]


@pytest.mark.parametrize(("endpoint", "caller", "expected"), CASES,
                         ids=[f"{e}-{c}-{x}" for e, c, x in CASES])
def test_role_by_endpoint(shared_client: TestClient, shared_world: World, endpoint: str,
                          caller: str, expected: int) -> None:
    referral = make_referral(shared_world, by="gp")
    response = ENDPOINTS[endpoint](shared_client, shared_world, referral,
                                   shared_world[caller].headers)
    assert response.status_code == expected, response.text
    if expected >= 400:
        body: dict[str, Any] = response.json()
        code = (body["issue"][0]["details"]["coding"][0]["code"]
                if endpoint.startswith("fhir") else body["error"]["code"])
        assert code in {"referral_not_found", "role_not_allowed", "missing_scope",
                        "illegal_transition", "api_key_required"}


def test_what_each_role_sees_in_lists(shared_client: TestClient, shared_world: World) -> None:
    made = {name: make_referral(shared_world, by=name).id
            for name in ["link_worker", "colleague", "gp", "other_gp"]}
    to_walkers = make_referral(shared_world, by="other_link_worker",
                               service_id=shared_world.services["walking"]).id

    def seen(caller: str) -> set[str]:
        ids: set[str] = set()
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = shared_client.get("/referrals", params=params,
                                     headers=shared_world[caller].headers).json()
            ids |= {item["id"] for item in page["items"]}
            if not (cursor := page["next_cursor"]):
                return ids & {*made.values(), to_walkers}

    assert seen("link_worker") == seen("colleague") == {made["link_worker"], made["colleague"]}
    assert seen("gp") == seen("gp_read_only") == {made["gp"]}
    assert seen("other_gp") == {made["other_gp"]}
    assert seen("provider") == set(made.values())
    assert seen("other_provider") == seen("other_link_worker") == {to_walkers}
    assert seen("steward") == {*made.values(), to_walkers}
