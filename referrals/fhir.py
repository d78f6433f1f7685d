"""A referral as FHIR R4: a ``ServiceRequest`` (what was asked) plus a ``Task`` (how it is
going), searchset Bundles for polling, and OperationOutcome for errors.

Pure functions from the API's output models to FHIR JSON. SNOMED CT codes are only those
confirmed as NHS England's social-prescribing codes or as UK-edition referral concepts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from referrals.contracts import ReferralOut, ReferralSummary
from referrals.lifecycle import BusinessStatus, TaskStatus

SNOMED = "http://snomed.info/sct"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS_CODE = "https://fhir.nhs.uk/Id/ods-organization-code"
TASK_CODE = "http://terminology.hl7.org/CodeSystem/task-code"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"

REFERRAL_TO_SOCIAL_PRESCRIBING = ("871731000000106", "Referral to social prescribing service")
PATIENT_REFERRAL = ("3457005", "Patient referral")
SOCIAL_PRESCRIBING_DECLINED = ("871711000000103", "Social prescribing declined")

BUSINESS_DISPLAY = {
    BusinessStatus.CONTACTED: "Person contacted",
    BusinessStatus.FIRST_SESSION_ATTENDED: "First session attended",
    BusinessStatus.PERSON_DECLINED: "Person declined",
    BusinessStatus.COULD_NOT_CONTACT: "Could not contact the person",
    BusinessStatus.NO_CAPACITY: "No capacity",
}
_REQUEST_STATUS = {
    TaskStatus.ON_HOLD: "on-hold",
    TaskStatus.COMPLETED: "completed",
    TaskStatus.REJECTED: "revoked",
    TaskStatus.CANCELLED: "revoked",
    TaskStatus.FAILED: "revoked",
}
# Our contact methods that are FHIR ContactPoint systems of the same name (post is an address).
CONTACT_SYSTEMS = frozenset({"phone", "sms", "email"})


class FhirUris:
    """Signpost's own identifier systems and extensions, under a configurable base."""

    def __init__(self, base: str) -> None:
        base = base.rstrip("/")
        self.referral_id = f"{base}/Id/referral"
        self.listing_id = f"{base}/Id/listing"
        self.organization_id = f"{base}/Id/organization"
        self.business_status = f"{base}/CodeSystem/social-prescribing-status"
        self.error_code = f"{base}/CodeSystem/error-code"
        self.what_matters = f"{base}/StructureDefinition/what-matters-to-me"
        self.do_not_contact = f"{base}/StructureDefinition/do-not-contact"


def instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _coding(system: str, code_display: tuple[str, str]) -> dict[str, str]:
    return {"system": system, "code": code_display[0], "display": code_display[1]}


def _meta(referral: ReferralSummary) -> dict[str, str]:
    return {"versionId": str(referral.version), "lastUpdated": instant(referral.updated_at)}


def _requester(referral: ReferralSummary) -> dict[str, Any]:
    referrer = referral.referrer
    requester: dict[str, Any] = {"type": "Organization"}
    if referrer.ods_code:
        requester["identifier"] = {"system": ODS_CODE, "value": referrer.ods_code}
    display = referrer.organisation_name or referrer.person
    if display:
        requester["display"] = display
    return requester


def _patient(referral: ReferralOut) -> dict[str, Any]:
    person = referral.person
    patient: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
    if person.nhs_number:
        patient["identifier"] = [{"system": NHS_NUMBER, "value": person.nhs_number}]
    if person.name:
        patient["name"] = [{"text": person.name}]
    if person.contact_method in CONTACT_SYSTEMS and person.contact_details:
        patient["telecom"] = [{
            "system": person.contact_method, "value": person.contact_details, "rank": 1,
        }]
    elif person.contact_method == "post" and person.contact_details:
        patient["address"] = [{"text": person.contact_details}]
    return patient


def _consent(referral: ReferralOut) -> dict[str, Any]:
    consent = referral.consent
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": "consent",
        "status": "active" if consent.given else "rejected",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"text": "Consent to a social-prescribing referral"}],
        "patient": {"reference": "#patient"},
        "dateTime": instant(consent.at),
        "policyRule": {"text": consent.scope or "redacted"},
    }
    if consent.by:
        resource["performer"] = [{"display": consent.by}]
    return resource


