"""nDCG@10 of the judged link-worker queries on both backends.

    .venv/bin/python -m benchmarks.search.ndcg [--es-url URL] [--distractors N]

The demo directory (tests/search/demo.py), plus synthetic listings if asked, is written to
a temporary SQLite database and indexed on each backend; each judged query runs through
the backend's search with its place, and the ranking is scored against the grades.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from benchmarks.search.environment import (
    BACKENDS,
    build_database,
    drop,
    elasticsearch,
    make_backend,
)
from benchmarks.search.judged import JUDGED, Judged
from benchmarks.search.synthetic import synthetic_listings
from search.backend import SearchBackend
from search.indexing import SearchIndexer
from search.query import SearchQuery
from tests.search.demo import DEMO, TODAY

K = 10


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(doc_id, 0) for doc_id in ranked]) / ideal if ideal else 0.0


def evaluate(backend: SearchBackend, judged: list[Judged]) -> list[float]:
    scores = []
    for item in judged:
        page = backend.search(SearchQuery(text=item.q, place=item.place, limit=K, today=TODAY))
        scores.append(ndcg([hit.id for hit in page.hits], item.grades))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--es-url", default=None, help="Use this Elasticsearch node.")
    parser.add_argument("--distractors", type=int, default=0,
                        help="Synthetic listings added (unjudged: relevant ones count as misses).")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="signpost-ndcg-"))
    engine = build_database(folder, [*DEMO, *synthetic_listings(args.distractors)])
    results: dict[str, list[float]] = {}
    with elasticsearch(args.es_url) as es_url:
        for name in BACKENDS:
            backend, _ = make_backend(name, folder, es_url)
            SearchIndexer(engine, backend, today=lambda: TODAY).reindex()
            results[name] = evaluate(backend, JUDGED)
            drop(backend, folder)
    print(f"| query | {' | '.join(BACKENDS)} |")
    print(f"|---|{'---|' * len(BACKENDS)}")
    for i, item in enumerate(JUDGED):
        where = f" (near {item.place.label})" if item.place else ""
        print(f"| {item.q}{where} | " + " | ".join(f"{results[b][i]:.3f}" for b in BACKENDS)
              + " |")
    means = " | ".join(f"**{sum(results[b]) / len(JUDGED):.3f}**" for b in BACKENDS)
    print(f"| mean nDCG@{K} over {len(JUDGED)} queries | {means} |")


if __name__ == "__main__":
    main()
