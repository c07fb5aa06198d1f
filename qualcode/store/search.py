"""Full-text search over the ``text_fts`` index of paragraphs (migration 3)."""

from __future__ import annotations

import sqlite3
from typing import Iterator

from ..errors import InvalidInput

# Put around each match by FTS5's highlight(); private-use characters, so they cannot be
# mistaken for the punctuation of a transcript.
OPEN, CLOSE = "\ue000", "\ue001"
_CHUNK = 64


def _run(conn: sqlite3.Connection, sql: str, args: tuple) -> list[tuple]:
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            raise InvalidInput(f"cannot search for that: {exc}") from None
        raise


def matching_paragraphs(conn: sqlite3.Connection, query: str) -> list[tuple[int, str, int, int]]:
    """(paragraph id, document name, document id, paragraph start) of every paragraph that
    matches the FTS5 ``query``, in document-name and text order. No text is read yet."""
    return _run(conn, 'SELECT s.id, d.name, d.id, s.start FROM text_fts f JOIN segment s ON s.id = f.rowid '
                      'JOIN document d ON d.id = s.document_id WHERE text_fts MATCH ? ORDER BY d.name, s.start',
                (query,))


def marked(conn: sqlite3.Connection, query: str, paragraph_ids: list[int]) -> Iterator[tuple[int, str]]:
    """(paragraph id, paragraph text with every match between OPEN and CLOSE), in chunks, so a
    caller that stops early has not marked up every paragraph of a common word."""
    for i in range(0, len(paragraph_ids), _CHUNK):
        chunk = paragraph_ids[i:i + _CHUNK]
        rows = _run(conn, f"SELECT rowid, highlight(text_fts, 0, ?, ?) FROM text_fts WHERE text_fts MATCH ? "
                          f"AND rowid IN ({','.join('?' * len(chunk))})", (OPEN, CLOSE, query, *chunk))
        found = dict(rows)
        for pid in chunk:
            if pid in found:
                yield pid, found[pid]
