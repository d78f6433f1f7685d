"""A labelled evaluation set for duplicate matching, generated with known truth.

Each *true* service appears in source A and, perturbed the way real borough directories
differ, in source B: case and punctuation, "&" for "and", a day added to the name, words
reordered, a typo, a phone written differently, the venue missing. Hard negatives sit
beside them: branches of one charity sharing its number and switchboard, different groups
meeting at one community centre (same postcode and phone), the same generic name in
another borough, and look-alike names in one area.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

ACTIVITIES = [
    "Walking Group",
    "Lunch Club",
    "Befriending Service",
    "Debt Advice Drop-in",
    "Men's Shed",
    "Community Choir",
    "Carers Support Group",
    "Digital Skills Class",
    "Chair Yoga",
    "Knit and Natter",
    "Gardening Club",
    "Memory Cafe",
    "Bereavement Support",
    "Welfare Benefits Advice",
    "Peer Support Group",
    "Art Club",
    "Tai Chi",
    "Coffee Morning",
    "Dementia Friendly Swimming",
    "Tenants Advice Surgery",
    "Community Fridge",
    "Cycling for Health",
    "Table Tennis Club",
    "Dance for Health",
    "Food Bank",
    "Stroke Club",
    "Parkinson's Support",
    "Reading Group",
    "Bowls Club",
    "Foodshare",
    "Youth Club",
    "Language Cafe",
]
PLACES = [
    ("Peckham", "SE15 4ST", 51.4735, -0.0690),
    ("Brixton", "SW2 1RW", 51.4613, -0.1150),
    ("Hackney", "E8 1DY", 51.5450, -0.0553),
    ("Camden", "NW1 7JE", 51.5390, -0.1426),
    ("Lewisham", "SE13 6LG", 51.4613, -0.0106),
    ("Croydon", "CR0 1NX", 51.3727, -0.1004),
    ("Tottenham", "N17 9LA", 51.5890, -0.0690),
    ("Ealing", "W5 2HL", 51.5130, -0.3040),
    ("Walthamstow", "E17 7JN", 51.5830, -0.0200),
    ("Woolwich", "SE18 6HQ", 51.4900, 0.0650),
    ("Stratford", "E15 1DA", 51.5410, -0.0030),
    ("Islington", "N1 1RA", 51.5362, -0.1033),
]
DAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"]


@dataclass
class EvaluationSet:
    source_a: list[dict[str, Any]]
    source_b: list[dict[str, Any]]
    truth: dict[str, str]  # "a:<id>" / "b:<id>" -> true service key


def _phone(rng: random.Random) -> str:
    """E.164, as connectors deliver it (their tests cover the many ways people write it)."""
    return f"+44207{rng.randint(100, 999)}{rng.randint(1000, 9999)}"


def _venue(place: tuple[str, str, float, float], rng: random.Random) -> dict[str, Any]:
    name, postcode, lat, lon = place
    jitter = rng.uniform(-0.0005, 0.0005)
    return {
        "name": f"{name} Community Centre",
        "postcode": postcode,
        "latitude": round(lat + jitter, 6),
        "longitude": round(lon + jitter, 6),
    }


def _respell(name: str, rng: random.Random) -> str:
    """How another directory writes the same service's name."""
    variants = [
        lambda n: n.lower(),
        lambda n: n.replace(" and ", " & "),
        lambda n: f"{n} ({rng.choice(DAYS)})",
        lambda n: ", ".join(reversed(n.split(" ", 1))) if " " in n else n,
        lambda n: n.upper(),
        lambda n: n.replace("Centre", "Center").replace("Group", "group"),
        lambda n: _typo(n, rng),
        lambda n: n.replace("'", ""),
    ]
    return rng.choice(variants)(name)


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters[2:-1]) if len(letters) > 4 else letters[0]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :] if i + 2 <= len(name) else name


def build(seed: int = 7, services: int = 160) -> EvaluationSet:
    """``services`` distinct services (at most one per place and activity)."""
    rng = random.Random(seed)
    combos = rng.sample([(p, a) for p in PLACES for a in ACTIVITIES], services)
    used = {(p[0], a) for p, a in combos}

    def unused_name(place: tuple[str, str, float, float]) -> str | None:
        """A name no true service at ``place`` has, so truth stays unambiguous."""
        free = [a for a in ACTIVITIES if (place[0], a) not in used]
        if not free:
            return None
        choice = rng.choice(free)
        used.add((place[0], choice))
        return f"{place[0]} {choice}"

    a: list[dict[str, Any]] = []
    b: list[dict[str, Any]] = []
    truth: dict[str, str] = {}

    def add(side: list[dict[str, Any]], prefix: str, key: str, record: dict[str, Any]) -> None:
        record["id"] = f"{prefix}{len(side)}"
        side.append(record)
        truth[f"{prefix[0]}:{record['id']}"] = key

    for n, (place, activity) in enumerate(combos):
        name = f"{place[0]} {activity}"
        phone = _phone(rng)
        venue = _venue(place, rng)
        domain = f"{place[0].lower()}-{n}.org.uk"
        base = {
            "name": name,
            "phones": [{"number": phone}],
            "url": f"https://www.{domain}/",
            "locations": [venue],
            "email": f"hello@{domain}",
        }
        key = f"s{n}"
        add(a, "a", key, base)
        kind = n % 4
        if kind in (0, 1):  # the same service in the other directory
            twin: dict[str, Any] = {"name": _respell(name, rng), "phones": [{"number": phone}]}
            if rng.random() < 0.6:
                twin["locations"] = [venue]
            if rng.random() < 0.5:
                twin["url"] = f"http://{domain}"
            add(b, "b", key, twin)
        elif kind == 2 and (other := unused_name(place)):
            # another group at the same centre, same phone
            add(
                b,
                "b",
                f"s{n}-other",
                {"name": other, "phones": [{"number": phone}], "locations": [venue]},
            )
        elif kind == 3 and (other := unused_name(elsewhere := rng.choice(PLACES))):
            # the same kind of group in another place, run by the same charity
            add(
                b,
                "b",
                f"s{n}-elsewhere",
                {
                    "name": other,
                    "phones": [{"number": _phone(rng)}],
                    "locations": [_venue(elsewhere, rng)],
                    "url": f"https://www.{domain}/",
                },
            )
    return EvaluationSet(a, b, truth)
