"""The everyday-language vocabulary: what people say, mapped to what listings call it.

Read from an editable YAML file (``search/vocabulary.yaml`` by default) and applied when a
search runs, so an edit changes results with no re-indexing. The file is re-read when it
changes (checked at most once a second); a broken edit is logged and the last good
vocabulary stays in use.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from search.text import tokens

log = logging.getLogger(__name__)
DEFAULT_PATH = Path(__file__).with_name("vocabulary.yaml")
_RECHECK_S = 1.0


class Concept(BaseModel):
    says: list[str]
    means: list[str]

    def phrases(self) -> list[str]:
        return [*self.says, *self.means]


class VocabularyFile(BaseModel):
    concepts: list[Concept]


def _key(words: list[str]) -> tuple[str, ...]:
    """Compare phrases ignoring a plural ``s``: money worry / money worries match."""
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


class Vocabulary:
    """Expands a query's words into the phrases listings use for the same need."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = concepts
        # Each concept's phrases tokenised once: (plural-blind key, words joined).
        self._phrases = [
            [(_key(words), " ".join(words)) for words in map(tokens, c.phrases()) if words]
            for c in concepts
        ]

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        parsed = VocabularyFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        return cls(parsed.concepts)

    def expand(self, words: list[str]) -> list[str]:
        """Phrases to look for as well as ``words``: those of every concept they mention."""
        present = _key(words)
        found: dict[str, None] = {}
        for phrases in self._phrases:
            if not any(_contains(present, key) for key, _ in phrases):
                continue
            for key, phrase in phrases:
                if not _contains(present, key):
                    found.setdefault(phrase, None)
        return list(found)

    def terms(self) -> list[str]:
        """Every phrase, for suggestions."""
        return sorted({phrase for phrases in self._phrases for _, phrase in phrases})


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if not phrase:
        return False
    size = len(phrase)
    return any(words[i:i + size] == phrase for i in range(len(words) - size + 1))


class VocabularySource:
    """The current vocabulary of a file, re-read when the file changes."""

    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._vocabulary = Vocabulary.load(path)
        self._mtime = path.stat().st_mtime_ns
        self._checked = time.monotonic()

    def current(self) -> Vocabulary:
        now = time.monotonic()
        if now - self._checked < _RECHECK_S:
            return self._vocabulary
        with self._lock:
            self._checked = now
            try:
                mtime = self.path.stat().st_mtime_ns
                if mtime != self._mtime:
                    self._vocabulary = Vocabulary.load(self.path)
                    self._mtime = mtime
                    log.info("vocabulary reloaded", extra={"path": str(self.path)})
            except (OSError, yaml.YAMLError, ValidationError) as error:
                log.error("vocabulary not reloaded: %s", error, extra={"path": str(self.path)})
        return self._vocabulary

    def reload(self) -> None:
        """Re-read the file now (tests and the CLI; searches re-read it by themselves)."""
        self._checked = 0.0
        self.current()
