"""A small hand-made directory around Peckham that the contract suite searches."""

from __future__ import annotations

from datetime import date, time

from search.geo import Place
from tests.search.factory import HolidaySpec, HoursSpec, ListingSpec, VenueSpec

TODAY = date(2026, 11, 23)  # a Monday
SOUTHWARK, LAMBETH, HACKNEY, CROYDON = "E09000028", "E09000022", "E09000012", "E09000008"
PECKHAM_SE15 = Place(latitude=51.4718, longitude=-0.0709, lad_code=SOUTHWARK, in_london=True,
                     label="SE15 5AB")
CROYDON_CR0 = Place(latitude=51.3727, longitude=-0.1000, lad_code=CROYDON, in_london=True,
                    label="CR0 1NX")

PECKHAM = VenueSpec(51.4740, -0.0692, SOUTHWARK, "SE15 4ST", ["wheelchair accessible"])
NUNHEAD = VenueSpec(51.4665, -0.0540, SOUTHWARK, "SE15 3QQ")
CAMBERWELL = VenueSpec(51.4740, -0.0930, SOUTHWARK, "SE5 8QZ")
BRIXTON = VenueSpec(51.4613, -0.1150, LAMBETH, "SW9 8DJ", ["wheelchair accessible", "hearing loop"])
HACKNEY_VENUE = VenueSpec(51.5450, -0.0553, HACKNEY, "E8 1DY")
CROYDON_VENUE = VenueSpec(51.3727, -0.1000, CROYDON, "CR0 1NX")
WEEKDAYS = "MO,TU,WE,TH,FR"

DEMO: list[ListingSpec] = [
    ListingSpec(
        "peckham-walk", "Peckham Walking Group", "Southwark Health Walks",
        "Gentle guided walks around Peckham Rye for all abilities.",
        ["Walking", "Physical activity"], [PECKHAM], ages=(18, None), languages=["English"],
        hours=[HoursSpec("TU", time(10), time(11, 30))],
    ),
    ListingSpec(
        "brixton-befriend", "Brixton Befriending Scheme", "Age Well Lambeth",
        "Weekly visits and phone calls for older people who feel lonely or isolated.",
        ["Befriending", "Older people"], [BRIXTON], ages=(60, None),
        languages=["English", "Portuguese"], delivery_modes=["in_person", "phone"],
    ),
    ListingSpec(
        "southwark-phone-friends", "Telephone Friendship Line", "Southwark Age Network",
        "Regular friendly phone calls for older residents living alone.",
        ["Befriending"], areas=[("borough", SOUTHWARK)], delivery_modes=["phone"],
    ),
    ListingSpec(
        "london-friends", "London Friendship Helpline", "Friends Across London",
        "A friendly voice on the phone, every day, for people across the capital.",
        ["Befriending"], areas=[("london", "E12000007")], delivery_modes=["phone"],
    ),
    ListingSpec(
        "national-friends", "National Friendship Call", "Friendship UK",
        "Friendly calls for anyone in the country who would like someone to talk to.",
        ["Befriending"], areas=[("national", "E92000001")], delivery_modes=["phone", "online"],
    ),
    ListingSpec(
        "carers-hub", "Southwark Carers Hub", "Southwark Carers",
        "Advice, respite and peer support for unpaid carers looking after a relative.",
        ["Carers support"], [CAMBERWELL],
    ),
    ListingSpec(
        "car-scheme", "Community Car Scheme", "Peckham Volunteer Drivers",
        "Volunteer drivers take people to hospital appointments by car.",
        ["Transport"], [PECKHAM], is_free=False,
    ),
    ListingSpec(
        "debt-advice", "Peckham Debt Advice Drop-in", "Peckham Advice Centre",
        "Free help with debts, arrears and budgeting from trained advisers.",
        ["Debt advice"], [PECKHAM], hours=[HoursSpec(WEEKDAYS, time(9), time(17))],
        holidays=[HolidaySpec(date(2026, 12, 25), date(2026, 12, 26))],
    ),
    ListingSpec(
        "lunch-club", "Camberwell Lunch Club", "Camberwell Good Neighbours",
        "A hot two-course meal and company every Thursday for the over 60s.",
        ["Lunch club", "Older people"], [CAMBERWELL], is_free=False, ages=(60, None),
        hours=[HoursSpec("TH", time(12), time(14))],
    ),
    ListingSpec(
        "night-shelter", "Peckham Night Shelter", "Peckham Churches Together",
        "A warm bed and breakfast for people sleeping rough.",
        ["Homelessness support"], [PECKHAM],
        hours=[HoursSpec("FR", time(20), time(8)), HoursSpec("SU", time(22), time(2))],
    ),
    ListingSpec(
        "nunhead-walk-fresh", "Nunhead Walking Group", "Nunhead Rambles",
        "Walks in Nunhead Cemetery.", ["Walking"], [NUNHEAD], reviewed=date(2026, 10, 1),
    ),
    ListingSpec(
        "nunhead-walk-stale", "Nunhead Walking Group", "Nunhead Rambles",
        "Walks in Nunhead Cemetery.", ["Walking"], [NUNHEAD], reviewed=date(2021, 10, 1),
    ),
    ListingSpec(
        "knitting-withdrawn", "Peckham Knitting Circle", "Peckham Crafts",
        "Knitting and a cup of tea.", ["Arts and crafts"], [PECKHAM], withdrawn=True,
    ),
    ListingSpec(
        "knitting-draft", "Camberwell Knitting Circle", "Peckham Crafts",
        "Knitting and a cup of tea.", ["Arts and crafts"], [CAMBERWELL],
        moderation_state="pending",
    ),
    ListingSpec(
        "hackney-choir", "Hackney Community Choir", "Hackney Sings",
        "Sing together, no experience needed.", ["Singing"], [HACKNEY_VENUE],
    ),
    ListingSpec(
        "croydon-walk", "Croydon Walking Football", "Croydon Active",
        "Walking football for over 50s.", ["Walking", "Football"], [CROYDON_VENUE],
        ages=(50, None),
    ),
    ListingSpec(
        "polish-advice", "Polish Advice Centre", "Polish Community Lambeth",
        "Advice on benefits, housing and work, in Polish and English.", ["Advice"], [BRIXTON],
        languages=["Polish", "English"], delivery_modes=["in_person", "online"],
    ),
    ListingSpec(
        "mens-shed", "Peckham Men's Shed", "Peckham Shed Collective",
        "Woodwork, repairs and company for men of all ages.", ["Men's shed"], [NUNHEAD],
    ),
    ListingSpec(
        "youth-club", "Camberwell Youth Club", "Camberwell Youth",
        "Sport, music and homework help for young people.", ["Youth club"], [CAMBERWELL],
        ages=(11, 18),
    ),
    ListingSpec(
        "bereavement-b", "Bereavement Cafe", "Peckham Grief Network",
        "Tea and talk after a loss.", ["Bereavement support"], [CROYDON_VENUE],
    ),
    ListingSpec(
        "bereavement-a", "Bereavement Cafe", "Peckham Grief Network",
        "Tea and talk after a loss.", ["Bereavement support"], [NUNHEAD],
    ),
    ListingSpec(
        "online-art", "Art at Home Online", "Creative Minds",
        "Live online art classes to join from home.", ["Arts and crafts"],
        areas=[("national", None)], delivery_modes=["online"],
    ),
]
SEARCHABLE = {
    spec.id for spec in DEMO if not spec.withdrawn and spec.moderation_state == "published"
}
