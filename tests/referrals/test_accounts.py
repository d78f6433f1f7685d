"""Credentials: hashed, scoped, expiring, revocable; and the ``signpost referrals`` commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from sqlmodel import Session
from typer.testing import CliRunner

from directory.accounts import (
    Account,
    Credential,
    CredentialError,
    CredentialKind,
    Scope,
    issue_credential,
    resolve_credential,
    revoke_credential,
)
from directory.base import utcnow
from directory.db import make_engine, session_scope
from signpost.cli import app
from signpost.settings import get_settings
from tests.referrals.conftest import World


def test_secret_is_stored_only_as_a_digest(shared_world: World) -> None:
    credential_id, secret = shared_world["gp"].secret.removeprefix("spk_").split(".", 1)
    with Session(shared_world.engine) as session:
        stored = session.get(Credential, credential_id)
        assert stored is not None
        assert secret not in stored.secret_sha256
        assert len(stored.secret_sha256) == 64


@pytest.mark.parametrize(("tamper", "kind", "code"), [
    (lambda s: s[:-2] + "xx", CredentialKind.API_KEY, "invalid_credential"),
    (lambda s: s, CredentialKind.STAFF_TOKEN, "invalid_credential"),
    (lambda s: "spk_" + s.split(".")[0][4:], CredentialKind.API_KEY, "invalid_credential"),
    (lambda s: "garbage", CredentialKind.API_KEY, "invalid_credential"),
])
def test_tampered_or_wrong_kind_is_refused(
    shared_world: World, tamper: Callable[[str], str], kind: CredentialKind, code: str
) -> None:
    with Session(shared_world.engine) as session, pytest.raises(CredentialError) as raised:
        resolve_credential(session, tamper(shared_world["gp"].secret), kind)
    assert raised.value.code == code


def test_expiry_revocation_and_disabled_accounts(world: World) -> None:
    with session_scope(world.engine) as session:
        account = session.get(Account, world["gp"].principal.account_id)
        assert account is not None
        credential, secret = issue_credential(session, account, CredentialKind.API_KEY,
                                              [Scope.READ], expires_in=timedelta(hours=1))
        credential_id = credential.id
    with Session(world.engine) as session:
        principal = resolve_credential(session, secret, CredentialKind.API_KEY)
        assert principal.scopes == {"referrals:read"}
        with pytest.raises(CredentialError, match="expired"):
            resolve_credential(session, secret, CredentialKind.API_KEY,
                               now=utcnow() + timedelta(hours=2))
    with session_scope(world.engine) as session:
        assert revoke_credential(session, credential_id)
        assert not revoke_credential(session, "no-such-credential")
    with Session(world.engine) as session, pytest.raises(CredentialError, match="revoked"):
        resolve_credential(session, secret, CredentialKind.API_KEY)
    with session_scope(world.engine) as session:
        account = session.get(Account, world["steward"].principal.account_id)
        assert account is not None
        account.active = False
    with Session(world.engine) as session, pytest.raises(CredentialError) as raised:
        resolve_credential(session, world["steward"].secret, CredentialKind.STAFF_TOKEN)
    assert raised.value.code == "account_disabled"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """``signpost`` in process, on a fresh SQLite database."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def test_cli_accounts_keys_and_jobs(cli: Callable[..., Result]) -> None:
    assert cli("db", "upgrade").exit_code == 0
    created = cli("referrals", "accounts", "create", "--name", "EMIS at Lordship Lane",
                  "--role", "gp_system", "--ods-code", "a81001")
    assert created.exit_code == 0, created.output
    account_id = created.stdout.strip()
    refused = cli("referrals", "accounts", "create", "--name", "x", "--role", "provider")
    assert refused.exit_code == 1 and "organization-id" in refused.stderr
    key = cli("referrals", "keys", "create", "--account-id", account_id,
              "--scope", "referrals:read", "--expires-in-days", "30")
    assert key.exit_code == 0, key.output
    secret = key.stdout.strip()
    credential_id = key.stderr.split()[-1]
    engine = make_engine(get_settings().database_url)
    with Session(engine) as session:
        principal = resolve_credential(session, secret, CredentialKind.API_KEY)
    assert (principal.ods_code, principal.scopes) == ("A81001", {"referrals:read"})
    assert cli("referrals", "keys", "revoke", credential_id).exit_code == 0
    with Session(engine) as session, pytest.raises(CredentialError):
        resolve_credential(session, secret, CredentialKind.API_KEY)
    engine.dispose()
    for command, output in [("nudge", "reminded 0, escalated 0"),
                            ("deliver-webhooks", "delivered 0, retrying 0, dead 0"),
                            ("anonymise", "anonymised 0 referrals")]:
        result = cli("referrals", command)
        assert result.exit_code == 0, result.output
        assert output in result.stdout
