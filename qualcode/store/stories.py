"""Stories, their elements, tellings, transmissions and realizations (STORY_LINEAGE.md).

Plain reads and writes; validation (spans, stories matching, names) is the service's job.
The ``reinsert_*`` functions put a deleted row back as it was (same id while it is free, same
GUID) so that undo restores exactly what was removed.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from .models import Realization, Story, StoryElement, Telling, Transmission

_STORY = "id, guid, title, summary, memo"
_ELEMENT = "id, story_id, ordinal, label, kind"
_TELLING = ('id, guid, story_id, document_id, start, "end", teller_case_id, role, told_on, completeness, memo, '
            "coding_id")
_TRANSMISSION = ("id, to_telling_id, from_telling_id, from_case_id, from_text, basis, evidence_document_id, "
                 "evidence_start, evidence_end")
_REALIZATION = 'telling_id, element_id, status, position, start, "end", variant'

STORY_FIELDS = ("title", "summary", "memo")
ELEMENT_FIELDS = ("ordinal", "label", "kind")
TELLING_FIELDS = ("document_id", "start", "end", "teller_case_id", "role", "told_on", "completeness", "memo",
                  "coding_id")


def _quoted(names: Iterable[str]) -> list[str]:
    return [f'"{n}"' if n == "end" else n for n in names]


def _insert(conn: sqlite3.Connection, table: str, cols: dict) -> int:
    sql = f"INSERT INTO {table}({', '.join(_quoted(cols))}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid


def _update(conn: sqlite3.Connection, table: str, row_id: int, allowed: Iterable[str], fields: dict) -> None:
    bad = set(fields) - set(allowed)
    if bad:
        raise ValueError(f"not a {table} field: {sorted(bad)}")
    if fields:
        sets = ", ".join(f"{c} = ?" for c in _quoted(fields))
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row_id))


def _free(conn: sqlite3.Connection, table: str, row_id: int) -> bool:
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None


# -- stories ---------------------------------------------------------------------------------------

def list_stories(conn: sqlite3.Connection) -> list[Story]:
    return [Story(*r) for r in conn.execute(f"SELECT {_STORY} FROM story ORDER BY id")]


def get_story(conn: sqlite3.Connection, story_id: int) -> Story | None:
    row = conn.execute(f"SELECT {_STORY} FROM story WHERE id = ?", (story_id,)).fetchone()
    return Story(*row) if row else None


def story_id_by_title(conn: sqlite3.Connection, title: str) -> int | None:
    row = conn.execute("SELECT id FROM story WHERE title = ?", (title,)).fetchone()
    return row[0] if row else None


def insert_story(conn: sqlite3.Connection, title: str, summary: str | None = None, memo: str | None = None) -> int:
    return _insert(conn, "story", {"title": title, "summary": summary, "memo": memo})


def update_story(conn: sqlite3.Connection, story_id: int, **fields) -> None:
    _update(conn, "story", story_id, STORY_FIELDS, fields)


def delete_story(conn: sqlite3.Connection, story_id: int) -> None:
    """Cascades to elements, tellings, realizations, transmissions and rejected passages."""
    conn.execute("DELETE FROM story WHERE id = ?", (story_id,))


def reinsert_story(conn: sqlite3.Connection, s: Story) -> int:
    cols = {"guid": s.guid, "title": s.title, "summary": s.summary, "memo": s.memo}
    return _insert(conn, "story", {"id": s.id, **cols} if _free(conn, "story", s.id) else cols)


# -- elements --------------------------------------------------------------------------------------

def elements(conn: sqlite3.Connection, story_id: int) -> list[StoryElement]:
    """In canonical order (ordinal, then creation)."""
    return [StoryElement(*r) for r in conn.execute(
        f"SELECT {_ELEMENT} FROM story_element WHERE story_id = ? ORDER BY ordinal, id", (story_id,))]


def get_element(conn: sqlite3.Connection, element_id: int) -> StoryElement | None:
    row = conn.execute(f"SELECT {_ELEMENT} FROM story_element WHERE id = ?", (element_id,)).fetchone()
    return StoryElement(*row) if row else None


def element_id_by_label(conn: sqlite3.Connection, story_id: int, label: str) -> int | None:
    row = conn.execute("SELECT id FROM story_element WHERE story_id = ? AND label = ?", (story_id, label)).fetchone()
    return row[0] if row else None


def next_ordinal(conn: sqlite3.Connection, story_id: int) -> int:
    return conn.execute("SELECT ifnull(max(ordinal), 0) + 1 FROM story_element WHERE story_id = ?",
                        (story_id,)).fetchone()[0]


def insert_element(conn: sqlite3.Connection, story_id: int, ordinal: int, label: str, kind: str) -> int:
    return _insert(conn, "story_element", {"story_id": story_id, "ordinal": ordinal, "label": label, "kind": kind})


def update_element(conn: sqlite3.Connection, element_id: int, **fields) -> None:
    _update(conn, "story_element", element_id, ELEMENT_FIELDS, fields)


def delete_element(conn: sqlite3.Connection, element_id: int) -> None:
    conn.execute("DELETE FROM story_element WHERE id = ?", (element_id,))


def reinsert_element(conn: sqlite3.Connection, e: StoryElement) -> int:
    cols = {"story_id": e.story_id, "ordinal": e.ordinal, "label": e.label, "kind": e.kind}
    return _insert(conn, "story_element", {"id": e.id, **cols} if _free(conn, "story_element", e.id) else cols)


# -- tellings --------------------------------------------------------------------------------------

def tellings(conn: sqlite3.Connection, story_id: int) -> list[Telling]:
    return [Telling(*r) for r in conn.execute(
        f"SELECT {_TELLING} FROM telling WHERE story_id = ? ORDER BY id", (story_id,))]


def tellings_in_document(conn: sqlite3.Connection, document_id: int) -> list[Telling]:
    return [Telling(*r) for r in conn.execute(
        f"SELECT {_TELLING} FROM telling WHERE document_id = ? ORDER BY start, id", (document_id,))]


def get_telling(conn: sqlite3.Connection, telling_id: int) -> Telling | None:
    row = conn.execute(f"SELECT {_TELLING} FROM telling WHERE id = ?", (telling_id,)).fetchone()
    return Telling(*row) if row else None


def telling_names(conn: sqlite3.Connection, story_id: int) -> dict[int, tuple[str, str | None]]:
    """telling id -> (document name, teller case name or None) for one story."""
    rows = conn.execute(
        "SELECT t.id, d.name, c.name FROM telling t JOIN document d ON d.id = t.document_id "
        "LEFT JOIN case_ c ON c.id = t.teller_case_id WHERE t.story_id = ?", (story_id,))
    return {tid: (doc, teller) for tid, doc, teller in rows}


def insert_telling(conn: sqlite3.Connection, story_id: int, document_id: int, start: int, end: int,
                   teller_case_id: int | None, role: str, told_on: str | None = None,
                   coding_id: int | None = None, memo: str | None = None) -> int:
    return _insert(conn, "telling", {"story_id": story_id, "document_id": document_id, "start": start, "end": end,
                                     "teller_case_id": teller_case_id, "role": role, "told_on": told_on,
                                     "coding_id": coding_id, "memo": memo})


def update_telling(conn: sqlite3.Connection, telling_id: int, **fields) -> None:
    _update(conn, "telling", telling_id, TELLING_FIELDS, fields)


def delete_telling(conn: sqlite3.Connection, telling_id: int) -> None:
    """Cascades to its realizations and to transmissions into or out of it."""
    conn.execute("DELETE FROM telling WHERE id = ?", (telling_id,))


def reinsert_telling(conn: sqlite3.Connection, t: Telling) -> int:
    cols = {"guid": t.guid, "story_id": t.story_id, "document_id": t.document_id, "start": t.start, "end": t.end,
            "teller_case_id": t.teller_case_id, "role": t.role, "told_on": t.told_on,
            "completeness": t.completeness, "memo": t.memo, "coding_id": t.coding_id}
    return _insert(conn, "telling", {"id": t.id, **cols} if _free(conn, "telling", t.id) else cols)


# -- transmissions ---------------------------------------------------------------------------------

def transmissions(conn: sqlite3.Connection, story_id: int) -> list[Transmission]:
    """Transmissions into the story's tellings (a transmission belongs to its target's story)."""
    cols = ", ".join(f"x.{c.strip()}" for c in _TRANSMISSION.split(","))
    return [Transmission(*r) for r in conn.execute(
        f"SELECT {cols} FROM transmission x JOIN telling t ON t.id = x.to_telling_id "
        "WHERE t.story_id = ? ORDER BY x.id", (story_id,))]


def transmissions_touching(conn: sqlite3.Connection, telling_id: int) -> list[Transmission]:
    return [Transmission(*r) for r in conn.execute(
        f"SELECT {_TRANSMISSION} FROM transmission WHERE to_telling_id = ? OR from_telling_id = ? ORDER BY id",
        (telling_id, telling_id))]


def get_transmission(conn: sqlite3.Connection, transmission_id: int) -> Transmission | None:
    row = conn.execute(f"SELECT {_TRANSMISSION} FROM transmission WHERE id = ?", (transmission_id,)).fetchone()
    return Transmission(*row) if row else None


def insert_transmission(conn: sqlite3.Connection, to_telling_id: int, *, from_telling_id: int | None = None,
                        from_case_id: int | None = None, from_text: str | None = None, basis: str = "stated",
                        evidence_document_id: int | None = None, evidence_start: int | None = None,
                        evidence_end: int | None = None) -> int:
    return _insert(conn, "transmission", {
        "to_telling_id": to_telling_id, "from_telling_id": from_telling_id, "from_case_id": from_case_id,
        "from_text": from_text, "basis": basis, "evidence_document_id": evidence_document_id,
        "evidence_start": evidence_start, "evidence_end": evidence_end})


def delete_transmission(conn: sqlite3.Connection, transmission_id: int) -> None:
    conn.execute("DELETE FROM transmission WHERE id = ?", (transmission_id,))


def reinsert_transmission(conn: sqlite3.Connection, x: Transmission) -> int:
    cols = {"to_telling_id": x.to_telling_id, "from_telling_id": x.from_telling_id, "from_case_id": x.from_case_id,
            "from_text": x.from_text, "basis": x.basis, "evidence_document_id": x.evidence_document_id,
            "evidence_start": x.evidence_start, "evidence_end": x.evidence_end}
    return _insert(conn, "transmission", {"id": x.id, **cols} if _free(conn, "transmission", x.id) else cols)


# -- realizations ----------------------------------------------------------------------------------

def realizations(conn: sqlite3.Connection, story_id: int) -> list[Realization]:
    cols = ", ".join(f"r.{c.strip()}" for c in _REALIZATION.split(","))
    return [Realization(*r) for r in conn.execute(
        f"SELECT {cols} FROM realization r JOIN telling t ON t.id = r.telling_id WHERE t.story_id = ? "
        "ORDER BY r.telling_id, r.element_id", (story_id,))]


def realizations_of_telling(conn: sqlite3.Connection, telling_id: int) -> list[Realization]:
    return [Realization(*r) for r in conn.execute(
        f"SELECT {_REALIZATION} FROM realization WHERE telling_id = ? ORDER BY element_id", (telling_id,))]


def realizations_of_element(conn: sqlite3.Connection, element_id: int) -> list[Realization]:
    return [Realization(*r) for r in conn.execute(
        f"SELECT {_REALIZATION} FROM realization WHERE element_id = ? ORDER BY telling_id", (element_id,))]


def get_realization(conn: sqlite3.Connection, telling_id: int, element_id: int) -> Realization | None:
    row = conn.execute(f"SELECT {_REALIZATION} FROM realization WHERE telling_id = ? AND element_id = ?",
                       (telling_id, element_id)).fetchone()
    return Realization(*row) if row else None


def put_realization(conn: sqlite3.Connection, r: Realization) -> None:
    """Insert or replace the (telling, element) realization."""
    conn.execute(f"INSERT OR REPLACE INTO realization({_REALIZATION}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (r.telling_id, r.element_id, r.status, r.position, r.start, r.end, r.variant))


def put_realizations(conn: sqlite3.Connection, rows: Iterable[Realization]) -> None:
    conn.executemany(f"INSERT OR REPLACE INTO realization({_REALIZATION}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(r.telling_id, r.element_id, r.status, r.position, r.start, r.end, r.variant) for r in rows])


def delete_realization(conn: sqlite3.Connection, telling_id: int, element_id: int) -> None:
    conn.execute("DELETE FROM realization WHERE telling_id = ? AND element_id = ?", (telling_id, element_id))


# -- rejected suggestions --------------------------------------------------------------------------

def rejected_passages(conn: sqlite3.Connection, story_id: int) -> list[tuple[int, int, int]]:
    """(document_id, start, end) of passages rejected as tellings of the story."""
    return list(conn.execute('SELECT document_id, start, "end" FROM story_rejected_passage WHERE story_id = ? '
                             'ORDER BY document_id, start', (story_id,)))


def reject_passage(conn: sqlite3.Connection, story_id: int, document_id: int, start: int, end: int) -> bool:
    """True when the passage was not rejected before."""
    cur = conn.execute('INSERT OR IGNORE INTO story_rejected_passage(story_id, document_id, start, "end") '
                       "VALUES (?, ?, ?, ?)", (story_id, document_id, start, end))
    return cur.rowcount == 1


def unreject_passage(conn: sqlite3.Connection, story_id: int, document_id: int, start: int, end: int) -> None:
    conn.execute('DELETE FROM story_rejected_passage WHERE story_id = ? AND document_id = ? AND start = ? '
                 'AND "end" = ?', (story_id, document_id, start, end))

