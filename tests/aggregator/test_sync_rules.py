"""The sync run's nothing-lost rules and merging, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from aggregator.decisions import Decision, decide, review_queue
from aggregator.memory_reader import RecordsReader, service
from aggregator.sync import SourceInfo, SyncPolicy, release_run, sync_source
from directory.federation import FieldProvenance, MatchDecision, SourceRecord
from directory.schema import Phone, Service

A = SourceInfo(id="borough-a", name="Borough A", format="oruk", trust_rank=60)
B = SourceInfo(id="borough-b", name="Borough B", format="csv", trust_rank=40)

WALK = service("1", "Peckham Walking Group", phones=[{"number": "+442079460123"}],
               locations=[{"postcode": "SE15 4ST", "latitude": 51.4735, "longitude": -0.0690}])
LUNCH = service("2", "Friday Lunch Club", email="lunch@example.org")
DEBT = service("3", "Money Worries Drop-in", url="https://debtfree.example.org")


def _published(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(
            select(Service.name).where(Service.withdrawn_at.is_(None))).scalars())


def test_first_sync_creates_listings(engine: Engine) -> None:
    run = sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    assert (run.status, run.new_count, run.fetched_count) == ("succeeded", 3, 3)
    assert _published(engine) == ["Friday Lunch Club", "Money Worries Drop-in",
                                  "Peckham Walking Group"]
    with Session(engine) as session:
        phones = session.exec(select(Phone.number)).scalars().all()
        assert phones == ["+442079460123"]
        provenance = session.exec(select(FieldProvenance.source_id).where(
            FieldProvenance.field == "name")).scalars().all()
        assert set(provenance) == {"borough-a"}


def test_unchanged_second_run_changes_nothing(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    run = sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    assert (run.new_count, run.changed_count, run.unchanged_count) == (0, 0, 3)


def test_failed_fetch_changes_nothing(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    broken = RecordsReader(A.id, [WALK, service("2", "Renamed"), DEBT],
                        fail=TimeoutError("read timed out"))
    run = sync_source(engine, A, broken)
    assert run.status == "failed"
    assert "read timed out" in (run.error or "")
    assert "Friday Lunch Club" in _published(engine)


def test_far_fewer_records_is_held_until_released(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    shrunk = RecordsReader(A.id, [WALK])
    run = sync_source(engine, A, shrunk)
    assert run.status == "held"
    with Session(engine) as session:
        states = session.exec(select(SourceRecord.state)).scalars().all()
    assert set(states) == {"present"}
    released = release_run(engine, run.id, "steward@example.org", A, shrunk)
    assert released.status == "succeeded"
    assert released.missing_count == 2
    assert released.released_by == "steward@example.org"


def test_missing_record_withdrawn_only_after_three_runs(engine: Engine) -> None:
    policy = SyncPolicy(hold_below_ratio=0.0, withdraw_after_missing_runs=3)
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]), policy=policy)
    for expected in (True, True, False):
        sync_source(engine, A, RecordsReader(A.id, [WALK, DEBT]), policy=policy)
        assert ("Friday Lunch Club" in _published(engine)) is expected
    with Session(engine) as session:
        lunch = select(Service).where(Service.name == "Friday Lunch Club")
        tombstone = session.exec(lunch).scalar_one()
    assert tombstone.withdrawn_at is not None
    # It comes back when the source lists it again.
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]), policy=policy)
    assert "Friday Lunch Club" in _published(engine)


def test_rejected_change_keeps_last_good_data(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK, LUNCH, DEBT]))
    run = sync_source(engine, A, RecordsReader(A.id, [WALK, service("2", ""), DEBT]))
    assert (run.status, run.rejected_count) == ("succeeded", 1)
    assert "Friday Lunch Club" in _published(engine)


def test_same_service_in_two_sources_merges_with_trust(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK]))
    variant = service("b-9", "Peckham walking group (Thursdays)",
                      phones=[{"number": "+442079460123"}],
                      description="Gentle walks round Peckham Rye.")
    run = sync_source(engine, B, RecordsReader(B.id, [variant]))
    assert run.new_count == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Service)).scalar_one() == 1
        listing = session.exec(select(Service)).scalar_one()
        assert listing.name == "Peckham Walking Group"  # the more trusted source
        assert listing.description == "Gentle walks round Peckham Rye."  # only B has one
        fields = select(FieldProvenance.field, FieldProvenance.source_id)
        by_field = dict(session.exec(fields).all())
        assert by_field["name"] == "borough-a"
        assert by_field["description"] == "borough-b"
        decision = session.exec(select(MatchDecision)).scalar_one()
        assert decision.decision == "auto_merge"
        assert decision.explanation["phone"] == 1.0


def test_not_duplicate_decision_splits_and_survives_resync(engine: Engine) -> None:
    sync_source(engine, A, RecordsReader(A.id, [WALK]))
    twin = service("b-1", "Peckham Walking Group", phones=[{"number": "+442079460123"}])
    sync_source(engine, B, RecordsReader(B.id, [twin]))
    (item,) = review_queue(engine, include_auto=True)
    assert item.same_listing
    decide(engine, item.decision_id, Decision.NOT_DUPLICATE, "steward")
    assert len(_published(engine)) == 2
    changed = {**twin, "description": "Now on Fridays too"}
    sync_source(engine, B, RecordsReader(B.id, [changed]))
    sync_source(engine, A, RecordsReader(A.id, [WALK]))
    assert len(_published(engine)) == 2
    assert review_queue(engine, include_auto=True) == []


def test_merge_decision_on_possible_duplicate(engine: Engine) -> None:
    lunch = {**LUNCH, "email": "fridaylunch@gmail.com"}  # a free-mail domain proves nothing
    sync_source(engine, A, RecordsReader(A.id, [lunch]))
    maybe = service("b-2", "Community Lunch Club", email="fridaylunch@gmail.com")
    sync_source(engine, B, RecordsReader(B.id, [maybe]))
    (item,) = review_queue(engine)
    assert item.decision == "possible" and not item.same_listing
    decide(engine, item.decision_id, Decision.MERGE, "steward")
    assert _published(engine) == ["Friday Lunch Club"]
    sync_source(engine, B, RecordsReader(B.id, [{**maybe, "description": "Two courses"}]))
    assert _published(engine) == ["Friday Lunch Club"]


def test_listing_children_are_written_and_replaced(engine: Engine) -> None:
    from directory.schema import Location, Schedule

    rich = service(
        "9", "Carers Cafe", phones=[{"number": "+442079460999"}],
        locations=[{"id": "v1", "name": "Oak Hall", "postcode": "SE1 7PB",
                    "latitude": 51.5, "longitude": -0.1,
                    "phones": [{"number": "+442079460111"}]}],
        contacts=[{"name": "Ana", "phones": [{"number": "+447700900123", "type": "cell"}]}],
        schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00",
                    "location_id": "v1"}],
        taxonomy_terms=[{"name": "Carers", "vocabulary": "signpost"}],
    )
    assert sync_source(engine, A, RecordsReader(A.id, [rich])).status == "succeeded"
    with Session(engine) as session:
        assert sorted(session.exec(select(Phone.number)).scalars()) == [
            "+442079460111", "+442079460999", "+447700900123"]
        assert session.exec(select(Schedule.byday)).scalars().all() == ["TU"]
    moved = {**rich, "schedules": [{"freq": "WEEKLY", "byday": "WE", "opens_at": "10:00",
                                    "closes_at": "12:00"}]}
    assert sync_source(engine, A, RecordsReader(A.id, [moved])).status == "succeeded"
    with Session(engine) as session:
        assert session.exec(select(Schedule.byday)).scalars().all() == ["WE"]
        assert len(session.exec(select(Location.id)).scalars().all()) == 1
        assert len(session.exec(select(Phone.id)).scalars().all()) == 3


def test_trusted_source_in_lower_case_takes_the_other_casing(engine: Engine) -> None:
    trusted = SourceInfo(id="trusted", name="Trusted", format="csv", trust_rank=90)
    sync_source(engine, A, RecordsReader(A.id, [WALK]))
    shouty = service("t-1", "PECKHAM WALKING GROUP", phones=[{"number": "+442079460123"}])
    sync_source(engine, trusted, RecordsReader(trusted.id, [shouty]))
    assert _published(engine) == ["Peckham Walking Group"]
