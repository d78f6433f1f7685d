"""Real spreadsheets (Trafford Data Lab, Give Food) through declarative column mappings."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from connectors.base import Batch, collect
from connectors.http import FetchError
from connectors.records import ScheduleKind, ServiceStatus
from connectors.spreadsheet import SpreadsheetConnector, split_address
from directory.postcodes import PostcodeLookup
from tests.connectors.conftest import CORPORA, fetcher_for, source

GIVEFOOD = {
    "id_columns": ["slug"],
    "columns": {
        "name": "name",
        "url": "url",
        "phone": "phone",
        "email": "email",
        "address": "address",
        "postcode": "postcode",
        "charity_number": "charity_number",
        "closed": "closed",
        "latlong": "latt_long",
        "taxonomy": "network",
    },
    "taxonomy_vocabulary": "givefood:network",
}
TRAFFORD = {
    "gm_food_banks.csv": {
        "columns": {
            "name": "Name",
            "application_process": "Referral method",
            "opening_hours": "Opening times",
            "address": "Address",
            "postcode": "Postcode",
            "contact": "Contact",
            "url": "Website",
            "service_area": "Area name",
            "service_area_code": "Area code",
        }
    },
    "trafford_mental_health_services.csv": {
        "columns": {
            "name": "name",
            "description": "description",
            "address": "address",
            "postcode": "postcode",
            "phone": "telephone",
            "url": "website",
        }
    },
    "trafford_sports_clubs.csv": {
        "columns": {
            "name": "name",
            "taxonomy": "category",
            "address": "address",
            "postcode": "postcode",
        }
    },
    "charities_operating_in_trafford.csv": {
        "id_columns": ["registered_charity_number"],
        "columns": {
            "name": "charity_name",
            "organization_name": "charity_name",
            "charity_number": "registered_charity_number",
            "company_number": "charity_company_registration_number",
            "description": "charity_activities",
            "address": "charity_contact_address",
            "postcode": "charity_contact_postcode",
            "phone": "charity_contact_phone",
            "email": "charity_contact_email",
            "url": "charity_contact_web",
        },
    },
    "gm_libraries.csv": {
        "columns": {
            "name": "name",
            "address": "address",
            "postcode": "postcode",
            "email": "email",
            "url": "website",
            "latitude": "lat",
            "longitude": "lon",
            "taxonomy": "type",
            "service_area": "area_name",
            "service_area_code": "area_code",
        }
    },
}


def _map(path: Path, mapping: dict[str, Any], geocoder: PostcodeLookup) -> Batch:
    config = source("spreadsheet", path=path, mapping=mapping)
    with fetcher_for(config) as fetcher:
        return collect(SpreadsheetConnector(config, geocoder), fetcher)


def _rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@pytest.mark.parametrize("name", sorted(TRAFFORD))
def test_trafford_files_map_every_row(name: str, geocoder: PostcodeLookup) -> None:
    path = CORPORA / "trafford_datalab" / name
    batch = _map(path, TRAFFORD[name], geocoder)
    assert len(batch.records) + len(batch.rejections) == _rows(path)
    assert len(batch.records) >= 0.97 * _rows(path)


def test_food_bank_opening_hours_and_mixed_contacts(geocoder: PostcodeLookup) -> None:
    path = CORPORA / "trafford_datalab" / "gm_food_banks.csv"
    records = _map(path, TRAFFORD["gm_food_banks.csv"], geocoder).records
    regular = [s for r in records for s in r.schedules if s.kind is ScheduleKind.REGULAR]
    assert sum(1 for s in regular if s.byday and s.opens_at) > 100
    southway = next(r for r in records if r.email == "connect2southway@southwayhousing.co.uk")
    assert [p.number for p in southway.phones] == ["+441614484200"]
    bolton = next(r for r in records if r.name == "BRASS Bolton")
    assert bolton.service_areas[0].code == "E08000001"
    assert bolton.locations[0].lad_code == "E08000001"


def test_givefood_london(geocoder: PostcodeLookup) -> None:
    path = CORPORA / "givefood" / "givefood_london_foodbanks_sample.csv"
    batch = _map(path, GIVEFOOD, geocoder)
    assert (len(batch.records), len(batch.rejections)) == (42, 0)
    records = {r.source_record_id: r for r in batch.records}
    with_extension = [p for r in batch.records for p in r.phones if p.extension]
    assert [(p.number, p.extension) for p in with_extension] == [("+442078341731", "224")]
    w8 = [loc for r in batch.records for loc in r.locations if loc.postcode == "W8 5EP"]
    assert w8 and w8[0].lad_code == "E09000020"
    assert any(r.status is ServiceStatus.INACTIVE for r in batch.records)
    assert all(
        loc.lad_code and loc.lad_code.startswith("E09")
        for r in batch.records
        for loc in r.locations
    )
    shadwell = records["e1"].locations[0]
    assert (shadwell.latitude, shadwell.longitude) == (51.512139, -0.054376)
    assert shadwell.address_1 == "Tarling East Community Centre"
    assert records["e1"].taxonomy_terms[0].name == "IFAN"


def test_givefood_near_duplicates_drop_redacted_emails(geocoder: PostcodeLookup) -> None:
    path = CORPORA / "givefood" / "givefood_uk_near_duplicates_sample.csv"
    batch = _map(path, GIVEFOOD, geocoder)
    assert len(batch.records) == 6
    warned = [w for r in batch.records for w in r.warnings if w.field == "email"]
    assert [w.value for w in warned] == ["[redacted-personal-email]"] * 2


def test_a_mapping_naming_a_missing_column_fails_the_fetch(geocoder: PostcodeLookup) -> None:
    path = CORPORA / "trafford_datalab" / "trafford_sports_clubs.csv"
    with pytest.raises(FetchError, match="mapped columns not in the spreadsheet: Telephone"):
        _map(path, {"columns": {"name": "name", "phone": "Telephone"}}, geocoder)


def test_rows_without_a_name_are_rejected(tmp_path: Path, geocoder: PostcodeLookup) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Ref,Name,Postcode\n1,Lunch club,E1 2PA\n2,  ,E1 2PA\n3,Choir,NOT A PC\n")
    batch = _map(
        path, {"id_columns": ["Ref"], "columns": {"name": "Name", "postcode": "Postcode"}}, geocoder
    )
    assert [(r.source_record_id, r.field) for r in batch.rejections] == [("2", "name")]
    choir = batch.records[1]
    assert choir.warnings[0].field == "location.postcode"


def test_address_splitting() -> None:
    assert split_address(
        "Tarling East Community Centre\n63 Martha Street\nShadwell\nE1 2PA", None
    ) == {
        "address_1": "Tarling East Community Centre",
        "address_2": "63 Martha Street",
        "city": "Shadwell",
        "postcode": "E1 2PA",
    }
    assert split_address("36 New Mount Street, Manchester", "M4 4DE")["city"] == "Manchester"
