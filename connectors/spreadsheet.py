"""Spreadsheets (CSV and XLSX) through the declarative column mapping of the source.

Each row is one service. The raw record is the row itself (column -> text), so a mapping
change can be replayed. The record id is built from ``id_columns`` (default: the name and
postcode columns), because most spreadsheets have no id of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

import openpyxl

from connectors import cleaning, values
from connectors.base import Connector, RawRecord
from connectors.cleaning import EMAIL_IN_TEXT
from connectors.http import Fetcher
from connectors.mapping import MappingContext, delivery_modes
from connectors.paging import Progress
from connectors.records import (
    CostOption,
    Eligibility,
    Location,
    Organization,
    ServiceRecord,
    ServiceStatus,
    TaxonomyTerm,
)
from connectors.schedules import parse_opening_hours
from connectors.sources import SourceFormat, SpreadsheetMapping, column_names

logger = logging.getLogger(__name__)
Row = Mapping[str, Any]
_POSTCODE_IN_TEXT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, mapping: SpreadsheetMapping) -> tuple[list[str], list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return rows[mapping.header_row - 1], rows[mapping.header_row :]


def _csv_rows(data: bytes, mapping: SpreadsheetMapping) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode(mapping.encoding)
    except UnicodeDecodeError:
        logger.warning("spreadsheet is not %s; reading it as Windows-1252", mapping.encoding)
        text = data.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter))
    return rows[mapping.header_row - 1], rows[mapping.header_row :]


def read_rows(fetcher: Fetcher, data: bytes, mapping: SpreadsheetMapping) -> list[dict[str, str]]:
    """Rows as column -> text; a mapping naming a column the file lacks fails the fetch."""
    try:
        reader = _xlsx_rows if data[:2] == b"PK" else _csv_rows
        header, body = reader(data, mapping)
    except (IndexError, KeyError, csv.Error, OSError, ValueError) as exc:
        raise fetcher.error(f"cannot read the spreadsheet ({type(exc).__name__}: {exc})") from None
    header = [h.strip() for h in header]
    missing = (mapping.columns.columns() | set(mapping.record_id_columns())) - set(header)
    if missing:
        raise fetcher.error(
            f"mapped columns not in the spreadsheet: {', '.join(sorted(missing))} "
            f"(it has: {', '.join(h for h in header if h)})"
        )
    return [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
        for row in body
        if any(cell.strip() for cell in row)
    ]


def split_address(text: str, postcode: str | None) -> dict[str, str | None]:
    """ "Hall, 63 Martha Street, Shadwell, E1 2PA" -> address_1, address_2, city, postcode."""
    parts = [p.strip() for p in re.split(r"[\n,]+", text) if p.strip()]
    found_postcode = postcode
    if parts and _POSTCODE_IN_TEXT.fullmatch(parts[-1]):
        found_postcode = found_postcode or parts[-1]
        parts = parts[:-1]
    elif parts and (match := _POSTCODE_IN_TEXT.search(parts[-1])):
        found_postcode = found_postcode or match[0]
        parts[-1] = parts[-1][: match.start()].strip() or parts[-1]
    city = parts.pop() if len(parts) > 1 else None
    return {
        "address_1": parts[0] if parts else None,
        "address_2": ", ".join(parts[1:]) or None,
        "city": city,
        "postcode": found_postcode,
    }


class _Row:
    """Reads mapped targets from one row, treating the mapping's null words as empty."""

    def __init__(self, row: Row, mapping: SpreadsheetMapping) -> None:
        self.row = row
        self.columns = mapping.columns
        self.nulls = {v.strip().lower() for v in mapping.null_values}

    def __call__(self, target: str, joiner: str = "\n") -> str | None:
        names = getattr(self.columns, target)
        if names is None:
            return None
        found = []
        for name in column_names(names):
            value = str(self.row.get(name) or "").strip()
            if value and value.lower() not in self.nulls:
                found.append(value)
        return joiner.join(found) or None


