"""Reading the loosely typed values feeds carry: ages, costs, languages, areas, modes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from connectors.cleaning import clean_text
from connectors.records import (
    CostOption,
    DeliveryMode,
    Eligibility,
    ExtentType,
    Language,
    ServiceArea,
    ServiceStatus,
)

# Languages most asked for in London, by the names feeds use; ISO 639-1 where there is one.
LANGUAGE_CODES = {
    "english": "en",
    "welsh": "cy",
    "british sign language": "bfi",
    "bsl": "bfi",
    "polish": "pl",
    "urdu": "ur",
    "bengali": "bn",
    "bangla": "bn",
    "sylheti": "syl",
    "punjabi": "pa",
    "gujarati": "gu",
    "hindi": "hi",
    "tamil": "ta",
    "arabic": "ar",
    "somali": "so",
    "turkish": "tr",
    "kurdish": "ku",
    "portuguese": "pt",
    "spanish": "es",
    "french": "fr",
    "italian": "it",
    "romanian": "ro",
    "bulgarian": "bg",
    "lithuanian": "lt",
    "russian": "ru",
    "ukrainian": "uk",
    "albanian": "sq",
    "greek": "el",
    "farsi": "fa",
    "persian": "fa",
    "dari": "prs",
    "pashto": "ps",
    "tigrinya": "ti",
    "amharic": "am",
    "yoruba": "yo",
    "twi": "tw",
    "swahili": "sw",
    "mandarin": "zh",
    "cantonese": "yue",
    "chinese": "zh",
    "vietnamese": "vi",
    "tagalog": "tl",
    "korean": "ko",
    "japanese": "ja",
    "german": "de",
    "hebrew": "he",
    "yiddish": "yi",
    "irish": "ga",
    "nepali": "ne",
}
_CODE_NAMES = {code: name.title() for name, code in LANGUAGE_CODES.items() if name != "bsl"}
_CODE_NAMES["bfi"] = "British Sign Language"


def language(value: str) -> Language | None:
    """ "Polish", "pl" or "BSL" -> Language(name, code); unknown names are kept uncoded."""
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in LANGUAGE_CODES:
        code = LANGUAGE_CODES[lowered]
        return Language(name=_CODE_NAMES[code], code=code)
    if lowered in _CODE_NAMES:
        return Language(name=_CODE_NAMES[lowered], code=lowered)
    return Language(name=text)


def languages(value: object) -> list[Language]:
    """A list, or text separated by commas, semicolons, slashes or "and"."""
    items = value if isinstance(value, list) else re.split(r"\s*(?:[,;/|]|\band\b)\s*", str(value))
    found = [language(str(item)) for item in items if item is not None]
    unique = {(lang.name, lang.code): lang for lang in found if lang}
    return list(unique.values())


_AGE_PATTERNS = (
    (re.compile(r"(\d{1,3})\s*(?:-|to|\u2013)\s*(\d{1,3})"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(?:over|above|older than)\s*(\d{1,3})"), lambda m: (int(m[1]), None)),
    (
        re.compile(r"(\d{1,3})\s*(?:\+|and over|or over|and above|or older|plus)"),
        lambda m: (int(m[1]), None),
    ),
    (re.compile(r"(?:under|below|younger than)\s*(\d{1,3})"), lambda m: (None, int(m[1]) - 1)),
)


def age_range(value: object) -> Eligibility | None:
    """ "18+", "aged 13 to 25", "over 50s", "under 5" -> Eligibility(min, max, text)."""
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if re.fullmatch(r"(?:all( ages)?|any|everyone)", lowered):
        return Eligibility(description=text)
    for pattern, read in _AGE_PATTERNS:
        match = pattern.search(lowered)
        if match:
            minimum, maximum = read(match)
            if (minimum or 0) <= 130 and (maximum is None or 0 <= maximum <= 130):
                return Eligibility(minimum_age=minimum, maximum_age=maximum, description=text)
    return Eligibility(description=text)


_AMOUNT = re.compile(r"£\s*(\d+(?:[.,]\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:p\b|pence)")
_FREE = re.compile(r"\bfree\b|\bno (?:cost|charge)\b|\bpay[- ]as[- ]you[- ]feel\b", re.I)


def _amount(text: str) -> Decimal | None:
    match = _AMOUNT.search(text)
    if not match:
        return None
    try:
        if match[1]:
            return Decimal(match[1].replace(",", "."))
        return Decimal(match[2]) / 100
    except InvalidOperation:
        return None


def cost(value: object) -> CostOption | None:
    """ "Free", "£2.50 per session", "50p" -> CostOption.

    Text that says free *and* names an amount ("free; donations of £1 welcome") is left
    undecided (``free=None``) rather than guessed.
    """
    text = clean_text(value)
    if text is None:
        return None
    amount = _amount(text)
    says_free = bool(_FREE.search(text))
    if amount is None:
        return CostOption(free=True if says_free else None, amount_description=text)
    free = None if says_free and amount else amount == 0
    return CostOption(free=free, amount=amount, amount_description=text)


_MODES = {
    DeliveryMode.IN_PERSON: re.compile(
        r"venue|in[- ]person|face[- ]to[- ]face|drop[- ]in|home visit|outreach", re.I
    ),
    DeliveryMode.PHONE: re.compile(r"phone|telephone|helpline|call", re.I),
    DeliveryMode.ONLINE: re.compile(r"online|virtual|video|zoom|teams|web|digital|remote", re.I),
}


def delivery_modes(value: object) -> list[DeliveryMode]:
    """ "Venue", "Phone", "Online / video" (ORUK attending types or free text) -> modes."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        text = clean_text(item)
        if text:
            found.extend(mode for mode, pattern in _MODES.items() if pattern.search(text))
    return list(dict.fromkeys(found))


