"""Operate the aggregator: ``signpost sync``, ``runs``, ``sources status``, ``duplicates``,
``replay`` and ``worker``. Mounted by ``signpost.cli``."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import func, select
from sqlmodel import Session

from aggregator.connector_reader import source_info
from aggregator.decisions import Decision, DecisionError, decide, review_queue
from aggregator.locks import LockHeld
from aggregator.runner import reader_for, sync_configured
from aggregator.sync import Progress as StageProgress
from aggregator.sync import SyncPolicy, release_run, replay_source
from connectors.cli import load_or_exit
from connectors.sources import SourceConfig, SourcesFile, SourcesFileError
from directory.federation import SourceRecord, SyncRun
from directory.schema import Service
from signpost.settings import Settings, get_settings
from signpost.wiring import Components, build_components, make_indexer

out = Console()
err = Console(stderr=True)
runs_app = typer.Typer(help="Sync runs: list them, release held ones.", no_args_is_help=True)
duplicates_app = typer.Typer(help="The possible-duplicates review queue.",
                             invoke_without_command=True)

SourcesOption = typer.Option(None, "--sources", help="Sources file (default: SIGNPOST_SOURCES).")


def _policy(settings: Settings) -> SyncPolicy:
    return SyncPolicy(settings.sync_hold_below_ratio, settings.sync_withdraw_after_missing_runs)


def _sources(path: Path | None) -> SourcesFile:
    return load_or_exit(path or get_settings().signpost_sources)


def _pick(sources: SourcesFile, ids: list[str]) -> list[SourceConfig]:
    try:
        return [sources.get(i) for i in ids] if ids else list(sources.sources)
    except SourcesFileError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None


@contextmanager
def _components() -> Iterator[Components]:
    components = build_components(get_settings())
    try:
        yield components
    finally:
        components.close()


@contextmanager
def _stage_progress() -> Iterator[object]:
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bars:
        yield bars


def _progress_for(bars: Progress):  # type: ignore[no-untyped-def]
    def factory(config: SourceConfig) -> StageProgress:
        tasks: dict[str, object] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(f"{config.id}: {stage}", total=total)
            bars.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        return report

    return factory


def _run_line(run: SyncRun) -> str:
    counts = (f"fetched {run.fetched_count}, mapped {run.mapped_count}, rejected "
              f"{run.rejected_count}; new {run.new_count}, changed {run.changed_count}, "
              f"unchanged {run.unchanged_count}, missing {run.missing_count}")
    error = f" — {run.error}" if run.error else ""
    return f"{run.source_id}: {run.status} ({counts}){error}"


def sync(
    source: list[str] = typer.Argument(None, help="Source ids (default: every source)."),
    sources_file: Path | None = SourcesOption,
) -> None:
    """Sync sources now: fetch, keep raw, match, merge and update the search index."""
    configs = _pick(_sources(sources_file), source or [])
    settings = get_settings()
    with _components() as components, _stage_progress() as bars:
        results = sync_configured(components.engine, configs, make_indexer(components),
                                  _policy(settings), _progress_for(bars))  # type: ignore[arg-type]
    failed = False
    for result in results:
        if isinstance(result, LockHeld):
            err.print(f"[yellow]skipped:[/yellow] {result}")
            continue
        failed |= result.status == "failed"
        colour = {"succeeded": "green", "held": "yellow"}.get(result.status, "red")
        out.print(f"[{colour}]{_run_line(result)}[/{colour}]", highlight=False)
    if failed:
        raise typer.Exit(1)


@runs_app.command("list")
def runs_list(
    source: str | None = typer.Option(None, help="Only this source."),
    limit: int = typer.Option(20, min=1, help="How many, newest first."),
) -> None:
    """Recent sync runs, newest first."""
    with _components() as components, Session(components.engine) as session:
        query = select(SyncRun).order_by(SyncRun.started_at.desc()).limit(limit)
        if source:
            query = query.where(SyncRun.source_id == source)
        runs = session.exec(query).scalars().all()
    table = Table(title="sync runs")
    for column in ("id", "source", "status", "started", "fetched", "new", "changed",
                   "missing", "rejected", "error"):
        table.add_column(column)
    for r in runs:
        table.add_row(r.id[:8], r.source_id, r.status, f"{r.started_at:%Y-%m-%d %H:%M}",
                      str(r.fetched_count), str(r.new_count), str(r.changed_count),
                      str(r.missing_count), str(r.rejected_count), (r.error or "")[:60])
    out.print(table)


@runs_app.command("release")
def runs_release(
    run_id: str = typer.Argument(..., help="The held run's id (or its first characters)."),
    by: str = typer.Option(..., "--by", help="Who releases it (recorded)."),
    sources_file: Path | None = SourcesOption,
) -> None:
    """Apply a held run's records after a steward checked them."""
    sources = _sources(sources_file)
    with _components() as components:
        with Session(components.engine) as session:
            matches = session.exec(select(SyncRun).where(SyncRun.id.startswith(run_id),
                                                         SyncRun.status == "held")).scalars().all()
        if len(matches) != 1:
            err.print(f"[red]error:[/red] {len(matches)} held runs match {run_id!r}")
            raise typer.Exit(1)
        config = _pick(sources, [matches[0].source_id])[0]
        try:
            run = release_run(components.engine, matches[0].id, by, source_info(config),
                              reader_for(config), indexer=make_indexer(components),
                              policy=_policy(get_settings()))
        except (ValueError, LookupError, LockHeld) as exc:
            err.print(f"[red]error:[/red] cannot release run {run_id}: {exc}")
            raise typer.Exit(1) from None
    out.print(_run_line(run), highlight=False)


