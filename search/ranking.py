"""Ranking constants and the score factors both backends apply the same way.

Final score = text relevance x boosts (exact name, phrase) x locality x freshness. Each
factor is a multiplier, so the two backends' different text-score scales do not change
how much being near or being fresh matters.
"""

from __future__ import annotations

import math
from datetime import date

FIELD_WEIGHTS: dict[str, float] = {
    "name": 4.0,
    "categories": 3.0,
    "organization": 2.0,
    "description": 1.0,
}
EXPANSION_WEIGHT = 0.6  # matches through the everyday-language vocabulary
FUZZY_WEIGHT = 0.5  # matches through a corrected typo
PREFIX_WEIGHT = 0.5  # the last word while it is still being typed
EXACT_NAME_BOOST = 3.0
PHRASE_BOOST = 1.5

# Locality: a venue's distance decays as a Gaussian scaled to the radius asked for (half
# as relevant at half the radius), never below NEAR_FLOOR within the radius; services with
# no venue near score by how local their service area is, always below a venue near.
DISTANCE_OFFSET_KM = 0.3
DISTANCE_DECAY = 0.5
NEAR_FLOOR = 0.61
AREA_WEIGHTS: dict[str, float] = {"borough": 0.6, "london": 0.4, "national": 0.25}

# Freshness: unconfirmed listings sink (half as relevant 18 months after a review), never
# below the floor.
FRESHNESS_OFFSET_DAYS = 180
FRESHNESS_SCALE_DAYS = 365
FRESHNESS_DECAY = 0.5
FRESHNESS_FLOOR = 0.3

# Suggestions
SUGGEST_WEIGHTS: dict[str, int] = {"service": 10, "organization": 6, "category": 8, "term": 7}


def gauss(value: float, offset: float, scale: float, decay: float) -> float:
    """Elasticsearch's ``gauss`` decay: 1 within ``offset``, ``decay`` at ``offset+scale``."""
    sigma_squared = -(scale**2) / (2 * math.log(decay))
    distance = max(0.0, abs(value) - offset)
    return math.exp(-(distance**2) / (2 * sigma_squared))


def distance_scale(radius_km: float) -> float:
    return max(radius_km / 2 - DISTANCE_OFFSET_KM, 0.1)


def distance_factor(distance_km: float, radius_km: float) -> float:
    """For a venue within the radius."""
    decayed = gauss(distance_km, DISTANCE_OFFSET_KM, distance_scale(radius_km), DISTANCE_DECAY)
    return max(decayed, NEAR_FLOOR)


def freshness_factor(confirmed: date, today: date) -> float:
    age_days = (today - confirmed).days
    decayed = gauss(age_days, FRESHNESS_OFFSET_DAYS, FRESHNESS_SCALE_DAYS, FRESHNESS_DECAY)
    return max(decayed, FRESHNESS_FLOOR)
