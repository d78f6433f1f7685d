"""Write merged listings into the ORUK tables, in batches.

A listing's child rows (venues, phones, hours, ...) are replaced whole each time it is
merged again: they are derived from the source records, which are kept, so nothing is lost.
The service row itself is updated in place, so its id (ours) never changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, SQLModel

from aggregator.survivorship import Merged
from connectors import records as rec
from directory import schema as db
from directory.base import new_id
from directory.federation import FieldProvenance

_CHILD_TABLES_BY_SERVICE = (
    db.Phone, db.Schedule, db.HolidaySchedule, db.Eligibility, db.CostOption, db.Language,
    db.ServiceArea,
)


def _hhmm(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


class _Rows:
    """Rows to insert, grouped by table so each table gets one bulk insert."""

    def __init__(self) -> None:
        self.by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, table: type[SQLModel], **values: Any) -> str:
        values.setdefault("id", new_id())
        self.by_table[_table(table).name].append(values)
        return str(values["id"])

    def add_phones(self, phones: list[rec.Phone], **owner: str) -> None:
        for phone in phones:
            self.add(db.Phone, number=phone.number, extension=phone.extension,
                     type=phone.type.value, description=phone.description, **owner)


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


class ListingStore:
    """Writes with Core statements on the session's connection: the ORM's per-statement
    bookkeeping costs more than the writes themselves at directory scale."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._organizations: dict[str, str] = {}
        self._taxonomy: dict[tuple[str, str], str] = {}

    def _run(self, statement: Executable, params: list[dict[str, Any]] | None = None) -> Any:
        connection = self.session.connection()
        return connection.execute(statement, params) if params else connection.execute(statement)

    def _delete_children(self, service_ids: list[str]) -> None:
        sal, contact, phone = _table(db.ServiceAtLocation), _table(db.Contact), _table(db.Phone)
        location_ids = list(self._run(select(sal.c.location_id).where(
            sal.c.service_id.in_(service_ids))).scalars())
        contact_ids = list(self._run(select(contact.c.id).where(
            contact.c.service_id.in_(service_ids))).scalars())
        self._run(delete(phone).where(phone.c.contact_id.in_(contact_ids)))
        self._run(delete(phone).where(phone.c.location_id.in_(location_ids)))
        for model in _CHILD_TABLES_BY_SERVICE:
            table = _table(model)
            self._run(delete(table).where(table.c.service_id.in_(service_ids)))
        self._run(delete(contact).where(contact.c.id.in_(contact_ids)))
        links = _table(db.LinkTaxonomy)
        self._run(delete(links).where(links.c.link_type == "service",
                                      links.c.link_id.in_(service_ids)))
        self._run(delete(sal).where(sal.c.service_id.in_(service_ids)))
        for model in (db.Accessibility, db.PhysicalAddress):
            table = _table(model)
            self._run(delete(table).where(table.c.location_id.in_(location_ids)))
        location = _table(db.Location)
        self._run(delete(location).where(location.c.id.in_(location_ids)))

    def _organization_id(self, org: rec.Organization | None) -> str | None:
        if org is None:
            return None
        key = org.charity_number or org.name.lower()
        if key in self._organizations:
            return self._organizations[key]
        table = _table(db.Organization)
        query = select(table.c.id)
        query = query.where(table.c.charity_number == org.charity_number) \
            if org.charity_number else query.where(table.c.name == org.name)
        found = self._run(query.limit(1)).scalars().first()
        if found is None:
            found = new_id()
            self._run(insert(table).values(
                id=found, name=org.name, description=org.description, url=org.url,
                email=org.email, logo=org.logo, charity_number=org.charity_number,
                company_number=org.company_number))
        self._organizations[key] = found
        return found

    def _taxonomy_id(self, term: rec.TaxonomyTerm) -> str:
        key = (term.vocabulary, term.code or term.name.lower())
        if key not in self._taxonomy:
            table = _table(db.Taxonomy)
            query = select(table.c.id).where(table.c.vocabulary == term.vocabulary)
            query = query.where(table.c.code == term.code) if term.code \
                else query.where(table.c.name == term.name)
            found = self._run(query.limit(1)).scalars().first()
            if found is None:
                found = new_id()
                self._run(insert(table).values(
                    id=found, name=term.name, vocabulary=term.vocabulary, code=term.code))
            self._taxonomy[key] = found
        return self._taxonomy[key]

    def write(self, listings: dict[str, Merged], now: datetime) -> None:
        """Replace the content of each listing ``service_id -> merged``; ids must exist."""
        if not listings:
            return
        ids = list(listings)
        self._delete_children(ids)
        provenance = _table(FieldProvenance)
        self._run(delete(provenance).where(provenance.c.service_id.in_(ids)))
        rows = _Rows()
        service_rows = []
        for service_id, merged in listings.items():
            org_id = self._organization_id(merged.record.organization)
            service_rows.append(self._service_values(service_id, org_id, merged, now))
            self._add_children(rows, service_id, org_id, merged.record)
            for field, contribution in merged.provenance.items():
                rows.add(FieldProvenance, service_id=service_id, field=field,
                         source_id=contribution.source_id,
                         source_record_id=contribution.source_record_id,
                         fetched_at=contribution.fetched_at,
                         source_updated_at=contribution.record.source_updated_at,
                         last_reviewed_at=_reviewed_at(contribution.record.assured_date))
        service = _table(db.Service)
        self._run(update(service).where(service.c.id == bindparam("service_id"))
                  .values({k: bindparam(k) for k in service_rows[0] if k != "service_id"}),
                  service_rows)
        for table in SQLModel.metadata.sorted_tables:  # parents before children
            values = rows.by_table.get(table.name)
            if values:
                self._run(insert(table), _same_keys(values))

    def create(self, count: int) -> list[str]:
        """Reserve ``count`` new listings; their content is written by ``write``."""
        ids = [new_id() for _ in range(count)]
        if ids:
            self._run(insert(_table(db.Service)), [
                {"id": i, "name": "", "status": "active", "moderation_state": "published"}
                for i in ids])
        return ids

    def withdraw(self, service_ids: list[str], now: datetime) -> None:
        """Tombstone: the listing and its history stay, but it is no longer published."""
        if service_ids:
            service = _table(db.Service)
            self._run(update(service).where(service.c.id.in_(service_ids)).values(
                withdrawn_at=now, moderation_state="withdrawn", updated_at=now))

    def _service_values(
        self, service_id: str, org_id: str | None, merged: Merged, now: datetime
    ) -> dict[str, Any]:
        r = merged.record
        modes = ",".join(sorted(m.value for m in r.delivery_modes)) or None
        return dict(
            service_id=service_id,
            organization_id=org_id, name=r.name,
            alternate_name=r.alternate_name, description=r.description, url=r.url,
            email=r.email, status=r.status.value, fees_description=r.fees_description,
            application_process=r.application_process, accreditations=r.accreditations,
            assured_date=r.assured_date, delivery_modes=modes, is_free=r.is_free,
            source_updated_at=merged.source_updated_at,
            last_reviewed_at=_reviewed_at(merged.last_reviewed_on),
            withdrawn_at=None, moderation_state="published", updated_at=now,
        )

    def _add_children(
        self, rows: _Rows, service_id: str, org_id: str | None, r: rec.ServiceRecord
    ) -> None:
        rows.add_phones(r.phones, service_id=service_id)
        location_ids: dict[str | None, str] = {}
        for loc in r.locations:
            location_id = rows.add(
                db.Location, organization_id=org_id, location_type=loc.location_type.value,
                name=loc.name, description=loc.description, latitude=loc.latitude,
                longitude=loc.longitude, lad_code=loc.lad_code, url=loc.url,
                external_identifier=loc.id,
            )
            location_ids[loc.id] = location_id
            rows.add(db.ServiceAtLocation, service_id=service_id, location_id=location_id)
            if loc.address_1 or loc.postcode:
                rows.add(db.PhysicalAddress, location_id=location_id,
                         address_1=loc.address_1 or "", address_2=loc.address_2, city=loc.city,
                         state_province=loc.state_province, postal_code=loc.postcode,
                         country=loc.country)
            for item in loc.accessibility:
                rows.add(db.Accessibility, location_id=location_id,
                         accessibility=item.description, details=item.details)
            rows.add_phones(loc.phones, location_id=location_id)
        for contact in r.contacts:
            contact_id = rows.add(db.Contact, service_id=service_id, name=contact.name,
                                  title=contact.title, department=contact.department,
                                  email=contact.email)
            rows.add_phones(contact.phones, contact_id=contact_id)
        for s in r.schedules:
            location_id = location_ids.get(s.location_id)
            if s.kind == rec.ScheduleKind.HOLIDAY and s.valid_from:
                rows.add(db.HolidaySchedule, service_id=service_id, location_id=location_id,
                         closed=s.closed, opens_at=_hhmm(s.opens_at),
                         closes_at=_hhmm(s.closes_at), start_date=s.valid_from,
                         end_date=s.valid_to or s.valid_from)
            elif s.kind == rec.ScheduleKind.REGULAR:
                rows.add(db.Schedule, service_id=service_id, location_id=location_id,
                         freq=s.freq, interval=s.interval, byday=s.byday,
                         bymonthday=s.bymonthday, opens_at=_hhmm(s.opens_at),
                         closes_at=_hhmm(s.closes_at), valid_from=s.valid_from,
                         valid_to=s.valid_to, description=s.description)
        if r.eligibility:
            e = r.eligibility
            rows.add(db.Eligibility, service_id=service_id, minimum_age=e.minimum_age,
                     maximum_age=e.maximum_age, description=e.description)
        for c in r.cost_options:
            amount = 0 if c.free and c.amount is None else c.amount
            rows.add(db.CostOption, service_id=service_id, option=c.option, currency=c.currency,
                     amount=amount, amount_description=c.amount_description,
                     valid_from=c.valid_from, valid_to=c.valid_to)
        for lang in r.languages:
            rows.add(db.Language, service_id=service_id, name=lang.name, code=lang.code,
                     note=lang.note)
        for area in r.service_areas:
            rows.add(db.ServiceArea, service_id=service_id, service_area=area.name,
                     extent_type=area.extent_type.value, code=area.code, uri=area.uri)
        for term in r.taxonomy_terms:
            rows.add(db.LinkTaxonomy, link_type="service", link_id=service_id,
                     taxonomy_id=self._taxonomy_id(term))


def _same_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One executemany needs every row to name the same columns (a phone belongs to a
    service, a venue or a contact: the others are NULL)."""
    keys = set().union(*rows)
    return [{key: row.get(key) for key in keys} for row in rows]


def _reviewed_at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
