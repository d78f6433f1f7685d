"""Latency of GET /search and GET /suggest on both backends, over loopback.

    .venv/bin/python -m benchmarks.search.bench --n 10000 [--es-url URL] [--backends ...]

Writes N synthetic listings to a temporary SQLite database, indexes them on each backend,
serves the API with uvicorn in a subprocess, and measures p50/p95/p99 at concurrency 1
and 8. On Elasticsearch it also sends the same queries straight to Elasticsearch (the body
our backend builds) and reports API p95 / raw p95. Every cell starts with Elasticsearch's
request cache emptied, so the API and the raw queries meet the same cache. The machine has
2 cores and other jobs may share it: treat single runs as noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from benchmarks.search.environment import build_database, drop, elasticsearch, make_backend
from benchmarks.search.synthetic import synthetic_listings
from search.backend import SearchBackend
from search.elasticsearch_backend import ElasticsearchBackend, suggest_body
from search.elasticsearch_query import request_body
from search.geo import Place
from search.indexing import SearchIndexer
from search.plan import plan_text
from search.query import SearchQuery
from search.text import normalise
from tests.harness.process import free_port

WORDS = ["walking", "lonely older man", "debt advice", "carers", "lunch club", "befriendng",
         "choir", "chair yoga", "money worries", "food bank", "memory cafe", "job club", ""]
PREFIXES = ["wa", "walk", "befr", "lunc", "deb", "choi", "peck", "hack", "memo", "yog",
            "carer", "fod ba"]
WARM_UP = 30


def search_params(rng: random.Random) -> dict[str, str]:
    params = {"q": rng.choice(WORDS)}
    if rng.random() < 0.6:
        params |= {"lat": f"{51.35 + rng.random() * 0.3:.5f}",
                   "lon": f"{-0.45 + rng.random() * 0.7:.5f}"}
    if rng.random() < 0.3:
        params["free"] = "true"
    return params


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def measure(call: Callable[[Any], None], inputs: list[Any], concurrency: int) -> list[float]:
    def timed(item: Any) -> float:
        started = time.perf_counter()
        call(item)
        return (time.perf_counter() - started) * 1000

    for item in inputs[:WARM_UP]:
        call(item)
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(timed, inputs))


def serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("ab") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=errors,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return process, url
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("uvicorn did not start") from None
            time.sleep(0.2)


def fetch(client: httpx.Client, endpoint: str, params: dict[str, str]) -> None:
    client.get(endpoint, params=params).raise_for_status()


def raw_search(backend: ElasticsearchBackend) -> Callable[[dict[str, str]], None]:
    def call(params: dict[str, str]) -> None:
        place = None
        if "lat" in params:
            place = Place(latitude=float(params["lat"]), longitude=float(params["lon"]))
        query = SearchQuery(text=params["q"], place=place, today=datetime.now(UTC).date())
        body = request_body(query, plan_text(query.text, backend.vocabulary.current()))
        backend.client.search(index=backend.alias, **body)
    return call


def raw_suggest(backend: ElasticsearchBackend) -> Callable[[dict[str, str]], None]:
    def call(params: dict[str, str]) -> None:
        backend.client.search(index=backend.alias, **suggest_body(normalise(params["q"]), 40))
    return call


def clear_caches(backend: SearchBackend) -> None:
    """Empty Elasticsearch's request cache: the next cell starts as the last one did."""
    if isinstance(backend, ElasticsearchBackend):
        backend.client.indices.clear_cache(index=backend.alias, request=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--backends", default="embedded,elasticsearch")
    parser.add_argument("--es-url", default=None)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", default="1,8")
    args = parser.parse_args()
    rng = random.Random(11)
    searches = [search_params(rng) for _ in range(args.requests)]
    suggests = [{"q": rng.choice(PREFIXES)} for _ in range(args.requests)]
    folder = Path(tempfile.mkdtemp(prefix="signpost-bench-"))
    started = time.perf_counter()
    engine = build_database(folder, synthetic_listings(args.n))
    print(f"database: {args.n} listings written in {time.perf_counter() - started:.1f} s",
          flush=True)
    rows = []
    with elasticsearch(args.es_url) as es_url:
        for name in args.backends.split(","):
            backend, env = make_backend(name, folder, es_url)
            report = SearchIndexer(engine, backend).reindex()
            print(f"{name}: indexed {report.documents} in {report.seconds:.1f} s", flush=True)
            process, url = serve({**env, "DATABASE_URL": str(engine.url)}, folder / "api.log")
            try:
                local = httpx.Client(base_url=url, timeout=30,
                                     limits=httpx.Limits(max_connections=16))
                for endpoint, inputs in (("/search", searches), ("/suggest", suggests)):
                    call = partial(fetch, local, endpoint)
                    raw = None
                    if isinstance(backend, ElasticsearchBackend):
                        raw = raw_search(backend) if endpoint == "/search" else raw_suggest(
                            backend)
                    for concurrency in (int(c) for c in args.concurrency.split(",")):
                        clear_caches(backend)
                        p50, p95, p99 = percentiles(measure(call, inputs, concurrency))
                        raw_p95 = None
                        if raw is not None:
                            clear_caches(backend)
                            raw_p95 = percentiles(measure(raw, inputs, concurrency))[1]
                        rows.append((name, endpoint, concurrency, p50, p95, p99, raw_p95))
                        print(f"  {endpoint} c={concurrency}: p95 {p95:.1f} ms", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=10)
                drop(backend, folder)
    print(f"\nN = {args.n}, {args.requests} requests per cell, loopback, 2 cores")
    print("| backend | endpoint | concurrency | p50 ms | p95 ms | p99 ms | raw ES p95 ms "
          "| API/raw p95 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, endpoint, concurrency, p50, p95, p99, raw_p95 in rows:
        raw_text = f"{raw_p95:.1f} | {p95 / raw_p95:.2f}" if raw_p95 else "- | -"
        print(f"| {name} | {endpoint} | {concurrency} | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
              f"{raw_text} |")


if __name__ == "__main__":
    main()