def service_request(referral: ReferralOut, uris: FhirUris) -> dict[str, Any]:
    extensions: list[dict[str, Any]] = []
    if referral.what_matters:
        extensions.append({"url": uris.what_matters, "valueString": referral.what_matters})
    if referral.person.do_not_contact:
        extensions.append({"url": uris.do_not_contact, "valueBoolean": True})
    notes = [
        {"authorString": note.author, "time": instant(note.created_at), "text": note.text}
        for note in referral.notes
    ]
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": referral.id,
        "meta": _meta(referral),
        "contained": [_patient(referral), _consent(referral)],
        "identifier": [{"system": uris.referral_id, "value": referral.id}],
        "status": _REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "category": [{"coding": [_coding(SNOMED, PATIENT_REFERRAL)]}],
        "priority": referral.urgency.value,
        "code": {"coding": [_coding(SNOMED, REFERRAL_TO_SOCIAL_PRESCRIBING)]},
        "subject": {"reference": "#patient"},
        "authoredOn": instant(referral.created_at),
        "requester": _requester(referral),
        "performer": [{
            "type": "HealthcareService",
            "identifier": {"system": uris.listing_id, "value": referral.service_id},
        }],
        "supportingInfo": [{"reference": "#consent"}],
    }
    if extensions:
        resource["extension"] = extensions
    if referral.reason:
        resource["reasonCode"] = [{"text": referral.reason}]
    if notes:
        resource["note"] = notes
    return resource


def _business_status(status: BusinessStatus, uris: FhirUris) -> dict[str, Any]:
    codings = [{"system": uris.business_status, "code": status.value,
                "display": BUSINESS_DISPLAY[status]}]
    if status is BusinessStatus.PERSON_DECLINED:
        codings.append(_coding(SNOMED, SOCIAL_PRESCRIBING_DECLINED))
    return {"coding": codings, "text": BUSINESS_DISPLAY[status]}


def task(referral: ReferralSummary, uris: FhirUris) -> dict[str, Any]:
    focus = {"reference": f"ServiceRequest/{referral.id}"}
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": referral.id,
        "meta": _meta(referral),
        "identifier": [{"system": uris.referral_id, "value": referral.id}],
        "basedOn": [focus],
        "status": referral.status.value,
        "intent": "order",
        "priority": referral.urgency.value,
        "code": {"coding": [{"system": TASK_CODE, "code": "fulfill",
                             "display": "Fulfill the focal request"}]},
        "focus": focus,
        "authoredOn": instant(referral.created_at),
        "lastModified": instant(referral.updated_at),
        "requester": _requester(referral),
    }
    person = referral.person
    if person.nhs_number:
        resource["for"] = {"identifier": {"system": NHS_NUMBER, "value": person.nhs_number}}
    if referral.status_reason:
        resource["statusReason"] = {"text": referral.status_reason}
    if referral.business_status:
        resource["businessStatus"] = _business_status(referral.business_status, uris)
    if referral.provider_organization_id:
        resource["owner"] = {
            "type": "Organization",
            "identifier": {"system": uris.organization_id,
                           "value": referral.provider_organization_id},
        }
    return resource


def searchset(
    tasks: list[dict[str, Any]], base_url: str, self_url: str, next_url: str | None
) -> dict[str, Any]:
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [
            {"fullUrl": f"{base_url}/Task/{t['id']}", "resource": t, "search": {"mode": "match"}}
            for t in tasks
        ],
    }


_ISSUE_TYPE = {
    400: "structure", 401: "login", 403: "forbidden", 404: "not-found", 409: "conflict",
    412: "conflict", 413: "too-costly", 415: "not-supported", 422: "invalid", 428: "required",
}


def operation_outcome(
    status: int, code: str, message: str, details: list[dict[str, Any]], uris: FhirUris
) -> dict[str, Any]:
    """An error as FHIR clients expect it; our machine-readable code is in ``details``."""
    issue: dict[str, Any] = {
        "severity": "error",
        "code": _ISSUE_TYPE.get(status, "exception"),
        "details": {"coding": [{"system": uris.error_code, "code": code}], "text": message},
        "diagnostics": message,
    }
    expressions = [".".join(str(p) for p in d["location"]) for d in details if d.get("location")]
    if expressions:
        issue["expression"] = expressions
    extra = [
        {"severity": "information", "code": "informational",
         "diagnostics": f"{d.get('type') or 'detail'}: {d['message']}"}
        for d in details
    ]
    return {"resourceType": "OperationOutcome", "issue": [issue, *extra]}
