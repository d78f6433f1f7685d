"""What matching compares: the identifying features of one mapped record, normalised.

Names lose case, punctuation, legal forms and spacing quirks ("Food Bank" = "Foodbank");
web domains that many unrelated organisations share (free mail, social media, council
sites) are dropped, because sharing one says nothing about being the same service.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from connectors.records import ServiceRecord

_LEGAL_FORMS = {"ltd", "limited", "cic", "cio", "plc", "llp", "inc", "the", "uk"}
_SPELLING = {"food bank": "foodbank", "centre": "center", "&": " and ", "+": " and "}
_GENERIC_HOSTS = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com",
    "live.co.uk", "yahoo.com", "yahoo.co.uk", "btinternet.com", "btconnect.com", "aol.com",
    "icloud.com", "me.com", "sky.com", "virginmedia.com", "talktalk.net", "protonmail.com",
    "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "linkedin.com",
    "google.com", "sites.google.com", "wixsite.com", "wordpress.com", "blogspot.com",
    "eventbrite.co.uk", "eventbrite.com", "meetup.com", "nhs.net", "nhs.uk", "gov.uk",
    "org.uk", "co.uk", "trusselltrust.org", "bit.ly", "linktr.ee",
}
_TWO_PART_SUFFIXES = {"co.uk", "org.uk", "ac.uk", "gov.uk", "nhs.uk", "me.uk", "ltd.uk"}


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for old, new in _SPELLING.items():
        text = text.replace(old, new)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def registrable_domain(url_or_email: str) -> str | None:
    """``https://www.peckham-walks.org.uk/x`` → ``peckham-walks.org.uk``; generic hosts → None."""
    value = url_or_email.strip().lower()
    if "@" in value and "//" not in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    host = host.removeprefix("www.").strip(".")
    if not host or "." not in host:
        return None
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_PART_SUFFIXES else 2
    domain = ".".join(labels[-keep:])
    if domain in _GENERIC_HOSTS or host in _GENERIC_HOSTS or domain.endswith(".gov.uk"):
        return None
    return domain


def outward_code(postcode: str) -> str:
    return postcode.split()[0] if " " in postcode else postcode[:-3]


@dataclass(frozen=True)
class MatchFeatures:
    name: str
    organization: str
    phones: frozenset[str]
    emails: frozenset[str]
    domains: frozenset[str]
    postcodes: frozenset[str]
    boroughs: frozenset[str]
    points: tuple[tuple[float, float], ...]
    charity_numbers: frozenset[str]
    company_numbers: frozenset[str]


def features_of(record: ServiceRecord) -> MatchFeatures:
    org = record.organization
    phones = [*record.phones, *(org.phones if org else [])]
    emails = [record.email, org.email if org else None]
    urls = [record.url, org.url if org else None]
    for location in record.locations:
        phones.extend(location.phones)
    for contact in record.contacts:
        phones.extend(contact.phones)
        emails.append(contact.email)
    email_set = frozenset(e.strip().lower() for e in emails if e)
    domains = {registrable_domain(u) for u in [*urls, *email_set] if u}
    located = [loc for loc in record.locations if loc.location_type != "virtual"]
    return MatchFeatures(
        name=normalise_name(record.name),
        organization=normalise_name(org.name) if org else "",
        phones=frozenset(p.number for p in phones),
        emails=email_set,
        domains=frozenset(d for d in domains if d),
        postcodes=frozenset(loc.postcode.upper() for loc in located if loc.postcode),
        boroughs=frozenset(
            [loc.lad_code for loc in located if loc.lad_code]
            + [a.code for a in record.service_areas if a.code and a.extent_type == "borough"]
        ),
        points=tuple(
            (loc.latitude, loc.longitude)
            for loc in located
            if loc.latitude is not None and loc.longitude is not None
        ),
        charity_numbers=frozenset(
            [org.charity_number] if org and org.charity_number else []
        ),
        company_numbers=frozenset(
            [org.company_number] if org and org.company_number else []
        ),
    )


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance; plenty accurate at the scale of a street."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
