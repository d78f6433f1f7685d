"""Write merged listings into the ORUK tables, in batches.

A listing's child rows (venues, phones, hours, ...) are replaced whole each time it is
merged again: they are derived from the source records, which are kept, so nothing is lost.
The service row itself is updated in place, so its id (ours) never changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, insert, select, update
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
        self.by_table: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)

    def add(self, table: type[SQLModel], **values: Any) -> str:
        values.setdefault("id", new_id())
        self.by_table[table].append(values)
        return str(values["id"])

    def add_phones(self, phones: list[rec.Phone], **owner: str) -> None:
        for phone in phones:
            self.add(db.Phone, number=phone.number, extension=phone.extension,
                     type=phone.type.value, description=phone.description, **owner)


class ListingStore:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._organizations: dict[str, str] = {}
        self._taxonomy: dict[tuple[str, str], str] = {}

    def _delete_children(self, service_ids: list[str]) -> None:
        s = self.session
        location_ids = list(s.exec(select(db.ServiceAtLocation.location_id).where(
            db.ServiceAtLocation.service_id.in_(service_ids))).scalars())
        contact_ids = list(s.exec(select(db.Contact.id).where(
            db.Contact.service_id.in_(service_ids))).scalars())
        s.exec(delete(db.Phone).where(db.Phone.contact_id.in_(contact_ids)))
        s.exec(delete(db.Phone).where(db.Phone.location_id.in_(location_ids)))
        for table in _CHILD_TABLES_BY_SERVICE:
            s.exec(delete(table).where(table.service_id.in_(service_ids)))
        s.exec(delete(db.Contact).where(db.Contact.id.in_(contact_ids)))
        s.exec(delete(db.LinkTaxonomy).where(db.LinkTaxonomy.link_type == "service",
                                             db.LinkTaxonomy.link_id.in_(service_ids)))
        s.exec(delete(db.ServiceAtLocation).where(
            db.ServiceAtLocation.service_id.in_(service_ids)))
        s.exec(delete(db.Accessibility).where(db.Accessibility.location_id.in_(location_ids)))
        s.exec(delete(db.PhysicalAddress).where(
            db.PhysicalAddress.location_id.in_(location_ids)))
        s.exec(delete(db.Location).where(db.Location.id.in_(location_ids)))

    def _organization_id(self, org: rec.Organization | None) -> str | None:
        if org is None:
            return None
        key = org.charity_number or org.name.lower()
        if key in self._organizations:
            return self._organizations[key]
        query = select(db.Organization.id)
        query = query.where(db.Organization.charity_number == org.charity_number) \
            if org.charity_number else query.where(db.Organization.name == org.name)
        found = self.session.exec(query.limit(1)).scalars().first()
        values = {"name": org.name, "description": org.description, "url": org.url,
                  "email": org.email, "logo": org.logo, "charity_number": org.charity_number,
                  "company_number": org.company_number}
        if found is None:
            found = new_id()
            self.session.exec(insert(db.Organization).values(id=found, **values))
        self._organizations[key] = found
        return found

    def _taxonomy_id(self, term: rec.TaxonomyTerm) -> str:
        key = (term.vocabulary, term.code or term.name.lower())
        if key not in self._taxonomy:
            query = select(db.Taxonomy.id).where(db.Taxonomy.vocabulary == term.vocabulary)
            query = query.where(db.Taxonomy.code == term.code) if term.code \
                else query.where(db.Taxonomy.name == term.name)
            found = self.session.exec(query.limit(1)).scalars().first()
            if found is None:
                found = new_id()
                self.session.exec(insert(db.Taxonomy).values(
                    id=found, name=term.name, vocabulary=term.vocabulary, code=term.code))
            self._taxonomy[key] = found
        return self._taxonomy[key]

    def write(self, listings: dict[str, Merged], now: datetime) -> None:
        """Replace the content of each listing ``service_id -> merged``; ids must exist."""
        if not listings:
            return
        ids = list(listings)
        self._delete_children(ids)
        self.session.exec(delete(FieldProvenance).where(FieldProvenance.service_id.in_(ids)))
        rows = _Rows()
        for service_id, merged in listings.items():
            self._update_service(service_id, merged, now)
            self._add_children(rows, service_id, merged.record)
            for field, contribution in merged.provenance.items():
                rows.add(FieldProvenance, service_id=service_id, field=field,
                         source_id=contribution.source_id,
                         source_record_id=contribution.source_record_id,
                         fetched_at=contribution.fetched_at,
                         source_updated_at=contribution.record.source_updated_at,
                         last_reviewed_at=_reviewed_at(contribution.record.assured_date))
        for table, values in rows.by_table.items():
            self.session.exec(insert(table), params=values)

    def create(self, count: int) -> list[str]:
        """Reserve ``count`` new listings; their content is written by ``write``."""
        ids = [new_id() for _ in range(count)]
        if ids:
            self.session.exec(insert(db.Service), params=[{"id": i, "name": ""} for i in ids])
        return ids

    def withdraw(self, service_ids: list[str], now: datetime) -> None:
        """Tombstone: the listing and its history stay, but it is no longer published."""
        if service_ids:
            self.session.exec(update(db.Service).where(db.Service.id.in_(service_ids)).values(
                withdrawn_at=now, moderation_state="withdrawn", updated_at=now))

    def _update_service(self, service_id: str, merged: Merged, now: datetime) -> None:
        r = merged.record
        modes = ",".join(sorted(m.value for m in r.delivery_modes)) or None
        self.session.exec(update(db.Service).where(db.Service.id == service_id).values(
            organization_id=self._organization_id(r.organization), name=r.name,
            alternate_name=r.alternate_name, description=r.description, url=r.url,
            email=r.email, status=r.status.value, fees_description=r.fees_description,
            application_process=r.application_process, accreditations=r.accreditations,
            assured_date=r.assured_date, delivery_modes=modes, is_free=r.is_free,
            source_updated_at=merged.source_updated_at,
            last_reviewed_at=_reviewed_at(merged.last_reviewed_on),
            withdrawn_at=None, moderation_state="published", updated_at=now,
        ))

    def _add_children(self, rows: _Rows, service_id: str, r: rec.ServiceRecord) -> None:
        org_id = self._organization_id(r.organization)
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


def _reviewed_at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
