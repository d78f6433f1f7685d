"""The sources file: which feeds to pull, how, how often, and how far to trust them.

YAML (``.yaml``/``.yml``) or TOML (``.toml``), validated with pydantic. Errors name the
source and the field, e.g. ``source 'camden' (sources[2]) field 'url': ...``. Paths in the
file are relative to the file itself.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from connectors.records import ExtentType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFormat(StrEnum):
    ORUK = "oruk"
    HSDS3 = "hsds3"
    HSDS_DATAPACKAGE = "hsds_datapackage"
    ALISS = "aliss"
    SPREADSHEET = "spreadsheet"


_INTERVAL = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class SyncSchedule(Config):
    """When to sync: a crontab line (Europe/London) or an interval such as ``6h``."""

    cron: str | None = None
    interval: timedelta | None = None

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                CronTrigger.from_crontab(value, timezone="Europe/London")
            except ValueError as exc:
                raise ValueError(f"not a valid crontab expression: {exc}") from None
        return value

    @field_validator("interval", mode="before")
    @classmethod
    def _parse_interval(cls, value: object) -> object:
        if isinstance(value, str) and (match := _INTERVAL.match(value.strip())):
            return timedelta(**{_UNITS[match[2]]: int(match[1])})
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.cron is None) == (self.interval is None):
            raise ValueError("give exactly one of 'cron' or 'interval'")
        if self.interval is not None and self.interval < timedelta(minutes=5):
            raise ValueError("interval must be at least 5m")
        return self


class AuthConfig(Config):
    """An auth header whose secret lives in an environment variable, never in the file."""

    env: str = Field(pattern=r"^[A-Z_][A-Z0-9_]*$", description="environment variable name")
    header: str = "Authorization"
    prefix: str = Field(default="", description="e.g. 'Bearer '")

    def headers(self) -> dict[str, str]:
        secret = os.environ.get(self.env)
        if not secret:
            raise SourcesFileError([f"environment variable {self.env} (auth) is not set"])
        return {self.header: f"{self.prefix}{secret}"}


class HttpPolicy(Config):
    timeout_s: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=1.0, ge=0, description="first retry delay, then doubled")
    backoff_max_s: float = Field(default=60.0, ge=0)
    max_retry_after_s: float = Field(default=300.0, ge=0, description="cap on 429 Retry-After")
    rate_limit_per_s: float | None = Field(default=2.0, gt=0, description="None: unlimited")
    page_size: int = Field(default=100, ge=1, le=5000)
    user_agent: str = "Signpost-directory-aggregator/0.1"


TextColumns = str | list[str]


def column_names(value: TextColumns) -> list[str]:
    """The column name(s) a mapping target names, as a list."""
    return [value] if isinstance(value, str) else value


class ColumnMapping(Config):
    """Which spreadsheet column(s) fill which record field. A list joins several columns."""

    name: TextColumns
    alternate_name: TextColumns | None = None
    description: TextColumns | None = None
    url: TextColumns | None = None
    email: TextColumns | None = None
    phone: TextColumns | None = None
    contact: TextColumns | None = Field(default=None, description="e-mails and phones mixed")
    organization_name: TextColumns | None = None
    organization_description: TextColumns | None = None
    organization_url: TextColumns | None = None
    charity_number: TextColumns | None = None
    company_number: TextColumns | None = None
    location_name: TextColumns | None = None
    address: TextColumns | None = Field(default=None, description="one free-form address")
    address_1: TextColumns | None = None
    address_2: TextColumns | None = None
    city: TextColumns | None = None
    postcode: TextColumns | None = None
    latitude: TextColumns | None = None
    longitude: TextColumns | None = None
    latlong: TextColumns | None = Field(default=None, description="'lat,lon' in one column")
    opening_hours: TextColumns | None = None
    application_process: TextColumns | None = None
    fees: TextColumns | None = None
    free: TextColumns | None = Field(default=None, description="a yes/no column")
    ages: TextColumns | None = Field(default=None, description="'18+', '13 to 25' ...")
    min_age: TextColumns | None = None
    max_age: TextColumns | None = None
    eligibility: TextColumns | None = None
    languages: TextColumns | None = None
    taxonomy: TextColumns | None = None
    service_area: TextColumns | None = None
    service_area_code: TextColumns | None = None
    delivery_modes: TextColumns | None = None
    status: TextColumns | None = None
    closed: TextColumns | None = Field(default=None, description="yes/no; yes = inactive")
    updated_at: TextColumns | None = None
    assured_date: TextColumns | None = None

    def columns(self) -> set[str]:
        named: set[str] = set()
        for value in self.model_dump(exclude_none=True).values():
            named.update(column_names(value))
        return named


class SpreadsheetMapping(Config):
    columns: ColumnMapping
    id_columns: list[str] | None = Field(
        default=None, description="columns forming a stable record id; default name + postcode"
    )
    sheet: str | None = Field(default=None, description="XLSX worksheet; default the first")
    header_row: int = Field(default=1, ge=1)
    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    null_values: list[str] = Field(
        default=["", "NA", "N/A", "n/a", "-", "null", "None", "Not known", "Unknown"]
    )
    taxonomy_vocabulary: str | None = None
    taxonomy_separator: str = ";"

    def record_id_columns(self) -> list[str]:
        if self.id_columns:
            return self.id_columns
        keys = [self.columns.name, self.columns.postcode]
        return [c for key in keys if key for c in column_names(key)]


class AreaConfig(Config):
    name: str
    code: str | None = None
    extent_type: ExtentType = ExtentType.BOROUGH


class SourceConfig(Config):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$", description="lower-case slug")
    name: str = Field(min_length=1)
    format: SourceFormat
    url: AnyHttpUrl | None = Field(default=None, description="API root, or the file's URL")
    path: Path | None = Field(default=None, description="local file or folder")
    schedule: SyncSchedule | None = None
    trust_rank: int = Field(ge=0, le=100, description="higher wins when sources disagree")
    licence: str = Field(min_length=1)
    attribution: str | None = None
    auth: AuthConfig | None = None
    http: HttpPolicy = HttpPolicy()
    fetch_details: bool = Field(default=False, description="GET /services/{id} per record")
    default_service_area: AreaConfig | None = None
    mapping: SpreadsheetMapping | None = None
    _base_dir: Path = PrivateAttr(default=Path("."))

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        if self.format is SourceFormat.SPREADSHEET and self.mapping is None:
            raise ValueError("a spreadsheet source needs a 'mapping'")
        if self.format is not SourceFormat.SPREADSHEET and self.mapping is not None:
            raise ValueError("'mapping' is only for spreadsheet sources")
        if self.path is not None and self.format in (SourceFormat.HSDS3, SourceFormat.ALISS):
            raise ValueError(f"a {self.format.value} source is an API: give its 'url'")
        return self

    @property
    def location(self) -> str:
        """The URL, or the path resolved against the sources file's folder."""
        if self.url is not None:
            return str(self.url).rstrip("/")
        assert self.path is not None
        return str(self.path if self.path.is_absolute() else self._base_dir / self.path)

    def auth_headers(self) -> dict[str, str]:
        return self.auth.headers() if self.auth else {}


