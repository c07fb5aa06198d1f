"""The bulk changes behind merging and splitting codes: codings change code in one statement
each, and whatever points at a coding that a merge collapses (memos, tellings) follows it."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Sequence

from .models import Coding

_COLS = 'id, guid, document_id, code_id, coder_id, start, "end", memo, evidence, created_at'


def for_code(conn: sqlite3.Connection, code_id: int) -> list[Coding]:
    """The code's codings, oldest first (the order a merge keeps the first of duplicates in)."""
    return [Coding(*r) for r in conn.execute(f"SELECT {_COLS} FROM coding WHERE code_id = ? ORDER BY id",
                                             (code_id,))]


def move_codings(conn: sqlite3.Connection, coding_ids: Iterable[int], code_id: int) -> None:
    conn.executemany("UPDATE coding SET code_id = ? WHERE id = ?", ((code_id, i) for i in coding_ids))


def child_ids(conn: sqlite3.Connection, code_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM code WHERE parent_id = ? ORDER BY ordinal, id", (code_id,))]


def set_parent(conn: sqlite3.Connection, code_ids: Iterable[int], parent_id: int | None) -> None:
    conn.executemany("UPDATE code SET parent_id = ? WHERE id = ?", ((parent_id, i) for i in code_ids))


def retarget(conn: sqlite3.Connection, pairs: Sequence[tuple[int, int]]) -> tuple[list[tuple], list[tuple]]:
    """Point memos and tellings of coding ``old`` at coding ``new`` for each (old, new) pair.
    Returns exactly what moved, as (memo id, old, new) and (telling id, old, new), for undo."""
    memos, tellings = [], []
    for old, new in pairs:
        for (memo_id,) in conn.execute("SELECT id FROM memo WHERE target_type = 'coding' AND target_id = ?", (old,)):
            memos.append((memo_id, old, new))
        for (telling_id,) in conn.execute("SELECT id FROM telling WHERE coding_id = ?", (old,)):
            tellings.append((telling_id, old, new))
    conn.executemany("UPDATE memo SET target_id = ? WHERE id = ?", ((new, i) for i, _old, new in memos))
    conn.executemany("UPDATE telling SET coding_id = ? WHERE id = ?", ((new, i) for i, _old, new in tellings))
    return memos, tellings


def restore_targets(conn: sqlite3.Connection, memos: Sequence[tuple], tellings: Sequence[tuple]) -> None:
    """Undo :func:`retarget`: each memo and telling points at its old coding again."""
    conn.executemany("UPDATE memo SET target_id = ? WHERE id = ?", ((old, i) for i, old, _new in memos))
    conn.executemany("UPDATE telling SET coding_id = ? WHERE id = ?", ((old, i) for i, old, _new in tellings))


def usage(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """code id -> (codings, distinct documents), all coders."""
    return {c: (n, d) for c, n, d in conn.execute(
        "SELECT code_id, count(*), count(DISTINCT document_id) FROM coding GROUP BY code_id")}


def first_examples(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """code id -> (document name, coded text) of one real coding per code: the first in
    document-name and text order, so the choice is stable from one export to the next."""
    # choose by ids first: a window over rows that carried the document text would copy the
    # whole text once per coding into the sorter
    q = (
        "WITH firsts AS (SELECT id FROM (SELECT c.id, row_number() OVER ("
        " PARTITION BY c.code_id ORDER BY d.name, c.start, c.\"end\", c.id) AS k"
        " FROM coding c JOIN document d ON d.id = c.document_id) WHERE k = 1) "
        "SELECT c.code_id, d.name, substr(d.text, c.start + 1, c.\"end\" - c.start) "
        "FROM firsts f JOIN coding c ON c.id = f.id JOIN document d ON d.id = c.document_id"
    )
    return {code_id: (doc, text) for code_id, doc, text in conn.execute(q)}
