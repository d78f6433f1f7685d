"""A search query in Elasticsearch's query DSL, with the shared ranking constants.

score = text x function_score(exact name, phrase) x function_score(locality, max)
      x function_score(freshness, max with a floor)
The filters say what ``search.filtering.passes`` says, as query clauses.
"""

from __future__ import annotations

from typing import Any

from search.elasticsearch_mapping import TYPO_FIELD
from search.facets import FACET_FIELDS, FACET_SIZE
from search.geo import Place
from search.plan import TextPlan
from search.query import Filters, SearchQuery
from search.ranking import (
    AREA_WEIGHTS,
    DISTANCE_DECAY,
    DISTANCE_OFFSET_KM,
    EXACT_NAME_BOOST,
    EXPANSION_WEIGHT,
    FIELD_WEIGHTS,
    FRESHNESS_DECAY,
    FRESHNESS_FLOOR,
    FRESHNESS_OFFSET_DAYS,
    FRESHNESS_SCALE_DAYS,
    FUZZY_WEIGHT,
    NEAR_FLOOR,
    PHRASE_BOOST,
    PREFIX_WEIGHT,
    distance_scale,
)
from search.text import MARK_CLOSE, MARK_OPEN

Clause = dict[str, Any]
_FIELD_PATHS = {"categories": "categories.text"}
TEXT_FIELDS = [f"{_FIELD_PATHS.get(f, f)}^{w}" for f, w in FIELD_WEIGHTS.items()]
PREFIX_FIELDS = ["name.plain", "organization.plain", "categories.plain"]
# What a hit shows, and what its distance and locality need: nothing else is fetched.
HIT_SOURCE = ["id", "name", "organization", "categories", "delivery_modes", "is_free",
              "boroughs", "venues", "area_keys"]


def text_clause(plan: TextPlan) -> Clause:
    words = " ".join(plan.words)
    should: list[Clause] = [
        {"multi_match": {"query": words, "fields": TEXT_FIELDS, "type": "best_fields",
                         "tie_breaker": 0.3}},
        # Typos are corrected against the words as written ("bereavment" is one edit from
        # "bereavement", three from its stem "bereave"), on the one field holding them all.
        {"match": {TYPO_FIELD: {"query": words, "fuzziness": "AUTO", "prefix_length": 1,
                                "max_expansions": 20, "boost": FUZZY_WEIGHT}}},
    ]
    if plan.prefix:
        should.append({"multi_match": {"query": plan.prefix, "type": "phrase_prefix",
                                       "fields": PREFIX_FIELDS, "boost": PREFIX_WEIGHT}})
    should.extend(
        {"multi_match": {"query": phrase, "type": "phrase", "fields": TEXT_FIELDS,
                         "boost": EXPANSION_WEIGHT}}
        for phrase in plan.expansions
    )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _highlight_clause(plan: TextPlan) -> Clause:
    """What to mark: the words and expansions as written, without typo correction (a
    highlighter rewriting fuzzy queries per hit costs more than the search itself)."""
    text = " ".join([*plan.words, *plan.expansions])
    return {"multi_match": {"query": text, "fields": ["name", "description"]}}


def _point(place: Place) -> dict[str, float]:
    return {"lat": place.latitude, "lon": place.longitude}


def _within(place: Place, radius_km: float) -> Clause:
    return {"geo_distance": {"distance": f"{radius_km}km", "location": _point(place)}}


def filter_clauses(filters: Filters, place: Place | None, radius_km: float) -> list[Clause]:
    clauses: list[Clause] = []
    for field, values in (
        ("categories", filters.categories), ("boroughs", filters.boroughs),
        ("languages", filters.languages), ("delivery_modes", filters.delivery_modes),
        ("accessibility", filters.accessibility),
    ):
        if values:
            clauses.append({"terms": {field: values}})
    if filters.free is not None:
        clauses.append({"term": {"is_free": filters.free}})
    if filters.age is not None:
        clauses.append({"bool": {"must_not": [
            {"range": {"age_min": {"gt": filters.age}}},
            {"range": {"age_max": {"lt": filters.age}}},
        ]}})
    if filters.open_at is not None:
        when = filters.open_at
        clauses.append({"bool": {"minimum_should_match": 1, "should": [
            {"term": {"special_open": when.moment.isoformat()}},
            {"bool": {
                "filter": [{"term": {"open_week": when.week_minute}}],
                "must_not": [{"term": {"holiday_dates": when.local_date.isoformat()}}],
            }},
        ]}})
    if place is not None:
        clauses.append({"bool": {"minimum_should_match": 1, "should": [
            _within(place, radius_km),
            {"terms": {"area_keys": sorted(place.area_keys())}},
        ]}})
    return clauses


