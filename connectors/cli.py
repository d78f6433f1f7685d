"""``signpost sources check FILE`` and ``signpost fetch SOURCE --dry-run``.

Mounted by ``signpost.cli``: ``app.add_typer(sources_app, name="sources")`` and
``app.command("fetch")(fetch)``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from connectors.base import map_all
from connectors.http import Fetcher, FetchError
from connectors.records import Rejection, ServiceRecord
from connectors.registry import connector_for
from connectors.sources import SourceConfig, SourcesFile, SourcesFileError, load_sources
from directory.postcodes import default_lookup

sources_app = typer.Typer(help="The sources file and the health of each source.",
                          no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def load_or_exit(path: Path) -> SourcesFile:
    """The sources file, or its problems printed one per line and exit code 1."""
    try:
        return load_sources(path)
    except SourcesFileError as exc:
        err.print(f"[red]{path}: {len(exc.errors)} problem(s)[/red]")
        for line in exc.errors:
            err.print(f"  - {line}", markup=False, highlight=False)
        raise typer.Exit(1) from None


def _schedule(source: SourceConfig) -> str:
    if source.schedule is None:
        return "manual"
    return source.schedule.cron or f"every {source.schedule.interval}"


@sources_app.command("check")
def check(file: Path = typer.Argument(..., help="The sources file (YAML or TOML).")) -> None:
    """Validate a sources file and summarise it; exit code 1 if it has errors."""
    sources = load_or_exit(file)
    out.print(f"{file}: {len(sources.sources)} source(s), all valid", highlight=False)
    for s in sources.sources:
        out.print(
            f"  {s.id}  [{s.format.value}]  {_schedule(s)}  trust {s.trust_rank}  "
            f"licence {s.licence}  {s.location}",
            markup=False,
            highlight=False,
        )
    for s in sources.sources:
        if s.auth and not os.environ.get(s.auth.env):
            err.print(f"[yellow]warning:[/yellow] source {s.id!r}: ${s.auth.env} is not set")


def fetch(
    source: str = typer.Argument(..., help="Source id from the sources file."),
    sources_file: Path = typer.Option(
        Path("sources.yaml"), "--sources", envvar="SIGNPOST_SOURCES", help="Sources file."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Fetch and map, store nothing."),
    top: int = typer.Option(5, help="How many rejection reasons to show."),
) -> None:
    """Fetch one source and map its records; with --dry-run nothing is stored."""
    if not dry_run:
        err.print(f"fetch only previews a source; to store it run: signpost sync {source}")
        raise typer.Exit(2)
    config = load_or_exit(sources_file)
    try:
        chosen = config.get(source)
        headers = chosen.auth_headers()
    except SourcesFileError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    connector = connector_for(chosen, geocoder=default_lookup())
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with (
        Progress(*columns, console=err) as progress,
        Fetcher(chosen.id, chosen.http, headers) as fetcher,
    ):
        fetching = progress.add_task(f"fetching {chosen.id}", total=None)
        try:
            raws = list(
                connector.fetch(
                    fetcher,
                    progress=lambda done, total: progress.update(
                        fetching, completed=done, total=total
                    ),
                )
            )
        except FetchError as exc:
            err.print(f"[red]fetch failed:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None
        progress.update(fetching, completed=len(raws), total=len(raws))
        mapping = progress.add_task("mapping", total=len(raws))
        records, rejections = [], []
        for outcome in map_all(connector, raws):
            (rejections if isinstance(outcome, Rejection) else records).append(outcome)
            progress.advance(mapping)
    _report(chosen, len(raws), records, rejections, top)


def _report(
    source: SourceConfig,
    fetched: int,
    records: list[ServiceRecord],
    rejections: list[Rejection],
    top: int,
) -> None:
    warned = sum(1 for r in records if r.warnings)
    out.print(
        f"{source.id}: fetched {fetched}, mapped {len(records)} ({warned} with warnings), "
        f"rejected {len(rejections)}"
    )
    reasons = Counter(f"{r.field}: {r.reason}" for r in rejections)
    if reasons:
        out.print("top rejection reasons:")
        for reason, count in reasons.most_common(top):
            out.print(f"  {count:>6}  {reason}", markup=False, highlight=False)
    warnings = Counter(f"{w.field}: {w.message}" for r in records for w in r.warnings)
    if warnings:
        out.print("top warnings:")
        for warning, count in warnings.most_common(top):
            out.print(f"  {count:>6}  {warning}", markup=False, highlight=False)
