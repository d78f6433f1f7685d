"""The ``signpost`` command: operate the directory from a terminal.

Subcommands are grouped by the stage they drive (``db``, ``sources``, ...); every failure
prints one line naming what failed and why, and exits non-zero, never with a traceback.
"""

from __future__ import annotations

import typer
from rich.console import Console

from signpost.logging import configure_logging
from signpost.settings import get_settings

app = typer.Typer(
    name="signpost",
    help="Signpost: a federated social-prescribing community directory.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema and migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
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
