"""Read-side queries for agreement and adjudication: who covered which text with which code.

Agreement needs every selected coder's spans at once, grouped so that numpy can slice them
per (code, coder); one ordered query is far cheaper than a query per code or per document.
"""

from __future__ import annotations

import sqlite3
from typing import Sequence

from .models import Coding

_CODING_COLS = 'id, guid, document_id, code_id, coder_id, start, "end", memo, evidence, created_at'


def coded_spans(conn: sqlite3.Connection, coder_ids: Sequence[int],
                code_ids: Sequence[int] | None = None) -> list[tuple[int, int, int, int, int]]:
    """(code_id, coder_id, document_id, start, end) of every coding by these coders (of these
    codes only, when given), ordered by code, coder, document and start: rows of one
    (code, coder, document) group are adjacent."""
    if not coder_ids:
        return []
    where = f"coder_id IN ({','.join('?' * len(coder_ids))})"
    args = list(coder_ids)
    if code_ids:
        where += f" AND code_id IN ({','.join('?' * len(code_ids))})"
        args += list(code_ids)
    return conn.execute(
        f'SELECT code_id, coder_id, document_id, start, "end" FROM coding WHERE {where} '
        'ORDER BY code_id, coder_id, document_id, start, "end"', args).fetchall()


def segment_bounds(conn: sqlite3.Connection, kind: str) -> list[tuple[int, int, int]]:
    """(document_id, start, end) of every stored segment of ``kind``, by document and start."""
    return conn.execute('SELECT document_id, start, "end" FROM segment WHERE kind = ? '
                        'ORDER BY document_id, start, "end"', (kind,)).fetchall()


def codings_of(conn: sqlite3.Connection, document_id: int, code_id: int, coder_id: int) -> list[Coding]:
    """One coder's codings of one code in one document, by start."""
    return [Coding(*r) for r in conn.execute(
        f'SELECT {_CODING_COLS} FROM coding WHERE document_id = ? AND code_id = ? AND coder_id = ? '
        'ORDER BY start, "end", id', (document_id, code_id, coder_id))]


def ids_of(conn: sqlite3.Connection, codings: Sequence[Coding]) -> dict[str, int]:
    """guid -> current id of those of these codings that still exist (ids change when undo
    puts a coding back; GUIDs do not). Coding GUIDs carry no index, so each is found through
    the (document_id, start) index it shares with its place."""
    found: dict[str, int] = {}
    for c in codings:
        row = conn.execute("SELECT id FROM coding WHERE document_id = ? AND start = ? AND guid = ?",
                           (c.document_id, c.start, c.guid)).fetchone()
        if row:
            found[c.guid] = row[0]
    return found
