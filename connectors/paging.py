"""Walking a paged list endpoint without trusting it: loops, repeats and short feeds fail."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from connectors.http import Fetcher, with_params

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Page:
    """One page, whatever the feed's envelope calls its fields."""

    items: list[dict[str, Any]]
    number: int | None = None
    total_pages: int | None = None
    total_items: int | None = None
    is_last: bool | None = None
    next_url: str | None = None


def parse_envelope(fetcher: Fetcher, url: str, body: Any, model: type[BaseModel]) -> Any:
    """Validate a page envelope; a page of garbage fails the whole fetch."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "page"
        raise fetcher.error(f"unexpected page shape at {where}: {first['msg']}", url) from None


def _canonical(url: str, params: Mapping[str, Any] | None) -> str:
    merged = with_params(url, params)
    return str(merged.copy_with(query=b"&".join(sorted(merged.query.split(b"&")))))


class PageGuard:
    """Remembers what was seen, to stop on a page that repeats or a link that loops."""

    def __init__(self, fetcher: Fetcher, max_pages: int = 100_000) -> None:
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.pages = 0
        self.items = 0
        self.total_items: int | None = None
        self._fingerprints: dict[str, int] = {}
        self._urls: set[str] = set()

    def visit(self, url: str) -> None:
        if url in self._urls:
            raise self.fetcher.error("pagination loops back to a page already read", url)
        self._urls.add(url)

    def accept(self, page: Page, url: str, progress: Progress | None = None) -> None:
        """Count a page in; fail on one seen before; report progress."""
        self.pages += 1
        if self.pages > self.max_pages:
            raise self.fetcher.error(f"more than {self.max_pages} pages", url)
        if page.items:
            ids = "\n".join(str(item.get("id")) for item in page.items)
            fingerprint = hashlib.sha256(ids.encode()).hexdigest()
            if fingerprint in self._fingerprints:
                earlier = self._fingerprints[fingerprint]
                raise self.fetcher.error(f"page {self.pages} repeats page {earlier}", url)
            self._fingerprints[fingerprint] = self.pages
        self.items += len(page.items)
        if page.total_items is not None:
            self.total_items = page.total_items
        if progress:
            progress(self.items, self.total_items)

    def finish(self, url: str) -> None:
        promised = self.total_items
        if promised is not None and self.items != promised:
            raise self.fetcher.error(
                f"feed promised {promised} records but its pages held {self.items}", url
            )


def _has_more(page: Page, pages_read: int) -> bool:
    if page.is_last is not None:
        return not page.is_last
    if page.total_pages is not None:
        return pages_read < page.total_pages
    return bool(page.items)  # no paging fields: read on until an empty page


def numbered_pages(
    fetcher: Fetcher,
    url: str,
    params: Callable[[int], Mapping[str, Any]],
    read_page: Callable[[Any, str], Page],
    first_page: int = 1,
    progress: Progress | None = None,
) -> Iterator[Page]:
    """``?page=1,2,...`` until the envelope says last; checks counts at the end."""
    guard = PageGuard(fetcher)
    number = first_page
    while True:
        query = params(number)
        guard.visit(_canonical(url, query))
        page = read_page(fetcher.get_json(url, query), url)
        guard.accept(page, url, progress)
        more = _has_more(page, guard.pages)
        if not page.items and more:
            raise fetcher.error(f"page {number} is empty but the feed says there are more", url)
        yield page
        if not more:
            break
        number += 1
    guard.finish(url)


def linked_pages(
    fetcher: Fetcher,
    url: str,
    params: Mapping[str, Any],
    read_page: Callable[[Any, str], Page],
    progress: Progress | None = None,
) -> Iterator[Page]:
    """Follow ``next`` links until there is none."""
    guard = PageGuard(fetcher)
    next_url: str | None = url
    query: Mapping[str, Any] | None = params
    while next_url:
        guard.visit(_canonical(next_url, query))
        page = read_page(fetcher.get_json(next_url, query), next_url)
        guard.accept(page, next_url, progress)
        if not page.items and page.next_url:
            raise fetcher.error("empty page with a link to more", next_url)
        yield page
        next_url, query = page.next_url, None
    guard.finish(url)