class SpreadsheetConnector(Connector):
    format = SourceFormat.SPREADSHEET

    @property
    def mapping(self) -> SpreadsheetMapping:
        assert self.source.mapping is not None  # guaranteed by SourceConfig's validation
        return self.source.mapping

    def fetch(
        self, fetcher: Fetcher, since: dt.datetime | None = None, progress: Progress | None = None
    ) -> Iterator[RawRecord]:
        rows = read_rows(fetcher, fetcher.read(self.source.location), self.mapping)
        id_columns = self.mapping.record_id_columns()
        if progress:
            progress(len(rows), len(rows))
        for row in rows:
            key = "|".join(cleaning.clean_text(row.get(c)) or "" for c in id_columns)
            yield self.raw(row, key if key.strip("|") else "")

    def map_payload(self, payload: Row, ctx: MappingContext) -> ServiceRecord:
        get = _Row(payload, self.mapping)
        contact = get("contact") or ""
        emails = [e for e in [get("email"), *EMAIL_IN_TEXT.findall(contact)] if e]
        email = next((e for e in (ctx.email("email", e) for e in emails) if e), None)
        phones = ctx.phones_in_text("phone", get("phone", " / "))
        if contact:
            without_emails = EMAIL_IN_TEXT.sub(" ", contact).strip()
            phones += ctx.phones_in_text("contact", without_emails) if without_emails else []
        locations = [loc for loc in [self._location(get, ctx)] if loc]
        status = ctx.clean("status", get("status"), values.status) or ServiceStatus.ACTIVE
        if ctx.clean("closed", get("closed"), cleaning.parse_bool):
            status = ServiceStatus.INACTIVE
        areas = [values.service_area(get("service_area"), get("service_area_code"))]
        return ServiceRecord(
            source_id=self.source.id,
            source_record_id=ctx.record_id,
            name=ctx.name("name", get("name", " ")),
            alternate_name=cleaning.clean_name(get("alternate_name")),
            description=cleaning.clean_multiline(get("description", "\n\n")),
            url=ctx.url("url", get("url")),
            email=email,
            status=status,
            organization=self._organization(get, ctx),
            locations=locations,
            phones=list({(p.number, p.extension): p for p in phones}.values()),
            schedules=parse_opening_hours(get("opening_hours")),
            eligibility=self._eligibility(get, ctx),
            cost_options=self._costs(get, ctx),
            fees_description=cleaning.clean_text(get("fees")),
            application_process=cleaning.clean_multiline(get("application_process")),
            languages=values.languages(get("languages") or []),
            service_areas=[a for a in areas if a],
            taxonomy_terms=self._taxonomy(get),
            delivery_modes=delivery_modes(values.delivery_modes(get("delivery_modes")), locations),
            source_updated_at=ctx.datetime("updated_at", get("updated_at")),
            assured_date=ctx.date("assured_date", get("assured_date")),
        )

    def _location(self, get: _Row, ctx: MappingContext) -> Location | None:
        latitude, longitude = get("latitude"), get("longitude")
        if latlong := get("latlong"):
            latitude, _, longitude = latlong.partition(",")
        parts: dict[str, str | None] = {
            "address_1": get("address_1", ", "),
            "address_2": get("address_2", ", "),
            "city": get("city"),
            "postcode": get("postcode"),
        }
        if address := get("address"):
            parts = {
                **split_address(address, parts["postcode"]),
                **{k: v for k, v in parts.items() if v},
            }
        if not any(parts.values()) and latitude is None:
            return None
        return ctx.location(
            name=cleaning.clean_name(get("location_name")),
            latitude=latitude,
            longitude=longitude,
            **parts,
        )

    def _organization(self, get: _Row, ctx: MappingContext) -> Organization | None:
        name = cleaning.clean_name(get("organization_name", " "))
        charity, company = get("charity_number"), get("company_number")
        if not name and not (charity or company):
            return None
        return Organization(
            name=name or cleaning.clean_name(get("name", " ")) or "",
            description=cleaning.clean_multiline(get("organization_description")),
            url=ctx.url("organization_url", get("organization_url")),
            charity_number=charity,
            company_number=company,
        )

    def _eligibility(self, get: _Row, ctx: MappingContext) -> Eligibility | None:
        ages = values.age_range(get("ages")) or Eligibility()
        result = Eligibility(
            minimum_age=ctx.integer("min_age", get("min_age")) or ages.minimum_age,
            maximum_age=ctx.integer("max_age", get("max_age")) or ages.maximum_age,
            description=cleaning.clean_multiline(get("eligibility")) or ages.description,
        )
        return result if result != Eligibility() else None

    def _costs(self, get: _Row, ctx: MappingContext) -> list[CostOption]:
        option = values.cost(get("fees"))
        free = ctx.clean("free", get("free"), cleaning.parse_bool)
        if free is not None:
            option = (option or CostOption()).model_copy(update={"free": free})
        return [option] if option else []

    def _taxonomy(self, get: _Row) -> list[TaxonomyTerm]:
        text = get("taxonomy", self.mapping.taxonomy_separator)
        vocabulary = self.mapping.taxonomy_vocabulary or f"{self.source.id}:category"
        names = [n.strip() for n in (text or "").split(self.mapping.taxonomy_separator)]
        terms = {n.lower(): n for n in names if n}
        return [
            TaxonomyTerm(code=key, name=name, vocabulary=vocabulary) for key, name in terms.items()
        ]
