"""How fast each connector reads and maps records (no network; files and in-memory API pages).

    python -m demo.bench_mapping --services 20000

For every format it generates ``--services`` demo services, then times reading them
(parse, join, validate envelopes) and mapping them (clean, geocode, validate) separately.
The postcode cache is warmed first so that its one-off build is not counted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from connectors.base import Connector, RawRecord, map_all
from connectors.http import Fetcher
from connectors.registry import connector_for
from connectors.sources import SourceConfig
from demo import generate
from directory.postcodes import default_lookup

Feed = list[tuple[generate.DemoService, int]]


def _config(format_: str, **fields: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {"id": "bench", "name": "Bench", "format": format_, "trust_rank": 1, "licence": "x"}
        | fields
    )


def _file_source(kind: str, folder: Path, feed: Feed) -> SourceConfig:
    if kind == "oruk":
        path = folder / "feed.json"
        generate.write_oruk(path, feed)
        return _config("oruk", path=path)
    if kind == "hsds_datapackage":
        generate.write_datapackage(folder / "package", feed)
        return _config("hsds_datapackage", path=folder / "package")
    path = folder / f"feed.{kind.rsplit('_', 1)[1]}"
    (generate.write_csv if kind.endswith("csv") else generate.write_xlsx)(path, feed)
    return _config("spreadsheet", path=path, mapping=generate.SHEET_MAPPING)


def _api_raws(connector: Connector, payloads: list[dict[str, Any]]) -> Iterator[RawRecord]:
    """API formats: the JSON a page would hold, decoded again as the fetcher would."""
    decoded = json.loads(json.dumps(payloads))
    return (connector.raw(item, item["id"]) for item in decoded)


def _timed(produce: Callable[..., Iterable[Any]], *args: Any) -> tuple[list[Any], float]:
    started = time.perf_counter()
    result = list(produce(*args))
    return result, time.perf_counter() - started


def bench(services: int, seed: int) -> list[tuple[str, int, float, float]]:
    feed = generate.plan(services, 1, seed, duplicate_rate=0)[0]
    geocoder = default_lookup()
    for service, _ in feed[:2000]:  # warm the postcode letters the demo uses
        if service.venue:
            geocoder.lookup(service.venue.postcode)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("oruk", "hsds_datapackage", "spreadsheet_csv", "spreadsheet_xlsx"):
            config = _file_source(kind, Path(tmp), feed)
            connector = connector_for(config, geocoder)
            with Fetcher("bench") as fetcher:
                raws, read_s = _timed(connector.fetch, fetcher)
            outcomes, map_s = _timed(map_all, connector, raws)
            results.append((kind, len(outcomes), read_s, map_s))
        for kind, render in (("hsds3", generate.to_hsds3), ("aliss", generate.to_aliss)):
            connector = connector_for(_config(kind, url="https://api.example"), geocoder)
            payloads = [render(s, style) for s, style in feed]
            raws, read_s = _timed(_api_raws, connector, payloads)
            outcomes, map_s = _timed(map_all, connector, raws)
            results.append((kind, len(outcomes), read_s, map_s))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'format':<18}{'records':>9}{'read/s':>10}{'map/s':>10}{'overall/s':>11}")
    for kind, count, read_s, map_s in bench(args.services, args.seed):
        print(
            f"{kind:<18}{count:>9}{count / read_s:>10.0f}{count / map_s:>10.0f}"
            f"{count / (read_s + map_s):>11.0f}"
        )


if __name__ == "__main__":
    main()
