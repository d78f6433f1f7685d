"""The sources file and the ``sources check`` / ``fetch --dry-run`` commands as mounted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from connectors.cli import fetch, sources_app
from connectors.sources import SourcesFileError, load_sources
from tests.connectors.conftest import BRISTOL

app = typer.Typer()
app.add_typer(sources_app, name="sources")
app.command("fetch")(fetch)


@app.callback()
def _root() -> None:
    """Mounted as in ``signpost.cli``."""


runner = CliRunner()

VALID = f"""
sources:
  - id: bristol
    name: Bristol City Council
    format: oruk
    path: {BRISTOL}
    schedule: {{cron: "15 3 * * *"}}
    trust_rank: 60
    licence: unknown (tests only)
  - id: sheet
    name: A spreadsheet
    format: spreadsheet
    url: https://example.org/feed.csv
    schedule: {{interval: 6h}}
    trust_rank: 40
    licence: OGL-3.0
    auth: {{env: SHEET_TOKEN, prefix: "Bearer "}}
    mapping: {{columns: {{name: Name}}}}
"""
INVALID = """
sources:
  - id: bristol
    name: Bristol
    format: orukk
    url: not a url
    trust_rank: 500
    licence: x
  - id: sheet
    name: Sheet
    format: spreadsheet
    path: x.csv
    trust_rank: 10
    licence: x
    schedule: {interval: 1m}
"""


def _write(tmp_path: Path, text: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    sources = load_sources(_write(tmp_path, VALID))
    assert [s.id for s in sources.sources] == ["bristol", "sheet"]
    assert sources.get("sheet").schedule.interval.total_seconds() == 6 * 3600


def test_toml_works_too(tmp_path: Path) -> None:
    text = (
        '[[sources]]\nid = "x"\nname = "X"\nformat = "oruk"\npath = "x.json"\n'
        'trust_rank = 1\nlicence = "OGL-3.0"\n'
    )
    sources = load_sources(_write(tmp_path, text, "sources.toml"))
    assert sources.sources[0].location == str(tmp_path / "x.json")


def test_errors_name_the_source_and_the_field(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError) as caught:
        load_sources(_write(tmp_path, INVALID))
    errors = caught.value.errors
    assert any(e.startswith("source 'bristol' (sources[0]) field 'format'") for e in errors)
    assert any(e.startswith("source 'bristol' (sources[0]) field 'url'") for e in errors)
    assert any(e.startswith("source 'bristol' (sources[0]) field 'trust_rank'") for e in errors)
    assert any(
        "source 'sheet' (sources[1]) field 'schedule'" in e and "at least 5m" in e for e in errors
    )


def test_cross_field_rules(tmp_path: Path) -> None:
    text = (
        "- {id: s, name: S, format: spreadsheet, path: x.csv, trust_rank: 1, licence: x}\n"
        "- {id: h, name: H, format: hsds3, path: x.json, trust_rank: 1, licence: x}\n"
    )
    with pytest.raises(SourcesFileError) as caught:
        load_sources(_write(tmp_path, text))
    assert caught.value.errors == [
        "source 's' (sources[0]): a spreadsheet source needs a 'mapping'",
        "source 'h' (sources[1]): a hsds3 source is an API: give its 'url'",
    ]


def test_duplicate_ids_and_missing_files_are_errors(tmp_path: Path) -> None:
    doubled = "sources:\n" + "\n".join(
        "  - {id: a, name: A, format: oruk, path: a.json, trust_rank: 1, licence: x}"
        for _ in range(2)
    )
    with pytest.raises(SourcesFileError, match="used twice"):
        load_sources(_write(tmp_path, doubled))
    with pytest.raises(SourcesFileError, match="cannot read"):
        load_sources(tmp_path / "nope.yaml")


def test_auth_secret_missing_from_the_environment(tmp_path: Path) -> None:
    sheet = load_sources(_write(tmp_path, VALID)).get("sheet")
    with pytest.raises(SourcesFileError, match="SHEET_TOKEN"):
        sheet.auth_headers()


def test_check_prints_a_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sources", "check", str(_write(tmp_path, VALID))])
    assert result.exit_code == 0, result.output
    assert "2 source(s), all valid" in result.output
    assert "bristol  [oruk]  15 3 * * *  trust 60" in result.output
    assert "$SHEET_TOKEN is not set" in result.output


def test_check_prints_errors_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sources", "check", str(_write(tmp_path, INVALID))])
    assert result.exit_code == 1
    assert "field 'format'" in result.output
    assert "Traceback" not in result.output


def test_fetch_dry_run_reports_counts_and_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNPOST_SOURCES", str(_write(tmp_path, VALID)))
    result = runner.invoke(app, ["fetch", "bristol", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "fetched 819, mapped 817" in result.output
    assert "rejected 2" in result.output
    assert "name: name is empty" in result.output
    assert "id: duplicate record id in this feed" in result.output


def test_fetch_failures_and_unknown_sources_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"unexpected": True}))
    text = VALID.replace(str(BRISTOL), str(broken))
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["fetch", "bristol", "--sources", str(path), "--dry-run"])
    assert result.exit_code == 1 and "fetch failed" in result.output
    result = runner.invoke(app, ["fetch", "nope", "--sources", str(path), "--dry-run"])
    assert result.exit_code == 1 and "no source 'nope'" in result.output


def test_fetch_without_dry_run_points_to_sync(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fetch", "bristol", "--sources", str(_write(tmp_path, VALID))])
    assert result.exit_code == 2
    assert "signpost sync bristol" in result.output
