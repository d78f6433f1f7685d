"""Sub-objects that ORUK v1/v2 and HSDS 3 spell alike (phones, schedules, contacts, costs).

Where the two differ only in a field's name, the caller says which name to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from connectors import cleaning, values
from connectors.mapping import MappingContext
from connectors.records import (
    Accessibility,
    Contact,
    CostOption,
    Organization,
    Phone,
    PhoneType,
    Schedule,
    ScheduleKind,
    TaxonomyTerm,
)
from connectors.schedules import normalise_byday

Raw = Mapping[str, Any]
_GSS = re.compile(r"\b([EWSNK]\d{8})\b")


def items(value: object) -> list[Raw]:
    """The dicts of a list field; anything else (null, a string) counts as empty."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def text(raw: Raw, key: str) -> str | None:
    return cleaning.clean_text(raw.get(key))


def gss_code(*candidates: object) -> str | None:
    """A GSS area code (``E09000007``) found in an id, a code or a URI."""
    for candidate in candidates:
        match = _GSS.search(str(candidate or ""))
        if match:
            return match[1]
    return None


def phone_list(entries: object, ctx: MappingContext, field: str) -> list[Phone]:
    found: list[Phone] = []
    for entry in items(entries):
        type_ = _phone_type(entry.get("type"))
        phone = ctx.phone(field, entry.get("number"), type_)
        if phone is None:
            continue
        extension = cleaning.clean_text(entry.get("extension"))
        if extension and not phone.extension:
            phone = phone.model_copy(update={"extension": extension.removesuffix(".0")})
        description = cleaning.clean_text(entry.get("description"))
        found.append(phone.model_copy(update={"description": description}))
    return found


def _phone_type(value: object) -> PhoneType | None:
    word = (cleaning.clean_text(value) or "").lower()
    aliases = {"mobile": PhoneType.CELL, "sms": PhoneType.TEXT, "minicom": PhoneType.TEXTPHONE}
    if word in aliases:
        return aliases[word]
    try:
        return PhoneType(word) if word else None
    except ValueError:
        return None


def schedule(
    entry: Raw,
    ctx: MappingContext,
    field: str,
    kind: ScheduleKind = ScheduleKind.REGULAR,
    location_id: str | None = None,
) -> Schedule | None:
    """An RRULE-style schedule row; ORUK holiday rows use start_date/end_date."""
    freq = (cleaning.clean_text(entry.get("freq")) or "").upper() or None
    if freq not in (None, "WEEKLY", "MONTHLY"):
        ctx.warn(f"{field}.freq", "frequency not supported", freq)
        freq = None
    byday = ctx.clean(f"{field}.byday", entry.get("byday"), normalise_byday)
    closed = cleaning.parse_bool(entry.get("closed")) if kind is ScheduleKind.HOLIDAY else None
    result = Schedule(
        kind=kind,
        location_id=location_id,
        freq=freq or ("WEEKLY" if byday else None),
        interval=ctx.integer(f"{field}.interval", entry.get("interval")),
        byday=byday,
        bymonthday=cleaning.clean_text(entry.get("bymonthday")),
        opens_at=ctx.time(f"{field}.opens_at", entry.get("opens_at")),
        closes_at=ctx.time(f"{field}.closes_at", entry.get("closes_at")),
        valid_from=ctx.date(
            f"{field}.valid_from", entry.get("valid_from") or entry.get("start_date")
        ),
        valid_to=ctx.date(f"{field}.valid_to", entry.get("valid_to") or entry.get("end_date")),
        closed=bool(closed),
        description=cleaning.html_to_text(entry.get("description") or entry.get("notes")),
    )
    has_content = result.byday or result.opens_at or result.description or result.valid_from
    return result if has_content else None


def schedules(
    regular: object,
    holidays: object,
    ctx: MappingContext,
    location_id: str | None = None,
) -> list[Schedule]:
    found = [schedule(e, ctx, "schedules", location_id=location_id) for e in items(regular)]
    found += [
        schedule(e, ctx, "holiday_schedules", ScheduleKind.HOLIDAY, location_id)
        for e in items(holidays)
    ]
    return [s for s in found if s is not None]


