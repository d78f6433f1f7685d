"""HSDS tabular data package: ``datapackage.json`` plus one CSV per table, in a folder or a
zip (local or at a URL). Rows are joined back into the nested HSDS 3 service shape, so the
HSDS 3 mapping applies unchanged and the raw record stored is one service, not one row.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from connectors import hsds3
from connectors.base import Connector, RawRecord
from connectors.http import Fetcher, is_url
from connectors.mapping import MappingContext
from connectors.paging import Progress
from connectors.records import ServiceRecord
from connectors.sources import SourceFormat

Row = dict[str, Any]
DESCRIPTOR = "datapackage.json"


def _files_in_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def _files_in_folder(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _read_files(fetcher: Fetcher, location: str) -> dict[str, bytes]:
    if not is_url(location) and Path(location).is_dir():
        return _files_in_folder(Path(location))
    data = fetcher.read(location)
    try:
        return _files_in_zip(data)
    except zipfile.BadZipFile:
        raise fetcher.error("not a zip file or folder holding a data package", location) from None


def read_tables(fetcher: Fetcher, location: str) -> dict[str, list[Row]]:
    """Table name -> rows, as the descriptor lists them."""
    files = _read_files(fetcher, location)
    descriptors = sorted((n for n in files if PurePosixPath(n).name == DESCRIPTOR), key=len)
    if not descriptors:
        raise fetcher.error(f"no {DESCRIPTOR} in the data package", location)
    base = PurePosixPath(descriptors[0]).parent
    try:
        resources = json.loads(files[descriptors[0]])["resources"]
        tables = {}
        for resource in resources:
            path = (base / resource["path"]).as_posix().removeprefix("./")
            text = files[path].decode("utf-8-sig")
            tables[resource["name"]] = list(csv.DictReader(io.StringIO(text)))
    except (KeyError, TypeError, ValueError, csv.Error) as exc:
        raise fetcher.error(
            f"broken data package ({type(exc).__name__}: {exc})", location
        ) from None
    if "service" not in tables:
        raise fetcher.error("the data package has no 'service' table", location)
    return tables


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


class _Nester:
    """Joins the tables back into fully nested services."""

    def __init__(self, tables: Mapping[str, list[Row]]) -> None:
        def table(name: str) -> list[Row]:
            return tables.get(name, [])

        self.phones = {
            k: _by(table("phone"), k)
            for k in ("service_id", "location_id", "contact_id", "organization_id")
        }
        self.schedules = {
            k: _by(table("schedule"), k)
            for k in ("service_id", "service_at_location_id", "location_id")
        }
        self.contacts = _by(table("contact"), "service_id")
        self.areas = _by(table("service_area"), "service_id")
        self.languages = _by(table("language"), "service_id")
        self.costs = _by(table("cost_option"), "service_id")
        self.attributes = _by(table("attribute"), "link_id")
        self.links = _by(table("service_at_location"), "service_id")
        self.identifiers = _by(table("organization_identifier"), "organization_id")
        taxonomies = {row["id"]: row for row in table("taxonomy") if row.get("id")}
        self.terms = {
            row["id"]: {**row, "taxonomy": taxonomies.get(row.get("taxonomy_id", ""))}
            for row in table("taxonomy_term")
            if row.get("id")
        }
        addresses = _by(table("address"), "location_id")
        access = _by(table("accessibility"), "location_id")
        self.locations = {
            row["id"]: {
                **row,
                "addresses": addresses.get(row["id"], []),
                "accessibility": access.get(row["id"], []),
                "phones": self.phones["location_id"].get(row["id"], []),
                "schedules": self.schedules["location_id"].get(row["id"], []),
            }
            for row in table("location")
            if row.get("id")
        }
        self.organizations = {
            row["id"]: {
                **row,
                "organization_identifiers": self.identifiers.get(row["id"], []),
                "phones": self.phones["organization_id"].get(row["id"], []),
            }
            for row in table("organization")
            if row.get("id")
        }

    def service(self, row: Row) -> Row:
        service_id = row.get("id", "")
        contacts = [
            {**c, "phones": self.phones["contact_id"].get(c.get("id", ""), [])}
            for c in self.contacts.get(service_id, [])
        ]
        links = [
            {
                **link,
                "location": self.locations.get(link.get("location_id", "")),
                "schedules": self.schedules["service_at_location_id"].get(link.get("id", ""), []),
            }
            for link in self.links.get(service_id, [])
        ]
        attributes = [
            {**a, "taxonomy_term": self.terms.get(a.get("taxonomy_term_id", ""))}
            for a in self.attributes.get(service_id, [])
        ]
        return {
            **row,
            "organization": self.organizations.get(row.get("organization_id", "")),
            "service_at_locations": links,
            "phones": self.phones["service_id"].get(service_id, []),
            "schedules": self.schedules["service_id"].get(service_id, []),
            "contacts": contacts,
            "service_areas": self.areas.get(service_id, []),
            "languages": self.languages.get(service_id, []),
            "cost_options": self.costs.get(service_id, []),
            "attributes": attributes,
        }


class DatapackageConnector(Connector):
    format = SourceFormat.HSDS_DATAPACKAGE

    def fetch(
        self, fetcher: Fetcher, since: datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        tables = read_tables(fetcher, self.source.location)
        nester = _Nester(tables)
        services = tables["service"]
        for done, row in enumerate(services, 1):
            yield self.raw(nester.service(row), row.get("id"))
            if progress and (done % 1000 == 0 or done == len(services)):
                progress(done, len(services))

    def map_payload(self, payload: Mapping[str, Any], ctx: MappingContext) -> ServiceRecord:
        return hsds3.map_service(payload, ctx, self.source.id)
