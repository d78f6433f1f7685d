"""Liveness and readiness for orchestrators (docker compose, Kubernetes)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from api.state import components as app_components
from directory.db import check_database
from search.backend import SearchUnavailable
from signpost.wiring import Components

router = APIRouter(tags=["operations"])


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Check(BaseModel):
    name: str
    ok: bool
    reason: str | None = None


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: list[Check]


@router.get("/healthz", response_model=Liveness)
def healthz() -> Liveness:
    """The process is up; says nothing of its dependencies."""
    return Liveness()


def _check_database(components: Components) -> Check:
    try:
        check_database(components.engine)
    except SQLAlchemyError as error:
        first_line = str(error.orig or error).splitlines()[0]
        return Check(name="database", ok=False, reason=f"database unreachable: {first_line}")
    return Check(name="database", ok=True)


def _check_search(components: Components) -> Check:
    name = f"search:{components.search.name}"
    try:
        components.search.check()
    except SearchUnavailable as error:
        return Check(name=name, ok=False, reason=str(error).splitlines()[0])
    return Check(name=name, ok=True)


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A dependency is unreachable."}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database and the configured search backend both answer."""
    components = app_components(request)
    timeout = components.settings.readiness_timeout_s
    checks = []
    for probe in (_check_database, _check_search):
        try:
            checks.append(
                await asyncio.wait_for(asyncio.to_thread(probe, components), timeout + 1)
            )
        except TimeoutError:
            checks.append(Check(name=probe.__name__.removeprefix("_check_"), ok=False,
                                reason=f"no answer within {timeout + 1:.0f} s"))
    ready = all(check.ok for check in checks)
    body = Readiness(status="ready" if ready else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
