"""Polite, defensive fetching: timeouts, retries with backoff, 429 Retry-After, conditional
requests, a per-source rate limit, and one clear ``FetchError`` when a source cannot be
read completely. A failed fetch never yields partial data silently: the aggregator keeps the
last good data when it sees a FetchError.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from connectors.sources import HttpPolicy

logger = logging.getLogger(__name__)


class FetchError(Exception):
    """The source could not be read completely; nothing from this fetch should be used."""

    def __init__(self, source_id: str, message: str, url: str | None = None) -> None:
        where = f" ({url})" if url else ""
        super().__init__(f"source {source_id!r}: {message}{where}")
        self.source_id = source_id
        self.url = url


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


class ValidatorCache(Protocol):
    """Where ETag/Last-Modified and the body they validate are kept between fetches."""

    def get(self, url: str) -> CachedResponse | None: ...

    def put(self, url: str, response: CachedResponse) -> None: ...


class MemoryValidatorCache:
    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}

    def get(self, url: str) -> CachedResponse | None:
        return self._entries.get(url)

    def put(self, url: str, response: CachedResponse) -> None:
        self._entries[url] = response


@dataclass
class FetchStats:
    requests: int = 0
    retries: int = 0
    not_modified: int = 0
    bytes: int = 0


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def with_params(url: str, params: Mapping[str, Any] | None) -> httpx.URL:
    """``url`` with ``params`` added to any query it already has (None values left out)."""
    return httpx.URL(url).copy_merge_params(
        {k: v for k, v in (params or {}).items() if v is not None}
    )


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


class Fetcher:
    """One source's HTTP client. Not thread-safe: one fetch at a time per source."""

    def __init__(
        self,
        source_id: str,
        policy: HttpPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        cache: ValidatorCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.source_id = source_id
        self.policy = policy or HttpPolicy()
        self.cache = cache or MemoryValidatorCache()
        self.stats = FetchStats()
        self._sleep = sleep
        self._last_request = 0.0
        self._client = httpx.Client(
            timeout=self.policy.timeout_s,
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept": "application/json, */*",
                **(headers or {}),
            },
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def error(self, message: str, url: str | None = None) -> FetchError:
        return FetchError(self.source_id, message, url)

    def _throttle(self) -> None:
        rate = self.policy.rate_limit_per_s
        if rate:
            wait = self._last_request + 1.0 / rate - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_request = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.backoff_max_s, self.policy.backoff_s * 2**attempt)

    def get_bytes(self, url: str, params: Mapping[str, Any] | None = None) -> bytes:
        """The body of a 200 (or the cached body on 304); FetchError once retries run out."""
        full_url = str(with_params(url, params))
        cached = self.cache.get(full_url)
        conditional = {}
        if cached and cached.etag:
            conditional["If-None-Match"] = cached.etag
        if cached and cached.last_modified:
            conditional["If-Modified-Since"] = cached.last_modified
        problem = "no attempt made"
        for attempt in range(self.policy.max_retries + 1):
            if attempt:
                self.stats.retries += 1
            self._throttle()
            self.stats.requests += 1
            try:
                response = self._client.get(full_url, headers=conditional)
            except httpx.TimeoutException:
                problem, delay = (
                    f"timed out after {self.policy.timeout_s:g}s",
                    self._backoff(attempt),
                )
            except httpx.TransportError as exc:
                problem, delay = f"transport error: {exc}", self._backoff(attempt)
            else:
                status = response.status_code
                if status == 304 and cached is not None:
                    self.stats.not_modified += 1
                    return cached.body
                if 200 <= status < 300:
                    return self._accept(full_url, response)
                if status == 429:
                    problem = "rate limited (429)"
                    delay = _retry_after(response) or self._backoff(attempt)
                    if delay > self.policy.max_retry_after_s:
                        raise self.error(f"429 asks us to wait {delay:.0f}s", full_url)
                elif status >= 500:
                    problem, delay = f"server error {status}", self._backoff(attempt)
                else:
                    raise self.error(f"HTTP {status}", full_url)
            if attempt < self.policy.max_retries:
                logger.info("retrying %s in %.2fs: %s", full_url, delay, problem)
                self._sleep(delay)
        attempts = self.policy.max_retries + 1
        raise self.error(f"{problem} (gave up after {attempts} attempts)", full_url)

    def _accept(self, url: str, response: httpx.Response) -> bytes:
        body = response.content
        self.stats.bytes += len(body)
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if etag or modified:
            self.cache.put(url, CachedResponse(body, etag, modified))
        return body

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.parse_json(self.get_bytes(url, params), url)

    def parse_json(self, body: bytes, url: str) -> Any:
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.error(f"response is not valid JSON ({exc})", url) from None

    def read(self, location: str) -> bytes:
        """A whole file: fetched when ``location`` is a URL, read from disk otherwise."""
        if is_url(location):
            return self.get_bytes(location)
        try:
            return Path(location).read_bytes()
        except OSError as exc:
            raise self.error(f"cannot read file: {exc.strerror or exc}", location) from None
