"""Opaque pagination cursors: the last hit's sort values and the day the ranking used."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date

from pydantic import BaseModel, ValidationError


class InvalidCursor(ValueError):
    """The cursor was not made by this service (or was altered)."""


class Cursor(BaseModel):
    after: list[float | str]
    today: date

    def encode(self) -> str:
        raw = json.dumps(self.model_dump(mode="json"), separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return cls.model_validate_json(raw)
        except (binascii.Error, ValueError, ValidationError) as error:
            raise InvalidCursor("the cursor is not valid") from error
