"""The ``signpost`` command: operate the directory from a terminal.

Subcommands are grouped by the stage they drive (``db``, ``sources``, ...); every failure
prints one line naming what failed and why, and exits non-zero, never with a traceback.
"""

from __future__ import annotations

import typer
from rich.console import Console

from referrals import cli as referrals_cli
from search import cli as search_cli
from signpost.logging import configure_logging
from signpost.settings import get_settings

app = typer.Typer(
    name="signpost",
    help="Signpost: a federated social-prescribing community directory.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
def _register_stage_commands(root: typer.Typer) -> None:
    """Each stage of the data flow contributes its own commands."""
    from aggregator import cli as aggregator_cli
    from connectors import cli as connectors_cli

    connectors_cli.sources_app.command("status")(aggregator_cli.sources_status)
    root.add_typer(connectors_cli.sources_app, name="sources")
    root.command("fetch")(connectors_cli.fetch)
    root.command("sync")(aggregator_cli.sync)
    root.command("replay")(aggregator_cli.replay)
    root.command("worker")(aggregator_cli.worker)
    root.add_typer(aggregator_cli.runs_app, name="runs")
    root.add_typer(aggregator_cli.duplicates_app, name="duplicates")


db_app = typer.Typer(help="Database schema and migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(referrals_cli.app, name="referrals")
app.add_typer(search_cli.app, name="search-index")
app.command("reindex")(search_cli.reindex)
_register_stage_commands(app)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the database at DATABASE_URL to the latest schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from directory.migrations import upgrade

    settings = get_settings()
    try:
        upgrade(settings.database_url, revision)
    except SQLAlchemyError as error:
        console.print(f"[red]error:[/red] cannot migrate the database: {error}")
        raise typer.Exit(1) from error
    console.print(f"database at revision {revision}")


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default: HOST)."),
    port: int | None = typer.Option(None, help="Port (default: PORT)."),
    workers: int = typer.Option(1, help="Worker processes."),
) -> None:
    """Serve the HTTP API and web pages."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
    )


def run() -> None:
    """The console entry point: a database that is missing or not migrated is one clear
    line, not a traceback."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        app(prog_name="signpost")
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig or error).splitlines()[0]
        console.print(f"[red]database error:[/red] {reason} "
                      "(is DATABASE_URL right, and has `signpost db upgrade` run?)")
        raise SystemExit(1) from None
