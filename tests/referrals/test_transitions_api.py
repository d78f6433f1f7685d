"""Every allowed move of the lifecycle table, made over HTTP by every actor allowed it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from referrals.lifecycle import RULES, Actor
from tests.referrals.conftest import World, referral_in

CALLER = {Actor.PROVIDER: "provider", Actor.REFERRER: "link_worker", Actor.STEWARD: "steward"}
CASES = [(rule.source, rule.target, actor) for rule in RULES for actor in sorted(rule.actors)]


@pytest.mark.parametrize(("source", "target", "actor"), CASES,
                         ids=[f"{s}->{t}-by-{a}" for s, t, a in CASES])
def test_allowed_move_over_http(shared_client: TestClient, shared_world: World, source: str,
                                target: str, actor: Actor) -> None:
    referral = referral_in(shared_world, source)
    response = shared_client.post(
        f"/referrals/{referral.id}/status", json={"status": target, "reason": "as agreed"},
        headers={**shared_world[CALLER[actor]].headers, "If-Match": f'W/"{referral.version}"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == target
    assert body["version"] == referral.version + 1
    last = body["history"][-1]
    assert (last["from_status"], last["to_status"], last["actor"], last["reason"]) == (
        source, target, actor, "as agreed")
    assert (body["closed_at"] is not None) == (target in {"rejected", "completed", "cancelled",
                                                         "failed"})
