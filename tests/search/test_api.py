"""GET /search, /suggest and /listings through the real application (embedded backend,
SQLite demo directory, the real postcode lookup)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from search.indexing import SearchIndexer
from signpost.settings import Settings
from tests.search.demo import SOUTHWARK, TODAY


@pytest.fixture
def client(demo_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=str(demo_engine.url),
                        search_index_path=tmp_path / "api-index.db")
    app = create_app(settings)
    SearchIndexer(demo_engine, app.state.components.search, today=lambda: TODAY).reindex()
    with TestClient(app) as test_client:
        yield test_client


def test_search_answers_with_results_facets_and_highlights(client: TestClient) -> None:
    response = client.get("/search", params={"q": "walking", "near": " se15 5ab "})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["place"]["postcode"] == "SE15 5AB" and body["place"]["borough"] == SOUTHWARK
    assert body["radius_km"] == 5.0
    first = body["results"][0]
    assert first["id"] == "peckham-walk"
    assert first["distance_km"] < 1 and first["locality"] == "near"
    assert "<mark>" in first["highlights"]["name"][0]
    assert "sort_values" not in first
    assert {"category", "borough", "free", "language", "delivery_mode", "accessibility"} == set(
        body["facets"])


def test_a_postcode_at_the_end_of_the_words_is_the_place(client: TestClient) -> None:
    body = client.get("/search", params={"q": "lonely older man, SE15 5AB"}).json()
    assert body["query"] == "lonely older man"
    assert body["place"]["borough"] == SOUTHWARK
    assert "southwark-phone-friends" in [r["id"] for r in body["results"]]
    outward = client.get("/search", params={"q": "lonely, se15"}).json()
    assert outward["place"]["postcode"] == "SE15" and outward["place"]["borough"] is None


def test_unknown_postcode_is_a_422_that_says_so(client: TestClient) -> None:
    response = client.get("/search", params={"q": "walk", "near": "ZZ99 9ZZ"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "postcode_not_recognised"
    assert error["details"][0]["location"] == ["query", "near"]
    assert client.get("/search", params={"near": "hello"}).json()["error"]["code"] == (
        "postcode_not_recognised")


@pytest.mark.parametrize("params, where", [
    ({"radius_km": "500", "near": "SE15"}, "radius_km"),
    ({"lat": "51.47"}, "lon"),
    ({"sort": "distance"}, "sort"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": base64.urlsafe_b64encode(b'{"after": 1}').decode()}, "cursor"),
    ({"age": "-3"}, "age"),
    ({"delivery_mode": "telepathy"}, "delivery_mode"),
    ({"open_now": "true", "open_at": "2026-11-23T10:00:00"}, "open_at"),
])
def test_invalid_parameters_are_422_with_details(
    client: TestClient, params: dict[str, str], where: str
) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert where in error["details"][0]["location"]


def test_filters_and_cursor_through_the_api(client: TestClient) -> None:
    params = {"lat": "51.4718", "lon": "-0.0709", "sort": "distance", "limit": "4",
              "delivery_mode": "in_person", "free": "true"}
    seen: list[str] = []
    cursor = None
    while True:
        body = client.get("/search", params={**params, **({"cursor": cursor} if cursor else {})})
        assert body.status_code == 200, body.text
        page = body.json()
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == page["total"]
    opened = client.get("/search", params={"open_at": "2026-11-23T10:00:00"}).json()
    assert "debt-advice" in [r["id"] for r in opened["results"]]


def test_searches_that_find_nothing_are_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="search"):
        body = client.get("/search", params={"q": "xylophone", "free": "true"}).json()
    assert body["total"] == 0
    logged = [r.msg for r in caplog.records if r.name == "search"]
    assert [(m["event"], m["q"], m["filters"]) for m in logged] == [  # type: ignore[index]
        ("search_no_results", "xylophone", {"free": True})]


def test_suggest(client: TestClient) -> None:
    body = client.get("/suggest", params={"q": "befreind", "near": "SE15"}).json()
    assert {"text": "Befriending", "kind": "category", "listing_id": None} in body["suggestions"]
    services = client.get("/suggest", params={"q": "peckham wal"}).json()["suggestions"]
    assert services[0] == {"text": "Peckham Walking Group", "kind": "service",
                           "listing_id": "peckham-walk"}
    assert client.get("/suggest", params={"q": ""}).status_code == 422


def test_listing_with_provenance(client: TestClient) -> None:
    body = client.get("/listings/debt-advice").json()
    assert body["name"] == "Peckham Debt Advice Drop-in"
    assert body["organization"]["name"] == "Peckham Advice Centre"
    assert body["locations"][0]["addresses"][0]["postal_code"] == "SE15 4ST"
    assert body["holidays"][0]["start_date"] == "2026-12-25"
    assert body["provenance"][0]["field"] == "name"
    assert body["provenance"][0]["source_id"] == "test-feed"
    missing = client.get("/listings/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "listing_not_found"


def test_listings_are_paged_by_id(client: TestClient) -> None:
    first = client.get("/listings", params={"limit": 5}).json()
    second = client.get("/listings", params={"limit": 5, "after": first["next_after"]}).json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 10


def test_openapi_describes_the_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    search = spec["paths"]["/search"]["get"]["responses"]
    assert search["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "SearchResponse")
    assert search["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorResponse")
    assert "/suggest" in spec["paths"] and "/listings/{listing_id}" in spec["paths"]
