"""Opening hours as minute-of-week ranges in Europe/London time, and "is it open then?".

A weekly schedule becomes half-open ranges ``[start, end)`` of minutes since Monday 00:00
local time; hours that run past midnight continue into the next day, and Sunday night wraps
to Monday morning. Holiday schedules replace the regular hours on their dates: closed, or
open only at the special hours given. Monthly and yearly patterns are not expanded: such
listings do not match an "open at" filter (their hours are shown, not searched).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from directory.listings import HolidayPart, SchedulePart

LONDON = ZoneInfo("Europe/London")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKLY_FREQS = {None, "", "WEEKLY", "DAILY"}


class WeekRange(BaseModel):
    gte: int
    lt: int

    def contains(self, minute: int) -> bool:
        return self.gte <= minute < self.lt


class DateSpan(BaseModel):
    gte: date
    lte: date

    def contains(self, day: date) -> bool:
        return self.gte <= day <= self.lte


class TimeSpan(BaseModel):
    gte: datetime
    lt: datetime

    def contains(self, moment: datetime) -> bool:
        return self.gte <= moment < self.lt


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _days(schedule: SchedulePart) -> list[int]:
    freq = (schedule.freq or "").upper()
    codes = [c.strip().upper() for c in (schedule.byday or "").split(",") if c.strip()]
    if any(not code.isalpha() for code in codes):
        return []  # "1MO", "-1FR": monthly positions
    if not codes:
        return list(range(7)) if freq == "DAILY" else []
    return [DAY_CODES.index(code) for code in codes if code in DAY_CODES]


def _merge(ranges: Iterable[tuple[int, int]]) -> list[WeekRange]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [WeekRange(gte=start, lt=end) for start, end in merged]


def weekly_ranges(schedules: Iterable[SchedulePart], today: date) -> list[WeekRange]:
    """The regular opening hours still in force on ``today``, as minute-of-week ranges."""
    ranges: list[tuple[int, int]] = []
    for schedule in schedules:
        if (schedule.freq or "").upper() not in _WEEKLY_FREQS:
            continue
        if schedule.opens_at is None or schedule.closes_at is None:
            continue
        if schedule.valid_to is not None and schedule.valid_to < today:
            continue
        opens, closes = _minutes(schedule.opens_at), _minutes(schedule.closes_at)
        length = (closes - opens) % DAY_MINUTES or DAY_MINUTES  # past midnight, or all day
        for day in _days(schedule):
            start = day * DAY_MINUTES + opens
            end = start + length
            if end > WEEK_MINUTES:
                ranges.append((start, WEEK_MINUTES))
                ranges.append((0, end - WEEK_MINUTES))
            else:
                ranges.append((start, end))
    return _merge(ranges)


def _local(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON).astimezone(UTC)


def holiday_spans(holidays: Iterable[HolidayPart]) -> tuple[list[DateSpan], list[TimeSpan]]:
    """Dates whose regular hours do not apply, and the special hours open on them."""
    dates: list[DateSpan] = []
    special: list[TimeSpan] = []
    for holiday in holidays:
        dates.append(DateSpan(gte=holiday.start_date, lte=holiday.end_date))
        if holiday.closed or holiday.opens_at is None or holiday.closes_at is None:
            continue
        day = holiday.start_date
        while day <= holiday.end_date:
            start = _local(day, holiday.opens_at)
            end_day = day + timedelta(days=1) if holiday.closes_at <= holiday.opens_at else day
            special.append(TimeSpan(gte=start, lt=_local(end_day, holiday.closes_at)))
            day += timedelta(days=1)
    return dates, special


class OpenAt(BaseModel):
    """A moment asked about, in the forms both backends filter on."""

    moment: datetime
    week_minute: int
    local_date: date

    @classmethod
    def of(cls, moment: datetime) -> OpenAt:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=LONDON)
        local = aware.astimezone(LONDON)
        minute = local.weekday() * DAY_MINUTES + local.hour * 60 + local.minute
        return cls(moment=aware.astimezone(UTC), week_minute=minute, local_date=local.date())


def is_open(
    week: Iterable[WeekRange], holidays: Iterable[DateSpan], special: Iterable[TimeSpan],
    when: OpenAt,
) -> bool:
    if any(span.contains(when.moment) for span in special):
        return True
    if any(span.contains(when.local_date) for span in holidays):
        return False
    return any(r.contains(when.week_minute) for r in week)
