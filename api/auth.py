"""Authentication: who is calling, from a staff token or an API key.

Staff send ``Authorization: Bearer spt_...``; API clients (GP systems, provider systems)
send ``X-API-Key: spk_...`` (a Bearer API key works too). Either resolves to a
:class:`Principal`; permission checks happen in the packages that own the rules.
"""

from __future__ import annotations

from fastapi import Header, Request

from api.errors import ApiError
from api.state import components as app_components
from directory.accounts import CredentialError, CredentialKind, Principal, resolve_credential
from directory.db import session_scope

_KINDS = {"spt": CredentialKind.STAFF_TOKEN, "spk": CredentialKind.API_KEY}
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="signpost"'}


def _unauthorised(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers=_CHALLENGE)


def current_principal(
    request: Request,
    authorization: str | None = Header(default=None),
    x_api_key: str | None = Header(default=None),
) -> Principal:
    """The caller, or 401 with a code saying why not (missing, unknown, expired, revoked)."""
    scheme, _, bearer = (authorization or "").partition(" ")
    presented = (x_api_key or (bearer if scheme.lower() == "bearer" else "")).strip()
    if not presented:
        raise _unauthorised(
            "unauthenticated", "Send a staff token (Authorization: Bearer) or an X-API-Key."
        )
    kind = _KINDS.get(presented.partition("_")[0])
    if kind is None:
        raise _unauthorised("invalid_credential", "That is not a Signpost token or API key.")
    components = app_components(request)
    try:
        with session_scope(components.engine) as session:
            return resolve_credential(session, presented, kind)
    except CredentialError as error:
        raise _unauthorised(error.code, error.message) from error
