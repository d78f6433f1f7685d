"""Canonical listings, whole, with the provenance of each field."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from api.errors import ApiError, ErrorResponse
from api.state import components as app_components
from directory.listings import Listing, load_listing, load_listings, page_listing_ids

router = APIRouter(tags=["listings"])


class ListingPage(BaseModel):
    items: list[Listing]
    next_after: str | None = Field(default=None, description="Pass as `after` for more.")


@router.get("/listings", response_model=ListingPage, responses={422: {"model": ErrorResponse}})
def list_listings(
    request: Request,
    after: str | None = Query(None, max_length=64, description="The last id of a page."),
    limit: int = Query(50, ge=1, le=200),
) -> ListingPage:
    """Every listing in id order, a page at a time (withdrawn ones included, marked)."""
    engine = app_components(request).engine
    ids = page_listing_ids(engine, after, limit)
    return ListingPage(items=load_listings(engine, ids),
                       next_after=ids[-1] if len(ids) == limit else None)


@router.get("/listings/{listing_id}", response_model=Listing,
            responses={404: {"model": ErrorResponse}})
def get_listing(request: Request, listing_id: str) -> Listing:
    """One listing with its organisation, venues, hours, eligibility and provenance."""
    listing = load_listing(app_components(request).engine, listing_id)
    if listing is None:
        raise ApiError(404, "listing_not_found", f"No listing has the id {listing_id!r}.")
    return listing
