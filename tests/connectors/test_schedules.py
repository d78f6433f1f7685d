from __future__ import annotations

import pytest

from connectors.records import ScheduleKind
from connectors.schedules import normalise_byday, normalise_time, parse_opening_hours


def _rows(text: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [
        (s.freq, s.byday, s.opens_at, s.closes_at)
        for s in parse_opening_hours(text)
        if s.kind is ScheduleKind.REGULAR
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 10am - 4pm", [("WEEKLY", "WE", "10:00", "16:00")]),
        ("Tuesday - Friday 12noon - 2pm", [("WEEKLY", "TU,WE,TH,FR", "12:00", "14:00")]),
        ("Thursday 1.30 - 3.30pm", [("WEEKLY", "TH", "13:30", "15:30")]),
        ("Wednesday 10 - 12", [("WEEKLY", "WE", "10:00", "12:00")]),
        ("Mon - Sat 10.00 - 4.00", [("WEEKLY", "MO,TU,WE,TH,FR,SA", "10:00", "16:00")]),
        (
            "Tuesday 6pm - 8pm and Sunday 3pm - 5pm",
            [("WEEKLY", "TU", "18:00", "20:00"), ("WEEKLY", "SU", "15:00", "17:00")],
        ),
        (
            "Tuesdays & Fridays 12pm - 3pm; 1st Saturday of month 10am - 12noon",
            [("WEEKLY", "TU,FR", "12:00", "15:00"), ("MONTHLY", "1SA", "10:00", "12:00")],
        ),
        (
            "Daily (except Tues & Sat) 10:30am - 12pm",
            [("WEEKLY", "MO,WE,TH,FR,SU", "10:30", "12:00")],
        ),
        (
            "Weekdays and Saturdays 10am-4pm, except Thursdays 10am-12.30pm",
            [("WEEKLY", "MO,TU,WE,FR,SA", "10:00", "16:00"), ("WEEKLY", "TH", "10:00", "12:30")],
        ),
        ("9 - 4 Monday - Friday.", [("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "16:00")]),
        ("Monday - Saturday 7.30am = 4.30pm", [("WEEKLY", "MO,TU,WE,TH,FR,SA", "07:30", "16:30")]),
        ("Friday from 6pm", [("WEEKLY", "FR", "18:00", None)]),
        ("last Friday of the month 2-4pm", [("MONTHLY", "-1FR", "14:00", "16:00")]),
    ],
)
def test_free_text_opening_hours(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _rows(text) == expected


def test_unreadable_hours_are_kept_as_a_description() -> None:
    (schedule,) = parse_opening_hours("One morning per week")
    assert schedule.description == "One morning per week"
    assert schedule.byday is None and schedule.opens_at is None


def test_bank_holiday_closures_become_a_holiday_schedule() -> None:
    schedules = parse_opening_hours("Mon & Thur 1-3pm (except bank holidays)")
    assert [s.kind for s in schedules] == [ScheduleKind.REGULAR, ScheduleKind.HOLIDAY]
    assert schedules[1].closed


def test_empty_hours_give_no_schedule() -> None:
    assert parse_opening_hours("   ") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9:00:00", "09:00"),
        ("09:00Z", "09:00"),
        ("10.30", "10:30"),
        ("2pm", "14:00"),
        ("12noon", "12:00"),
        ("17:45+01:00", "17:45"),
    ],
)
def test_times_of_day(raw: str, expected: str) -> None:
    assert normalise_time(raw) == expected


def test_days_of_the_week() -> None:
    assert normalise_byday("Monday, tuesday") == "MO,TU"
    assert normalise_byday("2MO,-1FR") == "2MO,-1FR"
    with pytest.raises(ValueError):
        normalise_byday("Someday")
    with pytest.raises(ValueError):
        normalise_time("25:00")