_NATIONAL = re.compile(r"\b(national|nationwide|uk|united kingdom|england|great britain)\b", re.I)
_LONDON = re.compile(
    r"\b(london[- ]wide|pan[- ]london|greater london|all of london|london)\b", re.I
)
_AREA_CODES = {
    "E12000007": ExtentType.LONDON,  # London region
    "E92000001": ExtentType.NATIONAL,  # England
    "K02000001": ExtentType.NATIONAL,  # United Kingdom
    "K03000001": ExtentType.NATIONAL,  # Great Britain
}


_LOCAL_AUTHORITY_CODES = ("E06", "E07", "E08", "E09", "W06", "S12")


def _is_local_authority(gss: str | None, kind: str) -> bool:
    """A GSS code of a council area, or a kind such as "Local Authority" or "borough"."""
    if gss and gss.upper()[:3] in _LOCAL_AUTHORITY_CODES:
        return True
    return any(word in kind for word in ("borough", "local authority", "council"))


def service_area(name: object, code: object = None, kind: object = None) -> ServiceArea | None:
    """Classify an area by GSS code first (E09 = London borough), then by its words."""
    text = clean_text(name)
    gss = clean_text(code)
    if text is None and gss is None:
        return None
    extent = ExtentType.OTHER
    kind_text = (clean_text(kind) or "").lower()
    if gss and gss.upper() in _AREA_CODES:
        extent = _AREA_CODES[gss.upper()]
    elif _is_local_authority(gss, kind_text):
        extent = ExtentType.BOROUGH
    elif "country" in kind_text or "national" in kind_text or (text and _NATIONAL.search(text)):
        extent = ExtentType.NATIONAL
    elif text and _LONDON.fullmatch(text.strip()):
        extent = ExtentType.LONDON
    elif "region" in kind_text:
        extent = ExtentType.REGION
    return ServiceArea(name=text or gss or "", extent_type=extent, code=gss)


_STATUSES = {
    "active": ServiceStatus.ACTIVE,
    "open": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.INACTIVE,
    "closed": ServiceStatus.INACTIVE,
    "defunct": ServiceStatus.DEFUNCT,
    "temporarily closed": ServiceStatus.TEMPORARILY_CLOSED,
    "temporarily_closed": ServiceStatus.TEMPORARILY_CLOSED,
    "suspended": ServiceStatus.TEMPORARILY_CLOSED,
}


def status(value: object) -> ServiceStatus:
    """HSDS status words; an absent status means active. ValueError for anything else."""
    text = clean_text(value)
    if text is None:
        return ServiceStatus.ACTIVE
    try:
        return _STATUSES[text.lower()]
    except KeyError:
        raise ValueError("unknown service status") from None
