"""``signpost reindex`` and ``signpost search-index status``: the search index from a shell."""

from __future__ import annotations

import logging

import typer
from elasticsearch import ApiError, TransportError
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from search.backend import SearchUnavailable
from search.indexing import SearchIndexer
from signpost.settings import get_settings
from signpost.wiring import build_components

app = typer.Typer(help="The search index.", no_args_is_help=True)
console = Console(stderr=True)
_FAILURES = (SearchUnavailable, SQLAlchemyError, ApiError, TransportError, OSError)


def _quiet_transport() -> None:
    """The client logs every retry with a traceback; the command prints one line instead."""
    logging.getLogger("elastic_transport").setLevel(logging.CRITICAL)


def reindex(
    batch_size: int = typer.Option(500, min=1, help="Listings loaded per database round."),
) -> None:
    """Rebuild the search index from the database; searches go on meanwhile."""
    _quiet_transport()
    components = build_components(get_settings())
    try:
        report = SearchIndexer(components.engine, components.search).reindex(batch_size)
    except _FAILURES as error:
        console.print(f"[red]error:[/red] cannot rebuild the search index: {error}")
        raise typer.Exit(1) from error
    finally:
        components.close()
    console.print(
        f"indexed {report.documents} listings on {components.search.name} in "
        f"{report.seconds:.1f} s (caught up {report.caught_up.indexed} changed meanwhile)"
    )


@app.command("status")
def status() -> None:
    """Which index searches read and how many listings it holds."""
    _quiet_transport()
    components = build_components(get_settings())
    try:
        found = components.search.status()
    except _FAILURES as error:
        console.print(f"[red]error:[/red] cannot read the search index: {error}")
        raise typer.Exit(1) from error
    finally:
        components.close()
    built = found.built_at.isoformat(timespec="seconds") if found.built_at else "never"
    typer.echo(f"{found.backend}: {found.index}, {found.documents} listings, built {built}")


app.command("reindex")(reindex)
