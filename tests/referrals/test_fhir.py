"""FHIR R4 output validated by a real validator (``fhir.resources`` 8, its ``R4B`` package:
the package's default is R5, and R4B's ServiceRequest, Task, Bundle and OperationOutcome are
R4's), plus FHIR input, polling and errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from referrals.fhir import NHS_NUMBER, ODS_CODE, SNOMED
from referrals.lifecycle import BusinessStatus, TaskStatus
from referrals.models import Referral
from tests.referrals.conftest import (
    NHS_NUMBER as PATIENT_NHS_NUMBER,
)
from tests.referrals.conftest import (
    World,
    count_rows,
    make_referral,
    move,
    referral_in,
)

FHIR = "application/fhir+json"
LISTING_SYSTEM = "https://signpost.invalid/fhir/Id/listing"
# R4 Task.status and ServiceRequest.status are required bindings: the validator checks
# structure and types, so the codes are checked here against the R4 value sets.
R4_TASK_STATUS = {"draft", "requested", "received", "accepted", "rejected", "ready",
                  "cancelled", "in-progress", "on-hold", "failed", "completed",
                  "entered-in-error"}
R4_REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                     "unknown"}


def fhir_service_request(world: World, ods: str | None = None, **changes: Any) -> str:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "priority": "urgent",
        "contained": [
            {"resourceType": "Patient", "id": "p1",
             "identifier": [{"system": NHS_NUMBER, "value": PATIENT_NHS_NUMBER}],
             "name": [{"given": ["Grace"], "family": "Hopper"}],
             "telecom": [{"system": "email", "value": "grace@example.org"}]},
            {"resourceType": "Consent", "id": "c1", "status": "active",
             "dateTime": "2026-11-20T09:30:00Z", "performer": [{"display": "Grace Hopper"}],
             "policyRule": {"text": "Share with the listed service"}},
        ],
        "code": {"coding": [{"system": SNOMED, "code": "871731000000106"}]},
        "subject": {"reference": "#p1"},
        "requester": {"display": "Lordship Lane Surgery", **(
            {"identifier": {"system": ODS_CODE, "value": ods}} if ods else {})},
        "performer": [{"identifier": {"system": LISTING_SYSTEM,
                                      "value": world.services["befriending"]}}],
        "reasonCode": [{"text": "Isolated after a fall"}],
        "supportingInfo": [{"reference": "#c1"}],
        "note": [{"text": "Hard of hearing: email first"}],
    }
    resource.update(changes)
    return json.dumps(resource)


@pytest.mark.parametrize("state", list(TaskStatus))
def test_task_and_service_request_validate_in_every_state(
    shared_client: TestClient, shared_world: World, state: TaskStatus
) -> None:
    referral = referral_in(shared_world, state, by="gp", notes="Prefers afternoons")
    headers = shared_world["gp"].headers
    task = shared_client.get(f"/fhir/Task/{referral.id}", headers=headers)
    request = shared_client.get(f"/fhir/ServiceRequest/{referral.id}", headers=headers)
    for response in (task, request):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(FHIR)
        assert response.headers["ETag"] == f'W/"{referral.version}"'
    parsed_task = Task.model_validate(task.json())
    parsed_request = ServiceRequest.model_validate(request.json())
    assert parsed_task.status == state.value
    assert parsed_task.status in R4_TASK_STATUS
    assert parsed_request.status in R4_REQUEST_STATUS
    assert parsed_task.for_fhir.identifier.system == NHS_NUMBER
    assert parsed_task.requester.identifier.system == ODS_CODE
    assert parsed_task.requester.identifier.value == "A81001"
    code = parsed_request.code.coding[0]
    assert (code.system, code.code) == (SNOMED, "871731000000106")
    patient = parsed_request.contained[0]
    assert patient.identifier[0].value == PATIENT_NHS_NUMBER
    if state in {TaskStatus.REJECTED, TaskStatus.CANCELLED, TaskStatus.FAILED}:
        assert parsed_task.statusReason.text == "because"


def test_business_status_and_declined_code(shared_client: TestClient, shared_world: World) -> None:
    referral = referral_in(shared_world, TaskStatus.ACCEPTED, by="gp")
    referral = move(shared_world, referral, "provider", TaskStatus.FAILED, reason="Said no thanks",
                    business_status=BusinessStatus.PERSON_DECLINED)
    task = Task.model_validate(
        shared_client.get(f"/fhir/Task/{referral.id}", headers=shared_world["gp"].headers).json()
    )
    codes = {(c.system, c.code) for c in task.businessStatus.coding}
    assert (SNOMED, "871711000000103") in codes
    assert task.status == "failed"


def test_polling_with_last_updated_pages_a_searchset(client: TestClient, world: World) -> None:
    first = make_referral(world, by="gp")
    second = make_referral(world, by="gp")
    make_referral(world, by="other_gp")
    headers = world["gp"].headers
    everything = client.get("/fhir/Task", headers=headers)
    assert everything.status_code == 200
    bundle = Bundle.model_validate(everything.json())
    assert bundle.type == "searchset"
    assert [e.resource.id for e in bundle.entry] == [first.id, second.id]

    since = first.updated_at.isoformat()
    later = client.get("/fhir/Task", params={"_lastUpdated": f"gt{since}"}, headers=headers)
    assert [e["resource"]["id"] for e in later.json()["entry"]] == [second.id]

    moved = move(world, first, "provider", TaskStatus.RECEIVED)
    paged = client.get("/fhir/Task", params={"_lastUpdated": f"gt{since}", "_count": 1},
                       headers=headers).json()
    assert [e["resource"]["id"] for e in paged["entry"]] == [second.id]
    next_url = next(link["url"] for link in paged["link"] if link["relation"] == "next")
    rest = client.get(next_url, headers=headers).json()
    Bundle.model_validate(rest)
    assert [e["resource"]["id"] for e in rest["entry"]] == [moved.id]
    assert rest["entry"][0]["resource"]["status"] == "received"


def test_create_from_a_fhir_service_request(client: TestClient, world: World) -> None:
    response = client.post(
        "/fhir/ServiceRequest", content=fhir_service_request(world, ods="A81001"),
        headers={**world["gp"].headers, "Content-Type": FHIR, "Idempotency-Key": "emis-1"},
    )
    assert response.status_code == 201, response.text
    created = ServiceRequest.model_validate(response.json())
    assert response.headers["Location"].endswith(f"/fhir/ServiceRequest/{created.id}")
    referral = client.get(f"/referrals/{created.id}", headers=world["gp"].headers).json()
    assert referral["person"] == {
        "nhs_number": PATIENT_NHS_NUMBER, "name": "Grace Hopper", "contact_method": "email",
        "contact_details": "grace@example.org", "do_not_contact": False,
    }
    assert referral["consent"]["by"] == "Grace Hopper"
    assert referral["referrer"]["ods_code"] == "A81001"
    assert referral["urgency"] == "urgent"
    assert referral["notes"][0]["text"] == "Hard of hearing: email first"
    replay = client.post(
        "/fhir/ServiceRequest", content=fhir_service_request(world, ods="A81001"),
        headers={**world["gp"].headers, "Content-Type": FHIR, "Idempotency-Key": "emis-1"},
    )
    assert replay.status_code == 201
    assert replay.json()["id"] == created.id


def _without_consent(world: World) -> str:
    body = json.loads(fhir_service_request(world))
    body["supportingInfo"] = []
    return json.dumps(body)


def _with_nhs_number(world: World, number: str) -> str:
    body = json.loads(fhir_service_request(world))
    body["contained"][0]["identifier"][0]["value"] = number
    return json.dumps(body)


BAD_FHIR = {
    "wrong-content-type": (lambda w: fhir_service_request(w), "application/json", 415,
                           "unsupported_media_type"),
    "malformed": (lambda w: "{not json", FHIR, 400, "malformed_json"),
    "not-a-service-request": (lambda w: json.dumps({"resourceType": "Patient"}), FHIR, 422,
                              "invalid_request"),
    "no-consent": (_without_consent, FHIR, 422, "consent_missing"),
    "bad-nhs-number": (lambda w: _with_nhs_number(w, "9434765918"), FHIR, 422,
                       "invalid_request"),
    "unknown-listing": (lambda w: fhir_service_request(w, performer=[
        {"reference": "HealthcareService/nope"}]), FHIR, 422, "unknown_listing"),
    "someone-elses-ods": (lambda w: fhir_service_request(w, ods="B82002"), FHIR, 422,
                          "ods_code_mismatch"),
}


@pytest.mark.parametrize("case", list(BAD_FHIR))
def test_bad_fhir_input_is_an_operation_outcome_and_writes_nothing(
    shared_client: TestClient, shared_world: World, case: str
) -> None:
    make_body, content_type, status, code = BAD_FHIR[case]
    before = count_rows(shared_world.engine, Referral)
    response = shared_client.post(
        "/fhir/ServiceRequest", content=make_body(shared_world),
        headers={**shared_world["gp"].headers, "Content-Type": content_type},
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(FHIR)
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].details.coding[0].code == code
    assert count_rows(shared_world.engine, Referral) == before


@pytest.mark.parametrize(("path", "headers", "status", "code"), [
    ("/fhir/Task/nope", "gp", 404, "referral_not_found"),
    ("/fhir/Task", None, 401, "unauthenticated"),
    ("/fhir/Task?_lastUpdated=2026-01-01", "gp", 422, "invalid_search"),
    ("/fhir/Task?_lastUpdated=gt2026-01-01T10:00:00", "gp", 422, "invalid_search"),
    ("/fhir/Task?_count=0", "gp", 400, "invalid_request"),
    ("/fhir/Task?_cursor=garbage", "gp", 422, "invalid_cursor"),
])
def test_read_errors_are_operation_outcomes(
    shared_client: TestClient, shared_world: World, path: str, headers: str | None,
    status: int, code: str,
) -> None:
    response = shared_client.get(path, headers=shared_world[headers].headers if headers else {})
    assert response.status_code == status, response.text
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].details.coding[0].code == code
