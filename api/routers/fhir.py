"""FHIR R4 for GP systems: read a referral as ServiceRequest + Task, poll Tasks changed since
a time, create a referral from a ServiceRequest. ``application/fhir+json`` throughout, and
every error as an OperationOutcome."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.auth import current_principal
from api.errors import ApiError
from api.state import engine
from directory.accounts import Principal
from referrals import fhir, service
from referrals.audit import Channel
from referrals.contracts import ReferralOut
from referrals.errors import Invalid, ReferralError
from referrals.fhir_intake import referral_from_fhir
from referrals.intake import check_media_type, fingerprint, parse_json, read_capped
from referrals.lifecycle import TaskStatus
from referrals.settings import ReferralSettings, get_referral_settings
from referrals.views import etag

FHIR_JSON = "application/fhir+json"
log = logging.getLogger(__name__)


class FhirResponse(JSONResponse):
    media_type = FHIR_JSON


def _uris(settings: ReferralSettings) -> fhir.FhirUris:
    return fhir.FhirUris(settings.fhir_base)


def _outcome(
    status: int, code: str, message: str, details: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
) -> FhirResponse:
    body = fhir.operation_outcome(status, code, message, details, _uris(get_referral_settings()))
    return FhirResponse(body, status_code=status, headers=headers)


class FhirRoute(APIRoute):
    """Every failure, whatever raised it, answers as an OperationOutcome."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ReferralError as error:
                return _outcome(error.status, error.code, error.message, error.details)
            except ApiError as error:
                return _outcome(error.status, error.code, error.message, error.details,
                                error.headers)
            except RequestValidationError as error:
                details = [{"location": list(e.get("loc", ())), "message": e.get("msg", ""),
                            "type": e.get("type")} for e in error.errors()]
                return _outcome(400, "invalid_request", "The request is not valid.", details)
            except Exception:
                log.exception("unhandled FHIR error", extra={"path": request.url.path})
                return _outcome(500, "internal_error", "Something went wrong on our side.", [])

        return route


router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute,
                   default_response_class=FhirResponse)


def _base_url(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}/fhir"


def _resource(body: dict[str, Any], version: int, status: int = 200,
              location: str | None = None) -> FhirResponse:
    headers = {"ETag": etag(version)}
    if location:
        headers["Location"] = location
    return FhirResponse(body, status_code=status, headers=headers)


def _read(
    request: Request, principal: Principal, referral_id: str, settings: ReferralSettings,
    render: Callable[[ReferralOut, fhir.FhirUris], dict[str, Any]],
) -> FhirResponse:
    referral = service.read(engine(request), principal, referral_id, Channel.FHIR)
    return _resource(render(referral, _uris(settings)), referral.version)


@router.get("/ServiceRequest/{referral_id}")
def read_service_request(
    referral_id: str, request: Request,
    principal: Principal = Depends(current_principal),
    settings: ReferralSettings = Depends(get_referral_settings),
) -> FhirResponse:
    return _read(request, principal, referral_id, settings, fhir.service_request)


@router.get("/Task/{referral_id}")
def read_task(
    referral_id: str, request: Request,
    principal: Principal = Depends(current_principal),
    settings: ReferralSettings = Depends(get_referral_settings),
) -> FhirResponse:
    return _read(request, principal, referral_id, settings, fhir.task)


def _last_updated(values: list[str]) -> tuple[tuple[str, datetime], ...]:
    """``_lastUpdated=gt2026-01-01T09:00:00Z`` (gt, ge, lt, le; a date means its midnight UTC)."""
    parsed = []
    for value in values:
        op, moment = value[:2], value[2:]
        try:
            if op not in service.COMPARISONS:
                raise ValueError("prefix")
            when = datetime.fromisoformat(moment)
            if len(moment) > 10 and when.tzinfo is None:
                raise ValueError("timezone")
        except ValueError as error:
            raise Invalid(
                "_lastUpdated takes gt, ge, lt or le and an instant with a timezone.",
                [{"location": ["_lastUpdated"], "message": value, "type": "search_parameter"}],
                code="invalid_search",
            ) from error
        parsed.append((op, when if when.tzinfo else when.replace(tzinfo=UTC)))
    return tuple(parsed)


@router.get("/Task")
def search_tasks(
    request: Request,
    principal: Principal = Depends(current_principal),
    settings: ReferralSettings = Depends(get_referral_settings),
    last_updated: list[str] = Query(default=[], alias="_lastUpdated"),
    status: list[TaskStatus] = Query(default=[]),
    count: int = Query(default=50, ge=1, le=service.MAX_PAGE, alias="_count"),
    cursor: str | None = Query(default=None, alias="_cursor"),
) -> FhirResponse:
    """Poll for Tasks changed since a time: a searchset Bundle, oldest change first.

    Timestamps are taken when a change is made, not when it commits, so a poller should ask
    from a little before its last ``meta.lastUpdated`` (say 5 s) and skip versions it has."""
    filters = service.Filters(
        statuses=frozenset(status), updated=_last_updated(last_updated), cursor=cursor,
        limit=count,
    )
    page = service.search(engine(request), principal, filters, Channel.FHIR)
    uris = _uris(settings)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "_cursor"]
    base = _base_url(request)
    next_url = (
        f"{base}/Task?{urlencode([*params, ('_cursor', page.next_cursor)])}"
        if page.next_cursor else None
    )
    bundle = fhir.searchset(
        [fhir.task(item, uris) for item in page.items], base, str(request.url), next_url
    )
    return FhirResponse(bundle)


@router.post("/ServiceRequest")
async def create_service_request(
    request: Request,
    principal: Principal = Depends(current_principal),
    settings: ReferralSettings = Depends(get_referral_settings),
    idempotency_key: str | None = Header(
        default=None, alias="Idempotency-Key", min_length=1, max_length=200
    ),
) -> FhirResponse:
    """Create a referral from a FHIR ServiceRequest (idempotent with ``Idempotency-Key``)."""
    check_media_type(request.headers.get("content-type"), frozenset({FHIR_JSON}))
    value = parse_json(await read_capped(request.stream(), settings.max_body_bytes))
    uris = _uris(settings)
    data = referral_from_fhir(value, uris)
    created = await run_in_threadpool(
        service.create, engine(request), principal, data, Channel.FHIR, idempotency_key,
        fingerprint(data.model_dump(mode="json")),
    )
    referral = created.referral
    response = _resource(
        fhir.service_request(referral, uris), referral.version, status=201,
        location=f"{_base_url(request)}/ServiceRequest/{referral.id}",
    )
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
