"""Cases (cluster > organisation > informant > ...) and the attributes of cases and documents."""

from __future__ import annotations

import sqlite3

from .models import Case

KINDS = ("cluster", "organisation", "informant", "other")


def list_all(conn: sqlite3.Connection) -> list[Case]:
    return [Case(*r) for r in conn.execute("SELECT id, guid, name, kind, parent_id, memo FROM case_ ORDER BY id")]


def id_by_name(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM case_ WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def upsert(conn: sqlite3.Connection, name: str, kind: str = "other", parent_id: int | None = None,
           guid: str | None = None) -> int:
    """Create the case or update its kind and parent; returns its id."""
    existing = id_by_name(conn, name)
    if existing is not None:
        conn.execute("UPDATE case_ SET kind = ?, parent_id = ? WHERE id = ?", (kind, parent_id, existing))
        return existing
    if guid:
        return conn.execute("INSERT INTO case_(name, kind, parent_id, guid) VALUES (?, ?, ?, ?)",
                            (name, kind, parent_id, guid)).lastrowid
    return conn.execute("INSERT INTO case_(name, kind, parent_id) VALUES (?, ?, ?)", (name, kind, parent_id)).lastrowid


def set_parent(conn: sqlite3.Connection, case_id: int, parent_id: int | None) -> None:
    conn.execute("UPDATE case_ SET parent_id = ? WHERE id = ?", (parent_id, case_id))


def ensure_attribute(conn: sqlite3.Connection, name: str, scope: str, type_: str = "text") -> int:
    row = conn.execute("SELECT id, type FROM attribute WHERE name = ? AND scope = ?", (name, scope)).fetchone()
    if row:
        if row[1] != type_ and type_ != "text":
            conn.execute("UPDATE attribute SET type = ? WHERE id = ?", (type_, row[0]))
        return row[0]
    return conn.execute("INSERT INTO attribute(name, scope, type) VALUES (?, ?, ?)", (name, scope, type_)).lastrowid


def set_value(conn: sqlite3.Connection, attribute_id: int, owner_id: int, value: str | None) -> None:
    conn.execute("INSERT OR REPLACE INTO attribute_value(attribute_id, owner_id, value) VALUES (?, ?, ?)",
                 (attribute_id, owner_id, value))


def values(conn: sqlite3.Connection, scope: str) -> dict[int, dict[str, str | None]]:
    """owner id -> {attribute name: value} for every case or every document."""
    out: dict[int, dict[str, str | None]] = {}
    for owner, name, value in conn.execute(
        "SELECT v.owner_id, a.name, v.value FROM attribute_value v JOIN attribute a ON a.id = v.attribute_id "
        "WHERE a.scope = ? ORDER BY a.id", (scope,)
    ):
        out.setdefault(owner, {})[name] = value
    return out


def attributes(conn: sqlite3.Connection, scope: str) -> list[tuple[str, str]]:
    return list(conn.execute("SELECT name, type FROM attribute WHERE scope = ? ORDER BY id", (scope,)))


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM case_").fetchone()[0]
