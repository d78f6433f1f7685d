"""Suggestions while typing: typo-tolerant prefix matching and one ranking for both backends.

A candidate matches when the text typed is the start of one of its words' tails (so
"walk" finds "Peckham Walking Group"), exactly or within the typo allowance.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from search.document import SearchDocument
from search.geo import Place, haversine_km
from search.query import Suggestion, SuggestionKind
from search.ranking import SUGGEST_WEIGHTS, gauss
from search.text import max_edits, normalise
from search.vocabulary import Vocabulary

FUZZY_MATCH = 0.6  # a typo-corrected match weighs this much of an exact one
NEAR_BONUS = 1.0  # a candidate with a venue at the place weighs up to twice as much
BIAS_RADIUS_KM = 5.0


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: SuggestionKind
    listing_id: str | None = None
    points: tuple[tuple[float, float], ...] = field(default=())


def tails(text: str) -> list[str]:
    """``peckham walking group`` -> itself, ``walking group``, ``group``."""
    words = normalise(text).split()
    return [" ".join(words[i:]) for i in range(len(words))]


def _close(typed: str, head: str, allowance: int) -> bool:
    return Levenshtein.distance(typed, head, score_cutoff=allowance) <= allowance


def matches(typed: str, text: str) -> bool | None:
    """True for an exact prefix match, False for one within the typo allowance, else None."""
    allowance = max_edits(typed)
    fuzzy = False
    for tail in tails(text):
        if tail.startswith(typed):
            return True
        head = tail[: len(typed)]
        if allowance and head[:1] == typed[:1] and _close(typed, head, allowance):
            fuzzy = True
    return False if fuzzy else None


class CandidateIndex:
    """Candidates kept in memory, found by the tails of their words."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        pairs = sorted(
            (tail, i) for i, c in enumerate(self.candidates) for tail in tails(c.text)
        )
        self._keys = [tail for tail, _ in pairs]
        self._owners = [i for _, i in pairs]

    def find(self, typed: str, limit: int) -> list[tuple[Candidate, bool]]:
        """Up to ``limit`` candidates matching exactly, then fuzzily; (candidate, exact)."""
        found: dict[int, bool] = {}
        start = bisect.bisect_left(self._keys, typed)
        for pos in range(start, len(self._keys)):
            if not self._keys[pos].startswith(typed) or len(found) >= limit:
                break
            found.setdefault(self._owners[pos], True)
        allowance = max_edits(typed)
        if allowance and len(found) < limit:
            first = bisect.bisect_left(self._keys, typed[:1])
            last = bisect.bisect_left(self._keys, typed[:1] + "\uffff")
            for pos in range(first, last):
                owner = self._owners[pos]
                if owner in found:
                    continue
                if _close(typed, self._keys[pos][: len(typed)], allowance):
                    found[owner] = False
                    if len(found) >= limit:
                        break
        return [(self.candidates[i], exact) for i, exact in found.items()]


def _score(candidate: Candidate, exact: bool, place: Place | None) -> float:
    score = SUGGEST_WEIGHTS[candidate.kind] * (1.0 if exact else FUZZY_MATCH)
    if place is not None and candidate.points:
        nearest = min(haversine_km(place.latitude, place.longitude, lat, lon)
                      for lat, lon in candidate.points)
        score *= 1 + NEAR_BONUS * gauss(nearest, 0.0, BIAS_RADIUS_KM, 0.5)
    return score


def rank(
    found: Iterable[tuple[Candidate, bool]], place: Place | None, limit: int
) -> list[Suggestion]:
    """Best first (kind weight, exactness, nearness), one per text, ties by text."""
    best: dict[str, tuple[float, Candidate]] = {}
    for candidate, exact in found:
        score = _score(candidate, exact, place)
        key = candidate.text.lower()
        if key not in best or score > best[key][0]:
            best[key] = (score, candidate)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[1].text.lower()))
    return [
        Suggestion(text=c.text, kind=c.kind, listing_id=c.listing_id)
        for _, c in ordered[:limit]
    ]


@lru_cache(maxsize=4)
def term_index(vocabulary: Vocabulary) -> CandidateIndex:
    """The vocabulary's phrases as candidates (rebuilt when the vocabulary is reloaded)."""
    return CandidateIndex(Candidate(text=term, kind="term") for term in vocabulary.terms())


def candidates_of(doc: SearchDocument) -> list[Candidate]:
    """A document's service name, organisation and categories as suggestion candidates."""
    points = tuple((v.latitude, v.longitude) for v in doc.venues)
    found = [Candidate(doc.name, "service", doc.id, points)]
    if doc.organization:
        found.append(Candidate(doc.organization, "organization"))
    found.extend(Candidate(category, "category") for category in doc.categories)
    return found
