"""The search contract: every test runs unchanged on the embedded backend and on real
Elasticsearch (see the ``backend`` fixture)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from search.backend import SearchBackend
from search.geo import Locality
from search.indexing import SearchIndexer
from search.opening import LONDON, OpenAt
from search.query import Filters, SearchPage, SearchQuery, SortOrder, SuggestQuery
from tests.search.demo import CROYDON_CR0, LAMBETH, PECKHAM_SE15, SEARCHABLE, TODAY
from tests.search.factory import ListingSpec, VenueSpec, write_listings


def run(backend: SearchBackend, text: str = "", **options: Any) -> SearchPage:
    return backend.search(SearchQuery(text=text, today=TODAY, **options))


def ids(backend: SearchBackend, text: str = "", **options: Any) -> list[str]:
    return [hit.id for hit in run(backend, text, limit=100, **options).hits]


def at(day: date, hour: int, minute: int = 0) -> Filters:
    return Filters(open_at=OpenAt.of(datetime.combine(day, time(hour, minute), LONDON)))


# -- keyword ----------------------------------------------------------------------------


def test_only_published_listings_are_found(demo: SearchBackend) -> None:
    assert set(ids(demo)) == SEARCHABLE
    assert run(demo).total == len(SEARCHABLE)
    assert "knitting-withdrawn" not in ids(demo, "knitting")


def test_relevance_spans_name_organisation_description_and_categories(
    demo: SearchBackend,
) -> None:
    assert ids(demo, "Age Well Lambeth")[0] == "brixton-befriend"  # organisation
    assert ids(demo, "cemetery")[:2] == ["nunhead-walk-fresh", "nunhead-walk-stale"]
    assert ids(demo, "homelessness support")[0] == "night-shelter"  # category


def test_stemming_matches_word_forms(demo: SearchBackend) -> None:
    walking = {"peckham-walk", "nunhead-walk-fresh", "nunhead-walk-stale", "croydon-walk"}
    assert set(ids(demo, "walks")) == walking
    assert set(ids(demo, "walked")) == walking
    assert "brixton-befriend" in ids(demo, "befriend")


def test_carers_are_not_cars(demo: SearchBackend) -> None:
    assert ids(demo, "carers") == ["carers-hub"]
    assert ids(demo, "carer") == ["carers-hub"]
    assert "carers-hub" not in ids(demo, "car scheme")[:1]


def test_typos_are_tolerated(demo: SearchBackend) -> None:
    assert ids(demo, "befriendng")[0] == "brixton-befriend"
    assert ids(demo, "choire") == ["hackney-choir"]


def test_exact_name_comes_first(demo: SearchBackend) -> None:
    assert ids(demo, "Peckham Walking Group")[0] == "peckham-walk"
    assert ids(demo, "camberwell lunch club")[0] == "lunch-club"


def test_phrase_outranks_scattered_words(demo: SearchBackend) -> None:
    found = ids(demo, "youth club")
    assert found[0] == "youth-club"


def test_everyday_words_reach_service_language(demo: SearchBackend) -> None:
    assert ids(demo, "money worries") == ["debt-advice"]
    lonely = ids(demo, "lonely older man")
    assert {"brixton-befriend", "southwark-phone-friends", "mens-shed"} <= set(lonely[:6])


def test_vocabulary_edits_apply_without_reindexing(
    demo: SearchBackend, vocabulary_file: Path
) -> None:
    assert ids(demo, "knees up") == []
    vocabulary_file.write_text(
        vocabulary_file.read_text() + "  - says: [knees up]\n    means: [lunch club]\n")
    demo.vocabulary.reload()  # type: ignore[attr-defined]
    assert ids(demo, "knees up") == ["lunch-club"]


def test_word_being_typed_matches_as_a_prefix(demo: SearchBackend) -> None:
    assert "brixton-befriend" in ids(demo, "befri")


def test_highlights_mark_matches_and_escape_the_rest(demo: SearchBackend) -> None:
    hit = run(demo, "walking group").hits[0]
    assert "<mark>" in hit.highlights["name"][0]
    assert "&" not in hit.highlights["name"][0]


# -- location ---------------------------------------------------------------------------


def test_radius_keeps_near_venues_and_area_wide_services(demo: SearchBackend) -> None:
    found = set(ids(demo, place=PECKHAM_SE15, radius_km=5))
    assert {"peckham-walk", "brixton-befriend", "carers-hub"} <= found
    assert {"southwark-phone-friends", "london-friends", "national-friends"} <= found
    assert not {"hackney-choir", "croydon-walk"} & found
    assert "hackney-choir" in ids(demo, place=PECKHAM_SE15, radius_km=10)


def test_services_without_venue_rank_by_how_local_their_area_is(demo: SearchBackend) -> None:
    page = run(demo, "friendship", place=PECKHAM_SE15, limit=10)
    ranked = [hit.id for hit in page.hits]
    assert ranked.index("southwark-phone-friends") < ranked.index("london-friends")
    assert ranked.index("london-friends") < ranked.index("national-friends")
    tiers = {hit.id: hit.locality for hit in page.hits}
    assert tiers["southwark-phone-friends"] is Locality.BOROUGH
    assert tiers["national-friends"] is Locality.NATIONAL


def test_nearness_decides_between_equals(demo: SearchBackend) -> None:
    # The two cafes are the same but for their venue: Nunhead (a) and Croydon (b).
    assert ids(demo, "bereavement cafe")[:2] == ["bereavement-a", "bereavement-b"]  # by id
    near_croydon = ids(demo, "bereavement cafe", place=CROYDON_CR0, radius_km=15)
    assert near_croydon[:2] == ["bereavement-b", "bereavement-a"]
    assert ids(demo, "walking", place=PECKHAM_SE15)[0] == "peckham-walk"


def test_sort_by_distance_then_area(demo: SearchBackend) -> None:
    page = run(demo, place=PECKHAM_SE15, sort=SortOrder.DISTANCE, limit=100)
    distances = [hit.distance_km for hit in page.hits if hit.distance_km is not None]
    assert distances == sorted(distances)
    areas = [hit.id for hit in page.hits if hit.distance_km is None]
    assert areas[:3] == ["southwark-phone-friends", "london-friends", "national-friends"]
    assert page.hits[0].distance_km is not None and page.hits[0].distance_km < 0.5


# -- filters and facets -----------------------------------------------------------------


def test_filters(demo: SearchBackend) -> None:
    assert "lunch-club" not in ids(demo, filters=Filters(free=True))
    assert "car-scheme" in ids(demo, filters=Filters(free=False))
    assert "youth-club" not in ids(demo, filters=Filters(age=70))
    assert "youth-club" in ids(demo, filters=Filters(age=15))
    assert "lunch-club" not in ids(demo, filters=Filters(age=15))
    assert ids(demo, filters=Filters(languages=["Polish"])) == ["polish-advice"]
    assert set(ids(demo, filters=Filters(boroughs=[LAMBETH]))) == {
        "brixton-befriend", "polish-advice"}
    assert set(ids(demo, filters=Filters(accessibility=["hearing loop"]))) == {
        "brixton-befriend", "polish-advice"}
    online = set(ids(demo, filters=Filters(delivery_modes=["online"])))
    assert online == {"national-friends", "polish-advice", "online-art"}
    assert set(ids(demo, filters=Filters(categories=["Befriending", "Carers support"]))) == {
        "brixton-befriend", "southwark-phone-friends", "london-friends", "national-friends",
        "carers-hub"}


def test_facets_count_the_results(demo: SearchBackend) -> None:
    page = run(demo, "friendship", limit=100)
    befriending = sum("Befriending" in hit.categories for hit in page.hits)
    assert {(f.value, f.count) for f in page.facets["category"]} >= {
        ("Befriending", befriending)}
    modes = {f.value: f.count for f in page.facets["delivery_mode"]}
    assert modes["phone"] == sum("phone" in hit.delivery_modes for hit in page.hits)
    labelled = run(demo, filters=Filters(boroughs=[LAMBETH])).facets["borough"]
    assert [(f.value, f.label, f.count) for f in labelled] == [(LAMBETH, "Lambeth", 2)]
    free = {f.value: f.count for f in run(demo, "lunch").facets["free"]}
    assert free == {"false": 1}


def test_open_at_a_time(demo: SearchBackend) -> None:
    monday, saturday = date(2026, 11, 23), date(2026, 11, 28)
    assert "debt-advice" in ids(demo, filters=at(monday, 10))
    assert "debt-advice" not in ids(demo, filters=at(monday, 17, 30))
    assert "debt-advice" not in ids(demo, filters=at(saturday, 10))
    assert "debt-advice" not in ids(demo, filters=at(date(2026, 12, 25), 10))  # holiday
    assert "lunch-club" in ids(demo, filters=at(date(2026, 11, 26), 13))


def test_overnight_hours_run_past_midnight_and_the_week(demo: SearchBackend) -> None:
    assert "night-shelter" in ids(demo, filters=at(date(2026, 11, 27), 23))  # Friday night
    assert "night-shelter" in ids(demo, filters=at(date(2026, 11, 28), 3))  # Saturday 3 am
    assert "night-shelter" not in ids(demo, filters=at(date(2026, 11, 28), 12))
    assert "night-shelter" in ids(demo, filters=at(date(2026, 11, 30), 1))  # Sunday's night
    assert "night-shelter" not in ids(demo, filters=at(date(2026, 11, 30), 3))


def test_open_at_honours_british_summer_time(demo: SearchBackend) -> None:
    summer = date(2026, 7, 6)  # a Monday in BST: 08:30 UTC is 09:30 in London
    from datetime import UTC
    opened = Filters(open_at=OpenAt.of(datetime.combine(summer, time(8, 30), UTC)))
    closed = Filters(open_at=OpenAt.of(datetime.combine(summer, time(7, 30), UTC)))
    assert "debt-advice" in ids(demo, filters=opened)
    assert "debt-advice" not in ids(demo, filters=closed)


# -- ranking, ties and pages ------------------------------------------------------------


def test_unconfirmed_listings_sink(demo: SearchBackend) -> None:
    found = ids(demo, "nunhead walking group")
    assert found.index("nunhead-walk-fresh") < found.index("nunhead-walk-stale")


def test_ties_break_by_id(demo: SearchBackend) -> None:
    stale = "nunhead-walk-stale"  # no words, no place: freshness, then id
    assert ids(demo) == [*sorted(SEARCHABLE - {stale}), stale]


def test_cursor_pages_are_stable_and_complete(demo: SearchBackend) -> None:
    for options in ({"text": "walking friendship advice"},
                    {"place": PECKHAM_SE15, "sort": SortOrder.DISTANCE},
                    {"place": PECKHAM_SE15}):
        everything = ids(demo, **options)  # type: ignore[arg-type]
        paged: list[str] = []
        after = None
        while True:
            page = run(demo, limit=3, after=after, **options)  # type: ignore[arg-type]
            paged += [hit.id for hit in page.hits]
            assert page.total == len(everything)
            if len(page.hits) < 3:
                break
            after = page.hits[-1].sort_values
        assert paged == everything


def test_repeated_searches_answer_alike_and_keep_their_filters(demo: SearchBackend) -> None:
    """Backends may keep recent answers (Elasticsearch's request cache, the embedded
    backend's rankings): a repeat answers the same, a different filter differently."""
    everything = run(demo, limit=100)
    free = run(demo, limit=100, filters=Filters(free=True))
    assert run(demo, limit=100) == everything
    assert [hit.id for hit in free.hits] == [h.id for h in everything.hits if h.is_free]
    assert 0 < free.total < everything.total


def test_nothing_found_is_an_empty_page(demo: SearchBackend) -> None:
    page = run(demo, "xylophone zebra")
    assert page.total == 0 and page.hits == []


# -- suggestions ------------------------------------------------------------------------


def suggestions(backend: SearchBackend, text: str, **options: Any) -> list[tuple[str, str]]:
    found = backend.suggest(SuggestQuery(text=text, **options))
    return [(s.text, s.kind) for s in found]


def test_suggests_names_organisations_categories_and_terms(demo: SearchBackend) -> None:
    assert ("Peckham Walking Group", "service") in suggestions(demo, "peckham wa")
    assert ("Peckham Walking Group", "service") in suggestions(demo, "walk")
    assert ("Age Well Lambeth", "organization") in suggestions(demo, "age we")
    assert ("Befriending", "category") in suggestions(demo, "befr")
    assert ("lonely", "term") in suggestions(demo, "lonel")


def test_suggestions_tolerate_typos(demo: SearchBackend) -> None:
    assert ("Befriending", "category") in suggestions(demo, "befreind")
    assert ("Hackney Community Choir", "service") in suggestions(demo, "hakney")


def test_suggestions_prefer_services_near_the_place(demo: SearchBackend) -> None:
    services = [t for t, kind in suggestions(demo, "walking", place=CROYDON_CR0)
                if kind == "service"]
    assert services[0] == "Croydon Walking Football"
    services = [t for t, kind in suggestions(demo, "walking", place=PECKHAM_SE15)
                if kind == "service"]
    assert services[0] == "Peckham Walking Group"


# -- keeping the index in step ----------------------------------------------------------


def test_incremental_index_and_remove(indexer: SearchIndexer, demo: SearchBackend) -> None:
    write_listings(indexer.engine, [ListingSpec(
        "new-tai-chi", "Tai Chi in the Park", "Peckham Movers", "Slow movement outdoors.",
        ["Physical activity"], [VenueSpec(51.4740, -0.0692, "E09000028")],
    )])
    assert ids(demo, "tai chi") == []
    assert indexer.index_listings(["new-tai-chi", "knitting-withdrawn"]).indexed == 1
    assert ids(demo, "tai chi") == ["new-tai-chi"]
    assert ("Tai Chi in the Park", "service") in suggestions(demo, "tai c")
    indexer.remove_listings(["new-tai-chi", "never-existed"])
    assert ids(demo, "tai chi") == []


def test_rebuild_swaps_in_a_complete_index(indexer: SearchIndexer, demo: SearchBackend) -> None:
    before = demo.status()
    report = indexer.reindex()
    after = demo.status()
    assert report.documents == after.documents == len(SEARCHABLE)
    assert after.built_at is not None and before.built_at is not None
    assert after.built_at >= before.built_at
    assert set(ids(demo)) == SEARCHABLE
