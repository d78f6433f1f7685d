"""The Elasticsearch index: settings and mapping built only from the server's core.

No ``analysis-common`` (no stemmer, synonym or n-gram filters), no ``mapper-extras`` and no
scripts: the test distribution and production run this same mapping. Stemming is the core
``hunspell`` filter with the British English dictionary plus ``search/hunspell/en_GB/*.dic``
(domain words it would otherwise mis-stem, e.g. carer). Documents keep every stem hunspell
offers (recall); queries keep only the longest (so "carers" looks for carer, not car).
Synonyms are not in the index at all: the vocabulary expands queries when they run.
Typo tolerance runs on one field, ``typo``, holding every text field's words as written:
one fuzzy expansion per word instead of one per field.
"""

from __future__ import annotations

from typing import Any

from search.document import SearchDocument
from search.suggesting import tails

MAX_SUGGEST_TAILS = 6

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
        "filter": {
            "en_gb_every_stem": {"type": "hunspell", "locale": "en_GB", "dedup": True},
            "en_gb_longest_stem": {
                "type": "hunspell", "locale": "en_GB", "dedup": True, "longest_only": True,
            },
        },
        "analyzer": {
            "stemmed_index": {"tokenizer": "standard", "filter": ["lowercase", "en_gb_every_stem"]},
            "stemmed_query": {
                "tokenizer": "standard", "filter": ["lowercase", "en_gb_longest_stem"],
            },
            "plain": {"tokenizer": "standard", "filter": ["lowercase"]},
        },
    },
}

TYPO_FIELD = "typo"
_PLAIN = {"type": "text", "analyzer": "plain"}
_STEMMED = {"type": "text", "analyzer": "stemmed_index", "search_analyzer": "stemmed_query"}
_KEYWORD = {"type": "keyword"}
_TEXT = {**_STEMMED, "fields": {"plain": _PLAIN}, "copy_to": TYPO_FIELD}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": _KEYWORD,
        "name": _TEXT,
        "name_key": _KEYWORD,
        "organization": _TEXT,
        "description": _TEXT,
        "categories": {"type": "keyword", "fields": {"text": _STEMMED, "plain": _PLAIN},
                       "copy_to": TYPO_FIELD},
        TYPO_FIELD: _PLAIN,
        "boroughs": _KEYWORD,
        "venues": {"type": "object", "enabled": False},
        "location": {"type": "geo_point"},
        "area_keys": _KEYWORD,
        "is_free": {"type": "boolean"},
        "age_min": {"type": "integer"},
        "age_max": {"type": "integer"},
        "languages": _KEYWORD,
        "delivery_modes": _KEYWORD,
        "accessibility": _KEYWORD,
        "open_week": {"type": "integer_range"},
        "holiday_dates": {"type": "date_range", "format": "strict_date"},
        "special_open": {"type": "date_range"},
        "confirmed_on": {"type": "date", "format": "strict_date"},
        "suggest_name": {"type": "completion", "analyzer": "simple"},
        "suggest_org": {"type": "completion", "analyzer": "simple"},
    },
}


def source_of(doc: SearchDocument) -> dict[str, Any]:
    """The document as Elasticsearch stores it: plus points and completion inputs."""
    body = doc.model_dump(mode="json")
    body["location"] = [{"lat": v.latitude, "lon": v.longitude} for v in doc.venues]
    body["suggest_name"] = {"input": tails(doc.name)[:MAX_SUGGEST_TAILS]}
    if doc.organization:
        body["suggest_org"] = {"input": tails(doc.organization)[:MAX_SUGGEST_TAILS]}
    return body
