"""Concurrent writers on real SQLite and PostgreSQL: none is ever lost silently."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from referrals import service
from referrals.audit import Channel
from referrals.contracts import NoteIn, ReferralCreate, TransitionIn
from referrals.errors import PreconditionFailed
from referrals.lifecycle import TaskStatus
from referrals.models import IdempotencyRecord, Referral, ReferralHistory, ReferralNote
from referrals.views import etag
from tests.referrals.conftest import World, count_rows, make_referral, referral_body

THREADS = 8


def _race(work: Callable[[int], str]) -> Counter[str]:
    barrier = threading.Barrier(THREADS)

    def run(index: int) -> str:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(THREADS) as pool:
        return Counter(pool.map(run, range(THREADS)))


def test_same_etag_only_one_writer_wins(world: World) -> None:
    referral = make_referral(world)
    provider = world["provider"].principal
    targets = [TaskStatus.ACCEPTED, TaskStatus.RECEIVED] * (THREADS // 2)

    def work(index: int) -> str:
        try:
            service.change_status(world.engine, provider, referral.id, etag(1),
                                  TransitionIn(status=targets[index]), Channel.JSON)
        except PreconditionFailed:
            return "stale"
        return "ok"

    assert _race(work) == {"ok": 1, "stale": THREADS - 1}
    final = service.read(world.engine, provider, referral.id, Channel.JSON)
    assert final.version == 2
    assert [h.to_status for h in final.history] == ["requested", final.status]


def test_retrying_writers_all_land(world: World) -> None:
    """Each writer re-reads and retries on 412: every note lands, in a strict version order."""
    referral = make_referral(world)
    provider = world["provider"].principal

    def work(index: int) -> str:
        while True:
            current = service.read(world.engine, provider, referral.id, Channel.JSON)
            try:
                service.add_note(world.engine, provider, referral.id, etag(current.version),
                                 NoteIn(text=f"note {index}"), Channel.JSON)
            except PreconditionFailed:
                continue
            return "ok"

    assert _race(work) == {"ok": THREADS}
    final = service.read(world.engine, provider, referral.id, Channel.JSON)
    assert final.version == 1 + THREADS
    assert sorted(n.text for n in final.notes) == sorted(f"note {i}" for i in range(THREADS))
    with Session(world.engine) as session:
        assert len(session.exec(select(ReferralNote)).all()) == THREADS
        assert len(session.exec(select(ReferralHistory)).all()) == 1


def test_same_idempotency_key_at_once_makes_one_referral(world: World) -> None:
    data = ReferralCreate.model_validate(referral_body(world))
    gp = world["gp"].principal

    def work(index: int) -> str:
        created = service.create(world.engine, gp, data, Channel.JSON, "same-key", "digest")
        return created.referral.id

    results = _race(work)
    assert len(results) == 1 and sum(results.values()) == THREADS
    assert count_rows(world.engine, Referral, IdempotencyRecord) == {
        "referral": 1, "referral_idempotency": 1}
