"""Memos: free text attached to the project or to one document, case, code or coding."""

from __future__ import annotations

import sqlite3

from .models import Memo

TARGETS = ("project", "document", "case", "code", "coding", "story", "telling")
_COLS = "id, guid, target_type, target_id, text, coder_id, created_at, updated_at"


def for_target(conn: sqlite3.Connection, target_type: str, target_id: int | None) -> list[Memo]:
    return [Memo(*r) for r in conn.execute(
        f"SELECT {_COLS} FROM memo WHERE target_type = ? AND target_id IS ? ORDER BY created_at, id",
        (target_type, target_id))]


def get(conn: sqlite3.Connection, memo_id: int) -> Memo | None:
    row = conn.execute(f"SELECT {_COLS} FROM memo WHERE id = ?", (memo_id,)).fetchone()
    return Memo(*row) if row else None


def insert(conn: sqlite3.Connection, target_type: str, target_id: int | None, text: str,
           coder_id: int | None) -> int:
    return conn.execute("INSERT INTO memo(target_type, target_id, text, coder_id) VALUES (?, ?, ?, ?)",
                        (target_type, target_id, text, coder_id)).lastrowid


def update_text(conn: sqlite3.Connection, memo_id: int, text: str) -> None:
    conn.execute("UPDATE memo SET text = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                 (text, memo_id))


def delete(conn: sqlite3.Connection, memo_id: int) -> None:
    conn.execute("DELETE FROM memo WHERE id = ?", (memo_id,))


def reinsert(conn: sqlite3.Connection, m: Memo) -> int:
    """Put a deleted memo back as it was (id when still free, GUID, times), for undo."""
    taken = conn.execute("SELECT 1 FROM memo WHERE id = ?", (m.id,)).fetchone()
    cols = {"guid": m.guid, "target_type": m.target_type, "target_id": m.target_id, "text": m.text,
            "coder_id": m.coder_id}
    if m.created_at:
        cols["created_at"] = m.created_at
    if m.updated_at:
        cols["updated_at"] = m.updated_at
    if not taken:
        cols = {"id": m.id, **cols}
    sql = f"INSERT INTO memo({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid


def counts(conn: sqlite3.Connection, target_type: str) -> dict[int, int]:
    """target id -> number of memos, for marking memo'd items in lists."""
    return dict(conn.execute("SELECT target_id, count(*) FROM memo WHERE target_type = ? GROUP BY target_id",
                             (target_type,)))


_TABLES = {"document": "document", "case": "case_", "code": "code", "coding": "coding", "story": "story",
           "telling": "telling"}


def target_exists(conn: sqlite3.Connection, target_type: str, target_id: int | None) -> bool:
    if target_type == "project":
        return target_id is None
    table = _TABLES.get(target_type)
    if table is None or target_id is None:
        return False
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)).fetchone() is not None
