"""The real Elasticsearch test node: a mapping built only from the server's core works.

The test distribution lacks ``analysis-common`` and ``mapper-extras`` (see DESIGN.md), so
this checks the pieces Signpost's mapping relies on: the standard analyzer, the hunspell
filter with the British English dictionary, ``completion`` suggestions, ``geo_point`` with a
distance filter, fuzzy matching, and function_score with a decay function.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch, helpers

MAPPING = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": {
            "filter": {
                "en_gb_stem": {"type": "hunspell", "locale": "en_GB", "dedup": True},
            },
            "analyzer": {
                "english_text": {
                    "tokenizer": "standard",
                    "filter": ["lowercase", "en_gb_stem"],
                },
            },
        },
    },
    "mappings": {
        "properties": {
            "name": {"type": "text", "analyzer": "english_text"},
            "suggest": {"type": "completion"},
            "location": {"type": "geo_point"},
            "borough": {"type": "keyword"},
        }
    },
}

DOCS = [
    {"name": "Peckham walking group", "borough": "Southwark", "location": [-0.0692, 51.4740]},
    {"name": "Befriending older people", "borough": "Lambeth", "location": [-0.1150, 51.4613]},
    {"name": "Debt advice drop-in", "borough": "Hackney", "location": [-0.0553, 51.5450]},
]


@pytest.fixture
def client(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    es = Elasticsearch(elasticsearch_url, request_timeout=30)
    yield es
    es.close()


@pytest.fixture
def index(client: Elasticsearch) -> Iterator[str]:
    name = f"smoke-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=name, **MAPPING)
    actions = [
        {"_index": name, "_id": str(i), **doc, "suggest": {"input": [doc["name"]]}}
        for i, doc in enumerate(DOCS)
    ]
    indexed, errors = helpers.bulk(client, actions, refresh="wait_for")
    assert indexed == len(DOCS) and not errors
    yield name
    client.indices.delete(index=name)
    assert not client.indices.exists(index=name)


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit["_source"]["name"] for hit in response["hits"]["hits"]]


def test_cluster_is_healthy(client: Elasticsearch) -> None:
    health = client.cluster.health(wait_for_status="yellow", timeout="10s")
    assert health["status"] in {"green", "yellow"}


def test_hunspell_stems_british_english(client: Elasticsearch, index: str) -> None:
    tokens = client.indices.analyze(index=index, analyzer="english_text", text="walking groups")
    assert [t["token"] for t in tokens["tokens"]] == ["walk", "group"]
    found = client.search(index=index, query={"match": {"name": "walks"}})
    assert _names(found) == ["Peckham walking group"]


def test_fuzzy_match_tolerates_a_typo(client: Elasticsearch, index: str) -> None:
    found = client.search(index=index, query={"match": {"name": {"query": "befriendng",
                                                                   "fuzziness": "AUTO"}}})
    assert _names(found) == ["Befriending older people"]


def test_completion_suggests_while_typing(client: Elasticsearch, index: str) -> None:
    response = client.search(
        index=index, suggest={"s": {"prefix": "deb", "completion": {"field": "suggest"}}}
    )
    options = response["suggest"]["s"][0]["options"]
    assert [o["text"] for o in options] == ["Debt advice drop-in"]


def test_geo_distance_and_decay(client: Elasticsearch, index: str) -> None:
    near_peckham = {"lat": 51.4700, "lon": -0.0690}
    found = client.search(
        index=index,
        query={
            "function_score": {
                "query": {"bool": {"filter": {"geo_distance": {"distance": "5km",
                                                                "location": near_peckham}}}},
                "functions": [{"gauss": {"location": {"origin": near_peckham, "scale": "1km"}}}],
            }
        },
    )
    assert _names(found) == ["Peckham walking group", "Befriending older people"]
