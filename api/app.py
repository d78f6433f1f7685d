"""The FastAPI application: routers per audience, one error format."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import fhir, health, listings, referrals, search
from signpost.settings import Settings, get_settings
from signpost.wiring import build_components


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    components = build_components(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        components.close()

    app = FastAPI(
        title="Signpost",
        summary="A federated social-prescribing community directory.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.components = components
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(referrals.router)
    app.include_router(fhir.router)
    app.include_router(search.router)
    app.include_router(listings.router)
    return app
