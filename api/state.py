"""The application's long-lived objects, as routers reach them from a request.

Only this module knows they live on ``app.state``.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from signpost.wiring import Components


def components(request: Request) -> Components:
    return request.app.state.components  # type: ignore[no-any-return]


def engine(request: Request) -> Engine:
    return components(request).engine
