"""The referral state machine: a plain table of allowed moves and pure functions over it.

States are FHIR R4 Task statuses (closed-loop referral workflow); the business status carries
the social-prescribing detail on top. Who may move a referral is expressed by the *actor*:
the referrer (link worker or GP system that made it), the provider (staff of the
organisation that runs the target listing) or a steward.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TaskStatus(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class BusinessStatus(StrEnum):
    CONTACTED = "contacted"
    FIRST_SESSION_ATTENDED = "first-session-attended"
    PERSON_DECLINED = "person-declined"
    COULD_NOT_CONTACT = "could-not-contact"
    NO_CAPACITY = "no-capacity"


class Actor(StrEnum):
    REFERRER = "referrer"
    PROVIDER = "provider"
    STEWARD = "steward"


S = TaskStatus
OPEN_STATES = frozenset({S.REQUESTED, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD})
CLOSED_STATES = frozenset(set(S) - OPEN_STATES)
UNANSWERED_STATES = frozenset({S.REQUESTED, S.RECEIVED})


@dataclass(frozen=True)
class Rule:
    source: TaskStatus
    target: TaskStatus
    actors: frozenset[Actor]
    reason_required: bool = False


def _rules() -> tuple[Rule, ...]:
    provider = frozenset({Actor.PROVIDER})
    ending = frozenset({Actor.PROVIDER, Actor.STEWARD})
    cancelling = frozenset({Actor.REFERRER, Actor.STEWARD})
    moves = [
        Rule(S.REQUESTED, S.RECEIVED, provider),
        Rule(S.REQUESTED, S.ACCEPTED, provider),
        Rule(S.REQUESTED, S.REJECTED, provider, reason_required=True),
        Rule(S.RECEIVED, S.ACCEPTED, provider),
        Rule(S.RECEIVED, S.REJECTED, provider, reason_required=True),
        Rule(S.ACCEPTED, S.IN_PROGRESS, provider),
        Rule(S.IN_PROGRESS, S.COMPLETED, provider),
        Rule(S.RECEIVED, S.ON_HOLD, provider),
        Rule(S.ACCEPTED, S.ON_HOLD, provider),
        Rule(S.IN_PROGRESS, S.ON_HOLD, provider),
        Rule(S.ON_HOLD, S.RECEIVED, provider),
        Rule(S.ON_HOLD, S.ACCEPTED, provider),
        Rule(S.ON_HOLD, S.IN_PROGRESS, provider),
    ]
    for source in sorted(OPEN_STATES):
        moves.append(Rule(source, S.CANCELLED, cancelling, reason_required=True))
        moves.append(Rule(source, S.FAILED, ending, reason_required=True))
    return tuple(moves)


RULES: tuple[Rule, ...] = _rules()
_BY_MOVE = {(rule.source, rule.target): rule for rule in RULES}

# In which Task states each business status may be recorded (by the provider or a steward).
BUSINESS_STATES: dict[BusinessStatus, frozenset[TaskStatus]] = {
    BusinessStatus.CONTACTED: frozenset({S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD}),
    BusinessStatus.FIRST_SESSION_ATTENDED: frozenset({S.IN_PROGRESS, S.COMPLETED}),
    BusinessStatus.PERSON_DECLINED: frozenset({S.ON_HOLD, S.REJECTED, S.FAILED, S.CANCELLED}),
    BusinessStatus.COULD_NOT_CONTACT: frozenset({S.ON_HOLD, S.FAILED}),
    BusinessStatus.NO_CAPACITY: frozenset({S.ON_HOLD, S.REJECTED}),
}
BUSINESS_ACTORS = frozenset({Actor.PROVIDER, Actor.STEWARD})


class TransitionError(Exception):
    """A move the table does not allow; ``allowed`` lists what this actor may do instead."""

    def __init__(self, code: str, message: str, allowed: list[TaskStatus]) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.allowed = allowed


def allowed_targets(source: TaskStatus, actor: Actor) -> list[TaskStatus]:
    """Every state ``actor`` may move a referral in ``source`` to, in table order."""
    return [rule.target for rule in RULES if rule.source == source and actor in rule.actors]


def check_move(
    source: TaskStatus,
    target: TaskStatus | None,
    business: BusinessStatus | None,
    actor: Actor,
    reason: str | None,
) -> TaskStatus:
    """The resulting status if the move is allowed, else raise :class:`TransitionError`.

    ``target`` None (or equal to ``source``) records only a business status.
    """
    result = source if target is None else target
    if result != source:
        rule = _BY_MOVE.get((source, result))
        if rule is None or actor not in rule.actors:
            raise TransitionError(
                "illegal_transition",
                f"A {actor.value} cannot move a referral from {source.value} to {result.value}.",
                allowed_targets(source, actor),
            )
        if rule.reason_required and not (reason and reason.strip()):
            raise TransitionError(
                "reason_required", f"Moving to {result.value} needs a reason.", [result]
            )
    elif business is None:
        raise TransitionError(
            "no_change", f"The referral is already {source.value}.", allowed_targets(source, actor)
        )
    if business is not None:
        if actor not in BUSINESS_ACTORS:
            raise TransitionError(
                "business_status_not_allowed",
                f"A {actor.value} cannot record a business status.",
                allowed_targets(source, actor),
            )
        if result not in BUSINESS_STATES[business]:
            raise TransitionError(
                "business_status_not_allowed",
                f"{business.value} cannot be recorded on a {result.value} referral.",
                sorted(BUSINESS_STATES[business]),
            )
    return result
