"""Telephone numbers to E.164 with ``phonenumbers`` (UK default, extensions kept)."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from connectors.records import Phone, PhoneType

DEFAULT_REGION = "GB"

_TYPES = {
    PhoneNumberType.MOBILE: PhoneType.CELL,
    PhoneNumberType.PAGER: PhoneType.PAGER,
}


def _to_phone(number: phonenumbers.PhoneNumber, type_: PhoneType | None) -> Phone:
    return Phone(
        number=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        extension=number.extension or None,
        type=type_ or _TYPES.get(phonenumbers.number_type(number), PhoneType.VOICE),
    )


@lru_cache(maxsize=65_536)
def _parse(raw: str, region: str) -> Phone | str:
    """Parsing is the slowest step of mapping and feeds repeat numbers: cache it."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return "not a telephone number"
    if not phonenumbers.is_valid_number(number):
        return "not a valid telephone number"
    return _to_phone(number, None)


def parse_phone(raw: str, type_: PhoneType | None = None, region: str = DEFAULT_REGION) -> Phone:
    """One number (``02078341731x224``, ``+44 (0)20 7946 0123``); ValueError if not valid."""
    parsed = _parse(raw, region)
    if isinstance(parsed, str):
        raise ValueError(parsed)
    return parsed.model_copy(update={"type": type_}) if type_ else parsed


def find_phones(text: str, region: str = DEFAULT_REGION) -> list[Phone]:
    """Every valid number in free text such as ``call 0161 448 4200 or 020 7946 0123``."""
    return list(_find(text, region))


@lru_cache(maxsize=65_536)
def _find(text: str, region: str) -> tuple[Phone, ...]:
    seen: dict[tuple[str, str | None], Phone] = {}
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        phone = _to_phone(match.number, None)
        seen.setdefault((phone.number, phone.extension), phone)
    return tuple(seen.values())
