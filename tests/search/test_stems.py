"""Domain stems: hunspell (Elasticsearch, with search/hunspell/en_GB/*.dic) and porter
(embedded FTS5) must put the words link workers use where they belong."""

from __future__ import annotations

from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from search.elasticsearch_backend import ElasticsearchBackend
from search.embedded_backend import EmbeddedBackend
from search.vocabulary import VocabularySource

# word -> the stem a query looks for (Elasticsearch's query analyzer: longest hunspell stem)
QUERY_STEMS = {
    "carers": "carer", "carer": "carer", "caring": "care", "walking": "walk",
    "walks": "walk", "groups": "group", "befriending": "befriend", "libraries": "library",
    "disabilities": "disability", "allotments": "allotment", "counselling": "counselling",
    "loneliness": "lonely", "debts": "debt", "benefits": "benefit", "fitness": "fitness",
}


@pytest.fixture
def es_backend(es_client: Elasticsearch) -> ElasticsearchBackend:
    backend = ElasticsearchBackend(es_client, "stems-test", VocabularySource())
    backend.ensure_index()
    return backend


def _analyze(client: Elasticsearch, index: str, analyzer: str, word: str) -> list[str]:
    found = client.indices.analyze(index=index, analyzer=analyzer, text=word)
    return [token["token"] for token in found["tokens"]]


def test_elasticsearch_query_stems(es_backend: ElasticsearchBackend) -> None:
    try:
        client = es_backend.client
        found = {w: _analyze(client, "stems-test", "stemmed_query", w) for w in QUERY_STEMS}
        assert found == {word: [stem] for word, stem in QUERY_STEMS.items()}
        # documents keep every stem: "cooking" is found by "cook"
        assert _analyze(client, "stems-test", "stemmed_index", "cooking") == ["cooking", "cook"]
    finally:
        es_backend.client.indices.delete(index="stems-test-v*")


def test_embedded_stems_keep_carers_apart_from_cars(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index.db", VocabularySource())
    db = backend.store.db()
    db.execute("INSERT INTO doc_text (rowid, name, organization, categories, description) "
               "VALUES (1, 'carers walking groups', '', '', 'community car befriending')")
    terms = {term for (term,) in db.execute("SELECT term FROM doc_terms")}
    assert {"carer", "car", "walk", "group", "befriend"} <= terms
