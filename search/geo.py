"""Places, distances and how local a service's area is to a place."""

from __future__ import annotations

import math
import re
from enum import StrEnum

from pydantic import BaseModel, Field

EARTH_RADIUS_KM = 6371.0088
LONDON_REGION = "E12000007"
NATIONAL_AREA = "national"
LONDON_AREA = "london"
# Outward-code areas wholly in Greater London (outward codes carry no borough).
_LONDON_POSTCODE_AREAS = frozenset({"EC", "WC", "E", "N", "NW", "SE", "SW", "W"})


class Place(BaseModel):
    """Where the person is: coordinates, and the borough when a unit postcode gave it."""

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    lad_code: str | None = None
    in_london: bool = False
    label: str | None = None

    def area_keys(self) -> dict[str, str]:
        """Service-area keys that cover this place, mapped to their locality tier."""
        keys = {NATIONAL_AREA: "national"}
        if self.in_london:
            keys[LONDON_AREA] = "london"
        if self.lad_code:
            keys[self.lad_code] = "borough"
        return keys


class Locality(StrEnum):
    NEAR = "near"  # a venue within the radius
    BOROUGH = "borough"
    LONDON = "london"
    NATIONAL = "national"


def is_london_outcode(outcode: str) -> bool:
    area = re.match(r"[A-Z]+", outcode.upper())
    return bool(area) and area.group(0) in _LONDON_POSTCODE_AREAS


def area_key(extent_type: str | None, code: str | None) -> str | None:
    """The key a service area is indexed under: a GSS code, ``london`` or ``national``."""
    kind = (extent_type or "").lower()
    if kind == "national":
        return NATIONAL_AREA
    if kind == "london" or code == LONDON_REGION:
        return LONDON_AREA
    return code or None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle."""
    d_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    d_lon = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon
