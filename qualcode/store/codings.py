"""Codings: a coder's code on a half-open code-point span of a document."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Sequence

from ..errors import InvalidInput
from .models import Coding, CodingRow

_COLS = 'id, guid, document_id, code_id, coder_id, start, "end", memo, evidence, created_at'


def insert(conn: sqlite3.Connection, document_id: int, code_id: int, coder_id: int, start: int, end: int,
           memo: str | None = None, evidence: str = "unknown", guid: str | None = None) -> int:
    if guid:
        return conn.execute(
            'INSERT INTO coding(guid, document_id, code_id, coder_id, start, "end", memo, evidence) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (guid, document_id, code_id, coder_id, start, end, memo, evidence)
        ).lastrowid
    return conn.execute(
        'INSERT INTO coding(document_id, code_id, coder_id, start, "end", memo, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
        (document_id, code_id, coder_id, start, end, memo, evidence),
    ).lastrowid


def insert_many(conn: sqlite3.Connection, rows: Iterable[Sequence]) -> int:
    """Rows of (document_id, code_id, coder_id, start, end, memo, evidence); returns how many."""
    cur = conn.executemany(
        'INSERT INTO coding(document_id, code_id, coder_id, start, "end", memo, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
        rows,
    )
    return cur.rowcount


def get(conn: sqlite3.Connection, coding_id: int) -> Coding | None:
    row = conn.execute(f"SELECT {_COLS} FROM coding WHERE id = ?", (coding_id,)).fetchone()
    return Coding(*row) if row else None


def delete(conn: sqlite3.Connection, coding_id: int) -> None:
    conn.execute("DELETE FROM coding WHERE id = ?", (coding_id,))


def update_span(conn: sqlite3.Connection, coding_id: int, start: int, end: int) -> None:
    conn.execute('UPDATE coding SET start = ?, "end" = ? WHERE id = ?', (start, end, coding_id))


def update_fields(conn: sqlite3.Connection, coding_id: int, **fields) -> None:
    bad = set(fields) - {"memo", "evidence", "code_id"}
    if bad:
        raise ValueError(f"not a coding field: {sorted(bad)}")
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE coding SET {sets} WHERE id = ?", (*fields.values(), coding_id))


def for_document(conn: sqlite3.Connection, document_id: int, coder_id: int | None = None) -> list[Coding]:
    if coder_id is None:
        return [Coding(*r) for r in conn.execute(
            f"SELECT {_COLS} FROM coding WHERE document_id = ? ORDER BY start, \"end\"", (document_id,))]
    return [Coding(*r) for r in conn.execute(
        f"SELECT {_COLS} FROM coding WHERE document_id = ? AND coder_id = ? ORDER BY start, \"end\"",
        (document_id, coder_id))]


def rows(conn: sqlite3.Connection, coder_ids: Sequence[int] | None = None) -> list[CodingRow]:
    """Every coding with document and coder names and its text, in document order."""
    where, args = "", ()
    if coder_ids:
        where = f"WHERE c.coder_id IN ({','.join('?' * len(coder_ids))})"
        args = tuple(coder_ids)
    q = (
        'SELECT c.id, d.name, c.code_id, k.name, c.start, c."end", '
        'substr(d.text, c.start + 1, c."end" - c.start), c.memo, c.evidence '
        "FROM coding c JOIN document d ON d.id = c.document_id JOIN coder k ON k.id = c.coder_id "
        f'{where} ORDER BY d.name, c.start, c."end", c.id'
    )
    return [CodingRow(*r) for r in conn.execute(q, args)]


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM coding").fetchone()[0]


def reinsert(conn: sqlite3.Connection, c: Coding) -> int:
    """Put a deleted coding back as it was (id, GUID, creation time), for undo. The id is
    reused when still free, which it is unless something else took it meanwhile."""
    # GUIDs of codings carry no index (codings are many); a restored coding sits at the same
    # place, so the (document_id, start) index finds a duplicate just as fast.
    if conn.execute("SELECT 1 FROM coding WHERE document_id = ? AND start = ? AND guid = ?",
                    (c.document_id, c.start, c.guid)).fetchone():
        raise InvalidInput("that coding is already in the project")
    taken = conn.execute("SELECT 1 FROM coding WHERE id = ?", (c.id,)).fetchone()
    cols = {"guid": c.guid, "document_id": c.document_id, "code_id": c.code_id, "coder_id": c.coder_id,
            "start": c.start, '"end"': c.end, "memo": c.memo, "evidence": c.evidence}
    if c.created_at:
        cols["created_at"] = c.created_at
    if not taken:
        cols = {"id": c.id, **cols}
    sql = f"INSERT INTO coding({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid


def counts_by_code(conn: sqlite3.Connection, coder_id: int | None = None) -> dict[int, int]:
    if coder_id is None:
        return dict(conn.execute("SELECT code_id, count(*) FROM coding GROUP BY code_id"))
    return dict(conn.execute("SELECT code_id, count(*) FROM coding WHERE coder_id = ? GROUP BY code_id", (coder_id,)))


def counts_by_document(conn: sqlite3.Connection, coder_id: int | None = None) -> dict[int, int]:
    if coder_id is None:
        return dict(conn.execute("SELECT document_id, count(*) FROM coding GROUP BY document_id"))
    return dict(conn.execute("SELECT document_id, count(*) FROM coding WHERE coder_id = ? GROUP BY document_id",
                             (coder_id,)))


def rows_for_codes(conn: sqlite3.Connection, code_ids: Sequence[int], coder_id: int | None = None) -> list[CodingRow]:
    """The codings of some codes across all documents, with names and text, in document order."""
    if not code_ids:
        return []
    where = f"c.code_id IN ({','.join('?' * len(code_ids))})"
    args: tuple = tuple(code_ids)
    if coder_id is not None:
        where += " AND c.coder_id = ?"
        args += (coder_id,)
    q = (
        'SELECT c.id, d.name, c.code_id, k.name, c.start, c."end", '
        'substr(d.text, c.start + 1, c."end" - c.start), c.memo, c.evidence '
        "FROM coding c JOIN document d ON d.id = c.document_id JOIN coder k ON k.id = c.coder_id "
        f'WHERE {where} ORDER BY d.name, c.start, c."end", c.id'
    )
    return [CodingRow(*r) for r in conn.execute(q, args)]
