"""The Elasticsearch backend, for scale and production."""

from __future__ import annotations

from elasticsearch import ApiError, Elasticsearch, TransportError

from search.backend import SearchUnavailable


def make_client(url: str, timeout_s: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout_s, max_retries=1, retry_on_timeout=False)


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch) -> None:
        self.client = client

    def check(self) -> None:
        # GET / is not served by the core distribution, so health is the readiness probe.
        try:
            health = self.client.cluster.health(wait_for_status="yellow", timeout="1s")
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(f"Elasticsearch is unreachable: {error}") from error
        if health.get("timed_out") or health.get("status") not in {"green", "yellow"}:
            raise SearchUnavailable(f"Elasticsearch cluster status is {health.get('status')}")
