"""The embedded backend: SQLite FTS5 and R-tree in its own derived file, for one machine.

Text matching, BM25 and the venue box search run in SQLite (a place's scope goes into the
text query, so SQLite scores only the rows in it); filters, facets, locality and freshness
run on an in-memory snapshot of the documents, refreshed when the file changes, which also
keeps recent place-less rankings (``search.embedded_ranking``). Sized for a borough (tens
of thousands of listings) on one machine.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from search.backend import IndexStatus, SearchUnavailable
from search.document import SearchDocument
from search.embedded_ranking import Ranking, RankingCache, make_hit, rank_candidates
from search.embedded_store import TEXT_COLUMNS, VENUES_PER_DOC, EmbeddedStore
from search.facets import FACET_FIELDS
from search.filtering import facet_keys
from search.geo import bounding_box
from search.plan import TextPlan, plan_text
from search.query import (
    SearchHit,
    SearchPage,
    SearchQuery,
    Suggestion,
    SuggestQuery,
)
from search.ranking import (
    EXACT_NAME_BOOST,
    EXPANSION_WEIGHT,
    FIELD_WEIGHTS,
    FUZZY_WEIGHT,
    PHRASE_BOOST,
    freshness_factor,
)
from search.suggesting import Candidate, CandidateIndex, candidates_of, rank, term_index
from search.text import MARK_CLOSE, MARK_OPEN, max_edits, normalise, safe_highlight
from search.vocabulary import VocabularySource

_BM25_WEIGHTS = ", ".join(str(FIELD_WEIGHTS[column]) for column in TEXT_COLUMNS)
_FUZZY_CHOICES = 5
# Endings the porter stemmer removes: a word that is an indexed stem plus one is no typo.
_SUFFIXES = ("", "s", "es", "ed", "ing", "ings", "er", "ers", "ly", "ness", "ment", "ments",
             "e", "y", "al", "ful", "ity")


@dataclass
class _Snapshot:
    identity: tuple[int, str]
    docs: dict[int, SearchDocument]
    by_area: dict[str, set[int]]
    facets: dict[int, tuple[tuple[str, str], ...]]
    terms: list[str]
    term_set: set[str]
    suggestions: CandidateIndex
    rankings: RankingCache = field(default_factory=RankingCache)
    _freshness: dict[date, dict[int, float]] = field(default_factory=dict)

    def freshness(self, today: date) -> dict[int, float]:
        """Each document's freshness factor on ``today`` (computed once a day)."""
        found = self._freshness.get(today)
        if found is None:
            found = {rowid: freshness_factor(doc.confirmed_on, today)
                     for rowid, doc in self.docs.items()}
            self._freshness = {today: found}
        return found


