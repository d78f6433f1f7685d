"""The two real council ORUK feeds: every record is mapped or rejected with a reason."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from connectors.base import Batch, collect
from connectors.oruk import OrukConnector
from tests.connectors.conftest import BRISTOL, NORTH_LINCS, fetcher_for, source
from tests.connectors.feed_server import FeedServer, oruk_envelope, paged

EMPTY_NAME_ID = "def5ccd4-f121-df4d-60d2-4dc0d69ff555"
REPEATED_ID = "2af617e5-4532-bebe-1036-ffdf2e93ce55"


@cache
def _from_file(path: Path) -> Batch:
    """Mapped once per test session: the tests below only read the batch."""
    config = source("oruk", path=path)
    with fetcher_for(config) as fetcher:
        return collect(OrukConnector(config), fetcher)


@pytest.mark.parametrize("path", [BRISTOL, NORTH_LINCS], ids=["bristol", "north-lincs"])
def test_every_record_is_mapped_or_rejected(path: Path) -> None:
    raw = json.loads(path.read_text())
    batch = _from_file(path)
    assert len(batch.records) + len(batch.rejections) == len(raw)
    assert all(r.field and r.reason and r.source_record_id for r in batch.rejections)


def test_bristol_rejects_the_empty_name_and_the_repeated_id() -> None:
    batch = _from_file(BRISTOL)
    assert len(batch.records) == 817
    reasons = {(r.source_record_id, r.field): r.reason for r in batch.rejections}
    assert reasons == {
        (EMPTY_NAME_ID, "name"): "name is empty",
        (REPEATED_ID, "id"): "duplicate record id in this feed",
    }
    assert "source 'test' record 'def5ccd4" in str(batch.rejections[0])


def test_north_lincolnshire_maps_everything() -> None:
    assert len(_from_file(NORTH_LINCS).records) == 738


def test_mapped_fields() -> None:
    records = {r.source_record_id: r for r in _from_file(NORTH_LINCS).records}
    wawy = records["738f94e0-aa6c-6a5c-2395-7b64421ba2a5"]
    assert wawy.name == '"We are with You" WAWY'
    assert wawy.description is not None
    assert wawy.description.startswith("Struggling with Drug & Alcohol Addiction?")
    assert "\n\nWe Are With You are now offering" in wawy.description
    assert wawy.organization is not None and wawy.organization.name == "Victor House"
    assert str(wawy.assured_date) == "2024-12-10"
    assert wawy.source_updated_at is not None
    vocabularies = Counter(t.vocabulary for r in records.values() for t in r.taxonomy_terms)
    assert vocabularies["test:target-audience"] > 0
    assert vocabularies["oruk:deliverable-type"] > 0
    assert all(t.name == t.name.strip() for r in records.values() for t in r.taxonomy_terms)


def test_bad_values_are_dropped_with_a_warning_not_the_record() -> None:
    records = _from_file(BRISTOL).records
    warnings = [(w.field, w.value) for r in records for w in r.warnings]
    assert ("url", "Warmley Community Centre") in warnings
    bare = [r for r in records if r.url and r.url.startswith("https://www.kateartereft")]
    assert bare, "a bare domain gains https://"
    assert all(r.email is None or "\xa0" not in r.email for r in records)


def test_the_same_feed_served_in_pages_gives_the_same_outcome(server: FeedServer) -> None:
    items = json.loads(BRISTOL.read_text())
    server.routes["/v2/services"] = paged(items, oruk_envelope)
    config = source("oruk", url=f"{server.url}/v2")
    with fetcher_for(config) as fetcher:
        batch = collect(OrukConnector(config), fetcher)
    assert server.count("/v2/services") == 9  # 819 services, 100 a page
    assert (len(batch.records), len(batch.rejections)) == (817, 2)
