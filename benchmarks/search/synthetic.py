"""Synthetic London listings for benchmarks: deterministic, varied, demo-like."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from directory.postcodes import LONDON_BOROUGHS
from tests.search.factory import HoursSpec, ListingSpec, VenueSpec

ACTIVITIES = [
    ("Walking Group", ["Walking", "Physical activity"], "Gentle guided walks for all abilities."),
    ("Befriending Service", ["Befriending", "Older people"],
     "Visits and calls for people who feel lonely."),
    ("Lunch Club", ["Lunch club", "Older people"], "A hot meal and good company each week."),
    ("Debt Advice", ["Debt advice", "Money advice"],
     "Free, confidential help with debts and bills."),
    ("Carers Support", ["Carers support"], "Respite, advice and peer support for unpaid carers."),
    ("Community Garden", ["Gardening", "Green space"], "Grow food and flowers with neighbours."),
    ("Men's Shed", ["Men's shed"], "Woodwork, repairs and company."),
    ("Community Choir", ["Singing", "Music"], "Sing together, no experience needed."),
    ("Food Bank", ["Food bank"], "Emergency food parcels with a referral."),
    ("Bereavement Cafe", ["Bereavement support"], "Tea and talk after a loss."),
    ("Memory Cafe", ["Dementia support"], "A friendly cafe for people living with dementia."),
    ("Chair Yoga", ["Exercise class", "Older people"], "Seated yoga to keep moving."),
    ("ESOL Conversation Club", ["ESOL", "English classes"], "Practise English in a relaxed group."),
    ("Youth Club", ["Youth club"], "Sport, music and homework help for young people."),
    ("Digital Skills Drop-in", ["Digital skills"], "Help with phones, tablets and the internet."),
    ("Housing Advice", ["Housing advice"], "Advice on tenancy, repairs and homelessness."),
    ("Art Group", ["Arts and crafts"], "Painting, drawing and crafts for adults."),
    ("Parent and Baby Group", ["Family support"], "Play, songs and support for new parents."),
    ("Talking Therapy", ["Mental health support", "Counselling"],
     "Short courses of talking therapy."),
    ("Job Club", ["Employment support"], "CVs, applications and interview practice."),
]
PLACES = ["Peckham", "Brixton", "Hackney", "Camden", "Lewisham", "Croydon", "Ealing", "Barnet",
          "Tooting", "Stratford", "Walthamstow", "Islington", "Wembley", "Bromley", "Kingston",
          "Greenwich", "Woolwich", "Deptford", "Clapham", "Hammersmith"]
ORG_KINDS = ["Community Trust", "Neighbours", "Voluntary Action", "Age Network", "Together",
             "Wellbeing Hub", "Advice Centre", "Friends"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LANGUAGES = ["English", "Polish", "Bengali", "Somali", "Portuguese", "Turkish", "Urdu"]


def synthetic_listings(count: int, seed: int = 7) -> list[ListingSpec]:
    rng = random.Random(seed)
    boroughs = sorted(LONDON_BOROUGHS)
    specs = []
    for n in range(count):
        name, categories, description = rng.choice(ACTIVITIES)
        place = rng.choice(PLACES)
        org = f"{rng.choice(PLACES)} {rng.choice(ORG_KINDS)}"
        borough = rng.choice(boroughs)
        kind = rng.random()
        venues, areas, modes = [], [], ["in_person"]
        if kind < 0.8:
            venues = [VenueSpec(51.35 + rng.random() * 0.3, -0.45 + rng.random() * 0.7, borough,
                                accessibility=["wheelchair accessible"] if rng.random() < 0.4
                                else [])]
        else:
            extent = rng.choice(["borough", "borough", "london", "national"])
            areas = [(extent, borough if extent == "borough" else None)]
            modes = [rng.choice(["phone", "online"])]
        opens = rng.choice([9, 10, 12, 14, 18])
        specs.append(ListingSpec(
            id=f"syn-{n:06d}", name=f"{place} {name}", organization=org,
            description=f"{description} Based in {place}.", categories=categories,
            venues=venues, areas=areas, is_free=rng.random() < 0.7,
            ages=(rng.choice([None, 18, 50, 60]), None) if rng.random() < 0.5 else None,
            languages=rng.sample(LANGUAGES, rng.randint(1, 2)), delivery_modes=modes,
            hours=[HoursSpec(rng.choice(DAYS), time(opens), time(opens + 2))],
            reviewed=date(2026, 11, 1) - timedelta(days=rng.randint(0, 1500)),
        ))
    return specs
