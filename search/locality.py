"""How near a listing is to a place: distance to its nearest venue and its locality tier."""

from __future__ import annotations

from collections.abc import Sequence

from search.document import Venue
from search.geo import Locality, Place, haversine_km
from search.ranking import AREA_WEIGHTS, distance_factor

NO_DISTANCE = 1e9  # sort value of a listing with no venue (JSON has no infinity)


def nearest_km(venues: Sequence[Venue], place: Place) -> float | None:
    if not venues:
        return None
    return min(haversine_km(place.latitude, place.longitude, v.latitude, v.longitude)
               for v in venues)


def locality(
    distance_km: float | None, area_keys: Sequence[str], place: Place, radius_km: float
) -> tuple[Locality, float] | None:
    """The best tier and its score factor, or None when the listing is out of scope."""
    options: list[tuple[float, Locality]] = []
    if distance_km is not None and distance_km <= radius_km:
        options.append((distance_factor(distance_km, radius_km), Locality.NEAR))
    covering = place.area_keys()
    for key in area_keys:
        tier = covering.get(key)
        if tier is not None:
            options.append((AREA_WEIGHTS[tier], Locality(tier)))
    if not options:
        return None
    factor, tier = max(options, key=lambda option: option[0])
    return tier, factor
