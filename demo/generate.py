"""Deterministic demo feeds: London borough directories in several formats, with the
cross-source duplicates a real federation sees (names spelt differently, phones formatted
differently, one copy with a venue and one without).

    python -m demo.generate                        # the small demo in demo/feeds
    python -m demo.generate --services 100000 --sources 10 \
        --out /tmp/big/feeds --sources-file /tmp/big/sources.yaml

Formats rotate over the sources: ORUK JSON, HSDS CSV data package, spreadsheet CSV,
spreadsheet XLSX. ``DemoService`` values can also be rendered as HSDS 3 or ALISS API
records (``to_hsds3``, ``to_aliss``), which the connector tests serve over HTTP.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from demo.catalogue import (
    BOROUGH_PLACES,
    LANGUAGES,
    ORG_PATTERNS,
    SAINTS,
    SERVICE_TYPES,
    STREETS,
    VENUE_NAMES,
    ServiceType,
)
from directory.postcodes import LONDON_BOROUGHS

DATA = Path(__file__).parent / "data"
FORMATS = ("oruk", "hsds_datapackage", "spreadsheet_csv", "spreadsheet_xlsx")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
TODAY = date(2025, 11, 1)  # fixed, so output does not depend on when it is run
SHEET_COLUMNS = (
    "Ref",
    "Service name",
    "Organisation",
    "Charity number",
    "Description",
    "Venue",
    "Address",
    "Postcode",
    "Telephone",
    "Email",
    "Website",
    "Opening times",
    "Ages",
    "Cost",
    "Languages",
    "Category",
    "Borough",
    "Delivery",
    "Last updated",
)


@dataclass(frozen=True)
class Venue:
    name: str
    address_1: str
    city: str
    postcode: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DemoService:
    key: str  # shared by the copies of one real-world service in different sources
    id: str
    name: str
    description: str
    category: str
    org_id: str
    org_name: str
    charity_number: str | None
    phone: str
    email: str
    url: str
    borough_code: str
    venue: Venue | None
    days: tuple[str, ...]
    opens: str
    closes: str
    monthly: int | None  # 1 = first <day> of the month
    min_age: int | None
    max_age: int | None
    cost: str | None
    languages: tuple[str, ...]
    modes: tuple[str, ...]
    updated: date

    @property
    def borough(self) -> str:
        return LONDON_BOROUGHS[self.borough_code]


def _postcodes() -> dict[str, list[tuple[str, float, float]]]:
    found: dict[str, list[tuple[str, float, float]]] = {}
    with (DATA / "london_postcodes.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["lad_code"], []).append(
                (row["postcode"], float(row["lat"]), float(row["lon"]))
            )
    return found


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def phone_style(digits: str, style: int) -> str:
    """One number (``02079460123``) written the ways feeds write it."""
    area, local = digits[1:3], digits[3:]
    return (
        f"0{area} {local[:4]} {local[4:]}",
        digits,
        f"+44 {area} {local[:4]} {local[4:]}",
        f"(0{area}) {local[:4]} {local[4:]}",
        f"+44 (0){area} {local[:4]} {local[4:]}",
    )[style % 5]


def name_variant(name: str, rng: random.Random) -> str:
    """How another directory might spell the same service."""
    candidates = [
        name.replace("'", ""),
        name.lower().capitalize(),
        name.replace(" and ", " & "),
        name.replace("St ", "Saint "),
        f"{name} (drop-in)",
        name.upper() if len(name) < 24 else name.replace("  ", " ") + " ",
    ]
    different = [c for c in candidates if c.strip() != name]
    return rng.choice(different)


def opening_text(service: DemoService) -> str:
    days = [DAY_NAMES[d] for d in service.days]
    times = f"{_clock(service.opens)} - {_clock(service.closes)}"
    if service.monthly:
        return (
            f"{('1st', '2nd', '3rd', 'Last')[service.monthly - 1]} {days[0]} of the month {times}"
        )
    if len(days) == 1:
        return f"{days[0]}s {times}"
    return f"{', '.join(days[:-1])} & {days[-1]} {times}"


def _clock(value: str) -> str:
    hour, minute = (int(p) for p in value.split(":"))
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


class Generator:
    def __init__(self, seed: int = 20251123) -> None:
        self.rng = random.Random(seed)
        self.postcodes = _postcodes()
        self.boroughs = sorted(self.postcodes)
        self.orgs: dict[str, list[tuple[str, str, str | None]]] = {}

    def _org(self, borough: str, place: str) -> tuple[str, str, str | None]:
        pool = self.orgs.setdefault(borough, [])
        if len(pool) < 6 or self.rng.random() < 0.1:
            name = self.rng.choice(ORG_PATTERNS).format(
                place=place, borough=LONDON_BOROUGHS[borough], saint=self.rng.choice(SAINTS)
            )
            charity = (
                str(self.rng.randrange(1_000_000, 1_199_999)) if self.rng.random() < 0.7 else None
            )
            pool.append((f"org-{borough[-3:]}-{len(pool):04d}", name, charity))
        return self.rng.choice(pool)

    def _venue(self, kind: ServiceType, borough: str, place: str) -> Venue:
        postcode, lat, lon = self.rng.choice(self.postcodes[borough])
        name = VENUE_NAMES[kind.venue].format(place=place, saint=self.rng.choice(SAINTS))
        street = f"{self.rng.randrange(1, 240)} {self.rng.choice(STREETS)}"
        return Venue(name, street, "London", postcode, lat, lon)

    def service(self, number: int) -> DemoService:
        rng = self.rng
        borough = rng.choice(self.boroughs)
        place = rng.choice(BOROUGH_PLACES[borough])
        kind = rng.choice(SERVICE_TYPES)
        venue = self._venue(kind, borough, place)
        org_id, org_name, charity = self._org(borough, place)
        name = rng.choice(kind.names).format(place=place, venue=venue.name)
        start = rng.choice((9, 10, 10, 11, 13, 14, 18))
        days = tuple(sorted(rng.sample(DAYS[:6], rng.choice((1, 1, 1, 2, 3))), key=DAYS.index))
        site = slug(f"{name}-{number}")[:40].strip("-")
        return DemoService(
            key=f"svc-{number:07d}",
            id=f"svc-{number:07d}",
            name=name,
            description=kind.description,
            category=kind.category,
            org_id=org_id,
            org_name=org_name,
            charity_number=charity,
            phone=f"0207946{rng.randrange(0, 1000):04d}",
            email=f"hello@{site}.example",
            url=f"https://www.{site}.example/",
            borough_code=borough,
            venue=venue,
            days=days[:1] if rng.random() < 0.1 else days,
            opens=f"{start:02d}:{rng.choice(('00', '00', '30'))}",
            closes=f"{start + rng.choice((1, 2, 2, 3)):02d}:00",
            monthly=rng.choice((1, 2, 4)) if rng.random() < 0.1 else None,
            min_age=kind.ages[0],
            max_age=kind.ages[1],
            cost=kind.cost,
            languages=tuple(["English", *rng.sample(LANGUAGES, rng.choice((0, 0, 1, 2)))]),
            modes=kind.modes,
            updated=TODAY - timedelta(days=rng.randrange(0, 900)),
        )

    def duplicate(self, service: DemoService, number: int) -> DemoService:
        """The same service as another directory lists it."""
        rng = self.rng
        return replace(
            service,
            id=f"dup-{number:07d}",
            name=name_variant(service.name, rng),
            description=service.description.split(". ")[0] + ".",
            venue=None if rng.random() < 0.5 else service.venue,
            updated=service.updated - timedelta(days=rng.randrange(0, 400)),
        )


def plan(
    services: int, sources: int, seed: int, duplicate_rate: float = 0.2
) -> list[list[tuple[DemoService, int]]]:
    """Services per source, each with its phone style; duplicates go to another source."""
    generator = Generator(seed)
    feeds: list[list[tuple[DemoService, int]]] = [[] for _ in range(sources)]
    made = 0
    while made < services:
        service = generator.service(made)
        home = generator.boroughs.index(service.borough_code) % sources
        feeds[home].append((service, home))
        made += 1
        if sources > 1 and made < services and generator.rng.random() < duplicate_rate:
            other = (home + 1 + generator.rng.randrange(sources - 1)) % sources
            feeds[other].append((generator.duplicate(service, made), other + 1))
            made += 1
    return feeds


# --- renderings -------------------------------------------------------------------------


def _phone(service: DemoService, style: int) -> str:
    return phone_style(service.phone, style)


def _schedule(service: DemoService, suffix: str) -> dict[str, Any]:
    """The RRULE-style schedule row ORUK and HSDS 3 share."""
    if service.monthly:
        prefix = "-1" if service.monthly == 4 else str(service.monthly)
        rule = {"freq": "MONTHLY", "byday": f"{prefix}{service.days[0]}"}
    else:
        rule = {"freq": "WEEKLY", "byday": ",".join(service.days)}
    return {
        "id": f"{service.id}-{suffix}",
        "opens_at": service.opens,
        "closes_at": service.closes,
        "description": opening_text(service),
        **rule,
    }


def to_oruk(service: DemoService, style: int = 0) -> dict[str, Any]:
    """ORUK v1, fully nested."""
    schedule = {**_schedule(service, "rs"), "interval": 1}
    locations = []
    if service.venue:
        v = service.venue
        locations.append(
            {
                "id": f"{service.id}-sal",
                "location": {
                    "id": f"{service.id}-loc",
                    "name": v.name,
                    "latitude": v.latitude,
                    "longitude": v.longitude,
                    "physical_addresses": [
                        {
                            "id": f"{service.id}-addr",
                            "address_1": v.address_1,
                            "city": v.city,
                            "postal_code": v.postcode,
                            "country": "GB",
                        }
                    ],
                    "accessibility_for_disabilities": [
                        {"id": f"{service.id}-acc", "accessibility": "Step-free access"}
                    ],
                },
                "regular_schedules": [schedule],
            }
        )
    return {
        "id": service.id,
        "name": service.name,
        "description": f"<p>{service.description}</p><p>Run by {service.org_name}.</p>",
        "url": service.url,
        "email": service.email,
        "status": "active",
        "fees": service.cost or "Free",
        "attending_type": "Venue" if service.venue else "Phone",
        "assured_date": service.updated.isoformat(),
        "organization": {
            "id": service.org_id,
            "name": service.org_name,
            "description": f"A voluntary organisation in {service.borough}.",
            "url": service.url,
        },
        "contacts": [
            {
                "id": f"{service.id}-c",
                "name": "Duty coordinator",
                "phones": [{"id": f"{service.id}-p", "number": _phone(service, style)}],
            }
        ],
        "eligibilitys": [
            {
                "id": f"{service.id}-e",
                "eligibility": "Local residents",
                "minimum_age": service.min_age,
                "maximum_age": service.max_age,
            }
        ],
        "cost_options": []
        if service.cost is None
        else [{"id": f"{service.id}-co", "amount_description": service.cost}],
        "languages": [
            {"id": f"{service.id}-l{i}", "language": lang}
            for i, lang in enumerate(service.languages)
        ],
        "service_areas": [
            {
                "id": f"{service.id}-sa",
                "service_area": service.borough,
                "uri": "http://statistics.data.gov.uk/id/statistical-geography/"
                + service.borough_code,
            }
        ],
        "service_taxonomys": [
            {
                "id": f"{service.id}-t",
                "taxonomy": {
                    "id": slug(service.category),
                    "name": service.category,
                    "vocabulary": "signpost-demo",
                },
            }
        ],
        "regular_schedules": [] if service.venue else [schedule],
        "service_at_locations": locations,
    }


def to_hsds3(service: DemoService, style: int = 0) -> dict[str, Any]:
    """HSDS 3.0, fully nested, as ``GET /services/{id}`` returns it."""
    schedule = _schedule(service, "sch")
    links = []
    if service.venue:
        v = service.venue
        links.append(
            {
                "id": f"{service.id}-sal",
                "location": {
                    "id": f"{service.id}-loc",
                    "location_type": "physical",
                    "name": v.name,
                    "latitude": v.latitude,
                    "longitude": v.longitude,
                    "addresses": [
                        {
                            "id": f"{service.id}-addr",
                            "address_1": v.address_1,
                            "city": v.city,
                            "state_province": "London",
                            "postal_code": v.postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [
                        {"id": f"{service.id}-acc", "description": "Step-free access"}
                    ],
                },
                "schedules": [schedule],
            }
        )
    identifiers = (
        []
        if not service.charity_number
        else [
            {
                "id": f"{service.org_id}-chc",
                "identifier_scheme": "GB-CHC",
                "identifier_type": "Charity number",
                "identifier": service.charity_number,
            }
        ]
    )
    return {
        "id": service.id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": "active",
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "last_modified": f"{service.updated.isoformat()}T09:00:00Z",
        "assured_date": service.updated.isoformat(),
        "organization": {
            "id": service.org_id,
            "name": service.org_name,
            "description": f"A voluntary organisation in {service.borough}.",
            "website": service.url,
            "organization_identifiers": identifiers,
        },
        "phones": [{"id": f"{service.id}-p", "number": _phone(service, style), "type": "voice"}],
        "schedules": [] if service.venue else [schedule],
        "service_at_locations": links,
        "cost_options": [
            {
                "id": f"{service.id}-co",
                "amount_description": service.cost or "Free",
                "currency": "GBP",
            }
        ],
        "languages": [
            {"id": f"{service.id}-l{i}", "name": lang} for i, lang in enumerate(service.languages)
        ],
        "service_areas": [
            {
                "id": f"{service.id}-sa",
                "name": service.borough,
                "uri": "http://statistics.data.gov.uk/id/statistical-geography/"
                + service.borough_code,
            }
        ],
        "attributes": [
            {
                "id": f"{service.id}-at",
                "link_id": service.id,
                "taxonomy_term": {
                    "id": slug(service.category),
                    "code": slug(service.category),
                    "name": service.category,
                    "taxonomy": {"id": "demo", "name": "signpost-demo"},
                },
            }
        ],
    }


def to_aliss(service: DemoService, style: int = 0) -> dict[str, Any]:
    v = service.venue
    return {
        "id": service.id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "phone": _phone(service, style),
        "email": service.email,
        "organisation": {"id": service.org_id, "name": service.org_name, "is_claimed": True},
        "categories": [{"name": service.category, "slug": slug(service.category)}],
        "locations": []
        if v is None
        else [
            {
                "id": f"{service.id}-loc",
                "name": v.name,
                "formatted_address": f"{v.address_1}, {v.city}, {v.postcode}",
                "street_address": v.address_1,
                "locality": v.city,
                "postal_code": v.postcode,
                "latitude": v.latitude,
                "longitude": v.longitude,
            }
        ],
        "service_areas": [
            {"code": service.borough_code, "type": "Local Authority", "name": service.borough}
        ],
        "last_updated": f"{service.updated.isoformat()}T09:00:00Z",
    }


def to_sheet_row(service: DemoService, style: int = 0) -> dict[str, str]:
    v = service.venue
    ages = (
        "All ages"
        if service.min_age is None
        else f"{service.min_age}+"
        if service.max_age is None
        else f"{service.min_age} to {service.max_age}"
    )
    values = (
        service.id,
        service.name,
        service.org_name,
        service.charity_number or "",
        service.description,
        v.name if v else "",
        f"{v.address_1}, {v.city}" if v else "",
        v.postcode if v else "",
        _phone(service, style),
        service.email,
        service.url,
        opening_text(service),
        ages,
        service.cost or "Free",
        ", ".join(service.languages),
        service.category,
        service.borough,
        " / ".join(m.replace("_", " ") for m in service.modes),
        f"{service.updated:%d/%m/%Y}",
    )
    return dict(zip(SHEET_COLUMNS, values, strict=True))


# --- files ------------------------------------------------------------------------------


def write_oruk(path: Path, feed: list[tuple[DemoService, int]]) -> None:
    content = [to_oruk(s, style) for s, style in feed]
    envelope = {
        "totalElements": len(content),
        "totalPages": 1,
        "number": 1,
        "size": len(content),
        "first": True,
        "last": True,
        "content": content,
    }
    path.write_text(json.dumps(envelope, indent=1), encoding="utf-8")


def _tables(services: Iterator[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Flatten nested HSDS 3 services into the data package's tables."""
    tables: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "organization",
            "organization_identifier",
            "service",
            "location",
            "service_at_location",
            "address",
            "accessibility",
            "phone",
            "schedule",
            "service_area",
            "language",
            "cost_option",
            "taxonomy",
            "taxonomy_term",
            "attribute",
        )
    }
    seen: set[tuple[str, str]] = set()

    def add(table: str, row: dict[str, Any]) -> None:
        if (table, row["id"]) not in seen:
            seen.add((table, row["id"]))
            tables[table].append(row)

    for s in services:
        org = s["organization"]
        add("organization", {k: v for k, v in org.items() if k != "organization_identifiers"})
        for ident in org["organization_identifiers"]:
            add("organization_identifier", {**ident, "organization_id": org["id"]})
        flat = {k: v for k, v in s.items() if not isinstance(v, list | dict)}
        add("service", {**flat, "organization_id": org["id"]})
        for phone in s["phones"]:
            add("phone", {**phone, "service_id": s["id"]})
        for schedule in s["schedules"]:
            add("schedule", {**schedule, "service_id": s["id"]})
        for link in s["service_at_locations"]:
            loc = link["location"]
            add("location", {k: v for k, v in loc.items() if not isinstance(v, list)})
            add(
                "service_at_location",
                {"id": link["id"], "service_id": s["id"], "location_id": loc["id"]},
            )
            for address in loc["addresses"]:
                add("address", {**address, "location_id": loc["id"]})
            for item in loc["accessibility"]:
                add("accessibility", {**item, "location_id": loc["id"]})
            for schedule in link["schedules"]:
                add("schedule", {**schedule, "service_at_location_id": link["id"]})
        for name in ("service_area", "language", "cost_option"):
            for row in s[f"{name}s"]:
                add(name, {**row, "service_id": s["id"]})
        for attribute in s["attributes"]:
            term = attribute["taxonomy_term"]
            add(
                "taxonomy",
                {
                    "id": term["taxonomy"]["id"],
                    "name": term["taxonomy"]["name"],
                    "description": "Signpost demo categories",
                },
            )
            add(
                "taxonomy_term",
                {
                    **{k: v for k, v in term.items() if k != "taxonomy"},
                    "taxonomy_id": term["taxonomy"]["id"],
                },
            )
            add(
                "attribute",
                {
                    "id": attribute["id"],
                    "link_id": s["id"],
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": term["id"],
                },
            )
    return tables


