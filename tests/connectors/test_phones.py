from __future__ import annotations

import pytest

from connectors.phones import find_phones, parse_phone
from connectors.records import PhoneType


@pytest.mark.parametrize(
    ("raw", "number", "extension"),
    [
        ("02078341731x224", "+442078341731", "224"),  # Give Food's extension
        ("0161 832 3736", "+441618323736", None),
        ("+44 (0)20 7946 0123", "+442079460123", None),
        ("(020) 7946 0123", "+442079460123", None),
        ("020 7946 0123 ext. 45", "+442079460123", "45"),
    ],
)
def test_numbers_become_e164_with_extensions(raw: str, number: str, extension: str | None) -> None:
    phone = parse_phone(raw)
    assert (phone.number, phone.extension) == (number, extension)


def test_mobiles_are_typed_as_cell() -> None:
    assert parse_phone("07911 123456").type is PhoneType.CELL


@pytest.mark.parametrize("raw", ["0161", "00000000", "--", "0800 111"])
def test_invalid_numbers_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_phone(raw)


def test_numbers_are_found_in_free_text() -> None:
    text = "connect2southway@southwayhousing.co.uk 0161 448 4200 or 020 7946 0123"
    assert [p.number for p in find_phones(text)] == ["+441614484200", "+442079460123"]
