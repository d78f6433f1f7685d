"""What a search asks for and what it answers: the contract every backend honours."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from search.geo import Locality, Place
from search.opening import OpenAt


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"


class Filters(BaseModel):
    """Values within one filter are alternatives (OR); different filters all apply (AND)."""

    categories: list[str] = []
    boroughs: list[str] = []
    free: bool | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    languages: list[str] = []
    delivery_modes: list[str] = []
    accessibility: list[str] = []
    open_at: OpenAt | None = None


class SearchQuery(BaseModel):
    text: str = ""
    place: Place | None = None
    radius_km: float = Field(default=5.0, gt=0)
    filters: Filters = Filters()
    sort: SortOrder = SortOrder.RELEVANCE
    limit: int = Field(default=20, ge=1, le=100)
    after: list[float | str] | None = Field(
        default=None, description="Sort values of the last hit of the previous page."
    )
    today: date = Field(description="Reference date for freshness (pinned by the cursor).")

    @property
    def by_distance(self) -> bool:
        """Distance order needs a place; without one the order is relevance."""
        return self.sort is SortOrder.DISTANCE and self.place is not None


class SearchHit(BaseModel):
    id: str
    name: str
    organization: str | None = None
    categories: list[str] = []
    delivery_modes: list[str] = []
    is_free: bool | None = None
    boroughs: list[str] = []
    score: float
    distance_km: float | None = Field(
        default=None, description="To the nearest venue, when a place was given."
    )
    locality: Locality | None = Field(
        default=None, description="near (a venue within the radius), borough, london, national."
    )
    highlights: dict[str, list[str]] = Field(
        default={}, description="Fragments with matches in <mark>; everything else escaped."
    )
    sort_values: list[float | str] = Field(default=[], exclude=True)


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchPage(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]


class SuggestQuery(BaseModel):
    text: str
    place: Place | None = None
    limit: int = Field(default=8, ge=1, le=20)


SuggestionKind = Literal["service", "organization", "category", "term"]


class Suggestion(BaseModel):
    text: str
    kind: SuggestionKind
    listing_id: str | None = Field(default=None, description="For service suggestions.")