def replay(
    source: str = typer.Argument(..., help="Source id."),
    sources_file: Path | None = SourcesOption,
) -> None:
    """Re-map the stored raw records of a source without fetching (after a mapping fix)."""
    config = _pick(_sources(sources_file), [source])[0]
    with _components() as components, _stage_progress() as bars:
        try:
            run = replay_source(components.engine, source_info(config), reader_for(config),
                                indexer=make_indexer(components),
                                progress=_progress_for(bars)(config))
        except LockHeld as exc:
            err.print(f"[red]error:[/red] cannot replay {source}: {exc}")
            raise typer.Exit(1) from None
    out.print(_run_line(run), highlight=False)


def sources_status(sources_file: Path | None = SourcesOption) -> None:
    """Per source: last success, last error, record and listing counts, held runs."""
    configs = _sources(sources_file).sources
    table = Table(title="sources")
    table.add_column("source", no_wrap=True)
    for column in ("last ok", "last run", "records", "absent", "withdrawn", "listings", "held",
                   "last error"):
        table.add_column(column, overflow="fold")
    with _components() as components, Session(components.engine) as session:
        for config in configs:
            runs = session.exec(select(SyncRun).where(SyncRun.source_id == config.id)
                                .order_by(SyncRun.started_at.desc())).scalars().all()
            ok = next((r for r in runs if r.status == "succeeded"), None)
            bad = next((r for r in runs if r.status == "failed"), None)
            states = dict(session.exec(
                select(SourceRecord.state, func.count()).where(
                    SourceRecord.source_id == config.id).group_by(SourceRecord.state)).all())
            listings = session.exec(
                select(func.count(func.distinct(SourceRecord.service_id)))
                .join(Service, Service.id == SourceRecord.service_id)
                .where(SourceRecord.source_id == config.id, Service.withdrawn_at.is_(None))
            ).scalar_one()
            table.add_row(
                config.id, f"{ok.finished_at:%d %b %H:%M}" if ok and ok.finished_at else "never",
                runs[0].status if runs else "-", str(states.get("present", 0)),
                str(states.get("absent", 0)), str(states.get("withdrawn", 0)), str(listings),
                str(sum(1 for r in runs if r.status == "held")),
                (bad.error or "")[:60] if bad else "",
            )
        published = session.exec(select(func.count()).select_from(Service).where(
            Service.withdrawn_at.is_(None))).scalar_one()
        records = session.exec(select(func.count()).select_from(SourceRecord).where(
            SourceRecord.state != "withdrawn")).scalar_one()
    out.print(table)
    out.print(f"directory: {published} published listings merged from {records} source records")


@duplicates_app.callback()
def duplicates(
    ctx: typer.Context,
    include_auto: bool = typer.Option(False, "--all", help="Also show automatic merges."),
    limit: int = typer.Option(50, min=1),
) -> None:
    """Possible duplicates waiting for a steward, most likely first."""
    if ctx.invoked_subcommand:
        return
    with _components() as components:
        items = review_queue(components.engine, include_auto, limit)
    if not items:
        out.print("no possible duplicates to review")
        return
    table = Table(title="possible duplicates")
    for column in ("decision id", "status", "score", "left", "right", "why"):
        table.add_column(column)
    for item in items:
        why = ", ".join(f"{k} {v:.2f}" for k, v in item.explanation.items())
        table.add_row(item.decision_id, item.decision, f"{item.score or 0:.2f}",
                      f"{item.left[2]} ({item.left[0]})", f"{item.right[2]} ({item.right[0]})",
                      why)
    out.print(table)


@duplicates_app.command("decide")
def duplicates_decide(
    decision_id: str = typer.Argument(..., help="From `signpost duplicates`."),
    decision: Decision = typer.Argument(..., help="merge, split or not_duplicate."),
    by: str = typer.Option(..., "--by", help="Who decides (recorded)."),
) -> None:
    """Record a steward's decision; it stands through later syncs."""
    with _components() as components:
        try:
            changed = decide(components.engine, decision_id, decision, by,
                             make_indexer(components))
        except DecisionError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
    out.print(f"{decision.value}: {len(changed)} listing(s) updated")


def worker(
    check: bool = typer.Option(False, "--check", help="Check configuration and database, "
                               "then exit (a container health check)."),
    sources_file: Path | None = SourcesOption,
) -> None:
    """Run the scheduler: each source syncs on its own schedule."""
    from aggregator.scheduler import LeaderScheduler
    from directory.db import check_database
    from signpost.worker import worker_jobs

    sources = _sources(sources_file)
    with _components() as components:
        try:
            check_database(components.engine)
        except Exception as exc:
            err.print(f"[red]error:[/red] database unreachable: {exc}")
            raise typer.Exit(1) from None
        if check:
            jobs = worker_jobs(sources)
            out.print(f"ok: {len(sources.sources)} source(s), {len(jobs)} job(s), "
                      "database reachable")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        LeaderScheduler(components.engine, worker_jobs(sources)).run(stop)
