"""Saved codebook versions, and the audit entries that concern one code."""

from __future__ import annotations

import json
import sqlite3


def insert_version(conn: sqlite3.Connection, label: str, coder_id: int | None, snapshot: str) -> int:
    return conn.execute("INSERT INTO codebook_version(label, coder_id, snapshot) VALUES (?, ?, ?)",
                        (label, coder_id, snapshot)).lastrowid


def versions(conn: sqlite3.Connection) -> list[tuple[int, str, str, str | None, int]]:
    """(id, label, created_at, coder name, number of codes), oldest first."""
    return list(conn.execute(
        "SELECT v.id, v.label, v.created_at, k.name, json_array_length(v.snapshot, '$.codes') "
        "FROM codebook_version v LEFT JOIN coder k ON k.id = v.coder_id ORDER BY v.id"))


def version(conn: sqlite3.Connection, label: str) -> tuple[int, str, str, str | None, str] | None:
    """(id, label, created_at, coder name, snapshot JSON) of the version called ``label``."""
    return conn.execute(
        "SELECT v.id, v.label, v.created_at, k.name, v.snapshot FROM codebook_version v "
        "LEFT JOIN coder k ON k.id = v.coder_id WHERE v.label = ?", (label,)).fetchone()


def events(conn: sqlite3.Connection, code_id: int) -> list[tuple[str, str | None, str, dict]]:
    """(ts, coder name, action, payload) of every code action that names ``code_id`` as the
    code acted on, a merge target, or the new code of a split; oldest first."""
    rows = conn.execute(
        "SELECT a.ts, k.name, a.action, a.payload FROM audit a LEFT JOIN coder k ON k.id = a.coder_id "
        "WHERE a.action LIKE 'code.%' AND (json_extract(a.payload, '$.code') = ?1 "
        "OR json_extract(a.payload, '$.into') = ?1 OR json_extract(a.payload, '$.new') = ?1) ORDER BY a.id",
        (code_id,))
    return [(ts, coder, action, json.loads(payload)) for ts, coder, action, payload in rows]
