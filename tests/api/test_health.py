"""Liveness and readiness, against real databases and a real Elasticsearch."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from signpost.settings import Settings
from tests.harness.process import free_port

UNREACHABLE_PG = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing"
UNREACHABLE_ES = f"http://127.0.0.1:{free_port()}"


def _client(**settings: str) -> TestClient:
    return TestClient(create_app(Settings(readiness_timeout_s=1.0, **settings)))


def test_healthz_answers_without_dependencies() -> None:
    with _client(database_url=UNREACHABLE_PG) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_on_embedded_default(database_url: str) -> None:
    with _client(database_url=database_url) as client:
        response = client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert {c["name"] for c in body["checks"]} == {"database", "search:embedded"}


def test_ready_on_elasticsearch(database_url: str, elasticsearch_url: str) -> None:
    with _client(
        database_url=database_url, search_backend="elasticsearch",
        elasticsearch_url=elasticsearch_url,
    ) as client:
        response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert [c["ok"] for c in response.json()["checks"]] == [True, True]


def test_not_ready_when_database_unreachable() -> None:
    with _client(database_url=UNREACHABLE_PG) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = {c["name"]: c for c in response.json()["checks"]}
    assert checks["database"]["ok"] is False
    assert "unreachable" in checks["database"]["reason"]


def test_not_ready_when_elasticsearch_unreachable(database_url: str) -> None:
    with _client(
        database_url=database_url, search_backend="elasticsearch",
        elasticsearch_url=UNREACHABLE_ES,
    ) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = {c["name"]: c for c in response.json()["checks"]}
    assert checks["database"]["ok"] is True
    assert checks["search:elasticsearch"]["ok"] is False
    assert "Elasticsearch is unreachable" in checks["search:elasticsearch"]["reason"]


def test_unknown_route_gets_machine_readable_404() -> None:
    with _client(database_url=UNREACHABLE_PG) as client:
        response = client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
