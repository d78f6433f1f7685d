"""A search's text, planned once for every backend: words, expansions, the word being typed."""

from __future__ import annotations

from pydantic import BaseModel

from search.text import normalise, tokens
from search.vocabulary import Vocabulary

MIN_PREFIX = 3


class TextPlan(BaseModel):
    words: list[str]
    expansions: list[str]  # vocabulary phrases, matched as phrases
    prefix: str | None  # the last word, perhaps half typed
    name_key: str  # the whole text, for the exact-name boost
    phrase: str | None  # two words or more: the phrase boost

    @property
    def empty(self) -> bool:
        return not self.words


def plan_text(text: str, vocabulary: Vocabulary) -> TextPlan:
    words = tokens(text)
    last = words[-1] if words else ""
    return TextPlan(
        words=words,
        expansions=vocabulary.expand(words) if words else [],
        prefix=last if len(last) >= MIN_PREFIX else None,
        name_key=normalise(text),
        phrase=" ".join(words) if len(words) > 1 else None,
    )
