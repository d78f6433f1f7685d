"""Referral errors: each knows its HTTP status and machine-readable code, so that the JSON
and FHIR routers can render it in their own format without knowing the rule behind it."""

from __future__ import annotations

from typing import Any


class ReferralError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, details: list[dict[str, Any]] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class Malformed(ReferralError):
    status, code = 400, "malformed_json"


class Forbidden(ReferralError):
    status, code = 403, "forbidden"


class NotFound(ReferralError):
    status, code = 404, "not_found"


class Conflict(ReferralError):
    status, code = 409, "conflict"


class PreconditionFailed(ReferralError):
    status, code = 412, "stale_etag"


class PayloadTooLarge(ReferralError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(ReferralError):
    status, code = 415, "unsupported_media_type"


class Invalid(ReferralError):
    status, code = 422, "invalid_request"


class PreconditionRequired(ReferralError):
    status, code = 428, "if_match_required"