class SourcesFile(Config):
    sources: list[SourceConfig]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} is used twice")
            seen.add(source.id)
        return self

    def get(self, source_id: str) -> SourceConfig:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise SourcesFileError([f"no source {source_id!r} (known: {known})"])


class SourcesFileError(Exception):
    """The sources file is missing, unreadable or invalid; ``errors`` are human-readable."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesFileError([f"cannot read {path}: {exc.strerror or exc}"]) from None
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise SourcesFileError([f"{path} is not valid {path.suffix.lstrip('.')}: {exc}"]) from None


def _describe(error: dict[str, Any], data: Any) -> str:
    loc = list(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        index = loc[1]
        raw = data.get("sources", [])[index] if isinstance(data, dict) else None
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        who = f"source {raw_id!r} (sources[{index}])" if raw_id else f"sources[{index}]"
        field = ".".join(str(p) for p in loc[2:])
        return f"{who} field {field!r}: {message}" if field else f"{who}: {message}"
    where = ".".join(str(p) for p in loc) or "file"
    return f"{where}: {message}"


def load_sources(path: str | Path) -> SourcesFile:
    """Read and validate a sources file; SourcesFileError lists every problem found."""
    path = Path(path)
    data = _read(path)
    if isinstance(data, list):
        data = {"sources": data}
    try:
        sources = SourcesFile.model_validate(data)
    except ValidationError as exc:
        raise SourcesFileError([_describe(e, data) for e in exc.errors()]) from None
    for source in sources.sources:
        source._base_dir = path.resolve().parent
    return sources
