"""Documents, their speaker turns, segments and case links."""

from __future__ import annotations

import sqlite3
from typing import Iterable

from .models import DocumentInfo, Span

_INFO_COLS = "d.id, d.guid, d.name, d.chars, d.sha256, d.kind, d.source, d.interview_date, d.period_discussed, d.language"


def insert(conn: sqlite3.Connection, *, name: str, text: str, sha256: str, source: str | None = None,
           kind: str = "interview", interview_date: str | None = None, period_discussed: str | None = None,
           language: str | None = None, guid: str | None = None) -> int:
    cols = {"name": name, "text": text, "chars": len(text), "sha256": sha256, "source": source, "kind": kind,
            "interview_date": interview_date, "period_discussed": period_discussed, "language": language}
    if guid:
        cols["guid"] = guid
    sql = f"INSERT INTO document({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid


def id_by_name(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM document WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def id_and_length(conn: sqlite3.Connection, name: str) -> tuple[int, int] | None:
    row = conn.execute("SELECT id, chars FROM document WHERE name = ?", (name,)).fetchone()
    return (row[0], row[1]) if row else None


def name_by_sha256(conn: sqlite3.Connection, sha256: str) -> str | None:
    row = conn.execute("SELECT name FROM document WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def names_and_lengths(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """name -> (id, chars): what span validation needs, without loading any text."""
    return {name: (i, n) for i, name, n in conn.execute("SELECT id, name, chars FROM document")}


def text(conn: sqlite3.Connection, document_id: int) -> str:
    row = conn.execute("SELECT text FROM document WHERE id = ?", (document_id,)).fetchone()
    return row[0] if row else ""


def texts(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = f"SELECT id, text FROM document WHERE id IN ({','.join('?' * len(chunk))})"
        out.update(conn.execute(q, chunk))
    return out


def list_info(conn: sqlite3.Connection) -> list[DocumentInfo]:
    counts = dict(conn.execute("SELECT document_id, count(*) FROM coding GROUP BY document_id"))
    cases: dict[int, list[str]] = {}
    for doc_id, case_name in conn.execute(
        "SELECT dc.document_id, c.name FROM document_case dc JOIN case_ c ON c.id = dc.case_id ORDER BY c.name"
    ):
        cases.setdefault(doc_id, []).append(case_name)
    rows = conn.execute(f"SELECT {_INFO_COLS} FROM document d ORDER BY d.name")
    return [DocumentInfo(*r, codings=counts.get(r[0], 0), cases=tuple(cases.get(r[0], ()))) for r in rows]


def get_info(conn: sqlite3.Connection, document_id: int) -> DocumentInfo | None:
    return next((d for d in list_info(conn) if d.id == document_id), None)


def set_fields(conn: sqlite3.Connection, document_id: int, **fields) -> None:
    allowed = {"kind", "interview_date", "period_discussed", "language", "memo", "source", "name"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"not a document field: {sorted(bad)}")
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE document SET {sets} WHERE id = ?", (*fields.values(), document_id))


def link_case(conn: sqlite3.Connection, document_id: int, case_id: int) -> None:
    conn.execute("INSERT OR IGNORE INTO document_case(document_id, case_id) VALUES (?, ?)", (document_id, case_id))


def insert_turns(conn: sqlite3.Connection, document_id: int, turns: Iterable[Span]) -> None:
    conn.executemany(
        'INSERT INTO speaker_turn(document_id, start, "end", label, case_id) VALUES (?, ?, ?, ?, ?)',
        [(document_id, t.start, t.end, t.label, t.case_id) for t in turns],
    )


def assign_turns(conn: sqlite3.Connection, document_id: int, labels: Iterable[str], case_id: int) -> int:
    """Attribute the turns spoken under any of ``labels`` to a case; returns how many."""
    labels = list(labels)
    cur = conn.execute(
        f"UPDATE speaker_turn SET case_id = ? WHERE document_id = ? AND label IN ({','.join('?' * len(labels))})",
        (case_id, document_id, *labels))
    return cur.rowcount


def turns(conn: sqlite3.Connection, document_id: int) -> list[Span]:
    return [Span(*r) for r in conn.execute(
        'SELECT start, "end", label, case_id FROM speaker_turn WHERE document_id = ? ORDER BY start', (document_id,))]


def insert_segments(conn: sqlite3.Connection, document_id: int, kind: str, spans: Iterable[tuple[int, int]],
                    text: str | None = None) -> None:
    """Store segments; paragraphs also go into the full-text index (``text_fts``, see
    migration 3), cut from ``text`` (the document's text, read back when not given)."""
    rows = [(document_id, kind, s, e) for s, e in spans]
    if kind != "paragraph":
        conn.executemany('INSERT INTO segment(document_id, kind, start, "end") VALUES (?, ?, ?, ?)', rows)
        return
    last = conn.execute("SELECT ifnull(max(id), 0) FROM segment").fetchone()[0]
    conn.executemany('INSERT INTO segment(document_id, kind, start, "end") VALUES (?, ?, ?, ?)', rows)
    if text is None:
        text = conn.execute("SELECT text FROM document WHERE id = ?", (document_id,)).fetchone()[0]
    new = conn.execute('SELECT id, start, "end" FROM segment WHERE id > ? AND document_id = ? AND kind = ?',
                       (last, document_id, kind))
    conn.executemany("INSERT INTO text_fts(rowid, text) VALUES (?, ?)", [(i, text[s:e]) for i, s, e in new])


def segments(conn: sqlite3.Connection, document_id: int, kind: str) -> list[tuple[int, int]]:
    return list(conn.execute('SELECT start, "end" FROM segment WHERE document_id = ? AND kind = ? ORDER BY start',
                             (document_id, kind)))


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM document").fetchone()[0]
