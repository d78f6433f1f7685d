"""A small referral world: two providers, referrers, GP systems and a steward, each with a
real credential, on a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.app import create_app
from directory.accounts import Account, CredentialKind, Principal, Scope, issue_credential
from directory.db import make_engine, session_scope
from directory.schema import Organization, Service
from referrals import service
from referrals.audit import Channel
from referrals.contracts import ReferralCreate, ReferralOut, TransitionIn
from referrals.lifecycle import TaskStatus
from referrals.views import etag
from signpost.settings import Settings
from tests.harness.postgres import PostgresCluster

NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "4010232137"


@dataclass
class Caller:
    principal: Principal
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        if self.principal.credential_kind is CredentialKind.API_KEY:
            return {"X-API-Key": self.secret}
        return {"Authorization": f"Bearer {self.secret}"}


@dataclass
class World:
    engine: Engine
    organisations: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    callers: dict[str, Caller] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Caller:
        return self.callers[name]


# name: (role, organisation, ODS code, credential kind, scopes)
ACCOUNTS: dict[str, tuple[str, str | None, str | None, CredentialKind, list[Scope]]] = {
    "link_worker": ("link_worker", "pcn", None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "colleague": ("link_worker", "pcn", None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "other_link_worker": (
        "link_worker", "other_pcn", None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "provider": ("provider", "befrienders", None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "provider_client": ("provider", "befrienders", None, CredentialKind.API_KEY, list(Scope)),
    "other_provider": ("provider", "walkers", None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "gp": ("gp_system", None, "A81001", CredentialKind.API_KEY, list(Scope)),
    "other_gp": ("gp_system", None, "B82002", CredentialKind.API_KEY, list(Scope)),
    "gp_read_only": ("gp_system", None, "A81001", CredentialKind.API_KEY, [Scope.READ]),
    "steward": ("steward", None, None, CredentialKind.STAFF_TOKEN, list(Scope)),
    "steward_client": ("steward", None, None, CredentialKind.API_KEY, list(Scope)),
}


def build_world(engine: Engine) -> World:
    world = World(engine)
    with session_scope(engine) as session:
        for key, name in [("befrienders", "Southwark Befrienders"), ("walkers", "Walk Lambeth"),
                          ("pcn", "Peckham PCN"), ("other_pcn", "Brixton PCN")]:
            organisation = Organization(name=name)
            session.add(organisation)
            world.organisations[key] = organisation.id
        session.flush()
        for key, name, org, withdrawn in [
            ("befriending", "Telephone befriending", "befrienders", None),
            ("walking", "Health walks", "walkers", None),
            ("closed", "Old lunch club", "befrienders", datetime(2025, 1, 1, tzinfo=UTC)),
        ]:
            listing = Service(name=name, organization_id=world.organisations[org],
                              withdrawn_at=withdrawn)
            session.add(listing)
            world.services[key] = listing.id
        session.flush()
        for key, (role, org, ods, kind, scopes) in ACCOUNTS.items():
            account = Account(name=key.replace("_", " ").title(), role=role, ods_code=ods,
                              organization_id=world.organisations[org] if org else None)
            session.add(account)
            session.flush()
            credential, secret = issue_credential(session, account, kind, scopes)
            world.callers[key] = Caller(Principal.of(account, credential), secret)
    return world


def referral_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service_id": world.services["befriending"],
        "person": {"nhs_number": NHS_NUMBER, "name": "Ada Lovelace",
                   "contact_method": "phone", "contact_details": "020 7946 0000"},
        "consent": {"given": True, "by": "the person", "at": "2026-11-20T10:00:00+00:00",
                    "scope": "Share with the befriending service to arrange support"},
        "reason": "Lives alone since her husband died; low mood.",
        "what_matters": "Talking to someone about books.",
        "urgency": "routine",
    }
    body.update(changes)
    return body


def make_referral(world: World, by: str = "link_worker", **changes: Any) -> ReferralOut:
    data = ReferralCreate.model_validate(referral_body(world, **changes))
    return service.create(world.engine, world[by].principal, data, Channel.JSON).referral


# The way to each state from ``requested``, made by the provider (cancel by the referrer).
PATHS: dict[TaskStatus, list[TaskStatus]] = {
    TaskStatus.REQUESTED: [],
    TaskStatus.RECEIVED: [TaskStatus.RECEIVED],
    TaskStatus.ACCEPTED: [TaskStatus.RECEIVED, TaskStatus.ACCEPTED],
    TaskStatus.REJECTED: [TaskStatus.RECEIVED, TaskStatus.REJECTED],
    TaskStatus.IN_PROGRESS: [TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS],
    TaskStatus.ON_HOLD: [TaskStatus.ACCEPTED, TaskStatus.ON_HOLD],
    TaskStatus.COMPLETED: [TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED],
    TaskStatus.CANCELLED: [TaskStatus.CANCELLED],
    TaskStatus.FAILED: [TaskStatus.FAILED],
}


def move(world: World, referral: ReferralOut, by: str, status: TaskStatus,
         reason: str | None = "because", **extra: Any) -> ReferralOut:
    change = TransitionIn(status=status, reason=reason, **extra)
    return service.change_status(world.engine, world[by].principal, referral.id,
                                 etag(referral.version), change, Channel.JSON)


def referral_in(world: World, state: TaskStatus, by: str = "link_worker",
                **changes: Any) -> ReferralOut:
    referral = make_referral(world, by=by, **changes)
    for step in PATHS[state]:
        actor = by if step is TaskStatus.CANCELLED else "provider"
        referral = move(world, referral, actor, step)
    return referral


def count_rows(engine: Engine, *tables: type[Any]) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.__tablename__: session.exec(select(func.count()).select_from(table)).one()
            for table in tables
        }


def client_for(database_url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=database_url)))


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


@pytest.fixture
def client(database_url: str, world: World) -> Iterator[TestClient]:
    with client_for(database_url) as test_client:
        yield test_client


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database per module, for tables of cases that each make their own rows."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("referrals") / "shared.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_postgres_template")
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database(template=template)
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture(scope="module")
def shared_world(shared_database_url: str) -> Iterator[World]:
    engine = make_engine(shared_database_url)
    yield build_world(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def shared_client(shared_database_url: str, shared_world: World) -> Iterator[TestClient]:
    with client_for(shared_database_url) as test_client:
        yield test_client


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)
