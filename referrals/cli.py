"""``signpost referrals ...``: the referral jobs, and accounts and credentials for stewards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import typer
from rich.console import Console
from sqlmodel import Session

from directory.accounts import Account, CredentialKind, Role, Scope, issue_credential
from directory.accounts import revoke_credential as revoke
from directory.db import make_engine, session_scope
from referrals.jobs import anonymise_job, deliver_webhooks_job, nudge_job
from signpost.settings import get_settings

app = typer.Typer(help="Referrals: reminders, webhooks, retention, accounts.",
                  no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts of staff and API clients.", no_args_is_help=True)
keys_app = typer.Typer(help="Staff tokens and API keys.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(keys_app, name="keys")
out = Console()
err = Console(stderr=True)


@contextmanager
def _session() -> Iterator[Session]:
    """A transaction on DATABASE_URL, with the engine disposed afterwards."""
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@app.command()
def nudge() -> None:
    """Remind providers of unanswered referrals and escalate the long-unanswered."""
    report = nudge_job()
    out.print(f"reminded {len(report.nudged)}, escalated {len(report.escalated)}")


@app.command("deliver-webhooks")
def deliver_webhooks() -> None:
    """Send the webhook deliveries that are due (retries included)."""
    report = deliver_webhooks_job()
    out.print(f"delivered {report.delivered}, retrying {report.retrying}, dead {report.dead}")


@app.command()
def anonymise() -> None:
    """Anonymise closed referrals past REFERRALS_RETENTION_DAYS."""
    count = anonymise_job()
    out.print(f"anonymised {count} referrals")


@accounts_app.command("create")
def create_account(
    name: str = typer.Option(..., help="Person's or client's name."),
    role: Role = typer.Option(..., help="link_worker, provider, gp_system or steward."),
    organization_id: str | None = typer.Option(None, help="Organisation (required for providers)."),
    ods_code: str | None = typer.Option(None, help="Practice ODS code (GP systems)."),
    email: str | None = typer.Option(None),
) -> None:
    """Create an account and print its id."""
    if role is Role.PROVIDER and not organization_id:
        err.print("[red]error:[/red] a provider account needs --organization-id")
        raise typer.Exit(1)
    if role is Role.GP_SYSTEM and not ods_code:
        err.print("[red]error:[/red] a GP system account needs --ods-code")
        raise typer.Exit(1)
    with _session() as session:
        account = Account(name=name, role=role.value, organization_id=organization_id,
                          ods_code=ods_code.upper() if ods_code else None, email=email)
        session.add(account)
        session.flush()
        typer.echo(account.id)


@keys_app.command("create")
def create_key(
    account_id: str = typer.Option(..., help="The account the credential signs in as."),
    kind: CredentialKind = typer.Option(CredentialKind.API_KEY, help="api_key or staff_token."),
    scope: list[Scope] = typer.Option(
        [Scope.READ, Scope.WRITE], help="Repeat for several scopes."
    ),
    label: str | None = typer.Option(None, help="What the credential is for."),
    expires_in_days: int | None = typer.Option(None, help="Expire after this many days."),
) -> None:
    """Issue a credential and print its secret (shown once: store it now)."""
    with _session() as session:
        account = session.get(Account, account_id)
        if account is None:
            err.print(f"[red]error:[/red] no account {account_id}")
            raise typer.Exit(1)
        expires = timedelta(days=expires_in_days) if expires_in_days else None
        credential, secret = issue_credential(session, account, kind, scope, label, expires)
        typer.echo(f"credential {credential.id}", err=True)
        typer.echo(secret)


@keys_app.command("revoke")
def revoke_key(credential_id: str = typer.Argument(..., help="The credential's id.")) -> None:
    """Revoke a credential at once."""
    with _session() as session:
        if not revoke(session, credential_id):
            err.print(f"[red]error:[/red] no credential {credential_id}")
            raise typer.Exit(1)
    out.print(f"revoked {credential_id}")
