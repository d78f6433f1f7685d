"""The JSON referral API end to end: create, read, list, change status, notes, ETags,
idempotency, and the audit log."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from referrals.models import (
    Referral,
    ReferralAudit,
    ReferralHistory,
    ReferralNote,
)
from tests.referrals.conftest import NHS_NUMBER, World, count_rows, referral_body


def _create(client: TestClient, world: World, by: str = "link_worker", **changes: object):
    return client.post("/referrals", json=referral_body(world, **changes),
                       headers=world[by].headers)


def test_closed_loop_from_referral_to_first_session(client: TestClient, world: World) -> None:
    created = _create(client, world)
    assert created.status_code == 201, created.text
    referral = created.json()
    assert referral["status"] == "requested"
    assert referral["person"]["nhs_number"] == NHS_NUMBER
    assert created.headers["ETag"] == 'W/"1"'
    assert created.headers["Location"] == f"/referrals/{referral['id']}"
    assert referral["allowed_transitions"] == ["cancelled"]

    provider = world["provider"].headers
    url = f"/referrals/{referral['id']}/status"
    etag = created.headers["ETag"]
    for body in [{"status": "received"}, {"status": "accepted"},
                 {"business_status": "contacted"}, {"status": "in-progress"},
                 {"business_status": "first-session-attended"}, {"status": "completed"}]:
        moved = client.post(url, json=body, headers={**provider, "If-Match": etag})
        assert moved.status_code == 200, moved.text
        etag = moved.headers["ETag"]
    final = client.get(f"/referrals/{referral['id']}", headers=world["link_worker"].headers).json()
    assert final["status"] == "completed"
    assert final["business_status"] == "first-session-attended"
    assert final["closed_at"] is not None
    assert final["version"] == 7
    history = [(h["from_status"], h["to_status"], h["to_business_status"])
               for h in final["history"]]
    assert history == [
        (None, "requested", None), ("requested", "received", None),
        ("received", "accepted", None), ("accepted", "accepted", "contacted"),
        ("accepted", "in-progress", "contacted"),
        ("in-progress", "in-progress", "first-session-attended"),
        ("in-progress", "completed", "first-session-attended"),
    ]
    assert {h["actor"] for h in final["history"][1:]} == {"provider"}


def test_illegal_transition_is_409_listing_allowed(
    shared_client: TestClient, shared_world: World
) -> None:
    referral = _create(shared_client, shared_world).json()
    response = shared_client.post(
        f"/referrals/{referral['id']}/status", json={"status": "completed"},
        headers={**shared_world["provider"].headers, "If-Match": 'W/"1"'},
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert [d["message"] for d in error["details"]] == [
        "received", "accepted", "rejected", "failed"
    ]


def test_ending_needs_a_reason(shared_client: TestClient, shared_world: World) -> None:
    referral = _create(shared_client, shared_world).json()
    response = shared_client.post(
        f"/referrals/{referral['id']}/status", json={"status": "cancelled"},
        headers={**shared_world["link_worker"].headers, "If-Match": 'W/"1"'},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "reason_required"


def test_if_match_missing_is_428_and_stale_is_412(
    shared_client: TestClient, shared_world: World
) -> None:
    referral = _create(shared_client, shared_world).json()
    url = f"/referrals/{referral['id']}/status"
    provider = shared_world["provider"].headers
    missing = shared_client.post(url, json={"status": "received"}, headers=provider)
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "if_match_required"
    ok = shared_client.post(url, json={"status": "received"},
                            headers={**provider, "If-Match": 'W/"1"'})
    assert ok.status_code == 200
    stale = shared_client.post(url, json={"status": "accepted"},
                               headers={**provider, "If-Match": 'W/"1"'})
    assert stale.status_code == 412
    assert stale.json()["error"]["details"][0]["message"] == 'W/"2"'
    note = shared_client.post(f"/referrals/{referral['id']}/notes",
                              json={"text": "Called, no answer"},
                              headers={**provider, "If-Match": '"1"'})
    assert note.status_code == 412


def test_notes_are_appended_and_bump_the_version(
    shared_client: TestClient, shared_world: World
) -> None:
    referral = _create(shared_client, shared_world, notes="Prefers mornings").json()
    response = shared_client.post(
        f"/referrals/{referral['id']}/notes", json={"text": "Left a voicemail"},
        headers={**shared_world["provider"].headers, "If-Match": 'W/"1"'},
    )
    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == 'W/"2"'
    assert [n["text"] for n in response.json()["notes"]] == ["Prefers mornings",
                                                             "Left a voicemail"]


def test_idempotent_create(client: TestClient, world: World) -> None:
    headers = {**world["gp"].headers, "Idempotency-Key": "order-123"}
    body = referral_body(world)
    first = client.post("/referrals", json=body, headers=headers)
    again = client.post("/referrals", json=dict(reversed(body.items())), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    before = count_rows(world.engine, Referral)
    different = client.post("/referrals", json={**body, "reason": "Something else"},
                            headers=headers)
    assert different.status_code == 422
    assert different.json()["error"]["code"] == "idempotency_key_reused"
    assert count_rows(world.engine, Referral) == before == {"referral": 1}
    # Keys are per account: another client's same key is a new referral.
    other = client.post("/referrals", json=body,
                        headers={**world["link_worker"].headers, "Idempotency-Key": "order-123"})
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]


def test_list_filters(client: TestClient, world: World) -> None:
    mine = _create(client, world).json()
    colleagues = _create(client, world, by="colleague").json()
    _create(client, world, by="other_link_worker")
    walking = _create(client, world, service_id=world.services["walking"]).json()
    headers = world["link_worker"].headers

    def ids(**params: object) -> list[str]:
        response = client.get("/referrals", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [mine["id"], colleagues["id"], walking["id"]]
    assert ids(made_by="me") == [mine["id"], walking["id"]]
    assert ids(service_id=world.services["walking"]) == [walking["id"]]
    assert ids(status="cancelled") == []
    assert ids(updated_since=walking["updated_at"]) == [walking["id"]]
    first = client.get("/referrals", params={"limit": 2}, headers=headers).json()
    rest = client.get("/referrals", params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=headers).json()
    assert [i["id"] for i in first["items"] + rest["items"]] == ids()
    assert rest["next_cursor"] is None
    provider_sees = client.get("/referrals", headers=world["provider"].headers).json()
    assert len(provider_sees["items"]) == 3


def test_every_read_and_write_is_audited(client: TestClient, world: World) -> None:
    referral = _create(client, world).json()
    client.get(f"/referrals/{referral['id']}", headers=world["provider"].headers)
    client.get("/referrals", headers=world["steward"].headers)
    client.post(f"/referrals/{referral['id']}/notes", json={"text": "hello"},
                headers={**world["provider"].headers, "If-Match": 'W/"1"'})
    with Session(world.engine) as session:
        rows = session.exec(select(ReferralAudit).order_by(ReferralAudit.at)).all()
    assert [(r.action, r.account_id, r.channel) for r in rows] == [
        ("create", world["link_worker"].principal.account_id, "json"),
        ("read", world["provider"].principal.account_id, "json"),
        ("list", world["steward"].principal.account_id, "json"),
        ("add-note", world["provider"].principal.account_id, "json"),
    ]
    assert {r.referral_id for r in rows} == {referral["id"]}
    assert count_rows(world.engine, ReferralHistory, ReferralNote) == {
        "referral_history": 1, "referral_note": 1}
