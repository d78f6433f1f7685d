"""Precision, recall and F1 of duplicate matching, through the real sync pipeline.

Two labelled sets: the generated one (``evaluation_set``) and Give Food's real
near-duplicate pairs (read from ../shared). Each is synced into a fresh SQLite database and
the listings the aggregator built are compared with the truth, pair by pair. A pair counts
as predicted when the records were merged automatically; pairs sent to the stewards'
review queue are reported beside it.

    .venv/bin/python benchmarks/aggregator/evaluate_matching.py
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from aggregator.connector_reader import ConnectorReader, source_info  # noqa: E402
from aggregator.memory_reader import RecordsReader  # noqa: E402
from aggregator.reader import FetchedRecord  # noqa: E402
from aggregator.runner import reader_for  # noqa: E402
from aggregator.sync import SourceInfo, sync_source  # noqa: E402
from benchmarks.aggregator.evaluation_set import build  # noqa: E402
from connectors.base import Connector  # noqa: E402
from connectors.registry import connector_for  # noqa: E402
from connectors.sources import SourceConfig, load_sources  # noqa: E402
from demo.generate import plan, to_oruk  # noqa: E402
from directory.db import make_engine  # noqa: E402
from directory.federation import MatchDecision, SourceRecord  # noqa: E402
from directory.migrations import upgrade  # noqa: E402
from directory.postcodes import default_lookup  # noqa: E402

GIVEFOOD = (
    ROOT.parent / "shared" / "corpora" / "givefood" / "givefood_uk_near_duplicates_sample.csv"
)
GIVEFOOD_PAIRS = {
    ("community-emergency-oxford", "oxford-cef"),
    ("food-for-families-penzance", "penzance"),
    ("hill-street-baptist-church", "south-derbyshire-cvs"),
}


def _fresh_engine(folder: Path) -> Engine:
    url = f"sqlite:///{folder / 'eval.db'}"
    upgrade(url)
    return make_engine(url)


def _clusters(engine: Engine) -> tuple[dict[str, str], set[frozenset[str]]]:
    with Session(engine) as session:
        rows = session.exec(
            select(
                SourceRecord.id,
                SourceRecord.source_id,
                SourceRecord.source_record_id,
                SourceRecord.service_id,
            )
        ).all()
        names = {row_id: f"{src}:{rid}" for row_id, src, rid, _ in rows}
        flagged = {
            frozenset((names[left], names[right]))
            for left, right in session.exec(
                select(MatchDecision.left_record_id, MatchDecision.right_record_id).where(
                    MatchDecision.decision == "possible"
                )
            ).all()
        }
    return {f"{src}:{rid}": service for _, src, rid, service in rows}, flagged


def _score(
    listing: dict[str, str], truth_pairs: set[frozenset[str]], flagged: set[frozenset[str]]
) -> dict[str, float]:
    predicted = {
        frozenset(p)
        for p in itertools.combinations(sorted(listing), 2)
        if listing[p[0]] == listing[p[1]]
    }
    tp = len(predicted & truth_pairs)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth_pairs) if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    review = len((flagged - predicted) & truth_pairs)
    return {
        "pairs": len(truth_pairs),
        "predicted": len(predicted),
        "true_positives": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_in_review": len(flagged - truth_pairs),
        "recall_with_review": (tp + review) / len(truth_pairs) if truth_pairs else 1.0,
    }


def evaluate_generated(folder: Path, seed: int) -> dict[str, float]:
    data = build(seed=seed)
    engine = _fresh_engine(folder)
    for prefix, records in (("a", data.source_a), ("b", data.source_b)):
        info = SourceInfo(id=prefix, name=f"source {prefix}", format="memory")
        sync_source(engine, info, RecordsReader(prefix, records))
    listing, flagged = _clusters(engine)
    by_truth: dict[str, list[str]] = {}
    for record, key in data.truth.items():
        by_truth.setdefault(key, []).append(record)
    truth_pairs = {
        frozenset(p)
        for members in by_truth.values()
        for p in itertools.combinations(sorted(members), 2)
    }
    return _score(listing, truth_pairs, flagged)


class _PayloadReader(ConnectorReader):
    """The real connector's mapping over payloads already in hand (no server needed)."""

    def __init__(self, connector: Connector, payloads: list[dict[str, Any]]) -> None:
        super().__init__(connector)
        self.payloads = payloads

    def fetch(self) -> Iterator[FetchedRecord]:
        return (FetchedRecord(p["id"], p) for p in self.payloads)


def evaluate_demo_generator(folder: Path, services: int = 2000, sources: int = 4) -> dict:
    """The demo feeds' generator (written apart from the matcher) marks each duplicate with
    the key of the service it copies; records go through the real ORUK connector."""
    feeds = plan(services, sources, seed=99)
    engine = _fresh_engine(folder)
    truth: dict[str, str] = {}
    for number, feed in enumerate(feeds):
        source_id = f"demo{number}"
        config = SourceConfig.model_validate({
            "id": source_id, "name": source_id, "format": "oruk", "trust_rank": 50,
            "licence": "invented", "path": str(folder / "unused.json")})
        payloads = [to_oruk(service, style) for service, style in feed]
        truth.update({f"{source_id}:{service.id}": service.key for service, _ in feed})
        sync_source(engine, source_info(config),
                    _PayloadReader(connector_for(config, default_lookup()), payloads))
    listing, flagged = _clusters(engine)
    by_truth: dict[str, list[str]] = {}
    for record, key in truth.items():
        by_truth.setdefault(key, []).append(record)
    truth_pairs = {frozenset(p) for members in by_truth.values()
                   for p in itertools.combinations(sorted(members), 2)}
    return _score(listing, truth_pairs, flagged)


def evaluate_givefood(folder: Path) -> dict[str, float]:
    sources = folder / "sources.yaml"
    sources.write_text(f"""sources:
  - id: gf
    name: Give Food near-duplicates
    format: spreadsheet
    path: {GIVEFOOD}
    trust_rank: 50
    licence: Unlicense
    mapping:
      id_columns: [slug]
      columns: {{name: name, url: url, phone: phone, email: email, address: address,
                postcode: postcode, charity_number: charity_number, latlong: latt_long}}
""")
    config = load_sources(sources).get("gf")
    engine = _fresh_engine(folder)
    info = SourceInfo(id="gf", name=config.name, format="spreadsheet")
    sync_source(engine, info, reader_for(config))
    listing, flagged = _clusters(engine)
    truth = {frozenset((f"gf:{x}", f"gf:{y}")) for x, y in GIVEFOOD_PAIRS}
    return _score(listing, truth, flagged)


def _print(name: str, result: dict[str, float]) -> None:
    print(
        f"{name:>18}: "
        + ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5", help="generated sets to evaluate")
    args = parser.parse_args()
    totals = {"pairs": 0, "predicted": 0, "true_positives": 0}
    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            result = evaluate_generated(Path(folder), seed)
        _print(f"generated seed {seed}", result)
        for key in totals:
            totals[key] += int(result[key])
    precision = totals["true_positives"] / max(1, totals["predicted"])
    recall = totals["true_positives"] / max(1, totals["pairs"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{'generated, pooled':>18}: precision {precision:.3f}, recall {recall:.3f}, f1 {f1:.3f}")
    with tempfile.TemporaryDirectory() as folder:
        _print("demo generator", evaluate_demo_generator(Path(folder)))
    with tempfile.TemporaryDirectory() as folder:
        _print("givefood (real)", evaluate_givefood(Path(folder)))


if __name__ == "__main__":
    main()
