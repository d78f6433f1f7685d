"""The embedded backend's ranking: candidates' sort keys, facet counts, pages and hits.

A ``Ranking`` holds every candidate of one search in order, with its facet counts, so any
page of it (a cursor is a sort key) is a binary search away. Place-less rankings depend
only on the words, filters and day, so a snapshot keeps the recent ones (``RankingCache``).
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from search.document import SearchDocument
from search.facets import FACET_FIELDS, facet_values
from search.filtering import passes
from search.locality import NO_DISTANCE, locality, nearest_km
from search.query import FacetValue, Filters, SearchHit, SearchQuery

Key = tuple[float | str, ...]
Ranked = tuple[Key, int]  # (sort key, rowid): the smallest key ranks first
_NO_FILTERS = Filters()
CACHED_RANKINGS = 32


def order_key(values: Sequence[float | str], by_distance: bool) -> Key:
    """The sort key of a hit's sort values (which the cursor carries)."""
    if by_distance:
        distance, score, doc_id = values
        return (float(distance), -float(score), str(doc_id))
    score, doc_id = values
    return (-float(score), str(doc_id))


def rank_candidates(
    docs: Mapping[int, SearchDocument], freshness: Mapping[int, float],
    scores: Mapping[int, float], query: SearchQuery,
) -> list[Ranked]:
    """The candidates that pass the filters and are in the place's scope, best first.

    The inner loop of broad searches: one tuple per candidate and no more."""
    filters = query.filters if query.filters != _NO_FILTERS else None
    place, radius, by_distance = query.place, query.radius_km, query.by_distance
    ranked: list[Ranked] = []
    for rowid, text_score in scores.items():
        doc = docs.get(rowid)
        if doc is None or (filters is not None and not passes(doc, filters)):
            continue
        if place is None:
            ranked.append(((-text_score * freshness[rowid], doc.id), rowid))
            continue
        distance = nearest_km(doc.venues, place)
        found = locality(distance, doc.area_keys, place, radius)
        if found is None:
            continue
        if by_distance:
            key: Key = (NO_DISTANCE if distance is None else distance, -found[1], doc.id)
        else:
            key = (-text_score * found[1] * freshness[rowid], doc.id)
        ranked.append((key, rowid))
    ranked.sort()
    return ranked


@dataclass(frozen=True)
class Ranking:
    ranked: list[Ranked]
    facets: dict[str, list[FacetValue]]

    @classmethod
    def of(cls, ranked: list[Ranked],
           doc_facets: Mapping[int, tuple[tuple[str, str], ...]]) -> Ranking:
        pairs = Counter(chain.from_iterable(doc_facets[rowid] for _, rowid in ranked))
        counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACET_FIELDS}
        for (facet, value), count in pairs.items():
            counts[facet][value] = count
        return cls(ranked, {facet: facet_values(facet, c) for facet, c in counts.items()})

    def page(self, query: SearchQuery) -> list[Ranked]:
        start = 0
        if query.after is not None:
            after = order_key(query.after, query.by_distance)
            start = bisect.bisect_right(self.ranked, after, key=lambda ranked: ranked[0])
        return self.ranked[start:start + query.limit]


class RankingCache:
    """The most recent place-less rankings of one snapshot, by words, filters and day."""

    def __init__(self, size: int = CACHED_RANKINGS) -> None:
        self.size = size
        self._rankings: OrderedDict[str, Ranking] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, build: Callable[[], Ranking]) -> Ranking:
        with self._lock:
            found = self._rankings.get(key)
            if found is not None:
                self._rankings.move_to_end(key)
                return found
        ranking = build()
        with self._lock:
            self._rankings[key] = ranking
            while len(self._rankings) > self.size:
                self._rankings.popitem(last=False)
        return ranking


def make_hit(doc: SearchDocument, key: Key, query: SearchQuery) -> SearchHit:
    distance, tier = None, None
    if query.place is not None:
        distance = nearest_km(doc.venues, query.place)
        found = locality(distance, doc.area_keys, query.place, query.radius_km)
        tier = found[0] if found else None
    if query.by_distance:
        score = -float(key[1])
        values: list[float | str] = [key[0], score, doc.id]
    else:
        score = -float(key[0])
        values = [score, doc.id]
    return SearchHit(
        id=doc.id, name=doc.name, organization=doc.organization,
        categories=doc.categories, delivery_modes=doc.delivery_modes, is_free=doc.is_free,
        boroughs=doc.boroughs, score=score,
        distance_km=round(distance, 3) if distance is not None else None,
        locality=tier, sort_values=values,
    )
