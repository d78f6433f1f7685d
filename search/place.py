"""Where a search is centred: a postcode (full or outward code, typed any old way),
coordinates, or a postcode at the end of the search words ("lonely older man, SE15").

The postcode lookup is passed in (``directory.postcodes`` in the application), so search
needs only a function from text to a result with coordinates and, for a unit postcode,
the borough.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from search.geo import Place, is_london_outcode

# Greater London's bounding box: coordinates inside it count as London for area ranking.
_LONDON_BOX = (51.28, 51.70, -0.52, 0.34)
_POSTCODE_TAIL = re.compile(
    r"^(?P<text>.*?)[\s,;]*\b(?P<postcode>[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?)\W*$",
    re.IGNORECASE,
)


class PostcodeFound(Protocol):
    postcode: str
    latitude: float
    longitude: float
    lad_code: str | None


class PlaceNotRecognised(ValueError):
    """The postcode is not one we know (or not a postcode at all)."""


class PlaceResolver:
    def __init__(self, lookup: Callable[[str], PostcodeFound]) -> None:
        self._lookup = lookup

    def postcode(self, text: str) -> Place:
        try:
            found = self._lookup(text)
        except ValueError as error:  # the lookup's "not recognised" is a ValueError
            raise PlaceNotRecognised(f"postcode not recognised: {text.strip()!r}") from error
        outcode = found.postcode.split(" ")[0]
        in_london = (found.lad_code or "").startswith("E09") or (
            found.lad_code is None and is_london_outcode(outcode)
        )
        return Place(latitude=found.latitude, longitude=found.longitude,
                     lad_code=found.lad_code, in_london=in_london, label=found.postcode)

    @staticmethod
    def coordinates(latitude: float, longitude: float) -> Place:
        south, north, west, east = _LONDON_BOX
        in_london = south <= latitude <= north and west <= longitude <= east
        return Place(latitude=latitude, longitude=longitude, in_london=in_london)

    def split_text(self, text: str) -> tuple[str, Place | None]:
        """Search words and the place at their end, when they end with a known postcode."""
        match = _POSTCODE_TAIL.match(text.strip())
        if match is None:
            return text, None
        try:
            place = self.postcode(match["postcode"])
        except PlaceNotRecognised:
            return text, None
        return match["text"].strip(), place
