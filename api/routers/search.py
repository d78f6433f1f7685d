"""Search and suggestions for link workers: GET /search and GET /suggest."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.errors import ApiError, ErrorResponse
from api.state import components as app_components
from search.backend import SearchUnavailable
from search.cursor import Cursor, InvalidCursor
from search.geo import Place
from search.opening import LONDON, OpenAt
from search.place import PlaceNotRecognised, PlaceResolver
from search.query import (
    FacetValue,
    Filters,
    SearchHit,
    SearchQuery,
    SortOrder,
    Suggestion,
    SuggestQuery,
)
from search.service import run_search

router = APIRouter(tags=["search"])
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "Invalid parameters or unknown postcode."},
    503: {"model": ErrorResponse, "description": "The search backend cannot answer."},
}


class DeliveryMode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"


class PlaceOut(BaseModel):
    latitude: float
    longitude: float
    postcode: str | None = None
    borough: str | None = Field(default=None, description="GSS code, from a unit postcode.")


class SearchResponse(BaseModel):
    total: int
    query: str = Field(description="The search words used (a trailing postcode removed).")
    place: PlaceOut | None = None
    radius_km: float | None = None
    results: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for more.")


class SuggestResponse(BaseModel):
    suggestions: list[Suggestion]


@lru_cache(maxsize=1)
def _resolver() -> PlaceResolver:
    from directory.postcodes import default_lookup

    return PlaceResolver(default_lookup().lookup)


def _invalid(parameter: str, message: str, code: str = "invalid_request") -> ApiError:
    detail = {"location": ["query", parameter], "message": message, "type": code}
    text = "The request is not valid." if code == "invalid_request" else message
    return ApiError(422, code, text, [detail])


def _place(near: str | None, lat: float | None, lon: float | None) -> Place | None:
    if near is not None and (lat is not None or lon is not None):
        raise _invalid("near", "give either near or lat and lon, not both")
    if (lat is None) != (lon is None):
        raise _invalid("lat" if lat is None else "lon", "lat and lon go together")
    if lat is not None and lon is not None:
        return PlaceResolver.coordinates(lat, lon)
    if near is None or not near.strip():
        return None
    try:
        return _resolver().postcode(near)
    except PlaceNotRecognised as error:
        raise _invalid("near", str(error), "postcode_not_recognised") from error


def _json(body: BaseModel) -> Response:
    """The body serialised once, here: returning a Response spares FastAPI validating the
    response model again (on another worker thread) before it serialises it."""
    return Response(body.model_dump_json(), media_type="application/json")


def _unavailable(error: SearchUnavailable) -> ApiError:
    return ApiError(503, "search_unavailable", str(error).splitlines()[0])


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
def search(
    request: Request,
    q: str = Query("", max_length=200, description="What the person needs, in any words."),
    near: str | None = Query(None, max_length=20, description="Postcode or outward code."),
    lat: float | None = Query(None, ge=-90, le=90),
    lon: float | None = Query(None, ge=-180, le=180),
    radius_km: float | None = Query(None, gt=0, description="Default and maximum: settings."),
    category: list[str] = Query([], description="Category names (any of)."),
    borough: list[str] = Query([], description="Borough GSS codes (any of)."),
    free: bool | None = Query(None),
    age: int | None = Query(None, ge=0, le=130, description="The person's age."),
    language: list[str] = Query([]),
    delivery_mode: list[DeliveryMode] = Query([]),
    accessibility: list[str] = Query([]),
    open_now: bool = Query(False),
    open_at: datetime | None = Query(None, description="ISO time; Europe/London if naive."),
    sort: SortOrder = Query(SortOrder.RELEVANCE),
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, max_length=2000),
) -> Response:
    """Keyword and location search with filters, facet counts and highlights."""
    components = app_components(request)
    settings = components.settings
    if radius_km is not None and radius_km > settings.search_max_radius_km:
        raise _invalid("radius_km", f"at most {settings.search_max_radius_km:g} km")
    if open_now and open_at is not None:
        raise _invalid("open_at", "give either open_now or open_at, not both")
    place = _place(near, lat, lon)
    text = q
    if place is None:
        text, place = _resolver().split_text(q)
    if sort is SortOrder.DISTANCE and place is None:
        raise _invalid("sort", "sorting by distance needs a place (near, or lat and lon)")
    moment = datetime.now(UTC) if open_now else open_at
    decoded = None
    if cursor is not None:
        try:
            decoded = Cursor.decode(cursor)
        except InvalidCursor as error:
            raise _invalid("cursor", str(error)) from error
    radius = radius_km or settings.search_default_radius_km
    query = SearchQuery(
        text=text, place=place, radius_km=radius, sort=sort, limit=limit,
        filters=Filters(
            categories=category, boroughs=borough, free=free, age=age, languages=language,
            delivery_modes=[mode.value for mode in delivery_mode], accessibility=accessibility,
            open_at=OpenAt.of(moment) if moment is not None else None,
        ),
        after=decoded.after if decoded else None,
        today=decoded.today if decoded else datetime.now(LONDON).date(),
    )
    try:
        page = run_search(components.search, query)
    except SearchUnavailable as error:
        raise _unavailable(error) from error
    next_cursor = None
    if len(page.hits) == limit:
        next_cursor = Cursor(after=page.hits[-1].sort_values, today=query.today).encode()
    return _json(SearchResponse(
        total=page.total, query=text, results=page.hits, facets=page.facets,
        next_cursor=next_cursor, radius_km=radius if place else None,
        place=PlaceOut(latitude=place.latitude, longitude=place.longitude,
                       postcode=place.label, borough=place.lad_code) if place else None,
    ))


@router.get("/suggest", response_model=SuggestResponse, responses=ERRORS)
def suggest(
    request: Request,
    q: str = Query(..., min_length=1, max_length=100, description="What has been typed."),
    near: str | None = Query(None, max_length=20, description="Prefer suggestions near."),
    lat: float | None = Query(None, ge=-90, le=90),
    lon: float | None = Query(None, ge=-180, le=180),
    limit: int = Query(8, ge=1, le=20),
) -> Response:
    """Service and organisation names, categories and everyday terms, while typing."""
    place = _place(near, lat, lon)
    try:
        found = app_components(request).search.suggest(
            SuggestQuery(text=q, place=place, limit=limit))
    except SearchUnavailable as error:
        raise _unavailable(error) from error
    return _json(SuggestResponse(suggestions=found))
