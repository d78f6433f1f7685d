"""Transitions per second through the full write path (checks, conditional update, history,
outbox, audit, re-read), on the database at a URL.

    python -m referrals.bench sqlite:////tmp/bench.db --referrals 300 --threads 1 4

The database is migrated first; the benchmark adds its own organisation, listing and
accounts, so point it at a throwaway database.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Engine

from directory.accounts import Account, CredentialKind, Principal, Role, issue_credential
from directory.db import make_engine, session_scope
from directory.migrations import upgrade
from directory.schema import Organization, Service
from referrals import service
from referrals.audit import Channel
from referrals.contracts import ConsentIn, PersonIn, ReferralCreate, TransitionIn
from referrals.lifecycle import TaskStatus
from referrals.views import etag

LIFECYCLE = (TaskStatus.RECEIVED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS,
             TaskStatus.COMPLETED)


def _principals(engine: Engine) -> tuple[Principal, Principal, str]:
    with session_scope(engine) as session:
        organisation = Organization(name="Bench befrienders")
        session.add(organisation)
        session.flush()
        listing = Service(name="Bench befriending", organization_id=organisation.id)
        referrer = Account(name="Bench link worker", role=Role.LINK_WORKER.value)
        provider = Account(name="Bench provider", role=Role.PROVIDER.value,
                           organization_id=organisation.id)
        session.add_all([listing, referrer, provider])
        session.flush()
        principals = tuple(
            Principal.of(account, issue_credential(session, account,
                                                   CredentialKind.STAFF_TOKEN)[0])
            for account in (referrer, provider)
        )
        return principals[0], principals[1], listing.id


def _referral(service_id: str) -> ReferralCreate:
    return ReferralCreate(
        service_id=service_id,
        person=PersonIn(name="Bench Person", nhs_number="9434765919"),
        consent=ConsentIn(given=True, by="the person", at=datetime.now(UTC), scope="bench"),
        reason="Benchmark",
    )


def _walk(engine: Engine, provider: Principal, referral_id: str) -> int:
    version = 1
    for status in LIFECYCLE:
        moved = service.change_status(engine, provider, referral_id, etag(version),
                                      TransitionIn(status=status), Channel.JSON)
        version = moved.version
    return len(LIFECYCLE)


def run(database_url: str, referrals: int, threads: list[int]) -> list[str]:
    upgrade(database_url)
    engine = make_engine(database_url)
    referrer, provider, listing = _principals(engine)
    lines = []
    try:
        for workers in threads:
            ids = [service.create(engine, referrer, _referral(listing), Channel.JSON).referral.id
                   for _ in range(referrals)]
            started = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                moves = sum(pool.map(lambda rid: _walk(engine, provider, rid), ids))
            elapsed = time.perf_counter() - started
            lines.append(f"{engine.dialect.name}: {workers} thread(s): {moves} transitions in "
                         f"{elapsed:.2f} s = {moves / elapsed:.0f} transitions/s")
    finally:
        engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--referrals", type=int, default=300)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    arguments = parser.parse_args()
    for line in run(arguments.database_url, arguments.referrals, arguments.threads):
        print(line)


if __name__ == "__main__":
    main()
