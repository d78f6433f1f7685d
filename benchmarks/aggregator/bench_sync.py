"""Sync throughput: a full sync of N generated records across S sources, then an
incremental sync with 1% of records changed.

Records enter already normalised (``RecordsReader``), so this measures the aggregator
alone: raw storage, change detection, matching, merging and writing listings. About a fifth
of each source's records are respellings of another source's, so matching has real work.

    .venv/bin/python benchmarks/aggregator/bench_sync.py --records 100000 --sources 10
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/aggregator/bench_sync.py
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from aggregator.memory_reader import RecordsReader  # noqa: E402
from aggregator.sync import SourceInfo, SyncPolicy, sync_source  # noqa: E402
from benchmarks.aggregator.evaluation_set import ACTIVITIES  # noqa: E402
from directory.db import make_engine  # noqa: E402
from directory.migrations import upgrade  # noqa: E402

POSTCODES = ROOT.parent / "shared" / "geodata" / "london_postcodes_nspd_nov2025.csv.gz"
NAMES = ["St Mary's", "Riverside", "Oakfield", "Hillside", "Greenway", "Parkview", "Cedar",
         "Northfield", "Southbank", "Westgate", "Eastside", "Meadow", "Willow", "Beacon",
         "Harbour", "Kingsway", "Queens", "Victoria", "Albion", "Phoenix", "Lighthouse",
         "Orchard", "Holly", "Rowan", "Elm Tree", "Brookside", "Castle", "Station Road",
         "High Street", "Market", "Chapel", "Abbey", "Bridge", "Garden", "Heath", "Common"]


def _postcodes(limit: int, rng: random.Random) -> list[tuple[str, float, float, str]]:
    with gzip.open(POSTCODES, "rt") as handle:
        rows = [(r["postcode"], float(r["lat"]), float(r["lon"]), r["lad_code"])
                for r in csv.DictReader(handle)]
    return rng.sample(rows, limit)


def generate(records: int, sources: int, seed: int = 11) -> list[list[dict[str, Any]]]:
    rng = random.Random(seed)
    places = _postcodes(max(1000, records // 5), rng)
    per_source = records // sources
    feeds: list[list[dict[str, Any]]] = [[] for _ in range(sources)]
    originals: list[dict[str, Any]] = []
    for s in range(sources):
        for i in range(per_source):
            if s > 0 and rng.random() < 0.2:
                base = rng.choice(originals)
                record = {**base, "name": base["name"].lower(), "description": None}
            else:
                postcode, lat, lon, lad = rng.choice(places)
                n = len(originals)
                record = {
                    "name": f"{rng.choice(NAMES)} {rng.choice(ACTIVITIES)} {n}",
                    "description": f"Generated service {n} for the benchmark.",
                    "phones": [{"number": f"+44207{n:07d}"}],
                    "url": f"https://service-{n}.org.uk/",
                    "locations": [{"postcode": postcode, "latitude": lat, "longitude": lon,
                                   "lad_code": lad}],
                }
                originals.append(record)
            feeds[s].append({**record, "id": f"s{s}-{i}"})
    return feeds


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--changed", type=float, default=0.01, help="share changed, 2nd run")
    args = parser.parse_args()

    t0 = time.perf_counter()
    feeds = generate(args.records, args.sources)
    print(f"generated {sum(map(len, feeds))} records in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        policy = SyncPolicy()
        infos = [SourceInfo(id=f"src{s}", name=f"Source {s}", format="memory",
                            trust_rank=50 + s) for s in range(args.sources)]
        start = time.perf_counter()
        for info, feed in zip(infos, feeds, strict=True):
            run = sync_source(engine, info, RecordsReader(info.id, feed), policy=policy)
            assert run.status == "succeeded", run.error
        full = time.perf_counter() - start
        total = sum(map(len, feeds))
        print(f"full sync: {total} records in {full:.1f} s = {total / full:.0f} records/s, "
              f"peak RSS {_peak_mb():.0f} MB")

        rng = random.Random(5)
        changed_feeds = []
        for feed in feeds:
            picks = set(rng.sample(range(len(feed)), int(len(feed) * args.changed)))
            changed_feeds.append([
                {**r, "description": f"Updated {i}"} if i in picks else r
                for i, r in enumerate(feed)
            ])
        start = time.perf_counter()
        changed = 0
        for info, feed in zip(infos, changed_feeds, strict=True):
            run = sync_source(engine, info, RecordsReader(info.id, feed), policy=policy)
            assert run.status == "succeeded", run.error
            changed += run.changed_count
        incremental = time.perf_counter() - start
        print(f"incremental sync ({changed} changed of {total}): {incremental:.1f} s, "
              f"peak RSS {_peak_mb():.0f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
