"""Postcode lookup from the ONSPD package, cross-checked against the shared geodata."""

from __future__ import annotations

import csv
import gzip
import random
import time
from pathlib import Path

import pytest

from directory import postcode_data
from directory.postcodes import (
    LONDON_BOROUGHS,
    PostcodeKind,
    PostcodeLookup,
    PostcodeNotRecognised,
    default_lookup,
    normalise_postcode,
)

GEODATA = Path(__file__).resolve().parents[1].parent / "shared" / "geodata"


@pytest.fixture(scope="module")
def lookup() -> PostcodeLookup:
    return default_lookup()


@pytest.mark.parametrize(
    ("typed", "postcode", "kind"),
    [
        ("sw1a1aa", "SW1A 1AA", PostcodeKind.UNIT),
        (" SW1A  1AA ", "SW1A 1AA", PostcodeKind.UNIT),
        ("W85EP", "W8 5EP", PostcodeKind.UNIT),
        ("SW17", "SW17", PostcodeKind.OUTCODE),
        ("se1", "SE1", PostcodeKind.OUTCODE),
        ("wa15 ohf", "WA15 0HF", PostcodeKind.UNIT),
    ],
)
def test_normalisation(typed: str, postcode: str, kind: PostcodeKind) -> None:
    assert normalise_postcode(typed) == (postcode, kind)


@pytest.mark.parametrize("typed", ["", "hello", "12345", "SW1A 1A", "WA154 1HF"])
def test_things_that_are_not_postcodes(typed: str) -> None:
    with pytest.raises(PostcodeNotRecognised, match="not a UK postcode"):
        normalise_postcode(typed)


def test_spot_check_sw1a_1aa(lookup: PostcodeLookup) -> None:
    found = lookup.lookup("sw1a1aa")
    assert (found.postcode, found.kind) == ("SW1A 1AA", PostcodeKind.UNIT)
    assert (found.latitude, found.longitude) == pytest.approx((51.501009, -0.141588), abs=1e-6)
    assert (found.lad_code, found.lad_name) == ("E09000033", "Westminster")


def test_outward_code_gives_a_centroid_and_no_borough(lookup: PostcodeLookup) -> None:
    found = lookup.lookup("SW17")
    assert found.kind is PostcodeKind.OUTCODE
    assert (found.latitude, found.longitude) == pytest.approx((51.43035, -0.165299), abs=1e-5)
    assert found.lad_code is None and found.lad_name is None


def test_unknown_unit_falls_back_to_its_outward_code(lookup: PostcodeLookup) -> None:
    found = lookup.lookup("SW1A 9ZZ")
    assert (found.postcode, found.kind, found.lad_code) == ("SW1A", PostcodeKind.OUTCODE, None)


def test_unknown_postcodes_are_not_recognised(lookup: PostcodeLookup) -> None:
    with pytest.raises(PostcodeNotRecognised, match="postcode not recognised: 'ZZ9 9ZZ'"):
        lookup.lookup("ZZ9 9ZZ")
    with pytest.raises(PostcodeNotRecognised):
        lookup.lookup("QQ1")


def test_units_agree_with_the_london_geodata(lookup: PostcodeLookup) -> None:
    with gzip.open(GEODATA / "london_postcodes_nspd_nov2025.csv.gz", "rt") as handle:
        rows = list(csv.DictReader(handle))
    for row in random.Random(1).sample(rows, 3000):
        found = lookup.lookup(row["postcode"])
        assert found.kind is PostcodeKind.UNIT, row
        assert found.lad_code == row["lad_code"], row
        assert found.lad_name == LONDON_BOROUGHS[row["lad_code"]]
        assert (found.latitude, found.longitude) == pytest.approx(
            (float(row["lat"]), float(row["lon"])), abs=2e-6
        ), row


def test_outward_codes_agree_with_the_centroid_geodata(lookup: PostcodeLookup) -> None:
    with (GEODATA / "gb_outcode_centroids_nspd_nov2025.csv").open() as handle:
        london = [row for row in csv.DictReader(handle) if row["in_london"] == "1"]
    assert len(london) == 330
    for row in london:
        found = lookup.lookup(row["outcode"])
        assert found.kind is PostcodeKind.OUTCODE
        assert (found.latitude, found.longitude) == pytest.approx(
            (float(row["lat"]), float(row["lon"])), abs=2e-5
        ), row


def test_lookups_take_microseconds_once_loaded(lookup: PostcodeLookup) -> None:
    lookup.lookup("E1 2PA")
    started = time.perf_counter()
    for _ in range(10_000):
        lookup.lookup("E1 2PA")
    assert (time.perf_counter() - started) / 10_000 < 100e-6


def test_the_cache_is_built_once_then_reloaded(tmp_path: Path) -> None:
    table = postcode_data.read_letter("Z")
    sample = table.postcodes[0]
    postcode = f"{sample[:-3].strip()} {sample[-3:]}"
    first = PostcodeLookup(cache_dir=tmp_path).lookup(postcode)
    files = list(tmp_path.rglob("Z.bin"))
    assert len(files) == 1
    built = files[0].stat().st_mtime_ns
    again = PostcodeLookup(cache_dir=tmp_path).lookup(postcode)
    assert again == first
    assert files[0].stat().st_mtime_ns == built


def test_the_cache_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNPOST_CACHE_DIR", str(tmp_path))
    assert PostcodeLookup().cache_dir.parent == tmp_path


def test_all_33_london_boroughs_are_named() -> None:
    assert sorted(LONDON_BOROUGHS) == [f"E09{n:06d}" for n in range(1, 34)]
