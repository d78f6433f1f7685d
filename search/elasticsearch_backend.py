"""The Elasticsearch backend, for scale and production.

Searches read an alias; each rebuild writes a new versioned index (``<alias>-v<time>``),
then moves the alias to it in one atomic request and deletes the old ones, so searches
never see a half-built index. Incremental writes go through the alias.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from search.backend import IndexStatus, SearchUnavailable
from search.document import SearchDocument, Venue
from search.elasticsearch_mapping import MAPPINGS, SETTINGS, source_of
from search.elasticsearch_query import request_body
from search.facets import facet_values
from search.locality import NO_DISTANCE, locality, nearest_km
from search.plan import plan_text
from search.query import SearchHit, SearchPage, SearchQuery, Suggestion, SuggestQuery
from search.suggesting import Candidate, CandidateIndex, matches, rank, term_index
from search.text import normalise, safe_highlight
from search.vocabulary import VocabularySource

BULK_CHUNK = 1000
CATEGORY_CACHE_S = 60.0


def make_client(url: str, timeout_s: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout_s, max_retries=1, retry_on_timeout=False)


def _sort_value(value: Any) -> float | str:
    """JSON has no infinity: a listing with no venue sorts at NO_DISTANCE."""
    if isinstance(value, float) and value == float("inf"):
        return NO_DISTANCE
    return value  # type: ignore[no-any-return]


def suggest_body(typed: str, size: int) -> dict[str, Any]:
    """Completion suggestions for service and organisation names, typo tolerant."""
    completion = {"size": size, "fuzzy": {"fuzziness": "AUTO"}}
    return {
        "size": 0,
        "_source": ["name", "organization", "venues"],
        "suggest": {
            "service": {"prefix": typed,
                        "completion": {"field": "suggest_name", **completion}},
            "organization": {"prefix": typed, "completion": {
                "field": "suggest_org", "skip_duplicates": True, **completion}},
        },
    }


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, alias: str, vocabulary: VocabularySource) -> None:
        self.client = client
        self.alias = alias
        self.vocabulary = vocabulary
        self._categories: tuple[float, CandidateIndex] | None = None
        self._lock = threading.Lock()

    # -- operations -----------------------------------------------------------------------

    def check(self) -> None:
        # GET / is not served by the core distribution, so health is the readiness probe.
        try:
            health = self.client.cluster.health(wait_for_status="yellow", timeout="1s")
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(f"Elasticsearch is unreachable: {error}") from error
        if health.get("timed_out") or health.get("status") not in {"green", "yellow"}:
            raise SearchUnavailable(f"Elasticsearch cluster status is {health.get('status')}")

    def _new_index(self, bulk_loading: bool = False) -> str:
        name = f"{self.alias}-v{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        settings = {**SETTINGS, "refresh_interval": "-1" if bulk_loading else "1s"}
        self.client.indices.create(index=name, settings=settings, mappings=MAPPINGS)
        return name

    def _indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        """Create an empty versioned index behind the alias if there is none."""
        if not self._indices():
            name = self._new_index()
            self.client.indices.put_alias(index=name, name=self.alias)

    def _bulk(self, index: str, actions: Iterable[dict[str, Any]], refresh: bool) -> None:
        for ok, item in helpers.streaming_bulk(
            self.client, actions, index=index, chunk_size=BULK_CHUNK, raise_on_error=False,
            refresh="wait_for" if refresh else False,
        ):
            action, result = next(iter(item.items()))
            if not ok and not (action == "delete" and result.get("status") == 404):
                raise SearchUnavailable(f"Elasticsearch refused a document: {result}")

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        self.ensure_index()
        actions = ({"_id": d.id, "_source": source_of(d)} for d in documents)
        self._bulk(self.alias, actions, refresh=True)

    def delete(self, ids: Sequence[str]) -> None:
        self.ensure_index()
        self._bulk(self.alias, ({"_op_type": "delete", "_id": i} for i in ids), refresh=True)

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        index = self._new_index(bulk_loading=True)
        count = 0

        def actions() -> Iterable[dict[str, Any]]:
            nonlocal count
            for batch in batches:
                count += len(batch)
                yield from ({"_id": d.id, "_source": source_of(d)} for d in batch)

        try:
            self._bulk(index, actions(), refresh=False)
            self.client.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
            self.client.indices.refresh(index=index)
        except BaseException:
            self.client.indices.delete(index=index, ignore_unavailable=True)
            raise
        old = self._indices()
        self.client.indices.update_aliases(actions=[
            *({"remove": {"index": name, "alias": self.alias}} for name in old),
            {"add": {"index": index, "alias": self.alias}},
        ])
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return count

    def status(self) -> IndexStatus:
        indices = self._indices()
        if not indices:
            return IndexStatus(backend=self.name, index=self.alias, documents=0)
        index = indices[-1]
        created = self.client.indices.get_settings(index=index)[index]["settings"]["index"]
        count = self.client.count(index=self.alias)["count"]
        return IndexStatus(
            backend=self.name, index=index, documents=count,
            built_at=datetime.fromtimestamp(int(created["creation_date"]) / 1000, UTC),
        )

    # -- search -----------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        plan = plan_text(query.text, self.vocabulary.current())
        body = request_body(query, plan)
        if body.get("search_after"):
            body["search_after"] = [
                "Infinity" if value == NO_DISTANCE else value for value in body["search_after"]
            ]
        response = self._call(lambda: self.client.search(index=self.alias, **body))
        hits = [self._hit(raw, query) for raw in response["hits"]["hits"]]
        facets = {}
        for facet, aggregation in response["aggregations"].items():
            counts = {str(b.get("key_as_string", b["key"])): b["doc_count"]
                      for b in aggregation["buckets"]}
            facets[facet] = facet_values(facet, counts)  # type: ignore[arg-type]
        return SearchPage(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def _call(self, request: Any) -> Any:
        try:
            return request()
        except NotFoundError:
            self.ensure_index()
            return request()
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(f"Elasticsearch could not answer: {error}") from error

    @staticmethod
    def _hit(raw: dict[str, Any], query: SearchQuery) -> SearchHit:
        source = raw["_source"]
        distance, tier = None, None
        if query.place is not None:
            venues = [Venue.model_validate(venue) for venue in source.get("venues", [])]
            distance = nearest_km(venues, query.place)
            found = locality(distance, source.get("area_keys", []), query.place,
                             query.radius_km)
            tier = found[0] if found else None
        highlights = {field: [safe_highlight(f) for f in fragments]
                      for field, fragments in raw.get("highlight", {}).items()}
        return SearchHit(
            id=source["id"], name=source["name"], organization=source.get("organization"),
            categories=source.get("categories", []),
            delivery_modes=source.get("delivery_modes", []), is_free=source.get("is_free"),
            boroughs=source.get("boroughs", []), score=raw["_score"] or 0.0,
            distance_km=round(distance, 3) if distance is not None else None, locality=tier,
            highlights=highlights, sort_values=[_sort_value(v) for v in raw["sort"]],
        )

    # -- suggest ----------------------------------------------------------------------------

    def _category_index(self) -> CandidateIndex:
        """Category names, cached briefly (they change only when listings do)."""
        cached = self._categories
        if cached is not None and time.monotonic() - cached[0] < CATEGORY_CACHE_S:
            return cached[1]
        response = self._call(lambda: self.client.search(
            index=self.alias, size=0,
            aggs={"c": {"terms": {"field": "categories", "size": 5000}}},
        ))
        index = CandidateIndex(Candidate(b["key"], "category")
                               for b in response["aggregations"]["c"]["buckets"])
        with self._lock:
            self._categories = (time.monotonic(), index)
        return index

    def suggest(self, query: SuggestQuery) -> list[Suggestion]:
        typed = normalise(query.text)
        if not typed:
            return []
        wanted = query.limit * 5
        response = self._call(lambda: self.client.search(
            index=self.alias, **suggest_body(typed, wanted)))
        found: list[tuple[Candidate, bool]] = []
        for kind, field in (("service", "name"), ("organization", "organization")):
            for option in response["suggest"][kind][0]["options"]:
                source = option["_source"]
                points = tuple((v["latitude"], v["longitude"]) for v in source.get("venues", []))
                candidate = Candidate(
                    source[field], kind,  # type: ignore[arg-type]
                    option["_id"] if kind == "service" else None,
                    points if kind == "service" else (),
                )
                found.append((candidate, matches(typed, candidate.text) is True))
        found += self._category_index().find(typed, wanted)
        found += term_index(self.vocabulary.current()).find(typed, wanted)
        return rank(found, query.place, query.limit)

