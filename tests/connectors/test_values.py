from __future__ import annotations

from decimal import Decimal

import pytest

from connectors import values
from connectors.records import DeliveryMode, ExtentType


@pytest.mark.parametrize(
    ("text", "minimum", "maximum"),
    [
        ("18+", 18, None),
        ("aged 13 to 25", 13, 25),
        ("over 50s", 50, None),
        ("under 5", None, 4),
        ("Adults 65 and over", 65, None),
        ("All ages", None, None),
    ],
)
def test_ages(text: str, minimum: int | None, maximum: int | None) -> None:
    eligibility = values.age_range(text)
    assert eligibility is not None
    assert (eligibility.minimum_age, eligibility.maximum_age) == (minimum, maximum)
    assert eligibility.description == text


@pytest.mark.parametrize(
    ("text", "free", "amount"),
    [
        ("Free", True, None),
        ("£2.50 per session", False, Decimal("2.50")),
        ("50p", False, Decimal("0.5")),
        ("free; donations of £1 welcome", None, Decimal("1")),
        ("Pay as you feel", True, None),
        ("Ask at reception", None, None),
    ],
)
def test_costs(text: str, free: bool | None, amount: Decimal | None) -> None:
    option = values.cost(text)
    assert option is not None
    assert (option.free, option.amount) == (free, amount)


def test_languages_get_codes_and_unknown_ones_are_kept() -> None:
    found = values.languages("English, Polish and BSL; Sylheti/Klingon")
    assert [(lang.name, lang.code) for lang in found] == [
        ("English", "en"),
        ("Polish", "pl"),
        ("British Sign Language", "bfi"),
        ("Sylheti", "syl"),
        ("Klingon", None),
    ]


def test_delivery_modes_from_attending_types() -> None:
    assert values.delivery_modes(["Venue", "Phone", "Online", "Information advice"]) == [
        DeliveryMode.IN_PERSON,
        DeliveryMode.PHONE,
        DeliveryMode.ONLINE,
    ]


@pytest.mark.parametrize(
    ("name", "code", "extent"),
    [
        ("Camden", "E09000007", ExtentType.BOROUGH),
        ("London-wide", None, ExtentType.LONDON),
        ("London", "E12000007", ExtentType.LONDON),
        ("National", None, ExtentType.NATIONAL),
        ("England", "E92000001", ExtentType.NATIONAL),
        ("Somewhere", None, ExtentType.OTHER),
    ],
)
def test_service_area_extents(name: str, code: str | None, extent: ExtentType) -> None:
    area = values.service_area(name, code)
    assert area is not None and area.extent_type is extent


def test_unknown_status_is_an_error() -> None:
    assert values.status("Temporarily closed").value == "temporarily closed"
    with pytest.raises(ValueError):
        values.status("maybe")
