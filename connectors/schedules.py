"""Opening hours to HSDS 3 schedules: structured fields tidied, free text parsed.

Free text is what spreadsheets hold ("Tuesday - Friday 12noon - 2pm", "Mon & Thur 1-3pm
(except bank holidays)", "1st Saturday of month 10am - 12noon"). The parser recognises day
groups and time ranges and pairs each range with the day group next to it; whatever it
cannot read is still kept, as the schedules' description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.cleaning import clean_multiline
from connectors.records import Schedule, ScheduleKind

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_WORDS = {
    "mo": "MO",
    "tu": "TU",
    "we": "WE",
    "th": "TH",
    "fr": "FR",
    "sa": "SA",
    "su": "SU",
}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_SPAN = r"(?:weekdays?|weekends?|daily|every ?day|7 days(?: a week)?)"
_DAY_TOKEN = rf"(?:{_DAY}|{_SPAN})"
_DAY_GROUP = re.compile(
    rf"(?P<ordinal>\b(?:1st|2nd|3rd|4th|first|second|third|fourth|last)\s+)?"
    rf"\b(?P<days>{_DAY_TOKEN}(?:\s*(?:-|to|,|&|\+|/|and)\s*{_DAY_TOKEN})*)"
    rf"(?P<monthly>\s+(?:of|in)\s+(?:the|each|every)?\s*month)?",
    re.IGNORECASE,
)
_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_RANGE = re.compile(rf"(?P<start>{_TIME})\s*(?:-|to|until|till)\s*(?P<end>{_TIME})\b")
_SINGLE = re.compile(r"(?:from\s+)?(?P<start>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})\b")
_EXCEPT = re.compile(r"\b(?:except|not|closed)\b[^.;]*$", re.IGNORECASE)
_BANK_HOLIDAY = re.compile(
    r"(?:not open|closed|except)[^.;\n]*bank holidays?|bank holidays?[^.;\n]*closed", re.I
)
_MAX_GAP = 20
_ORDINALS = {
    "1st": "1",
    "first": "1",
    "2nd": "2",
    "second": "2",
    "3rd": "3",
    "third": "3",
    "4th": "4",
    "fourth": "4",
    "last": "-1",
}


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\b12\s*noon\b|\bnoon\b|\bmidday\b", "12pm", text, flags=re.I)
    text = re.sub(r"\bmidnight\b", "12am", text, flags=re.I)
    return re.sub(r"(\d|am|pm)\s*=\s*(\d)", r"\1 - \2", text, flags=re.I)


def _day_code(token: str) -> list[str]:
    word = token.lower().rstrip(".")
    if word.startswith("weekday"):
        return list(DAYS[:5])
    if word.startswith("weekend"):
        return ["SA", "SU"]
    if word.startswith(("daily", "every", "7 days")):
        return list(DAYS)
    return [_DAY_WORDS[word[:2]]]


def _expand_days(expression: str) -> list[str]:
    """``Tuesday - Friday`` -> TU..FR; ``Mon, Wed & Fri`` -> MO, WE, FR."""
    tokens = re.split(r"\s*(-|to|,|&|\+|/|\band\b)\s*", expression.strip(), flags=re.I)
    days: list[str] = []
    range_pending = False
    for token in tokens:
        if not token:
            continue
        lowered = token.lower()
        if lowered in ("-", "to"):
            range_pending = True
            continue
        if lowered in (",", "&", "+", "/", "and"):
            continue
        codes = _day_code(token)
        if range_pending and days and len(codes) == 1:
            start, end = DAYS.index(days[-1]), DAYS.index(codes[0])
            span = [DAYS[i % 7] for i in range(start + 1, start + 1 + (end - start) % 7)]
            days.extend(span)
        else:
            days.extend(codes)
        range_pending = False
    return list(dict.fromkeys(days))


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    suffix: str | None

    @classmethod
    def parse(cls, text: str) -> _Clock:
        text = text.strip().lower()
        suffix = text[-2:] if text.endswith(("am", "pm")) else None
        digits = text[:-2].strip() if suffix else text
        hour, _, minute = digits.replace(".", ":").partition(":")
        return cls(int(hour), int(minute or 0), suffix)

    def to_24(self) -> int:
        assert self.suffix
        return self.hour % 12 + (12 if self.suffix == "pm" else 0)

    def candidates(self) -> list[int]:
        if self.suffix:
            return [self.to_24()]
        return [self.hour] if self.hour >= 12 else [self.hour, self.hour + 12]


def _fmt(hour: int, minute: int) -> str | None:
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _resolve_range(start: _Clock, end: _Clock) -> tuple[str, str] | None:
    """Fill in missing am/pm the way people mean it: "1.30 - 3.30pm" is 13:30-15:30."""
    if start.suffix or not end.suffix:
        if start.suffix:
            s = start.to_24()
        else:
            s = start.hour + 12 if 1 <= start.hour <= 7 else start.hour
        later = [h for h in end.candidates() if (h, end.minute) > (s, start.minute)]
        if not later:
            return None
        e = later[0]
    else:
        e = end.to_24()
        earlier = [h for h in start.candidates() if (h, start.minute) < (e, end.minute)]
        if not earlier:
            return None
        s = earlier[-1]
    opens, closes = _fmt(s, start.minute), _fmt(e, end.minute)
    return (opens, closes) if opens and closes else None


@dataclass
class _DayGroup:
    start: int
    end: int
    days: list[str]
    monthly_prefix: str | None
    excluded: bool


@dataclass
class _Times:
    start: int
    end: int
    opens: str
    closes: str | None
    explicit: bool  # has am/pm or minutes, so it is a time even with no day beside it


def _day_groups(text: str) -> list[_DayGroup]:
    groups = []
    for match in _DAY_GROUP.finditer(text):
        days = _expand_days(match["days"])
        ordinal = match["ordinal"]
        prefix = None
        if ordinal and (match["monthly"] or len(days) == 1):
            prefix = _ORDINALS[ordinal.strip().lower()]
        before = text[max(0, match.start() - 12) : match.start()].lower()
        groups.append(_DayGroup(match.start(), match.end(), days, prefix, "except" in before))
    return groups


def _times(text: str) -> list[_Times]:
    found: list[_Times] = []
    taken: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        start, end = _Clock.parse(match["start"]), _Clock.parse(match["end"])
        resolved = _resolve_range(start, end)
        if resolved:
            explicit = bool(re.search(r"am|pm|[:.]\d", match[0], re.I))
            found.append(_Times(match.start(), match.end(), *resolved, explicit))
            taken.append((match.start(), match.end()))
    for match in _SINGLE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        clock = _Clock.parse(match["start"])
        opens = _fmt(clock.to_24() if clock.suffix else clock.hour, clock.minute)
        if opens:
            found.append(_Times(match.start(), match.end(), opens, None, True))
    return sorted(found, key=lambda t: t.start)


def _pair(
    groups: list[_DayGroup], times: list[_Times], text: str
) -> list[tuple[_DayGroup, _Times]]:
    """Each time range belongs to the day group just before it (or, failing that, after it).

    Only a short gap may separate them, so that times in an unrelated later sentence are not
    pinned on the last day mentioned.
    """
    pairs = []
    last_end: dict[int, int] = {}
    for t in times:
        before = [g for g in groups if g.end <= t.start and not _inside_parentheses(text, g)]
        after = [g for g in groups if g.start >= t.end]
        if before:
            group = before[-1]
            gap = text[max(group.end, last_end.get(id(group), 0)) : t.start]
        elif after:
            group = after[0]
            gap = text[t.end : group.start]
        else:
            continue
        stripped = gap.strip(" ,:@")
        if len(stripped) > _MAX_GAP or (stripped and not t.explicit):
            continue
        last_end[id(group)] = t.end
        pairs.append((group, t))
    return pairs


def _inside_parentheses(text: str, group: _DayGroup) -> bool:
    return text.rfind("(", 0, group.start) > text.rfind(")", 0, group.start)


def _excluded_later(groups: list[_DayGroup], group: _DayGroup) -> set[str]:
    """Days an "except ..." after this group takes out of it ("daily (except Tues)")."""
    return {
        day
        for other in groups
        if other.excluded and other.start >= group.end and other is not group
        for day in other.days
    }


def parse_opening_hours(value: str | None) -> list[Schedule]:
    """Schedules read from free text; one description-only schedule if nothing is readable."""
    description = clean_multiline(value)
    if not description:
        return []
    text = _normalise(description)
    groups = _day_groups(text)
    merged: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    for group, t in _pair(groups, _times(text), text):
        days = [d for d in group.days if d not in _excluded_later(groups, group)]
        if group.monthly_prefix:
            days = [f"{group.monthly_prefix}{d}" for d in days]
        key = ("MONTHLY" if group.monthly_prefix else "WEEKLY", t.opens, t.closes)
        merged.setdefault(key, [])
        merged[key].extend(d for d in days if d not in merged[key])
    schedules = [
        Schedule(
            freq=freq,
            byday=",".join(days),
            opens_at=opens,
            closes_at=closes,
            description=description,
        )
        for (freq, opens, closes), days in merged.items()
        if days
    ]
    if _BANK_HOLIDAY.search(text):
        schedules.append(
            Schedule(kind=ScheduleKind.HOLIDAY, closed=True, description="Closed on bank holidays")
        )
    return schedules or [Schedule(description=description)]


_TIME_OF_DAY = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$")


def normalise_time(value: object) -> str | None:
    """``9:00:00``, ``09:00Z``, ``10.30`` and ``2pm`` to ``HH:MM``; ValueError otherwise."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = _TIME_OF_DAY.match(text)
    if match:
        formatted = _fmt(int(match[1]), int(match[2]))
    elif re.fullmatch(_TIME, _normalise(text), re.I):
        clock = _Clock.parse(_normalise(text))
        formatted = _fmt(clock.to_24() if clock.suffix else clock.hour, clock.minute)
    else:
        formatted = None
    if formatted is None:
        raise ValueError("not a time of day")
    return formatted


_BYDAY_PART = re.compile(r"^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


def normalise_byday(value: object) -> str | None:
    """``Monday, tuesday`` or ``MO,TU`` or ``2MO`` to RRULE BYDAY; ValueError otherwise."""
    if value is None:
        return None
    parts = [p.strip() for p in re.split(r"[,;\s]+", str(value)) if p.strip()]
    codes = []
    for part in parts:
        upper = part.upper()
        if _BYDAY_PART.match(upper):
            codes.append(upper)
        elif re.fullmatch(_DAY_TOKEN, part, re.I):
            codes.extend(_day_code(part))
        else:
            raise ValueError(f"not a day of the week: {part!r}")
    return ",".join(dict.fromkeys(codes)) or None
