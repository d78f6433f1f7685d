"""Generated London feeds in every format, served over real HTTP or read from disk."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from connectors.base import Batch, collect
from connectors.datapackage import DatapackageConnector
from connectors.http import FetchError
from connectors.records import DeliveryMode, ExtentType, ServiceRecord
from connectors.registry import connector_for
from connectors.sources import SourceConfig
from demo import generate
from directory.postcodes import PostcodeLookup
from tests.connectors.conftest import fetcher_for, source
from tests.connectors.feed_server import FeedServer, Reply, hsds_envelope, oruk_envelope, paged

FEEDS = generate.plan(services=300, sources=3, seed=7)
SERVICES = [service for feed in FEEDS for service, _ in feed]


def _collect(config: SourceConfig, geocoder: PostcodeLookup) -> Batch:
    with fetcher_for(config) as fetcher:
        return collect(connector_for(config, geocoder), fetcher)


def _check(
    batch: Batch, feed: list[tuple[generate.DemoService, int]], schedules: bool = True
) -> dict[str, ServiceRecord]:
    assert batch.rejections == []
    records = {r.source_record_id: r for r in batch.records}
    assert set(records) == {service.id for service, _ in feed}
    for service, _ in feed:
        record = records[service.id]
        assert record.name == service.name.strip()
        assert any(p.number == "+44" + service.phone[1:] for p in _phones(record))
        assert record.email == service.email
        if service.venue:
            (location,) = record.locations
            assert location.postcode == service.venue.postcode
            assert location.lad_code == service.borough_code  # borough from the unit postcode
            assert location.latitude == pytest.approx(service.venue.latitude, abs=1e-6)
            assert DeliveryMode.IN_PERSON in record.delivery_modes
        else:
            assert record.locations == []
        if schedules:  # ALISS has no opening hours
            assert any(s.opens_at == service.opens for s in record.schedules)
    return records


def _phones(record: ServiceRecord) -> list:
    return [*record.phones, *(p for c in record.contacts for p in c.phones)]


def test_oruk_api_paged_with_details(server: FeedServer, geocoder: PostcodeLookup) -> None:
    feed = FEEDS[0]
    listed = [{"id": s.id, "name": s.name} for s, _ in feed]
    server.routes["/oruk/services"] = paged(listed, oruk_envelope)
    for service, style in feed:
        server.routes[f"/oruk/services/{service.id}"] = lambda q, s=service, st=style: Reply.json(
            generate.to_oruk(s, st)
        )
    config = source("oruk", url=f"{server.url}/oruk", fetch_details=True)
    records = _check(_collect(config, geocoder), feed)
    one = records[feed[0][0].id]
    assert one.organization is not None and one.organization.name == feed[0][0].org_name
    assert one.service_areas[0].extent_type is ExtentType.BOROUGH
    assert one.taxonomy_terms[0].vocabulary == "signpost-demo"


def test_hsds3_api_full_pages_incremental_and_minimal(
    server: FeedServer, geocoder: PostcodeLookup
) -> None:
    feed = FEEDS[1]
    nested = [generate.to_hsds3(s, style) for s, style in feed]
    server.routes["/hsds/services"] = lambda q: (
        paged([{"id": n["id"]} for n in nested], hsds_envelope)(q)
        if q.get("minimal")
        else paged(nested, hsds_envelope)(q)
    )
    config = source("hsds3", url=f"{server.url}/hsds")
    records = _check(_collect(config, geocoder), feed)
    first = feed[0][0]
    if first.charity_number:
        assert records[first.id].organization.charity_number == first.charity_number
    from datetime import UTC, datetime

    connector = connector_for(config, geocoder)
    with fetcher_for(config) as fetcher:
        list(connector.fetch(fetcher, since=datetime(2025, 1, 1, tzinfo=UTC)))
        assert connector.list_ids(fetcher) == {s.id for s, _ in feed}
    queries = [q for path, q, _ in server.requests if path == "/hsds/services"]
    assert any(q.get("modified_after") == "2025-01-01T00:00:00+00:00" for q in queries)
    assert all(q.get("full") == "true" for q in queries if not q.get("minimal"))


def _datapackage(tmp_path: Path) -> Path:
    folder = tmp_path / "package"
    generate.write_datapackage(folder, FEEDS[2])
    return folder


def test_hsds_datapackage_folder(tmp_path: Path, geocoder: PostcodeLookup) -> None:
    config = source("hsds_datapackage", path=_datapackage(tmp_path))
    _check(_collect(config, geocoder), FEEDS[2])


def test_hsds_datapackage_zip_over_http(
    tmp_path: Path, server: FeedServer, geocoder: PostcodeLookup
) -> None:
    folder = _datapackage(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, f"export/{file.name}")
    server.routes["/package.zip"] = lambda q: Reply(200, buffer.getvalue())
    config = source("hsds_datapackage", url=f"{server.url}/package.zip")
    _check(_collect(config, geocoder), FEEDS[2])


def test_hsds_datapackage_that_is_not_one_fails(server: FeedServer) -> None:
    server.routes["/package.zip"] = lambda q: Reply(200, b"<html>Maintenance</html>")
    config = source("hsds_datapackage", url=f"{server.url}/package.zip")
    with fetcher_for(config) as fetcher, pytest.raises(FetchError, match="not a zip file"):
        collect(DatapackageConnector(config), fetcher)


def test_aliss_api_follows_next_links(server: FeedServer, geocoder: PostcodeLookup) -> None:
    feed = FEEDS[0]
    data = [generate.to_aliss(s, style) for s, style in feed]
    pages = [data[i : i + 40] for i in range(0, len(data), 40)]
    for number, chunk in enumerate(pages, 1):
        path = "/aliss/services/" if number == 1 else f"/aliss/page{number}"
        following = f"{server.url}/aliss/page{number + 1}" if number < len(pages) else None
        server.routes[path] = lambda q, c=chunk, n=following: Reply.json(
            {"meta": {}, "count": len(data), "next": n, "previous": None, "data": c}
        )
    config = source("aliss", url=f"{server.url}/aliss")
    records = _check(_collect(config, geocoder), feed, schedules=False)
    assert all(r.service_areas[0].code == s.borough_code for s, _ in feed for r in [records[s.id]])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_spreadsheets_over_http(
    kind: str, tmp_path: Path, server: FeedServer, geocoder: PostcodeLookup
) -> None:
    path = tmp_path / f"feed.{kind}"
    (generate.write_csv if kind == "csv" else generate.write_xlsx)(path, FEEDS[1])
    server.routes[f"/feed.{kind}"] = lambda q: Reply(200, path.read_bytes())
    config = source("spreadsheet", url=f"{server.url}/feed.{kind}", mapping=generate.SHEET_MAPPING)
    records = _check(_collect(config, geocoder), FEEDS[1])
    service = FEEDS[1][0][0]
    assert records[service.id].eligibility is not None
    assert records[service.id].eligibility.minimum_age == service.min_age


def test_cross_source_duplicates_are_spelt_differently() -> None:
    copies = Counter(service.key for service in SERVICES)
    keys = [key for key, count in copies.items() if count > 1]
    assert len(keys) > 20
    pairs = [[s for s in SERVICES if s.key == key] for key in keys]
    assert any(a.name != b.name for a, b in pairs)
    assert any((a.venue is None) != (b.venue is None) for a, b in pairs)


def test_the_demo_sources_file_maps_without_rejections(geocoder: PostcodeLookup) -> None:
    from connectors.sources import load_sources

    demo = load_sources(Path(generate.__file__).parent / "sources.yaml")
    assert {s.format.value for s in demo.sources} >= {"oruk", "hsds_datapackage", "spreadsheet"}
    for config in demo.sources:
        batch = _collect(config, geocoder)
        assert batch.records and not batch.rejections
