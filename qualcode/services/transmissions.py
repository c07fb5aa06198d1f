"""Transmissions: whom a teller heard a story from.

A source is another telling of the same story, a case with no recorded telling, or a free-text
description ("everybody in linking"); the basis is ``stated`` (the teller says so) or
``inferred`` (the researcher's judgement). ``stories.tell`` records one with the telling when
the source is known at once; these calls add, remove and restore them one by one.
"""

from __future__ import annotations

from ..core import spans
from ..errors import InvalidInput, NotFound
from ..store import audit, stories as store
from ..store.database import Database
from ..store.models import Transmission
from .stories import BASES, case_id, check_choice, check_text, get_telling, resolve_document, story_id


def add_transmission(db: Database, to_telling: int, *, from_telling: int | None = None, from_case: str | None = None,
                     from_text: str | None = None, basis: str = "stated",
                     evidence: tuple[int | str, int, int] | None = None) -> int:
    """Who ``to_telling``'s teller heard the story from: another telling of the same story, a case,
    or a free-text description (exactly one). ``evidence`` is (document, start, end)."""
    conn = db.conn
    target = get_telling(db, to_telling)
    given = [x is not None and x != "" for x in (from_telling, from_case, from_text)]
    if sum(given) != 1:
        raise InvalidInput("a transmission needs exactly one source: a telling, a case or a free-text description")
    source: dict = {}
    if from_telling is not None:
        src = get_telling(db, from_telling)
        if src.story_id != target.story_id:
            raise InvalidInput(f"telling {src.id} tells another story; a source must tell the same story")
        if src.id == target.id:
            raise InvalidInput("a telling cannot be its own source")
        source["from_telling_id"] = src.id
    elif from_case is not None:
        source["from_case_id"] = case_id(conn, from_case, "source")
    else:
        source["from_text"] = check_text(from_text, "a source description")
    basis = check_choice(basis, BASES, "a transmission's basis")
    for x in store.transmissions_touching(conn, target.id):
        if x.to_telling_id == target.id and all(getattr(x, k) == v for k, v in source.items()):
            raise InvalidInput(f"telling {target.id} already has this source (transmission {x.id})")
    ev: dict = {}
    if evidence is not None:
        doc, start, end = evidence
        doc_id, doc_name, length = resolve_document(conn, doc)
        spans.validate(start, end, length, f"document {doc_name!r}")
        ev = {"evidence_document_id": doc_id, "evidence_start": start, "evidence_end": end}
    with db.transaction() as tx:
        xid = store.insert_transmission(tx, target.id, basis=basis, **source, **ev)
        audit.record(tx, "story.transmission.add", transmission=xid, to=target.id, basis=basis, **source, **ev)
    return xid


def delete_transmission(db: Database, transmission: int) -> Transmission:
    old = store.get_transmission(db.conn, transmission)
    if old is None:
        raise NotFound(f"no transmission with id {transmission!r}")
    with db.transaction() as tx:
        store.delete_transmission(tx, old.id)
        audit.record(tx, "story.transmission.delete", transmission=old.id, to=old.to_telling_id)
    return old


def restore_transmission(db: Database, old: Transmission) -> int:
    with db.transaction() as tx:
        xid = store.reinsert_transmission(tx, old)
        audit.record(tx, "story.transmission.restore", transmission=xid, to=old.to_telling_id)
    return xid


def transmissions(db: Database, story: int | str) -> list[Transmission]:
    return store.transmissions(db.conn, story_id(db, story))
