"""The state machine, exhaustively: every (from, to, actor) against a table written out here
independently of the code's table."""

from __future__ import annotations

import itertools

import pytest

from referrals.lifecycle import (
    CLOSED_STATES,
    OPEN_STATES,
    RULES,
    Actor,
    BusinessStatus,
    TaskStatus,
    TransitionError,
    allowed_targets,
    check_move,
)

S, A, B = TaskStatus, Actor, BusinessStatus
P, R, W = A.PROVIDER, A.REFERRER, A.STEWARD

# (from, to): (who may, reason required)
EXPECTED: dict[tuple[TaskStatus, TaskStatus], tuple[set[Actor], bool]] = {
    (S.REQUESTED, S.RECEIVED): ({P}, False),
    (S.REQUESTED, S.ACCEPTED): ({P}, False),
    (S.REQUESTED, S.REJECTED): ({P}, True),
    (S.RECEIVED, S.ACCEPTED): ({P}, False),
    (S.RECEIVED, S.REJECTED): ({P}, True),
    (S.ACCEPTED, S.IN_PROGRESS): ({P}, False),
    (S.IN_PROGRESS, S.COMPLETED): ({P}, False),
    (S.RECEIVED, S.ON_HOLD): ({P}, False),
    (S.ACCEPTED, S.ON_HOLD): ({P}, False),
    (S.IN_PROGRESS, S.ON_HOLD): ({P}, False),
    (S.ON_HOLD, S.RECEIVED): ({P}, False),
    (S.ON_HOLD, S.ACCEPTED): ({P}, False),
    (S.ON_HOLD, S.IN_PROGRESS): ({P}, False),
    **{(s, S.CANCELLED): ({R, W}, True) for s in OPEN_STATES},
    **{(s, S.FAILED): ({P, W}, True) for s in OPEN_STATES},
}
MOVES = [
    (source, target, actor)
    for source, target, actor in itertools.product(S, S, A)
    if source != target
]


@pytest.mark.parametrize(("source", "target", "actor"), MOVES,
                         ids=[f"{s}->{t}-by-{a}" for s, t, a in MOVES])
def test_every_move_for_every_actor(source: S, target: S, actor: A) -> None:
    who, needs_reason = EXPECTED.get((source, target), (set(), False))
    if actor not in who:
        with pytest.raises(TransitionError) as raised:
            check_move(source, target, None, actor, "a reason")
        assert raised.value.code == "illegal_transition"
        assert raised.value.allowed == allowed_targets(source, actor)
        assert target not in raised.value.allowed
        return
    assert check_move(source, target, None, actor, "a reason") == target
    if needs_reason:
        for blank in (None, "", "   "):
            with pytest.raises(TransitionError) as raised:
                check_move(source, target, None, actor, blank)
            assert raised.value.code == "reason_required"
    else:
        assert check_move(source, target, None, actor, None) == target


def test_the_table_has_exactly_the_expected_moves() -> None:
    assert {(r.source, r.target): (set(r.actors), r.reason_required) for r in RULES} == EXPECTED


def test_closed_states_are_final() -> None:
    assert {S.REJECTED, S.COMPLETED, S.CANCELLED, S.FAILED} == CLOSED_STATES
    for state, actor in itertools.product(CLOSED_STATES, A):
        assert allowed_targets(state, actor) == []


def test_staying_put_without_a_business_status_is_no_change() -> None:
    with pytest.raises(TransitionError) as raised:
        check_move(S.ACCEPTED, S.ACCEPTED, None, P, None)
    assert raised.value.code == "no_change"


BUSINESS_OK = {
    B.CONTACTED: {S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD},
    B.FIRST_SESSION_ATTENDED: {S.IN_PROGRESS, S.COMPLETED},
    B.PERSON_DECLINED: {S.ON_HOLD, S.REJECTED, S.FAILED, S.CANCELLED},
    B.COULD_NOT_CONTACT: {S.ON_HOLD, S.FAILED},
    B.NO_CAPACITY: {S.ON_HOLD, S.REJECTED},
}
BUSINESS_CASES = list(itertools.product(B, S, A))


@pytest.mark.parametrize(("business", "state", "actor"), BUSINESS_CASES,
                         ids=[f"{b}-on-{s}-by-{a}" for b, s, a in BUSINESS_CASES])
def test_business_status_where_and_by_whom(business: B, state: S, actor: A) -> None:
    """Recorded on a referral already in ``state`` (no move): providers and stewards only."""
    allowed = actor in {P, W} and state in BUSINESS_OK[business]
    if allowed:
        assert check_move(state, None, business, actor, None) == state
    else:
        with pytest.raises(TransitionError) as raised:
            check_move(state, None, business, actor, None)
        assert raised.value.code == "business_status_not_allowed"


def test_business_status_checked_against_the_state_moved_to() -> None:
    assert check_move(S.ACCEPTED, S.FAILED, B.COULD_NOT_CONTACT, P, "three calls") == S.FAILED
    with pytest.raises(TransitionError):
        check_move(S.IN_PROGRESS, S.COMPLETED, B.NO_CAPACITY, P, None)