def _boosted(query: Clause, plan: TextPlan) -> Clause:
    functions: list[Clause] = [
        {"filter": {"term": {"name_key": plan.name_key}}, "weight": EXACT_NAME_BOOST},
    ]
    if plan.phrase:
        functions.append({
            "filter": {"multi_match": {"query": plan.phrase, "type": "phrase",
                                       "fields": TEXT_FIELDS}},
            "weight": PHRASE_BOOST,
        })
    return {"function_score": {"query": query, "functions": functions,
                               "score_mode": "multiply", "boost_mode": "multiply"}}


def _local(query: Clause, place: Place, radius_km: float) -> Clause:
    """Every hit matches one function at least (the place filter sees to it)."""
    functions: list[Clause] = [
        {"filter": _within(place, radius_km), "gauss": {"location": {
            "origin": _point(place), "offset": f"{DISTANCE_OFFSET_KM}km",
            "scale": f"{distance_scale(radius_km)}km", "decay": DISTANCE_DECAY,
        }}},
        {"filter": _within(place, radius_km), "weight": NEAR_FLOOR},
    ]
    functions.extend(
        {"filter": {"term": {"area_keys": key}}, "weight": AREA_WEIGHTS[tier]}
        for key, tier in sorted(place.area_keys().items())
    )
    return {"function_score": {"query": query, "functions": functions,
                               "score_mode": "max", "boost_mode": "multiply"}}


def _fresh(query: Clause, search: SearchQuery) -> Clause:
    return {"function_score": {"query": query, "score_mode": "max", "boost_mode": "multiply",
                               "functions": [
        {"gauss": {"confirmed_on": {
            "origin": search.today.isoformat(), "offset": f"{FRESHNESS_OFFSET_DAYS}d",
            "scale": f"{FRESHNESS_SCALE_DAYS}d", "decay": FRESHNESS_DECAY,
        }}},
        {"weight": FRESHNESS_FLOOR},
    ]}}


def request_body(search: SearchQuery, plan: TextPlan) -> dict[str, Any]:
    filters = filter_clauses(search.filters, search.place, search.radius_km)
    by_distance = search.by_distance
    if plan.empty:
        query: Clause = {"constant_score": {"filter": {"bool": {"filter": filters}}}}
    elif by_distance:
        query = {"constant_score": {"filter": {"bool": {
            "filter": [*filters, text_clause(plan)]}}}}
    else:
        query = _boosted({"bool": {"must": [text_clause(plan)], "filter": filters}}, plan)
    if search.place is not None:
        query = _local(query, search.place, search.radius_km)
    sort: list[Any] = [{"_score": "desc"}, {"id": "asc"}]
    if by_distance:
        assert search.place is not None
        sort.insert(0, {"_geo_distance": {"location": _point(search.place), "order": "asc",
                                          "unit": "km", "mode": "min"}})
    else:
        query = _fresh(query, search)
    body: dict[str, Any] = {
        "query": query,
        "sort": sort,
        "size": search.limit,
        "track_total_hits": True,
        "_source": HIT_SOURCE,
        # A query-string parameter the client takes with the body: repeated searches (the
        # same words and filters, no coordinates) are answered from the shard's cache, which
        # every refresh that changes the index invalidates.
        "request_cache": True,
        "aggs": {facet: {"terms": {"field": field, "size": FACET_SIZE}}
                 for facet, field in FACET_FIELDS.items()},
    }
    if search.after is not None:
        body["search_after"] = search.after
    if not plan.empty:
        body["highlight"] = {
            # The plain highlighter re-analyses a hit's short name and description: cheaper
            # than the unified one seeking each of a query's many expanded terms per hit.
            "type": "plain", "pre_tags": [MARK_OPEN], "post_tags": [MARK_CLOSE],
            "highlight_query": _highlight_clause(plan),
            "fields": {"name": {"number_of_fragments": 0},
                       "description": {"fragment_size": 160, "number_of_fragments": 1}},
        }
    return body
