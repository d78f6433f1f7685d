"""NHS number normalisation and the modulus-11 check digit."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """Ten digits with spaces and hyphens removed; raise ValueError if not a valid NHS number.

    Weights 10..2 over the first nine digits; 11 minus the sum mod 11 is the check digit,
    where 11 means 0 and 10 means the number is invalid.
    """
    digits = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError("an NHS number has 10 digits")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValueError("the NHS number's check digit is wrong")
    return digits
