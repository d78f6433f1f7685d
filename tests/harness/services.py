"""Start the session's services in the background as soon as tests that need them are known.

Elasticsearch takes about ten seconds to turn green, so it starts while collection finishes
and the first tests (which may not need it) run. A service that cannot start makes every
test that needs it fail with the reason; it is never skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundService(Generic[T]):
    def __init__(self, name: str, start: Callable[[], T], stop: Callable[[T], None]) -> None:
        self.name = name
        self._start = start
        self._stop = stop
        self._thread: threading.Thread | None = None
        self._value: T | None = None
        self._error: BaseException | None = None
        self._stopped = False

    def begin(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._start()
        except BaseException as error:  # reported to every test that asks for it
            self._error = error

    def get(self) -> T:
        self.begin()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(f"{self.name} could not start: {self._error}") from self._error
        assert self._value is not None
        return self._value

    @property
    def started(self) -> T | None:
        """The service if it started during this session (still set after shutdown)."""
        return self._value

    def shutdown(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._value is not None and not self._stopped:
            self._stop(self._value)
            self._stopped = True
