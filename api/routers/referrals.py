"""The referral API (JSON): create, read, list, change status, add notes, subject access,
webhook subscriptions. Thin: every rule lives in ``referrals``."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from api.auth import current_principal
from api.errors import error_response
from api.state import engine
from directory.accounts import Principal
from referrals import retention, service, subscriptions
from referrals.audit import Channel
from referrals.contracts import (
    DeliveryOut,
    NoteIn,
    ReferralCreate,
    ReferralOut,
    ReferralPage,
    SubjectAccessExport,
    SubjectAccessIn,
    SubscriptionIn,
    SubscriptionOut,
    TransitionIn,
)
from referrals.errors import Malformed, ReferralError
from referrals.intake import check_media_type, fingerprint, read_capped
from referrals.lifecycle import TaskStatus
from referrals.settings import ReferralSettings, get_referral_settings
from referrals.views import etag

JSON_TYPES = frozenset({"application/json"})


class ReferralRoute(APIRoute):
    """Answers a :class:`ReferralError` in the API's error format, and a body that is not
    JSON at all as 400 ``malformed_json`` rather than a validation error."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                try:
                    return await handler(request)
                except RequestValidationError as invalid:
                    if any(e.get("type") == "json_invalid" for e in invalid.errors()):
                        raise Malformed("The body is not valid JSON.") from invalid
                    raise
            except ReferralError as error:
                return error_response(error.status, error.code, error.message, error.details)

        return route


router = APIRouter(tags=["referrals"], route_class=ReferralRoute)
IfMatch = Header(default=None, alias="If-Match", description="The ETag of your last read.")


async def json_request(
    request: Request, settings: ReferralSettings = Depends(get_referral_settings)
) -> None:
    """Refuse (415, 413) a body that is not JSON or is too large, before validation."""
    check_media_type(request.headers.get("content-type"), JSON_TYPES)
    await read_capped(request.stream(), settings.max_body_bytes)


JsonBody = Depends(json_request)


def _with_etag(response: Response, referral: ReferralOut) -> ReferralOut:
    response.headers["ETag"] = etag(referral.version)
    return referral


@router.post("/referrals", response_model=ReferralOut, status_code=status.HTTP_201_CREATED)
def create_referral(
    data: ReferralCreate,
    request: Request,
    response: Response,
    principal: Principal = Depends(current_principal),
    _body: None = JsonBody,
    idempotency_key: str | None = Header(
        default=None, alias="Idempotency-Key", min_length=1, max_length=200
    ),
) -> ReferralOut:
    """Refer a person to a listing. Send an ``Idempotency-Key`` so a retry cannot duplicate."""
    created = service.create(
        engine(request), principal, data, Channel.JSON, idempotency_key,
        fingerprint(data.model_dump(mode="json")),
    )
    response.headers["Location"] = f"/referrals/{created.referral.id}"
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return _with_etag(response, created.referral)


@router.get("/referrals", response_model=ReferralPage)
def list_referrals(
    request: Request,
    principal: Principal = Depends(current_principal),
    status_: list[TaskStatus] = Query(default=[], alias="status"),
    updated_since: datetime | None = Query(default=None, description="Changed at or after."),
    service_id: str | None = None,
    made_by: Literal["anyone", "me"] = Query(
        default="anyone", description="`me`: only referrals you made yourself; `anyone`: all "
        "you may see (your organisation's, or your listings')."),
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=service.MAX_PAGE),
) -> ReferralPage:
    filters = service.Filters(
        statuses=frozenset(status_),
        updated=(("ge", updated_since),) if updated_since else (),
        service_id=service_id, made_by_me=made_by == "me", cursor=cursor, limit=limit,
    )
    return service.search(engine(request), principal, filters, Channel.JSON)


@router.get("/referrals/{referral_id}", response_model=ReferralOut)
def read_referral(
    referral_id: str, request: Request, response: Response,
    principal: Principal = Depends(current_principal),
) -> ReferralOut:
    referral = service.read(engine(request), principal, referral_id, Channel.JSON)
    return _with_etag(response, referral)


@router.post("/referrals/{referral_id}/status", response_model=ReferralOut)
def change_status(
    referral_id: str, change: TransitionIn, request: Request, response: Response,
    principal: Principal = Depends(current_principal),
    _body: None = JsonBody,
    if_match: str | None = IfMatch,
) -> ReferralOut:
    """Move the referral along its lifecycle and/or record a business status.

    409 lists the moves you may make instead; 428 without If-Match; 412 if it is stale."""
    referral = service.change_status(
        engine(request), principal, referral_id, if_match, change, Channel.JSON
    )
    return _with_etag(response, referral)


@router.post(
    "/referrals/{referral_id}/notes", response_model=ReferralOut,
    status_code=status.HTTP_201_CREATED,
)
def add_note(
    referral_id: str, note: NoteIn, request: Request, response: Response,
    principal: Principal = Depends(current_principal),
    _body: None = JsonBody,
    if_match: str | None = IfMatch,
) -> ReferralOut:
    referral = service.add_note(
        engine(request), principal, referral_id, if_match, note, Channel.JSON
    )
    return _with_etag(response, referral)


@router.post("/referrals/subject-access", response_model=SubjectAccessExport)
def subject_access(
    query: SubjectAccessIn, request: Request,
    principal: Principal = Depends(current_principal),
    _body: None = JsonBody,
) -> SubjectAccessExport:
    """Every referral of one person, by NHS number (stewards; POST keeps it out of URLs)."""
    return retention.export_subject(engine(request), principal, query.nhs_number, Channel.JSON)


@router.post(
    "/webhook-subscriptions", response_model=SubscriptionOut,
    status_code=status.HTTP_201_CREATED, tags=["webhooks"],
)
def subscribe(
    body: SubscriptionIn, request: Request,
    principal: Principal = Depends(current_principal),
    _body: None = JsonBody,
) -> SubscriptionOut:
    """Receive signed notifications of changes to referrals you may see."""
    return subscriptions.subscribe(engine(request), principal, str(body.url))


@router.get(
    "/webhook-subscriptions", response_model=list[SubscriptionOut], tags=["webhooks"]
)
def list_subscriptions(
    request: Request, principal: Principal = Depends(current_principal)
) -> list[SubscriptionOut]:
    return subscriptions.list_subscriptions(engine(request), principal)


@router.delete(
    "/webhook-subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhooks"],
)
def unsubscribe(
    subscription_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> Response:
    subscriptions.unsubscribe(engine(request), principal, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/webhook-subscriptions/{subscription_id}/deliveries", response_model=list[DeliveryOut],
    tags=["webhooks"],
)
def delivery_log(
    subscription_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> list[DeliveryOut]:
    return subscriptions.deliveries(engine(request), principal, subscription_id)
