"""Checking a request body: media type, size and JSON syntax, before any model sees it.

Each failure has its own status and code (415, 413, 400), and model validation reports every
problem with its location (422).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from referrals.errors import Invalid, Malformed, PayloadTooLarge, UnsupportedMediaType

M = TypeVar("M", bound=BaseModel)


async def read_capped(chunks: AsyncIterator[bytes], max_bytes: int) -> bytes:
    """The whole body, refused (413) as soon as it passes ``max_bytes``: reading stops there,
    so a streamed body larger than that is never held whole."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge(f"The body is larger than {max_bytes} bytes.")
    return bytes(body)


def check_media_type(content_type: str | None, media_types: frozenset[str]) -> None:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in media_types:
        raise UnsupportedMediaType(
            f"Send the body as {' or '.join(sorted(media_types))}, not {media_type or 'nothing'}."
        )


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Malformed(f"The body is not valid JSON: {error}.") from error


def validate(model: type[M], value: Any, location: str = "body") -> M:
    """``value`` as ``model``, or :class:`Invalid` listing every problem with its location."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        details = [
            {"location": [location, *e["loc"]], "message": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        raise Invalid("The request is not valid.", details) from error


def fingerprint(value: Any) -> str:
    """A digest of a JSON value that ignores key order and whitespace (idempotency checks)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
