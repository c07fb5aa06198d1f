"""The codebook: a tree of codes, each named by its path ``parent/child``."""

from __future__ import annotations

import sqlite3

from .models import Code

_COLS = "id, guid, name, parent_id, color, definition, inclusion, exclusion, example, memo, status, merged_into, ordinal"
DESCRIPTIVE = ("color", "definition", "inclusion", "exclusion", "example", "memo")


def list_all(conn: sqlite3.Connection) -> list[Code]:
    return [Code(*r) for r in conn.execute(f"SELECT {_COLS} FROM code ORDER BY ordinal, id")]


def get(conn: sqlite3.Connection, code_id: int) -> Code | None:
    row = conn.execute(f"SELECT {_COLS} FROM code WHERE id = ?", (code_id,)).fetchone()
    return Code(*row) if row else None


def insert(conn: sqlite3.Connection, name: str, parent_id: int | None = None, guid: str | None = None,
           **fields) -> int:
    bad = set(fields) - set(DESCRIPTIVE)
    if bad:
        raise ValueError(f"not a code field: {sorted(bad)}")
    ordinal = conn.execute("SELECT ifnull(max(ordinal), 0) + 1 FROM code").fetchone()[0]
    cols = {"name": name, "parent_id": parent_id, "ordinal": ordinal, **fields}
    if guid:
        cols["guid"] = guid
    sql = f"INSERT INTO code({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid


def update(conn: sqlite3.Connection, code_id: int, **fields) -> None:
    allowed = set(DESCRIPTIVE) | {"name", "parent_id", "status", "merged_into"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"not a code field: {sorted(bad)}")
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE code SET {sets} WHERE id = ?", (*fields.values(), code_id))


def coding_counts(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT code_id, count(*) FROM coding GROUP BY code_id"))


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM code").fetchone()[0]


def sibling_id(conn: sqlite3.Connection, parent_id: int | None, name: str) -> int | None:
    """The code called ``name`` directly under ``parent_id`` (None: top level)."""
    row = conn.execute("SELECT id FROM code WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ?",
                       (parent_id, name)).fetchone()
    return row[0] if row else None


def child_count(conn: sqlite3.Connection, code_id: int) -> int:
    return conn.execute("SELECT count(*) FROM code WHERE parent_id = ?", (code_id,)).fetchone()[0]


def use_count(conn: sqlite3.Connection, code_id: int) -> int:
    """Codings of the code, plus codes merged into it: what stops it from being deleted."""
    return conn.execute("SELECT (SELECT count(*) FROM coding WHERE code_id = ?) + "
                        "(SELECT count(*) FROM code WHERE merged_into = ?)", (code_id, code_id)).fetchone()[0]


def delete(conn: sqlite3.Connection, code_id: int) -> None:
    conn.execute("DELETE FROM code WHERE id = ?", (code_id,))


def reinsert(conn: sqlite3.Connection, c: Code) -> int:
    """Put a deleted code back as it was (id when still free, GUID, order), for undo."""
    taken = conn.execute("SELECT 1 FROM code WHERE id = ?", (c.id,)).fetchone()
    cols = {"guid": c.guid, "name": c.name, "parent_id": c.parent_id, "color": c.color, "definition": c.definition,
            "inclusion": c.inclusion, "exclusion": c.exclusion, "example": c.example, "memo": c.memo,
            "status": c.status, "merged_into": c.merged_into, "ordinal": c.ordinal}
    if not taken:
        cols = {"id": c.id, **cols}
    sql = f"INSERT INTO code({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    return conn.execute(sql, tuple(cols.values())).lastrowid