def contact(entry: Raw, ctx: MappingContext) -> Contact | None:
    result = Contact(
        name=text(entry, "name"),
        title=text(entry, "title"),
        department=text(entry, "department"),
        email=ctx.email("contacts.email", entry.get("email")),
        phones=phone_list(entry.get("phones"), ctx, "contacts.phones"),
    )
    return result if (result.name or result.email or result.phones) else None


def contacts(entries: object, ctx: MappingContext) -> list[Contact]:
    return [c for c in (contact(e, ctx) for e in items(entries)) if c]


def cost_option(entry: Raw, ctx: MappingContext) -> CostOption | None:
    described = values.cost(entry.get("amount_description"))
    amount = entry.get("amount")
    parsed = ctx.clean("cost_options.amount", amount, _decimal)
    free = parsed == 0 if parsed is not None else (described.free if described else None)
    result = CostOption(
        free=free,
        amount=parsed if parsed is not None else (described.amount if described else None),
        currency=(text(entry, "currency") or "GBP").upper(),
        option=text(entry, "option"),
        amount_description=text(entry, "amount_description"),
        valid_from=ctx.date("cost_options.valid_from", entry.get("valid_from")),
        valid_to=ctx.date("cost_options.valid_to", entry.get("valid_to")),
    )
    return result if (result.amount is not None or result.option or result.free) else None


def _decimal(value: object) -> Decimal | None:
    text_value = cleaning.clean_text(value)
    if text_value is None:
        return None
    try:
        return Decimal(text_value.lstrip("£"))
    except InvalidOperation:
        raise ValueError("not an amount") from None


def cost_options(entries: object, ctx: MappingContext) -> list[CostOption]:
    return [c for c in (cost_option(e, ctx) for e in items(entries)) if c]


def accessibility(entries: object, key: str) -> list[Accessibility]:
    found = []
    for entry in items(entries):
        description = cleaning.clean_text(entry.get(key))
        if description:
            found.append(
                Accessibility(
                    description=description, details=cleaning.clean_text(entry.get("details"))
                )
            )
    return found


def organization(
    entry: object,
    ctx: MappingContext,
    website_key: str,
    identifiers: Iterable[Raw] = (),
) -> Organization | None:
    """The provider; a nameless one is dropped with a warning, not the whole service."""
    if not isinstance(entry, Mapping):
        return None
    name = cleaning.clean_name(entry.get("name"))
    if not name:
        ctx.warn("organization.name", "organisation without a name dropped")
        return None
    charity = company = None
    for identifier in identifiers:
        scheme = " ".join(
            str(identifier.get(key) or "") for key in ("identifier_scheme", "identifier_type")
        )
        value = cleaning.clean_text(identifier.get("identifier"))
        if re.search(r"GB-CHC|GB-SC|GB-NIC|charit", scheme, re.I):
            charity = charity or value
        elif re.search(r"GB-COH|compan", scheme, re.I):
            company = company or value
    return Organization(
        id=cleaning.clean_text(entry.get("id")),
        name=name,
        description=cleaning.html_to_text(entry.get("description")),
        url=ctx.url("organization.url", entry.get(website_key)),
        email=ctx.email("organization.email", entry.get("email")),
        logo=ctx.url("organization.logo", entry.get("logo")),
        charity_number=charity,
        company_number=company,
        phones=phone_list(entry.get("phones"), ctx, "organization.phones"),
    )


def taxonomy_term(
    code: object, name: object, vocabulary: object, parent: object = None
) -> TaxonomyTerm | None:
    term_name = cleaning.clean_text(name)
    if not term_name:
        return None
    return TaxonomyTerm(
        code=cleaning.clean_text(code),
        name=term_name,
        vocabulary=cleaning.clean_text(vocabulary) or "unknown",
        parent_code=cleaning.clean_text(parent),
    )
