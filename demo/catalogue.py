"""The invented world the demo generator draws from: service types, places, venues.

All names here are made up for the demo, apart from London neighbourhood names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceType:
    key: str
    names: tuple[str, ...]  # "{place}" is a neighbourhood, "{venue}" a venue name
    category: str
    description: str
    ages: tuple[int | None, int | None] = (None, None)
    cost: str | None = None  # None: free
    modes: tuple[str, ...] = ("in_person",)
    venue: str = "community centre"


SERVICE_TYPES: tuple[ServiceType, ...] = (
    ServiceType(
        "walking",
        ("{place} Health Walks", "{place} Walking Group", "Wellbeing Walks in {place}"),
        "Physical activity",
        "Friendly, gentle walks of about an hour led by trained volunteer walk "
        "leaders. All paces welcome; we finish with a cuppa.",
        venue="park",
    ),
    ServiceType(
        "befriending",
        ("{place} Befriending Service", "Good Neighbours {place}"),
        "Social isolation and loneliness",
        "A volunteer befriender visits or phones you every week for a chat. For older "
        "people who feel lonely or cut off.",
        (60, None),
        modes=("in_person", "phone"),
    ),
    ServiceType(
        "debt",
        ("{place} Money and Debt Advice", "Debt Advice Drop-in {place}"),
        "Money, debt and benefits",
        "Free, confidential advice on debts, budgeting, benefits and energy bills from "
        "accredited advisers. Bring any letters you have.",
        (18, None),
        modes=("in_person", "phone"),
    ),
    ServiceType(
        "foodbank",
        ("{place} Food Bank", "{place} Community Larder"),
        "Food and essentials",
        "Emergency food parcels and toiletries. Referral voucher needed for the food "
        "bank; the larder is open to all local residents.",
        venue="church hall",
    ),
    ServiceType(
        "lunch",
        ("{venue} Lunch Club", "{place} Lunch Club for Older People"),
        "Food and essentials",
        "A hot two-course lunch and good company for people aged 60 and over. "
        "Transport can be arranged.",
        (60, None),
        "£4.50 per meal",
        venue="church hall",
    ),
    ServiceType(
        "shed",
        ("{place} Men's Shed", "{place} Community Shed"),
        "Social isolation and loneliness",
        "A workshop where people (mostly men) meet to make, mend and chat. Tools and "
        "materials provided; no experience needed.",
        (18, None),
        "£2 per session",
    ),
    ServiceType(
        "choir",
        ("{place} Community Choir", "Singing for Wellbeing {place}"),
        "Arts and creativity",
        "A friendly choir for everyone - no auditions and no need to read music. We "
        "sing pop, folk and gospel.",
        cost="£3 per session",
        venue="church hall",
    ),
    ServiceType(
        "carers",
        ("{place} Carers' Support Group", "Carers Cafe {place}"),
        "Carers",
        "Meet other unpaid carers, get information about carers' assessments and take "
        "a break. Replacement care can be arranged.",
        (18, None),
    ),
    ServiceType(
        "digital",
        ("Digital Skills Drop-in {place}", "Get Online {place}"),
        "Digital inclusion",
        "One-to-one help with phones, tablets and computers: e-mail, video calls, "
        "online forms and staying safe online. Devices can be lent.",
        (16, None),
        modes=("in_person", "online"),
        venue="library",
    ),
    ServiceType(
        "peer",
        ("{place} Mental Health Peer Support", "Open Minds {place}"),
        "Mental health and wellbeing",
        "A peer support group run by people with lived experience of mental ill "
        "health. A safe space to talk and share coping strategies.",
        (18, None),
        modes=("in_person", "online"),
    ),
    ServiceType(
        "bereavement",
        ("{place} Bereavement Support", "Loss and Grief Cafe {place}"),
        "Bereavement",
        "Support for anyone who has lost someone close: a monthly cafe and one-to-one "
        "listening sessions with trained volunteers.",
        (18, None),
        modes=("in_person", "phone"),
    ),
    ServiceType(
        "esol",
        ("English Conversation Club {place}", "{place} ESOL Cafe"),
        "Learning and skills",
        "Practise speaking English in a relaxed group. All levels welcome; we also "
        "signpost to ESOL courses.",
        (16, None),
        venue="library",
    ),
    ServiceType(
        "chair",
        ("Chair-based Exercise {place}", "{place} Seated Exercise Class"),
        "Physical activity",
        "Gentle exercise to music, done sitting down, to improve strength and balance "
        "and reduce the risk of falls.",
        (55, None),
        "£2 per class",
    ),
    ServiceType(
        "garden",
        ("{place} Community Garden", "Grow Together {place}"),
        "Nature and green spaces",
        "Volunteer in our community food garden: planting, weeding and harvesting. "
        "Gloves and tools provided.",
        venue="garden",
    ),
    ServiceType(
        "art",
        ("{place} Art Club", "Creative Wellbeing {place}"),
        "Arts and creativity",
        "Drawing, painting and crafts in a relaxed group. Materials provided; "
        "beginners very welcome.",
        cost="£3 suggested donation",
    ),
    ServiceType(
        "dementia",
        ("{place} Dementia Cafe", "Memory Cafe {place}"),
        "Dementia",
        "A welcoming cafe for people living with dementia and their carers, with "
        "activities, music and information.",
        venue="church hall",
    ),
    ServiceType(
        "housing",
        ("{place} Housing Advice", "Housing Options Drop-in {place}"),
        "Housing and homelessness",
        "Advice if you are homeless, at risk of losing your home or living in poor "
        "conditions. Help with applications and repairs.",
        (16, None),
        modes=("in_person", "phone"),
    ),
    ServiceType(
        "employment",
        ("{place} Job Club", "Work Ready {place}"),
        "Employment",
        "Help with CVs, job searching, applications and interview practice, with "
        "access to computers and printing.",
        (16, None),
        venue="library",
    ),
    ServiceType(
        "youth",
        ("{place} Youth Club", "{place} Young People's Project"),
        "Children and young people",
        "Sports, music, trips and a safe place to hang out for young people, with "
        "youth workers on hand.",
        (11, 19),
    ),
    ServiceType(
        "toddler",
        ("{venue} Stay and Play", "{place} Parent and Toddler Group"),
        "Families",
        "Play, songs and stories for babies and toddlers with their parents or "
        "carers. Tea and coffee for grown-ups.",
        (0, 4),
        "£1 per family",
        venue="church hall",
    ),
    ServiceType(
        "knit",
        ("Knit and Natter {place}", "{place} Craft and Chat"),
        "Social isolation and loneliness",
        "Bring your knitting, crochet or sewing - or learn - and enjoy a chat over tea.",
        venue="library",
    ),
    ServiceType(
        "lgbt",
        ("{place} LGBTQ+ Social", "Rainbow Connections {place}"),
        "Social isolation and loneliness",
        "A social group for lesbian, gay, bisexual, trans and queer adults: games "
        "nights, walks and meals out.",
        (18, None),
        modes=("in_person", "online"),
    ),
    ServiceType(
        "veterans",
        ("{place} Veterans' Breakfast Club", "Armed Forces Breakfast {place}"),
        "Veterans",
        "A monthly breakfast for veterans of the armed forces and their families.",
        cost="Pay for your own breakfast",
    ),
    ServiceType(
        "taichi",
        ("Tai Chi for Health {place}", "{place} Tai Chi"),
        "Physical activity",
        "Slow, flowing movements to improve balance, breathing and calm. Suitable for "
        "all abilities.",
        (50, None),
        "£3 per class",
        venue="park",
    ),
)

BOROUGH_PLACES: dict[str, tuple[str, ...]] = {
    "E09000001": ("Barbican", "Aldgate"),
    "E09000002": ("Barking", "Dagenham", "Becontree"),
    "E09000003": ("Finchley", "Edgware", "Hendon", "High Barnet"),
    "E09000004": ("Bexleyheath", "Sidcup", "Erith"),
    "E09000005": ("Wembley", "Kilburn", "Harlesden", "Willesden"),
    "E09000006": ("Bromley", "Orpington", "Beckenham", "Penge"),
    "E09000007": ("Kentish Town", "Gospel Oak", "Somers Town", "Camden Town"),
    "E09000008": ("Croydon", "Thornton Heath", "Norbury", "Purley"),
    "E09000009": ("Ealing", "Southall", "Acton", "Hanwell"),
    "E09000010": ("Enfield Town", "Edmonton", "Ponders End"),
    "E09000011": ("Woolwich", "Eltham", "Greenwich", "Plumstead"),
    "E09000012": ("Hackney Wick", "Dalston", "Homerton", "Stoke Newington"),
    "E09000013": ("Hammersmith", "Fulham", "Shepherd's Bush"),
    "E09000014": ("Tottenham", "Wood Green", "Hornsey"),
    "E09000015": ("Harrow", "Wealdstone", "Pinner"),
    "E09000016": ("Romford", "Hornchurch", "Rainham"),
    "E09000017": ("Uxbridge", "Hayes", "Ruislip"),
    "E09000018": ("Hounslow", "Feltham", "Brentford", "Chiswick"),
    "E09000019": ("Islington", "Holloway", "Archway", "Finsbury Park"),
    "E09000020": ("North Kensington", "Chelsea", "Earl's Court"),
    "E09000021": ("Kingston", "Surbiton", "Tolworth"),
    "E09000022": ("Brixton", "Stockwell", "Streatham", "Vauxhall"),
    "E09000023": ("Lewisham", "Deptford", "Catford", "Sydenham"),
    "E09000024": ("Mitcham", "Morden", "Wimbledon"),
    "E09000025": ("Stratford", "East Ham", "Canning Town", "Forest Gate"),
    "E09000026": ("Ilford", "Seven Kings", "Woodford"),
    "E09000027": ("Richmond", "Twickenham", "Teddington"),
    "E09000028": ("Peckham", "Bermondsey", "Camberwell", "Walworth"),
    "E09000029": ("Sutton", "Carshalton", "Wallington"),
    "E09000030": ("Bethnal Green", "Poplar", "Shadwell", "Bow"),
    "E09000031": ("Walthamstow", "Leyton", "Chingford"),
    "E09000032": ("Tooting", "Battersea", "Putney", "Balham"),
    "E09000033": ("Pimlico", "Marylebone", "Paddington", "Soho"),
}

SAINTS = ("Mary", "John", "Peter", "Luke", "Andrew", "Margaret", "Anne", "Paul", "Michael")
STREETS = (
    "High Street",
    "Church Road",
    "Station Road",
    "Park Road",
    "Victoria Road",
    "Green Lane",
    "Mill Lane",
    "Queen's Road",
    "The Broadway",
    "Manor Road",
    "Albert Street",
    "King Street",
    "Grove Road",
    "Chapel Street",
    "North Road",
)
ORG_PATTERNS = (
    "{place} Community Association",
    "{place} Neighbourhood Trust",
    "Friends of {place}",
    "{place} Wellbeing Network",
    "{borough} Voluntary Action",
    "{borough} Carers Network",
    "{place} Together CIC",
    "St {saint}'s Church, {place}",
)
LANGUAGES = (
    "Polish",
    "Bengali",
    "Urdu",
    "Somali",
    "Turkish",
    "Portuguese",
    "Arabic",
    "Gujarati",
    "Tamil",
    "Romanian",
    "Spanish",
    "British Sign Language",
)
VENUE_NAMES = {
    "community centre": "{place} Community Centre",
    "church hall": "St {saint}'s Church Hall",
    "library": "{place} Library",
    "park": "{place} Park",
    "garden": "{place} Community Garden",
}
