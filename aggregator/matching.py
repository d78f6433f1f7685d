"""Score whether two mapped records describe the same service.

Matching is two steps. *Blocking* gives each record a few keys (postcode, phone, e-mail,
domain, identifiers, distinctive name words within an area) and compares only records that
share one, so work stays near-linear. *Scoring* weighs the signals two records share and
explains the result per signal. Two thresholds turn a score into a decision: at or above
``AUTO_MERGE`` the records are merged; at or above ``POSSIBLE`` they go to a steward's review
queue. A charity number alone never merges: one charity runs many distinct food banks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from aggregator.features import MatchFeatures, metres_between, outward_code

AUTO_MERGE = 0.7
POSSIBLE = 0.5

# Words that appear in so many service names that sharing one proves nothing.
_COMMON_WORDS = {
    "group", "club", "service", "services", "support", "centre", "center", "community",
    "project", "and", "for", "the", "with", "drop", "advice", "help", "people", "older",
    "young", "adults", "children", "family", "families", "london", "local", "network",
    "association", "society", "trust", "charity", "foodbank", "session", "sessions",
}


@lru_cache(maxsize=262_144)
def _distinctive_words(name: str) -> frozenset[str]:
    """Cached: every record's name is compared with many candidates' names."""
    return frozenset(w for w in name.split() if len(w) >= 3 and w not in _COMMON_WORDS)


def blocking_keys(features: MatchFeatures) -> set[str]:
    keys = {f"ph:{p}" for p in features.phones}
    keys |= {f"em:{e}" for e in features.emails}
    keys |= {f"dm:{d}" for d in features.domains}
    keys |= {f"pc:{p}" for p in features.postcodes}
    keys |= {f"cn:{c}" for c in features.charity_numbers}
    keys |= {f"co:{c}" for c in features.company_numbers}
    areas = {outward_code(p) for p in features.postcodes} | set(features.boroughs) or {"-"}
    for word in _distinctive_words(features.name):
        keys |= {f"nw:{area}:{word}" for area in areas}
    return keys


@dataclass(frozen=True)
class MatchScore:
    score: float
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def decision(self) -> str:
        if self.score >= AUTO_MERGE:
            return "auto_merge"
        if self.score >= POSSIBLE:
            return "possible"
        return "distinct"

    def explanation(self) -> dict[str, float]:
        return {name: round(value, 3) for name, value in self.signals.items()}


def name_similarity(a: str, b: str) -> float:
    """0..1: word order, spacing and typos forgiven; different distinctive words are not.

    "Camden Community Choir" and "Camden Community Fridge" share most of their letters but
    differ in the one word that says what they are, so they score at most 0.5.
    """
    if not a or not b:
        return 0.0
    unspaced = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    whole = max(fuzz.token_sort_ratio(a, b), unspaced)
    if unspaced >= 90:  # a typo or a space in the wrong place, not a different word
        return whole / 100
    words_a, words_b = _distinctive_words(a), _distinctive_words(b)
    only_a, only_b = words_a - words_b, words_b - words_a
    if only_a and only_b:
        differing = fuzz.ratio(" ".join(sorted(only_a)), " ".join(sorted(only_b)))
        if differing < 70:
            return min(whole, 50.0) / 100
    return whole / 100


def _place_similarity(a: MatchFeatures, b: MatchFeatures) -> float | None:
    """1 for the same postcode or within 100 m; None when either has no venue."""
    if a.postcodes & b.postcodes:
        return 1.0
    if a.points and b.points:
        nearest = min(metres_between(p, q) for p in a.points for q in b.points)
        if nearest <= 100:
            return 1.0
        if nearest <= 400:
            return 0.5
        return 0.0
    return None


# Name similarity is the backbone; shared contact details, venue and identifiers
# corroborate it, up to a cap, so that no amount of shared contact details merges two
# differently named services on its own (one charity's switchboard serves many).
NAME_WEIGHT = 0.6
CORROBORATION = {"phone": 0.25, "email": 0.25, "domain": 0.15, "place": 0.25,
                 "identifier": 0.1, "organization": 0.1}
MAX_CORROBORATION = 0.45
DIFFERENT_VENUE_PENALTY = 0.3
# Per conflict: a phone or e-mail both give but do not share, or differently named
# organisations running them.
CONFLICT_PENALTY = 0.1
DIFFERENT_ORGANIZATION = 0.6
WEAK_NAME = 0.7
STRONG_CORROBORATION = 0.7
IDENTICAL_NAME = 0.97
IDENTICAL_NAME_BONUS = 0.2


def _signals(a: MatchFeatures, b: MatchFeatures, name: float) -> dict[str, float]:
    signals: dict[str, float] = {"name": name}
    if a.phones and b.phones:
        signals["phone"] = 1.0 if a.phones & b.phones else 0.0
    if a.emails and b.emails:
        signals["email"] = 1.0 if a.emails & b.emails else 0.0
    if a.domains & b.domains:
        signals["domain"] = 1.0
    place = _place_similarity(a, b)
    if place is not None:
        signals["place"] = place
    if a.organization and b.organization:
        signals["organization"] = name_similarity(a.organization, b.organization)
    if (a.charity_numbers & b.charity_numbers) or (a.company_numbers & b.company_numbers):
        signals["identifier"] = 1.0
    return signals


def _share_contact(a: MatchFeatures, b: MatchFeatures) -> bool:
    return bool(a.phones & b.phones or a.emails & b.emails or a.domains & b.domains
                or a.charity_numbers & b.charity_numbers
                or a.company_numbers & b.company_numbers)


def score_pair(a: MatchFeatures, b: MatchFeatures) -> MatchScore:
    name = name_similarity(a.name, b.name)
    if name < WEAK_NAME and not _share_contact(a, b):
        # Without an exact shared contact or identifier, a weak name cannot reach even the
        # review queue (venue and organisation alone corroborate too little): stop here.
        return MatchScore(0.0, {"name": name})
    signals = _signals(a, b, name)
    corroboration = sum(
        CORROBORATION[k] * (v if k != "organization" else float(v >= 0.9))
        for k, v in signals.items() if k in CORROBORATION
    )
    score = NAME_WEIGHT * name + min(MAX_CORROBORATION, corroboration)
    different_venue = signals.get("place") == 0.0
    if different_venue:
        score -= DIFFERENT_VENUE_PENALTY
    conflicts = sum(signals.get(k) == 0.0 for k in ("phone", "email"))
    conflicts += signals.get("organization", 1.0) < DIFFERENT_ORGANIZATION
    score -= CONFLICT_PENALTY * conflicts
    if name < WEAK_NAME:
        # A weak name never merges. It reaches the review queue with two exact
        # corroborations, or three when the names' distinctive words differ (a community
        # centre's groups share its phone and postcode, but are different services).
        needed = STRONG_CORROBORATION if name <= 0.5 else 0.5
        score = min(score, POSSIBLE + 0.05 if corroboration >= needed else POSSIBLE - 0.01)
    elif name >= IDENTICAL_NAME and not different_venue and conflicts < 2:
        score += IDENTICAL_NAME_BONUS
    return MatchScore(max(0.0, min(1.0, score)), signals)
