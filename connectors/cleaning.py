"""Pure text clean-ups: HTML to text, names, e-mail addresses, URLs, dates.

Each function either returns the cleaned value (``None`` for "nothing there") or raises
``ValueError`` with a short reason; the mapping context turns that into a warning.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset(
    ["script", "style", "svg", "noscript", "template", "head", "iframe", "object", "button"]
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2028\u2029]+")
_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "hr":
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data.replace("\n", " "))


def _tidy_lines(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(value: str | None) -> str | None:
    """Plain text with paragraphs kept (blank line between blocks); markup, scripts dropped."""
    if value is None:
        return None
    if _TAG_HINT.search(value):
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(value)
    return _tidy_lines(text.replace("\r\n", "\n")) or None


def clean_text(value: object) -> str | None:
    """A one-line value: whitespace (including non-breaking spaces) collapsed and trimmed."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value).replace("\n", " ")).strip()
    return text or None


def clean_multiline(value: object) -> str | None:
    """Free text where line breaks matter; blank lines collapsed."""
    if value is None:
        return None
    return _tidy_lines(str(value).replace("\r\n", "\n")) or None


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}")


@lru_cache(maxsize=65_536)
def normalise_email(value: object) -> str | None:
    """``Name@Example.ORG`` -> ``Name@example.org``; raises ValueError if not an address."""
    text = clean_text(value)
    if text is None:
        return None
    text = text.removeprefix("mailto:").strip().strip("<>").rstrip(".,;").strip()
    if not _EMAIL.match(text) or ".." in text:
        raise ValueError("not a valid e-mail address")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


_SLASHES = re.compile(r"^(https?):/{0,3}(?=[^/])", re.IGNORECASE)
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


@lru_cache(maxsize=65_536)
def normalise_url(value: object) -> str | None:
    """Absolute http(s) URL; a bare ``www.example.org/x`` gains ``https://``."""
    text = clean_text(value)
    if text is None:
        return None
    if " " in text:
        raise ValueError("URL contains spaces")
    text = _SLASHES.sub(r"\1://", text.rstrip("."))  # "http:www.x.org", "https:/x.org"
    if "://" not in text:
        if "@" in text:
            raise ValueError("looks like an e-mail address, not a URL")
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme {parts.scheme!r}")
    if not _HOST.match(host):
        raise ValueError("URL has no valid host name")
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((scheme, host + port, parts.path, parts.query, parts.fragment))


def clean_name(value: object) -> str | None:
    """A display name: one line, trimmed, with HTML entities decoded."""
    text = clean_text(value)
    return clean_text(html.unescape(text)) if text else None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value: object) -> date | None:
    """ISO dates, ISO datetimes (date part) and the UK day-first forms."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a recognisable date")


def parse_datetime(value: object) -> datetime | None:
    """An aware datetime; naive values and bare dates are taken as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = clean_text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(text)
        assert day is not None
        parsed = datetime(day.year, day.month, day.day)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_TRUE = frozenset({"true", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f"})


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("not a yes/no value")
