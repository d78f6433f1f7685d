"""Who may see and act on which referral.

One rule, expressed once as SQL: a steward sees every referral; a provider sees referrals to
listings of its organisation (the listing's ``organization_id`` decides, at the time of
asking); a referrer sees those it made, those its organisation made, and, for a GP system,
those made under its practice's ODS code. What a visible referral lets you do follows from
your role (:func:`actor_for`), and the lifecycle table decides the rest.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from directory.accounts import Principal, Role, Scope
from directory.schema import Service
from referrals.errors import Forbidden
from referrals.lifecycle import Actor
from referrals.models import Referral

REFERRER_ROLES = frozenset({Role.LINK_WORKER, Role.GP_SYSTEM})
_ACTORS = {
    Role.LINK_WORKER: Actor.REFERRER,
    Role.GP_SYSTEM: Actor.REFERRER,
    Role.PROVIDER: Actor.PROVIDER,
    Role.STEWARD: Actor.STEWARD,
}


def actor_for(principal: Principal) -> Actor:
    return _ACTORS[principal.role]


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause over ``referral`` joined to ``service`` selecting what ``principal`` sees."""
    if principal.role is Role.STEWARD:
        return true()
    if principal.role is Role.PROVIDER:
        if principal.organization_id is None:
            return false()
        return Service.organization_id == principal.organization_id
    clauses: list[ColumnElement[bool]] = [Referral.referrer_account_id == principal.account_id]
    if principal.organization_id:
        clauses.append(Referral.referrer_organization_id == principal.organization_id)
    if principal.ods_code:
        clauses.append(Referral.referrer_ods_code == principal.ods_code)
    return or_(*clauses)


def require(principal: Principal, scope: Scope, roles: frozenset[Role] | None = None) -> None:
    """Raise :class:`Forbidden` unless the credential has ``scope`` and the role is allowed."""
    if scope.value not in principal.scopes:
        raise Forbidden(f"This credential lacks the {scope.value} scope.", code="missing_scope")
    if roles is not None and principal.role not in roles:
        raise Forbidden(
            f"A {principal.role.value} cannot do this.", code="role_not_allowed",
        )

