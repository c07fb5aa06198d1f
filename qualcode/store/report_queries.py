"""Read-only queries behind the reports: counts grouped in SQL, spans as plain tuples.

Counting is left to SQLite's GROUP BY (over the covering index ``coding_code_doc_coder``), so
a frequency table of a million codings moves only its cells into Python. Filters are passed
as id lists bound as one JSON array (``json_each``), so any number of documents or coders
fits in a single parameter. ``None`` means "no filter"; an empty list selects nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Sequence

Ids = Sequence[int] | None


def _filters(**columns: Ids) -> tuple[str, list]:
    """``WHERE`` clause and arguments restricting each named column to its ids."""
    parts, args = [], []
    for column, ids in columns.items():
        if ids is not None:
            parts.append(f"{column} IN (SELECT value FROM json_each(?))")
            args.append(json.dumps([int(i) for i in ids]))
    return (" WHERE " + " AND ".join(parts) if parts else ""), args


def code_totals(conn: sqlite3.Connection, document_ids: Ids = None, coder_ids: Ids = None) -> list[tuple[int, int, int]]:
    """(code_id, codings, distinct documents) for every code with codings."""
    where, args = _filters(document_id=document_ids, coder_id=coder_ids)
    return conn.execute(
        f"SELECT code_id, count(*), count(DISTINCT document_id) FROM coding{where} GROUP BY code_id", args
    ).fetchall()


def code_document_counts(conn: sqlite3.Connection, document_ids: Ids = None, coder_ids: Ids = None,
                         by_coder: bool = False) -> list[tuple[int, ...]]:
    """(code_id, document_id, codings), or (code_id, document_id, coder_id, codings) with
    ``by_coder``: one row per combination that has codings."""
    where, args = _filters(document_id=document_ids, coder_id=coder_ids)
    keys = "code_id, document_id, coder_id" if by_coder else "code_id, document_id"
    return conn.execute(f"SELECT {keys}, count(*) FROM coding{where} GROUP BY {keys}", args).fetchall()


def coding_spans(conn: sqlite3.Connection, document_ids: Ids = None, coder_ids: Ids = None,
                 code_ids: Ids = None) -> list[tuple[int, int, int, int, int, int]]:
    """(coding_id, document_id, code_id, coder_id, start, end), in no particular order."""
    where, args = _filters(document_id=document_ids, coder_id=coder_ids, code_id=code_ids)
    return conn.execute(f'SELECT id, document_id, code_id, coder_id, start, "end" FROM coding{where}', args).fetchall()


def document_names(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(document_id, name). Reads no text: ``chars`` is stored after the text, so asking for
    it walks every document's text pages, while the name comes before them."""
    return conn.execute("SELECT id, name FROM document").fetchall()


def document_case_links(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(document_id, case_id) for every link between a document and a case."""
    return conn.execute("SELECT document_id, case_id FROM document_case").fetchall()


def segment_spans(conn: sqlite3.Connection, kind: str, document_ids: Ids = None) -> list[tuple[int, int, int]]:
    """(document_id, start, end) of every segment of ``kind`` (sentence or paragraph)."""
    where, args = _filters(document_id=document_ids)
    where = (where + " AND" if where else " WHERE") + " kind = ?"
    return conn.execute(f'SELECT document_id, start, "end" FROM segment{where}', [*args, kind]).fetchall()


def coded_segments(conn: sqlite3.Connection, coding_ids: Sequence[int], context: int) -> list[tuple]:
    """The codings with what a retrieval shows, in document order:
    (coding_id, document, case(s) joined by '; ', speaker, code_id, coder, start, end,
    text before (up to ``context`` characters), coded text, text after, memo, evidence).

    The speaker is the label of the speaker turn in which the coding starts. Texts are cut
    by SQLite's ``substr``, which counts characters as the offsets do.
    """
    q = """
        SELECT c.id, d.name,
               (SELECT group_concat(name, '; ') FROM
                   (SELECT k.name FROM document_case dc JOIN case_ k ON k.id = dc.case_id
                    WHERE dc.document_id = c.document_id ORDER BY k.name)),
               (SELECT t.label FROM speaker_turn t
                WHERE t.document_id = c.document_id AND t.start <= c.start AND t."end" > c.start
                ORDER BY t.start DESC LIMIT 1),
               c.code_id, w.name, c.start, c."end",
               substr(d.text, max(c.start - :ctx, 0) + 1, c.start - max(c.start - :ctx, 0)),
               substr(d.text, c.start + 1, c."end" - c.start),
               substr(d.text, c."end" + 1, :ctx),
               c.memo, c.evidence
        FROM coding c JOIN document d ON d.id = c.document_id JOIN coder w ON w.id = c.coder_id
        WHERE c.id IN (SELECT value FROM json_each(:ids))
        ORDER BY d.name, c.start, c."end", c.id
    """
    return conn.execute(q, {"ctx": int(context), "ids": json.dumps([int(i) for i in coding_ids])}).fetchall()
