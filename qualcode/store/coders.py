"""Coders: every coding belongs to one."""

from __future__ import annotations

import sqlite3

from .models import Coder


def ensure(conn: sqlite3.Connection, name: str, color: str | None = None) -> int:
    """The id of the coder called ``name``, created if new."""
    row = conn.execute("SELECT id FROM coder WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    return conn.execute("INSERT INTO coder(name, color) VALUES (?, ?)", (name, color)).lastrowid


def id_by_name(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM coder WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def list_all(conn: sqlite3.Connection) -> list[Coder]:
    return [Coder(*r) for r in conn.execute("SELECT id, guid, name, color FROM coder ORDER BY id")]


def ids_by_name(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: i for i, name in conn.execute("SELECT id, name FROM coder")}


def acting(conn: sqlite3.Connection, name: str | None) -> int | None:
    """The audit's coder for an edit: the named coder's id, None when unnamed or unknown."""
    return id_by_name(conn, name.strip()) if name and name.strip() else None


def most_recent(conn: sqlite3.Connection) -> str | None:
    """The coder of the most recently made coding, else the first coder; None without coders."""
    row = conn.execute(
        "SELECT name FROM coder WHERE id = coalesce("
        "(SELECT coder_id FROM coding ORDER BY created_at DESC, id DESC LIMIT 1), (SELECT min(id) FROM coder))"
    ).fetchone()
    return row[0] if row else None
