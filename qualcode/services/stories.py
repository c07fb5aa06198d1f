"""Recording stories: stories, elements, tellings and realizations (transmissions added one by
one are in :mod:`.transmissions`, rejected suggestions in :mod:`.story_suggest`).

Every write is one transaction with its audit row, validated first so a refused call changes
nothing. Deletes return a snapshot and ``restore_*`` puts it back (same ids while free, same
GUIDs), so a GUI undo step is one call each way. Names follow the CLI: a story is its id or
title, an element its id or label (within its story), a teller or source a case name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core import spans
from ..errors import InvalidInput, NotFound
from ..store import audit, cases as case_store, codings as coding_store, documents as doc_store
from ..store import stories as store
from ..store.database import Database
from ..store.models import Coding, Realization, Story, StoryElement, Telling, Transmission
from . import coding

ROLES = ("protagonist", "eyewitness", "hearsay")
KINDS = ("core", "detail")
STATUSES = ("present", "absent", "implied", "contradicted")
BASES = ("stated", "inferred")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_KEEP = object()


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    value = (value or "").strip().lower()
    if value not in allowed:
        raise InvalidInput(f"{what} must be one of: {', '.join(allowed)} (got {value!r})")
    return value


def check_text(value: str | None, what: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"{what} cannot be empty")
    return value


def _optional(value: str | None) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _as_id(ref) -> int | None:
    if isinstance(ref, int):
        return ref
    return int(ref) if isinstance(ref, str) and ref.strip().isdigit() else None


# -- lookups ---------------------------------------------------------------------------------------

def story_id(db: Database, ref: int | str) -> int:
    """A story by id or by title."""
    conn = db.conn
    if isinstance(ref, str) and not ref.strip().isdigit():
        found = store.story_id_by_title(conn, ref.strip())
    else:
        found = _as_id(ref)
        found = found if found is not None and store.get_story(conn, found) else None
    if found is None:
        titles = ", ".join(repr(s.title) for s in store.list_stories(conn)) or "none yet"
        raise NotFound(f"no story {ref!r} in the project (stories: {titles})")
    return found


def get_story(db: Database, ref: int | str) -> Story:
    return store.get_story(db.conn, story_id(db, ref))


def list_stories(db: Database) -> list[Story]:
    return store.list_stories(db.conn)


def elements(db: Database, story: int | str) -> list[StoryElement]:
    return store.elements(db.conn, story_id(db, story))


def tellings(db: Database, story: int | str) -> list[Telling]:
    return store.tellings(db.conn, story_id(db, story))


def element_id(db: Database, story: int | str, ref: int | str) -> int:
    """An element of the story by id or by label."""
    sid = story_id(db, story)
    conn = db.conn
    number = _as_id(ref)
    element = store.get_element(conn, number) if number is not None else None
    if element is not None and element.story_id == sid:
        return element.id
    found = store.element_id_by_label(conn, sid, str(ref).strip())
    if found is None:
        raise NotFound(f"story {store.get_story(conn, sid).title!r} has no element {ref!r}")
    return found


def get_telling(db: Database, telling_id: int | str) -> Telling:
    number = _as_id(telling_id)
    t = store.get_telling(db.conn, number) if number is not None else None
    if t is None:
        raise NotFound(f"no telling {telling_id!r} in the project")
    return t


def case_id(conn, name: str | None, what: str) -> int:
    name = check_text(name, what)
    found = case_store.id_by_name(conn, name)
    if found is None:
        raise NotFound(f"no case {name!r} for the {what} (add it with: qualcode cases import)")
    return found


def resolve_document(conn, ref: int | str) -> tuple[int, str, int]:
    """(id, name, length) of a document given by name or id."""
    if isinstance(ref, int):
        for name, (i, chars) in doc_store.names_and_lengths(conn).items():
            if i == ref:
                return i, name, chars
        raise NotFound(f"no document with id {ref}")
    found = doc_store.id_and_length(conn, ref)
    if found is None:
        raise NotFound(f"no document {ref!r} in the project")
    return found[0], ref, found[1]


def _date(value: str | None) -> str | None:
    value = _optional(value)
    if value is not None and not _DATE.match(value):
        raise InvalidInput(f"a date is written YYYY-MM-DD (or YYYY-MM, YYYY), got {value!r}")
    return value


# -- stories ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TellingSnapshot:
    """A deleted telling with what went with it: its realizations, the transmissions into or out
    of it, and the coding made with it."""

    telling: Telling
    realizations: tuple[Realization, ...]
    transmissions: tuple[Transmission, ...]
    coding: Coding | None = None


@dataclass(frozen=True)
class StorySnapshot:
    story: Story
    elements: tuple[StoryElement, ...]
    tellings: tuple[TellingSnapshot, ...]
    rejected: tuple[tuple[int, int, int], ...] = field(default=())


def _free_title(conn, title: str, story: int | None = None) -> str:
    title = check_text(title, "a story title")
    other = store.story_id_by_title(conn, title)
    if other is not None and other != story:
        raise InvalidInput(f"there is already a story titled {title!r}; choose another title")
    return title


def add_story(db: Database, title: str, summary: str | None = None, memo: str | None = None) -> int:
    title = _free_title(db.conn, title)
    with db.transaction() as tx:
        sid = store.insert_story(tx, title, _optional(summary), _optional(memo))
        audit.record(tx, "story.add", story=sid, title=title)
    return sid


def edit_story(db: Database, story: int | str, *, title=_KEEP, summary=_KEEP, memo=_KEEP) -> dict:
    """Returns the old values of the fields changed, so ``edit_story(db, id, **old)`` undoes it."""
    sid = story_id(db, story)
    old = store.get_story(db.conn, sid)
    changes = {}
    if title is not _KEEP:
        changes["title"] = _free_title(db.conn, title, sid)
    for name, value in (("summary", summary), ("memo", memo)):
        if value is not _KEEP:
            changes[name] = _optional(value)
    changes = {k: v for k, v in changes.items() if v != getattr(old, k)}
    if not changes:
        return {}
    with db.transaction() as tx:
        store.update_story(tx, sid, **changes)
        audit.record(tx, "story.edit", story=sid, **changes)
    return {k: getattr(old, k) for k in changes}


def _telling_snapshot(conn, t: Telling) -> TellingSnapshot:
    made = coding_store.get(conn, t.coding_id) if t.coding_id is not None else None
    return TellingSnapshot(t, tuple(store.realizations_of_telling(conn, t.id)),
                           tuple(store.transmissions_touching(conn, t.id)), made)


def delete_story(db: Database, story: int | str) -> StorySnapshot:
    """Delete a story with everything recorded under it (and the codings made with its tellings)."""
    sid = story_id(db, story)
    conn = db.conn
    snap = StorySnapshot(store.get_story(conn, sid), tuple(store.elements(conn, sid)),
                         tuple(_telling_snapshot(conn, t) for t in store.tellings(conn, sid)),
                         tuple(store.rejected_passages(conn, sid)))
    with db.transaction() as tx:
        for t in snap.tellings:
            if t.coding is not None:
                coding_store.delete(tx, t.coding.id)
        store.delete_story(tx, sid)
        audit.record(tx, "story.delete", story=sid, title=snap.story.title, guid=snap.story.guid)
    return snap


def restore_story(db: Database, snap: StorySnapshot) -> int:
    with db.transaction() as tx:
        sid = store.reinsert_story(tx, snap.story)
        for e in snap.elements:
            store.reinsert_element(tx, e)
        for t in snap.tellings:
            _reinsert_telling(tx, t, with_transmissions=False)
        for x in {x.id: x for t in snap.tellings for x in t.transmissions}.values():
            store.reinsert_transmission(tx, x)
        for doc, start, end in snap.rejected:
            store.reject_passage(tx, sid, doc, start, end)
        audit.record(tx, "story.restore", story=sid, guid=snap.story.guid)
    return sid


# -- elements --------------------------------------------------------------------------------------

def _free_label(conn, story: int, label: str, element: int | None = None) -> str:
    label = check_text(label, "an element label")
    other = store.element_id_by_label(conn, story, label)
    if other is not None and other != element:
        raise InvalidInput(f"the story already has an element {label!r}; choose another label")
    return label


def _ordinal(value) -> int:
    if not isinstance(value, int) or value < 1:
        raise InvalidInput(f"an element's ordinal is a whole number from 1, got {value!r}")
    return value


def add_element(db: Database, story: int | str, label: str, kind: str = "core", ordinal: int | None = None) -> int:
    """A new beat of the story, last in the canonical order unless ``ordinal`` says otherwise."""
    sid = story_id(db, story)
    label = _free_label(db.conn, sid, label)
    kind = check_choice(kind, KINDS, "an element's kind")
    with db.transaction() as tx:
        number = store.next_ordinal(tx, sid) if ordinal is None else _ordinal(ordinal)
        eid = store.insert_element(tx, sid, number, label, kind)
        audit.record(tx, "story.element.add", story=sid, element=eid, label=label, kind=kind, ordinal=number)
    return eid


def _get_element(conn, element: int) -> StoryElement:
    e = store.get_element(conn, element) if isinstance(element, int) else None
    if e is None:
        raise NotFound(f"no story element with id {element!r}")
    return e


def edit_element(db: Database, element: int, *, label=_KEEP, kind=_KEEP, ordinal=_KEEP) -> dict:
    """Returns the old values of the fields changed (for undo)."""
    old = _get_element(db.conn, element)
    changes = {}
    if label is not _KEEP:
        changes["label"] = _free_label(db.conn, old.story_id, label, old.id)
    if kind is not _KEEP:
        changes["kind"] = check_choice(kind, KINDS, "an element's kind")
    if ordinal is not _KEEP:
        changes["ordinal"] = _ordinal(ordinal)
    changes = {k: v for k, v in changes.items() if v != getattr(old, k)}
    if not changes:
        return {}
    with db.transaction() as tx:
        store.update_element(tx, old.id, **changes)
        audit.record(tx, "story.element.edit", element=old.id, **changes)
    return {k: getattr(old, k) for k in changes}


def delete_element(db: Database, element: int) -> tuple[StoryElement, tuple[Realization, ...]]:
    """Delete an element and its realizations; returns both for :func:`restore_element`."""
    old = _get_element(db.conn, element)
    realized = tuple(store.realizations_of_element(db.conn, old.id))
    with db.transaction() as tx:
        store.delete_element(tx, old.id)
        audit.record(tx, "story.element.delete", element=old.id, label=old.label, story=old.story_id)
    return old, realized


def restore_element(db: Database, snap: tuple[StoryElement, tuple[Realization, ...]]) -> int:
    element, realized = snap
    with db.transaction() as tx:
        eid = store.reinsert_element(tx, element)
        for r in realized:
            store.put_realization(tx, Realization(r.telling_id, eid, r.status, r.position, r.start, r.end, r.variant))
        audit.record(tx, "story.element.restore", element=eid, label=element.label)
    return eid


# -- tellings --------------------------------------------------------------------------------------

def _source(db: Database, story: int, heard_from: int | str) -> dict:
    """A transmission source: a telling of the same story (by id) or a case (by name)."""
    conn = db.conn
    number = _as_id(heard_from)
    if number is not None:
        t = store.get_telling(conn, number)
        if t is not None:
            if t.story_id != story:
                raise InvalidInput(f"telling {number} tells another story; a source must tell the same story")
            return {"from_telling_id": t.id}
        if case_store.id_by_name(conn, str(heard_from).strip()) is None:
            raise NotFound(f"no telling {number} in the project")
    name = str(heard_from).strip()
    found = case_store.id_by_name(conn, name)
    if found is None:
        raise NotFound(f"no telling or case {name!r} to have heard the story from")
    return {"from_case_id": found}


def tell(db: Database, story: int | str, document: int | str, start: int, end: int, teller: str,
         role: str = "hearsay", heard_from: int | str | None = None, basis: str = "stated",
         told_on: str | None = None, memo: str | None = None, code: str | int | None = None,
         coder: str | None = None) -> int:
    """Record a telling of ``story`` on a span of ``document`` by the case ``teller``.

    ``heard_from`` (a telling id or a case name) also records the transmission. With ``code``
    the passage is coded too (by ``coder``), in the same transaction; the coding belongs to the
    telling and is removed with it.
    """
    conn = db.conn
    sid = story_id(db, story)
    doc_id, doc_name, length = resolve_document(conn, document)
    spans.validate(start, end, length, f"document {doc_name!r}")
    teller_id = case_id(conn, teller, "teller")
    role = check_choice(role, ROLES, "a telling's role")
    basis = check_choice(basis, BASES, "a transmission's basis")
    told_on = _date(told_on)
    source = _source(db, sid, heard_from) if heard_from not in (None, "") else None
    if code is not None and not (coder or "").strip():
        raise InvalidInput("applying a code with a telling needs a coder (--coder NAME)")
    with db.transaction() as tx:
        coding_id = coding.add_coding(db, doc_id, code, start, end, coder) if code is not None else None
        tid = store.insert_telling(tx, sid, doc_id, start, end, teller_id, role, told_on, coding_id, _optional(memo))
        audit.record(tx, "story.tell", story=sid, telling=tid, document=doc_id, start=start, end=end,
                     teller=teller_id, role=role, coding=coding_id)
        if source is not None:
            xid = store.insert_transmission(tx, tid, basis=basis, **source)
            audit.record(tx, "story.transmission.add", transmission=xid, to=tid, basis=basis, **source)
    return tid


def edit_telling(db: Database, telling: int, *, teller=_KEEP, role=_KEEP, told_on=_KEEP, memo=_KEEP,
                 start=_KEEP, end=_KEEP) -> dict:
    """Change a telling's teller (case name), role, date, memo or span; returns the old values in
    the same form, so ``edit_telling(db, id, **old)`` undoes it."""
    conn = db.conn
    old = get_telling(db, telling)
    changes: dict = {}
    undo: dict = {}
    if teller is not _KEEP:
        changes["teller_case_id"] = case_id(conn, teller, "teller")
        undo["teller"] = next((c.name for c in case_store.list_all(conn) if c.id == old.teller_case_id), None)
    if role is not _KEEP:
        changes["role"] = check_choice(role, ROLES, "a telling's role")
    if told_on is not _KEEP:
        changes["told_on"] = _date(told_on)
    if memo is not _KEEP:
        changes["memo"] = _optional(memo)
    if start is not _KEEP or end is not _KEEP:
        new_start = old.start if start is _KEEP else start
        new_end = old.end if end is _KEEP else end
        _, doc_name, length = resolve_document(conn, old.document_id)
        spans.validate(new_start, new_end, length, f"document {doc_name!r}")
        outside = [r for r in store.realizations_of_telling(conn, old.id)
                   if r.start is not None and not (new_start <= r.start and r.end <= new_end)]
        if outside:
            raise InvalidInput(f"the new span [{new_start}, {new_end}) would leave {len(outside)} realization "
                               "span(s) outside the telling; move or clear them first")
        changes.update(start=new_start, end=new_end)
    changes = {k: v for k, v in changes.items() if v != getattr(old, k)}
    if not changes:
        return {}
    with db.transaction() as tx:
        store.update_telling(tx, old.id, **changes)
        if old.coding_id is not None and ("start" in changes or "end" in changes):
            coding_store.update_span(tx, old.coding_id, changes.get("start", old.start), changes.get("end", old.end))
        audit.record(tx, "story.telling.edit", telling=old.id, **changes)
    out = {k: getattr(old, k) for k in changes if k != "teller_case_id"}
    if "teller_case_id" in changes:
        out["teller"] = undo["teller"]
    return out


def delete_telling(db: Database, telling: int) -> TellingSnapshot:
    """Delete a telling, its realizations, its transmissions and the coding made with it."""
    old = get_telling(db, telling)
    snap = _telling_snapshot(db.conn, old)
    with db.transaction() as tx:
        store.delete_telling(tx, old.id)
        if snap.coding is not None:
            coding_store.delete(tx, snap.coding.id)
        audit.record(tx, "story.telling.delete", telling=old.id, story=old.story_id, guid=old.guid)
    return snap


def _reinsert_telling(tx, snap: TellingSnapshot, with_transmissions: bool = True) -> int:
    coding_id = coding_store.reinsert(tx, snap.coding) if snap.coding is not None else None
    t = snap.telling
    tid = store.reinsert_telling(tx, Telling(t.id, t.guid, t.story_id, t.document_id, t.start, t.end,
                                             t.teller_case_id, t.role, t.told_on, t.completeness, t.memo,
                                             coding_id))
    for r in snap.realizations:
        store.put_realization(tx, Realization(tid, r.element_id, r.status, r.position, r.start, r.end, r.variant))
    if with_transmissions:
        for x in snap.transmissions:
            store.reinsert_transmission(tx, x)
    return tid


def restore_telling(db: Database, snap: TellingSnapshot) -> int:
    with db.transaction() as tx:
        tid = _reinsert_telling(tx, snap)
        audit.record(tx, "story.telling.restore", telling=tid, guid=snap.telling.guid)
    return tid


# -- realizations ----------------------------------------------------------------------------------

def realize(db: Database, telling: int, element: int | str, status: str, position: int | None = None,
            start: int | None = None, end: int | None = None, variant: str | None = None) -> Realization | None:
    """Record how a telling renders an element (replacing what was recorded). Returns the previous
    realization (None if there was none) for :func:`restore_realization`."""
    t = get_telling(db, telling)
    eid = element_id(db, t.story_id, element)
    status = check_choice(status, STATUSES, "a realization's status")
    if (start is None) != (end is None):
        raise InvalidInput("give both start and end of the realization's span, or neither")
    if status == "absent" and (position is not None or start is not None):
        raise InvalidInput("an absent element has no position or span in the telling (a variant note may say why)")
    if position is not None and (not isinstance(position, int) or position < 1):
        raise InvalidInput(f"a position is the place in the telling, counted from 1; got {position!r}")
    if start is not None:
        spans.validate(start, end, 1 << 62, "the document")
        if not (t.start <= start and end <= t.end):
            raise InvalidInput(f"the realization's span [{start}, {end}) must lie inside the telling's span "
                               f"[{t.start}, {t.end})")
    new = Realization(t.id, eid, status, position, start, end, _optional(variant))
    previous = store.get_realization(db.conn, t.id, eid)
    with db.transaction() as tx:
        store.put_realization(tx, new)
        audit.record(tx, "story.realize", telling=t.id, element=eid, status=status, position=position,
                     start=start, end=end, variant=new.variant)
    return previous


def restore_realization(db: Database, telling: int, element: int, previous: Realization | None) -> None:
    """Put back the realization as it was before :func:`realize` (None: there was none)."""
    t = get_telling(db, telling)
    with db.transaction() as tx:
        if previous is None:
            store.delete_realization(tx, t.id, element)
        else:
            store.put_realization(tx, previous)
        audit.record(tx, "story.realize.restore", telling=t.id, element=element,
                     status=None if previous is None else previous.status)


def realizations(db: Database, story: int | str) -> list[Realization]:
    return store.realizations(db.conn, story_id(db, story))
