"""A FHIR R4 ``ServiceRequest`` from a GP system, read into a :class:`ReferralCreate`.

Expected shape (what :func:`referrals.fhir.service_request` writes, so a round trip works):
the person as a contained ``Patient`` referenced by ``subject`` (NHS number identifier, name,
one telecom or address), consent as a contained ``Consent`` referenced from
``supportingInfo``, the listing as ``performer`` (a HealthcareService identifier in our
listing system, or ``HealthcareService/<id>``), the reason in ``reasonCode.text``, "what
matters to me" in our extension, the practice as ``requester.identifier`` (ODS code).
Only the fields read are modelled; anything else is accepted and ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from referrals.contracts import ReferralCreate
from referrals.errors import Invalid
from referrals.fhir import CONTACT_SYSTEMS, NHS_NUMBER, ODS_CODE, FhirUris
from referrals.intake import validate


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Identifier(_Loose):
    system: str | None = None
    value: str | None = None


class _Reference(_Loose):
    reference: str | None = None
    identifier: _Identifier | None = None
    display: str | None = None


class _Concept(_Loose):
    text: str | None = None


class _Extension(_Loose):
    url: str
    valueString: str | None = None
    valueBoolean: bool | None = None


class _Name(_Loose):
    text: str | None = None
    given: list[str] = []
    family: str | None = None


class _ContactPoint(_Loose):
    system: str | None = None
    value: str | None = None


class _Address(_Loose):
    text: str | None = None


class _Annotation(_Loose):
    text: str


class _ServiceRequest(_Loose):
    resourceType: Literal["ServiceRequest"]
    status: Literal["active"]
    intent: Literal["proposal", "plan", "order", "original-order"]
    contained: list[dict[str, Any]] = []
    extension: list[_Extension] = []
    subject: _Reference
    requester: _Reference | None = None
    performer: list[_Reference] = []
    reasonCode: list[_Concept] = []
    supportingInfo: list[_Reference] = []
    priority: str = "routine"
    note: list[_Annotation] = []


def _missing(expression: str, message: str, code: str) -> Invalid:
    return Invalid(message, [{"location": [expression], "message": message, "type": code}],
                   code=code)


def _contained(request: _ServiceRequest, reference: str | None, kind: str) -> dict[str, Any]:
    if reference and reference.startswith("#"):
        for resource in request.contained:
            if resource.get("resourceType") == kind and resource.get("id") == reference[1:]:
                return resource
    return {}


def _person(request: _ServiceRequest, uris: FhirUris) -> dict[str, Any]:
    patient = _contained(request, request.subject.reference, "Patient")
    identifiers = [_Identifier.model_validate(i) for i in patient.get("identifier", [])]
    if request.subject.identifier:
        identifiers.append(request.subject.identifier)
    names = [_Name.model_validate(n) for n in patient.get("name", [])]
    name = request.subject.display
    if names:
        name = names[0].text or " ".join([*names[0].given, names[0].family or ""]).strip()
    person: dict[str, Any] = {
        "name": name,
        "nhs_number": next((i.value for i in identifiers if i.system == NHS_NUMBER), None),
        "do_not_contact": any(
            e.url == uris.do_not_contact and e.valueBoolean for e in request.extension
        ),
    }
    telecoms = [_ContactPoint.model_validate(t) for t in patient.get("telecom", [])]
    addresses = [_Address.model_validate(a) for a in patient.get("address", [])]
    for telecom in telecoms:
        if telecom.system in CONTACT_SYSTEMS and telecom.value:
            person |= {"contact_method": telecom.system, "contact_details": telecom.value}
            break
    else:
        if addresses and addresses[0].text:
            person |= {"contact_method": "post", "contact_details": addresses[0].text}
    return person


def _consent(request: _ServiceRequest) -> dict[str, Any]:
    for info in request.supportingInfo:
        consent = _contained(request, info.reference, "Consent")
        if consent.get("status") == "active":
            performers = [_Reference.model_validate(p) for p in consent.get("performer", [])]
            rule = _Concept.model_validate(consent.get("policyRule") or {})
            return {
                "given": True,
                "by": performers[0].display if performers else None,
                "at": consent.get("dateTime"),
                "scope": rule.text,
            }
    raise _missing("ServiceRequest.supportingInfo",
                   "The referral needs the person's consent: a contained, active Consent.",
                   "consent_missing")


def _listing(request: _ServiceRequest, uris: FhirUris) -> str:
    for performer in request.performer:
        if performer.identifier and performer.identifier.system == uris.listing_id:
            return performer.identifier.value or ""
        if performer.reference and performer.reference.startswith("HealthcareService/"):
            return performer.reference.removeprefix("HealthcareService/")
    raise _missing("ServiceRequest.performer", "Name the listing referred to as performer.",
                   "listing_missing")


def referral_from_fhir(body: Any, uris: FhirUris) -> ReferralCreate:
    """The referral a ServiceRequest asks for, or :class:`Invalid` saying what is wrong."""
    request = validate(_ServiceRequest, body, location="ServiceRequest")
    requester = request.requester or _Reference()
    ods = requester.identifier.value if (
        requester.identifier and requester.identifier.system == ODS_CODE
    ) else None
    reasons = [c.text for c in request.reasonCode if c.text]
    what_matters = next(
        (e.valueString for e in request.extension if e.url == uris.what_matters), None
    )
    data = {
        "service_id": _listing(request, uris),
        "person": _person(request, uris),
        "consent": _consent(request),
        "referrer": {"ods_code": ods, "organisation_name": requester.display},
        "reason": "\n".join(reasons) or None,
        "what_matters": what_matters,
        "urgency": request.priority,
        "notes": "\n\n".join(n.text for n in request.note) or None,
    }
    return validate(ReferralCreate, data, location="ServiceRequest")
