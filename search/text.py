"""Text helpers both backends share: tokens, typo allowance, safe highlights."""

from __future__ import annotations

import html
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def fold(text: str) -> str:
    """Lower case without accents: ``Café`` -> ``cafe``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Words as a search engine's standard tokenizer sees them, folded."""
    return [word.replace("'", "") for word in _WORD.findall(fold(text))]


def normalise(text: str) -> str:
    """One spacing, folded: the form exact-name matches compare."""
    return " ".join(tokens(text))


def max_edits(term: str) -> int:
    """Typo allowance by length, as Elasticsearch's ``fuzziness: AUTO``: 0, 1 or 2."""
    if len(term) <= 2:
        return 0
    return 1 if len(term) <= 5 else 2


def safe_highlight(fragment: str) -> str:
    """Escape a highlighted fragment for HTML, keeping only the ``<mark>`` tags as markup."""
    escaped = html.escape(fragment, quote=False)
    return escaped.replace(html.escape(MARK_OPEN), MARK_OPEN).replace(
        html.escape(MARK_CLOSE), MARK_CLOSE
    )
