"""Per-record mapping: field clean-ups that warn instead of failing, and rejections.

A mapper is a function ``(raw dict, MappingContext) -> ServiceRecord``. It calls the
context's helpers for every value that can be wrong; an unusable optional value becomes a
warning on the record, an unusable required one (``ctx.reject``) a ``Rejection``.
``map_record`` guarantees that every raw record ends as exactly one of the two, whatever
the mapper raises.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar

from pydantic import ValidationError

from connectors import cleaning, phones, schedules
from connectors.records import (
    DeliveryMode,
    Location,
    LocationType,
    MapOutcome,
    MappingWarning,
    Phone,
    PhoneType,
    Rejection,
    ServiceRecord,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A rough box around the UK and Crown dependencies, to catch swapped or zero coordinates.
_UK_LATITUDE = (49.0, 61.5)
_UK_LONGITUDE = (-9.0, 2.5)


class PostcodeInfo(Protocol):
    postcode: str
    latitude: float
    longitude: float
    lad_code: str | None
    lad_name: str | None


class Geocoder(Protocol):
    """``directory.postcodes.PostcodeLookup`` satisfies this."""

    def lookup(self, text: str) -> PostcodeInfo: ...


class RejectRecord(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass
class MappingContext:
    source_id: str
    record_id: str
    geocoder: Geocoder | None = None
    warnings: list[MappingWarning] = field(default_factory=list)

    def warn(self, field: str, message: str, value: object = None) -> None:
        shown = None if value is None else str(value)[:200]
        self.warnings.append(MappingWarning(field=field, message=message, value=shown))

    def reject(self, field: str, reason: str) -> NoReturn:
        raise RejectRecord(field, reason)

    def clean(self, field: str, value: object, parser: Callable[[Any], T | None]) -> T | None:
        """``parser(value)``, or None with a warning when it raises ValueError."""
        try:
            return parser(value)
        except ValueError as exc:
            self.warn(field, str(exc), value)
            return None

    def name(self, field: str, value: object) -> str:
        name = cleaning.clean_name(value)
        if not name:
            self.reject(field, "name is empty")
        return name

    def email(self, field: str, value: object) -> str | None:
        return self.clean(field, value, cleaning.normalise_email)

    def url(self, field: str, value: object) -> str | None:
        return self.clean(field, value, cleaning.normalise_url)

    def date(self, field: str, value: object) -> dt.date | None:
        return self.clean(field, value, cleaning.parse_date)

    def datetime(self, field: str, value: object) -> dt.datetime | None:
        return self.clean(field, value, cleaning.parse_datetime)

    def time(self, field: str, value: object) -> str | None:
        return self.clean(field, value, schedules.normalise_time)

    def integer(self, field: str, value: object) -> int | None:
        return self.clean(field, value, _to_int)

    def phone(self, field: str, value: object, type_: PhoneType | None = None) -> Phone | None:
        text = cleaning.clean_text(value)
        if text is None:
            return None
        return self.clean(field, text, lambda raw: phones.parse_phone(raw, type_))

    def phones_in_text(self, field: str, value: object) -> list[Phone]:
        """All numbers in a free-text field; a warning if there is text but no number."""
        text = cleaning.clean_text(value)
        if text is None:
            return []
        found = phones.find_phones(text)
        if not found:
            single = self.phone(field, text)
            return [single] if single else []
        return found

    def location(self, **fields: Any) -> Location:
        """A location with its postcode normalised and geocoded, coordinates sanity-checked."""
        fields = {k: v for k, v in fields.items() if v is not None}
        latitude, longitude = self._coordinates(
            fields.pop("latitude", None), fields.pop("longitude", None)
        )
        postcode = cleaning.clean_text(fields.pop("postcode", None))
        lad_code = lad_name = None
        if postcode and self.geocoder is not None:
            try:
                found = self.geocoder.lookup(postcode)
            except ValueError as exc:
                self.warn("location.postcode", str(exc), postcode)
            else:
                if " " in found.postcode:  # a unit postcode, not only its outward code
                    postcode, lad_code, lad_name = found.postcode, found.lad_code, found.lad_name
                else:
                    self.warn(
                        "location.postcode", "unit postcode unknown; outward code used", postcode
                    )
                if latitude is None:
                    latitude, longitude = found.latitude, found.longitude
        location_type = fields.pop("location_type", None) or (
            LocationType.VIRTUAL if fields.get("url") and not postcode else LocationType.PHYSICAL
        )
        return Location(
            location_type=location_type,
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            lad_code=lad_code,
            lad_name=lad_name,
            **fields,
        )

    def _coordinates(self, lat: object, lon: object) -> tuple[float | None, float | None]:
        latitude, longitude = _to_float(lat), _to_float(lon)
        if latitude is None or longitude is None:
            return None, None
        if _in_uk(latitude, longitude):
            return latitude, longitude
        if _in_uk(longitude, latitude):
            self.warn("location.latitude", "latitude and longitude were swapped", f"{lat},{lon}")
            return longitude, latitude
        self.warn("location.latitude", "coordinates outside the UK dropped", f"{lat},{lon}")
        return None, None


def _to_int(value: object) -> int | None:
    text = cleaning.clean_text(value)
    if text is None:
        return None
    number = float(text)
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


def _to_float(value: object) -> float | None:
    text = cleaning.clean_text(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _in_uk(latitude: float, longitude: float) -> bool:
    return (
        _UK_LATITUDE[0] <= latitude <= _UK_LATITUDE[1]
        and _UK_LONGITUDE[0] <= longitude <= _UK_LONGITUDE[1]
    )


def delivery_modes(
    explicit: Iterable[DeliveryMode], locations: Iterable[Location]
) -> list[DeliveryMode]:
    """The modes a source states, plus in person/online where it has such locations."""
    modes = list(explicit)
    for location in locations:
        if location.location_type is LocationType.VIRTUAL:
            modes.append(DeliveryMode.ONLINE)
        elif location.address_1 or location.postcode:
            modes.append(DeliveryMode.IN_PERSON)
    return list(dict.fromkeys(modes))


def _validation_field(error: ValidationError) -> str:
    first = error.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or "record"


def map_record(
    source_id: str,
    record_id: str,
    raw: Mapping[str, Any],
    mapper: Callable[[Mapping[str, Any], MappingContext], ServiceRecord],
    geocoder: Geocoder | None = None,
) -> MapOutcome:
    """Exactly one outcome per raw record: a ServiceRecord (with warnings) or a Rejection."""
    ctx = MappingContext(source_id, record_id, geocoder)
    try:
        record = mapper(raw, ctx)
    except RejectRecord as exc:
        return Rejection(
            source_id=source_id, source_record_id=record_id, field=exc.field, reason=exc.reason
        )
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        return Rejection(
            source_id=source_id,
            source_record_id=record_id,
            field=_validation_field(exc),
            reason=reason,
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        logger.debug("mapping %s/%s failed", source_id, record_id, exc_info=True)
        return Rejection(
            source_id=source_id,
            source_record_id=record_id,
            field="record",
            reason=f"malformed record ({type(exc).__name__}: {exc})",
        )
    record.warnings = list(ctx.warnings)
    return record
