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
