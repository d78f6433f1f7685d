"""Judged link-worker queries over the demo directory (graded 3 = exactly right,
2 = good, 1 = acceptable; unlisted = not relevant). Written for Signpost."""

from __future__ import annotations

from pydantic import BaseModel

from search.geo import Place
from tests.search.demo import CROYDON_CR0, PECKHAM_SE15


class Judged(BaseModel):
    q: str
    place: Place | None = None
    grades: dict[str, int]


BEFRIENDING = {"brixton-befriend": 3, "southwark-phone-friends": 3, "london-friends": 2,
               "national-friends": 2}
WALKING = {"peckham-walk": 3, "nunhead-walk-fresh": 3, "nunhead-walk-stale": 2,
           "croydon-walk": 2}

JUDGED: list[Judged] = [
    Judged(q="lonely older man", place=PECKHAM_SE15,
           grades={**BEFRIENDING, "mens-shed": 3, "lunch-club": 2}),
    Judged(q="befriending", grades=BEFRIENDING),
    Judged(q="someone to talk to on the phone", grades={**BEFRIENDING, "brixton-befriend": 2}),
    Judged(q="isolated", grades={**BEFRIENDING, "lunch-club": 2, "mens-shed": 1}),
    Judged(q="walking", grades=WALKING),
    Judged(q="walks near peckham", place=PECKHAM_SE15,
           grades={"peckham-walk": 3, "nunhead-walk-fresh": 3, "nunhead-walk-stale": 2}),
    Judged(q="get active", grades={**WALKING, "croydon-walk": 3}),
    Judged(q="keep fit over 50s", grades={"croydon-walk": 3, "peckham-walk": 2}),
    Judged(q="money worries", grades={"debt-advice": 3, "polish-advice": 1}),
    Judged(q="debt help", grades={"debt-advice": 3, "polish-advice": 1}),
    Judged(q="benefits advice", grades={"polish-advice": 3, "debt-advice": 2}),
    Judged(q="carers", grades={"carers-hub": 3}),
    Judged(q="looking after my mum", grades={"carers-hub": 3}),
    Judged(q="respite", grades={"carers-hub": 3}),
    Judged(q="hot meal", grades={"lunch-club": 3, "night-shelter": 1}),
    Judged(q="lunch club", grades={"lunch-club": 3}),
    Judged(q="homeless", grades={"night-shelter": 3, "polish-advice": 1}),
    Judged(q="sleeping rough", grades={"night-shelter": 3}),
    Judged(q="grief", grades={"bereavement-a": 3, "bereavement-b": 3}),
    Judged(q="lost my wife", place=CROYDON_CR0,
           grades={"bereavement-b": 3, "bereavement-a": 2}),
    Judged(q="singing", grades={"hackney-choir": 3}),
    Judged(q="choir", grades={"hackney-choir": 3}),
    Judged(q="woodwork", grades={"mens-shed": 3}),
    Judged(q="teenager", grades={"youth-club": 3}),
    Judged(q="polish speaking advice", grades={"polish-advice": 3}),
    Judged(q="art", grades={"online-art": 3}),
    Judged(q="lift to hospital", grades={"car-scheme": 3}),
    Judged(q="transport", grades={"car-scheme": 3}),
    Judged(q="befriendng", grades=BEFRIENDING),
    Judged(q="bereavment", grades={"bereavement-a": 3, "bereavement-b": 3}),
]