def _quote(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path, vocabulary: VocabularySource) -> None:
        self.store = EmbeddedStore(path)
        self.vocabulary = vocabulary
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    # -- operations -----------------------------------------------------------------------

    def check(self) -> None:
        try:
            self.store.identity()
        except (sqlite3.Error, OSError) as error:
            raise SearchUnavailable(f"the embedded index is unusable: {error}") from error

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        self.store.upsert(documents)

    def delete(self, ids: Sequence[str]) -> None:
        self.store.delete(ids)

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        return self.store.rebuild(batches)

    def status(self) -> IndexStatus:
        db = self.store.db()
        count = db.execute("SELECT count(*) FROM doc").fetchone()[0]
        built = db.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
        return IndexStatus(backend=self.name, index=str(self.store.path), documents=count,
                           built_at=datetime.fromisoformat(built[0]) if built else None)

    # -- snapshot ---------------------------------------------------------------------------

    def _current(self) -> _Snapshot:
        identity = self.store.identity()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.identity == identity:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.identity != identity:
                self._snapshot = self._load(identity)
            return self._snapshot

    def _load(self, identity: tuple[int, str]) -> _Snapshot:
        db = self.store.db()
        docs = {rowid: SearchDocument.model_validate_json(body)
                for rowid, body in db.execute("SELECT rowid, body FROM doc")}
        by_area: dict[str, set[int]] = defaultdict(set)
        candidates: dict[tuple[str, str], Candidate] = {}
        for rowid, doc in docs.items():
            for key in doc.area_keys:
                by_area[key].add(rowid)
            for candidate in candidates_of(doc):
                unique = candidate.listing_id or candidate.text.lower()
                candidates.setdefault((candidate.kind, unique), candidate)
        terms = [term for (term,) in db.execute("SELECT term FROM doc_terms")]
        facets = {
            rowid: tuple((facet, value) for facet, name in FACET_FIELDS.items()
                         for value in facet_keys(doc, name))
            for rowid, doc in docs.items()
        }
        return _Snapshot(identity, docs, dict(by_area), facets, terms, set(terms),
                         CandidateIndex(candidates.values()))

    # -- search -----------------------------------------------------------------------------

    def _match(self, expression: str, scope: set[int] | None) -> dict[int, float]:
        """BM25 of the rows matching ``expression``, of those in ``scope`` if given (SQLite
        then scores only those; ``+rowid`` keeps it from looking each one up in turn)."""
        sql = (f"SELECT rowid, bm25(doc_text, {_BM25_WEIGHTS}) FROM doc_text "
               "WHERE doc_text MATCH ?")
        if scope is None:
            rows = self.store.db().execute(sql, (expression,))
        else:
            rows = self.store.db().execute(
                f"{sql} AND +rowid IN (SELECT value FROM json_each(?))",
                (expression, json.dumps(sorted(scope))),
            )
        return {rowid: -score for rowid, score in rows}

    def _corrections(self, snapshot: _Snapshot, word: str) -> list[str]:
        """Indexed terms within the typo allowance of a word the index does not know."""
        allowance = max_edits(word)
        known = any(
            word.endswith(suffix) and word[: len(word) - len(suffix)] in snapshot.term_set
            for suffix in _SUFFIXES
        )
        if known or not allowance:
            return []
        found = process.extract(word, snapshot.terms, scorer=Levenshtein.distance,
                                score_cutoff=allowance, limit=_FUZZY_CHOICES)
        return [term for term, _, _ in found if term[:1] == word[:1]]

    def _expressions(self, snapshot: _Snapshot, plan: TextPlan) -> dict[str, str]:
        primary = [_quote(word) for word in plan.words]
        if plan.prefix:
            primary.append(_quote(plan.prefix) + "*")
        fuzzy = [_quote(t) for word in plan.words for t in self._corrections(snapshot, word)]
        return {
            "primary": " OR ".join(primary),
            "expansion": " OR ".join(_quote(phrase) for phrase in plan.expansions),
            "fuzzy": " OR ".join(fuzzy),
        }

    def _text_scores(self, snapshot: _Snapshot, plan: TextPlan, expressions: dict[str, str],
                     scope: set[int] | None) -> dict[int, float]:
        weights = {"primary": 1.0, "expansion": EXPANSION_WEIGHT, "fuzzy": FUZZY_WEIGHT}
        scores: dict[int, float] = defaultdict(float)
        for part, expression in expressions.items():
            if expression:
                for rowid, score in self._match(expression, scope).items():
                    scores[rowid] += weights[part] * score
        phrased = self._match(_quote(plan.phrase), scope) if plan.phrase else {}
        for rowid in scores:
            doc = snapshot.docs.get(rowid)
            if doc is not None and doc.name_key == plan.name_key:
                scores[rowid] *= EXACT_NAME_BOOST
            if rowid in phrased:
                scores[rowid] *= PHRASE_BOOST
        return scores

    def _in_place(self, snapshot: _Snapshot, query: SearchQuery) -> set[int]:
        place = query.place
        assert place is not None
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            place.latitude, place.longitude, query.radius_km)
        rows = self.store.db().execute(
            "SELECT id FROM venue WHERE min_lat >= ? AND max_lat <= ? AND min_lon >= ? "
            "AND max_lon <= ?", (min_lat, max_lat, min_lon, max_lon),
        )
        found = {venue_id // VENUES_PER_DOC for (venue_id,) in rows}
        for key in place.area_keys():
            found |= snapshot.by_area.get(key, set())
        return found

    def search(self, query: SearchQuery) -> SearchPage:
        snapshot = self._current()
        plan = plan_text(query.text, self.vocabulary.current())
        expressions = {} if plan.empty else self._expressions(snapshot, plan)
        if query.place is None:
            key = f"{plan.model_dump_json()}|{query.filters.model_dump_json()}|{query.today}"
            ranking = snapshot.rankings.get(
                key, lambda: self._ranking(snapshot, plan, expressions, query))
        else:
            ranking = self._ranking(snapshot, plan, expressions, query)
        top = ranking.page(query)
        page = [make_hit(snapshot.docs[rowid], key, query) for key, rowid in top]
        if expressions:
            self._highlight(expressions, [rowid for _, rowid in top], page)
        return SearchPage(total=len(ranking.ranked), hits=page, facets=ranking.facets)

    def _ranking(self, snapshot: _Snapshot, plan: TextPlan, expressions: dict[str, str],
                 query: SearchQuery) -> Ranking:
        scope = self._in_place(snapshot, query) if query.place is not None else None
        if plan.empty:
            scores = dict.fromkeys(snapshot.docs if scope is None else scope, 1.0)
        else:
            scores = self._text_scores(snapshot, plan, expressions, scope)
        ranked = rank_candidates(snapshot.docs, snapshot.freshness(query.today), scores, query)
        return Ranking.of(ranked, snapshot.facets)

    def _highlight(self, expressions: dict[str, str], rowids: list[int],
                   page: list[SearchHit]) -> None:
        if not rowids:
            return
        expression = " OR ".join(f"({e})" for e in expressions.values() if e)
        marks = f"'{MARK_OPEN}', '{MARK_CLOSE}'"
        rows = self.store.db().execute(
            f"SELECT rowid, highlight(doc_text, 0, {marks}), "
            f"snippet(doc_text, 3, {marks}, '…', 24) FROM doc_text "
            f"WHERE doc_text MATCH ? AND rowid IN ({','.join('?' * len(rowids))})",
            (expression, *rowids),
        )
        found = {rowid: (name, description) for rowid, name, description in rows}
        for rowid, hit in zip(rowids, page, strict=True):
            name, description = found.get(rowid, ("", ""))
            fields = {"name": name, "description": description}
            hit.highlights = {
                field: [safe_highlight(text)] for field, text in fields.items()
                if MARK_OPEN in text
            }

    # -- suggest ----------------------------------------------------------------------------

    def suggest(self, query: SuggestQuery) -> list[Suggestion]:
        typed = normalise(query.text)
        if not typed:
            return []
        snapshot = self._current()
        wanted = query.limit * 5
        found = snapshot.suggestions.find(typed, wanted)
        found += term_index(self.vocabulary.current()).find(typed, wanted)
        return rank(found, query.place, query.limit)