def write_datapackage(folder: Path, feed: list[tuple[DemoService, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tables = _tables(to_hsds3(s, style) for s, style in feed)
    resources = []
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for row in rows for k in row)) or ["id"]
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(rows)
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv"})
    descriptor = {"name": folder.name, "profile": "tabular-data-package", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")


def write_csv(path: Path, feed: list[tuple[DemoService, int]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(to_sheet_row(s, style) for s, style in feed)


def write_xlsx(path: Path, feed: list[tuple[DemoService, int]]) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Services")
    sheet.append(list(SHEET_COLUMNS))
    for service, style in feed:
        sheet.append(list(to_sheet_row(service, style).values()))
    book.save(path)


SHEET_MAPPING = {
    "id_columns": ["Ref"],
    "sheet": None,
    "columns": {
        "name": "Service name",
        "organization_name": "Organisation",
        "charity_number": "Charity number",
        "description": "Description",
        "location_name": "Venue",
        "address": "Address",
        "postcode": "Postcode",
        "phone": "Telephone",
        "email": "Email",
        "url": "Website",
        "opening_hours": "Opening times",
        "ages": "Ages",
        "fees": "Cost",
        "languages": "Languages",
        "taxonomy": "Category",
        "service_area": "Borough",
        "delivery_modes": "Delivery",
        "updated_at": "Last updated",
    },
    "taxonomy_vocabulary": "signpost-demo",
}


def write_feeds(feeds: list[list[tuple[DemoService, int]]], out: Path, sources_file: Path) -> None:
    """Write every feed and a sources file whose paths are relative to itself."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = []
    for index, feed in enumerate(feeds):
        kind = FORMATS[index % len(FORMATS)]
        source_id = f"demo-{index + 1:02d}-{kind.replace('_', '-')}"
        target = (
            out
            / {
                "oruk": f"{source_id}.json",
                "hsds_datapackage": source_id,
                "spreadsheet_csv": f"{source_id}.csv",
                "spreadsheet_xlsx": f"{source_id}.xlsx",
            }[kind]
        )
        {
            "oruk": write_oruk,
            "hsds_datapackage": write_datapackage,
            "spreadsheet_csv": write_csv,
            "spreadsheet_xlsx": write_xlsx,
        }[kind](target, feed)
        entry: dict[str, Any] = {
            "id": source_id,
            "name": f"Demo directory {index + 1} ({kind.replace('_', ' ')})",
            "format": "spreadsheet" if kind.startswith("spreadsheet") else kind,
            "path": target.resolve().relative_to(sources_file.resolve().parent).as_posix(),
            "schedule": {"interval": "6h"},
            "trust_rank": 50 + 5 * (index % 4),
            "licence": "OGL-3.0",
            "attribution": "Signpost demo data (invented). Postcodes: ONS Postcode Directory, OGL.",
        }
        if kind.startswith("spreadsheet"):
            entry["mapping"] = {k: v for k, v in copy.deepcopy(SHEET_MAPPING).items() if v}
        entries.append(entry)
    sources_file.write_text(
        "# Written by `python -m demo.generate`; paths are relative to this file.\n"
        + yaml.safe_dump({"sources": entries}, sort_keys=False, width=100),
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> None:
    here = Path(__file__).parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=240)
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20251123)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share duplicated")
    parser.add_argument("--out", type=Path, default=here / "feeds")
    parser.add_argument("--sources-file", type=Path, default=here / "sources.yaml")
    args = parser.parse_args(argv)
    feeds = plan(args.services, args.sources, args.seed, args.duplicates)
    write_feeds(feeds, args.out, args.sources_file)
    total = sum(len(f) for f in feeds)
    print(
        f"wrote {total} services in {len(feeds)} feeds to {args.out}; sources: {args.sources_file}"
    )


if __name__ == "__main__":
    main()
