"""Accounts, their organisation membership, and the credentials they sign in with.

An account is a person (link worker, provider staff, steward) or an API client (a GP practice
or supplier, identified by ODS code). Credentials are bearer secrets: staff tokens and API
keys. Only a SHA-256 digest of each secret is stored: the secret is 32 random bytes, so a fast
digest is enough (there is nothing to brute-force as with a password). Secrets are shown once
when issued; a credential can expire and be revoked, never edited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, Session, SQLModel

from directory.base import new_id, timestamp_column, utcnow


class Role(StrEnum):
    LINK_WORKER = "link_worker"
    PROVIDER = "provider"
    GP_SYSTEM = "gp_system"
    STEWARD = "steward"


class CredentialKind(StrEnum):
    STAFF_TOKEN = "staff_token"
    API_KEY = "api_key"


class Scope(StrEnum):
    READ = "referrals:read"
    WRITE = "referrals:write"


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    name: str = Field(max_length=300)
    role: str = Field(max_length=20)
    # Providers belong to the organisation whose listings they answer for; link workers may
    # belong to theirs (a PCN, a council team) so colleagues share a caseload.
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True)
    ods_code: str | None = Field(default=None, max_length=10, index=True)
    email: str | None = Field(default=None, max_length=320)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))


class Credential(SQLModel, table=True):
    __tablename__ = "credential"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=20)
    label: str | None = Field(default=None, max_length=200)
    secret_sha256: str = Field(max_length=64)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(False))
    expires_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column())


@dataclass(frozen=True)
class Principal:
    """Who is calling, as every permission check sees it."""

    account_id: str
    name: str
    role: Role
    organization_id: str | None
    ods_code: str | None
    credential_kind: CredentialKind | None = None
    scopes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, account: Account, credential: Credential | None = None) -> Principal:
        """The account as a principal; without a credential it holds no scopes (for checks
        made on its behalf, such as which webhook subscribers may hear of a referral)."""
        return cls(
            account_id=account.id,
            name=account.name,
            role=Role(account.role),
            organization_id=account.organization_id,
            ods_code=account.ods_code,
            credential_kind=CredentialKind(credential.kind) if credential else None,
            scopes=frozenset(credential.scopes) if credential else frozenset(),
        )


class CredentialError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_PREFIX = {CredentialKind.STAFF_TOKEN: "spt", CredentialKind.API_KEY: "spk"}


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored timestamp is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_credential(
    session: Session,
    account: Account,
    kind: CredentialKind,
    scopes: list[Scope] | None = None,
    label: str | None = None,
    expires_in: timedelta | None = None,
) -> tuple[Credential, str]:
    """A new credential and its secret (``<prefix>_<id>.<secret>``), which is never stored."""
    secret = secrets.token_urlsafe(32)
    credential = Credential(
        account_id=account.id,
        kind=kind.value,
        label=label,
        secret_sha256=_digest(secret),
        scopes=sorted(s.value for s in (scopes if scopes is not None else list(Scope))),
        expires_at=utcnow() + expires_in if expires_in else None,
    )
    session.add(credential)
    session.flush()
    return credential, f"{_PREFIX[kind]}_{credential.id}.{secret}"


def revoke_credential(session: Session, credential_id: str) -> bool:
    """Revoke a credential; False if there is no such credential."""
    credential = session.get(Credential, credential_id)
    if credential is None:
        return False
    if credential.revoked_at is None:
        credential.revoked_at = utcnow()
        session.add(credential)
    return True


def resolve_credential(
    session: Session, presented: str, kind: CredentialKind, now: datetime | None = None
) -> Principal:
    """The principal a presented secret stands for, or raise :class:`CredentialError`."""
    prefix, _, rest = presented.partition("_")
    credential_id, _, secret = rest.partition(".")
    if prefix != _PREFIX[kind] or not secret:
        raise CredentialError("invalid_credential", f"That is not a valid {kind.value}.")
    credential = session.get(Credential, credential_id)
    if credential is None or not hmac.compare_digest(credential.secret_sha256, _digest(secret)):
        raise CredentialError("invalid_credential", f"That {kind.value} is not recognised.")
    if credential.revoked_at is not None:
        raise CredentialError("credential_revoked", f"That {kind.value} has been revoked.")
    if credential.expires_at is not None and as_utc(credential.expires_at) <= (now or utcnow()):
        raise CredentialError("credential_expired", f"That {kind.value} has expired.")
    account = session.get(Account, credential.account_id)
    if account is None or not account.active:
        raise CredentialError("account_disabled", "The account of that credential is disabled.")
    return Principal.of(account, credential)
