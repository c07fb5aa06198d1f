"""Whole-table reads and generic row inserts, for copying between projects (merge).

Rows travel as dicts keyed by column name, read with the table's own column list, so a
column added by a later migration is carried without this module knowing about it. Only
tables of the project's schema are touched; virtual tables (full-text search) and their
shadow tables are left to whatever maintains them.
"""

from __future__ import annotations

import sqlite3


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables of the project, without SQLite's own, virtual tables and their shadows."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [n for n, _ in rows
            if not n.startswith("sqlite_") and n not in virtual and not any(n.startswith(v + "_") for v in virtual)]


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({_ident(table)})")]


def foreign_keys(conn: sqlite3.Connection, table: str) -> set[str]:
    """The columns of ``table`` that refer to another table."""
    return {r[3] for r in conn.execute(f"PRAGMA foreign_key_list({_ident(table)})")}


def count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()[0]


def read(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every row of ``table`` as a dict, in rowid order (creation order)."""
    cols = columns(conn, table)
    sel = ", ".join(_ident(c) for c in cols)
    has_rowid = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'",
                             (table,)).fetchone() is None
    order = " ORDER BY rowid" if has_rowid else ""
    return [dict(zip(cols, r)) for r in conn.execute(f"SELECT {sel} FROM {_ident(table)}{order}")]


def insert(conn: sqlite3.Connection, table: str, row: dict) -> int:
    """Insert ``row`` (columns the table lacks are an error); returns the new rowid."""
    cols = list(row)
    sql = (f"INSERT INTO {_ident(table)}({', '.join(_ident(c) for c in cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    return conn.execute(sql, tuple(row.values())).lastrowid


def update(conn: sqlite3.Connection, table: str, row_id: int, **fields) -> None:
    if fields:
        sets = ", ".join(f"{_ident(k)} = ?" for k in fields)
        conn.execute(f"UPDATE {_ident(table)} SET {sets} WHERE id = ?", (*fields.values(), row_id))
