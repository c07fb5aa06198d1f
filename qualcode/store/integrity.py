"""What ``qualcode check`` reads to judge a project sound, and the few repairs it may make.

Most invariants are enforced when rows are written (foreign keys, CHECK constraints, span
triggers). This module looks for what can still go wrong: a file damaged on disk, rows written
with foreign keys off (another tool, an old version, a hand edit), owners that SQLite cannot
check (attribute values and memos point at one of several tables), derived data out of step
(segments, the full-text index, the cached document length), and trees that loop.

Every function returns plain counts and a few example names; the service words them. The
repairs only touch rows that are unreachable or derived: they never move a span.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

EXAMPLES = 3


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _examples(rows) -> tuple[str, ...]:
    return tuple(str(r[0]) for r in rows[:EXAMPLES])


# -- the file ---------------------------------------------------------------------------------------

def integrity_errors(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """SQLite's own check of every page, index and constraint; empty when sound. A file too
    damaged to finish the check yields the error that stopped it."""
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    if rows == ["ok"]:
        return []
    lines = (line.strip() for row in rows for line in row.splitlines())
    return [line for line in lines if line and not line.startswith("*** in database")]


def schema_versions(conn: sqlite3.Connection) -> tuple[str | None, int]:
    """(meta.schema_version, PRAGMA user_version): the two places the version is kept."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return (row[0] if row else None), conn.execute("PRAGMA user_version").fetchone()[0]


# -- references -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BrokenReference:
    """Rows of ``table`` whose ``column`` names a missing row of ``parent``; ``action`` is the
    key's ON DELETE action, which says what deleting the parent would have done to them."""

    table: str
    column: str
    parent: str
    parent_key: str
    action: str
    count: int


def broken_references(conn: sqlite3.Connection) -> list[BrokenReference]:
    counts: dict[tuple[str, int], int] = {}
    for table, _rowid, _parent, fkid in conn.execute("PRAGMA foreign_key_check"):
        counts[(table, fkid)] = counts.get((table, fkid), 0) + 1
    out = []
    for (table, fkid), n in sorted(counts.items()):
        keys = [r for r in conn.execute(f"PRAGMA foreign_key_list({_ident(table)})") if r[0] == fkid]
        # (id, seq, table, from, to, on_update, on_delete, match); single-column keys only here
        _, _, parent, column, to, _, on_delete, _ = keys[0]
        out.append(BrokenReference(table, column, parent, to or "id", on_delete.upper(), n))
    return out


def repair_reference(conn: sqlite3.Connection, ref: BrokenReference) -> int:
    """Do what the key's ON DELETE action would have done: CASCADE deletes the rows, SET NULL
    clears the column. Any other action (RESTRICT: the parent should never have gone) is left
    alone and 0 returned."""
    missing = (f"{_ident(ref.column)} IS NOT NULL AND {_ident(ref.column)} NOT IN "
               f"(SELECT {_ident(ref.parent_key)} FROM {_ident(ref.parent)})")
    if ref.action == "CASCADE":
        return conn.execute(f"DELETE FROM {_ident(ref.table)} WHERE {missing}").rowcount
    if ref.action == "SET NULL":
        return conn.execute(f"UPDATE {_ident(ref.table)} SET {_ident(ref.column)} = NULL WHERE {missing}").rowcount
    return 0


# Owners SQLite cannot check: attribute values belong to a document or a case (by the
# attribute's scope), memos to whatever their target_type names.
_ORPHAN_VALUES = """
    FROM attribute_value v JOIN attribute a ON a.id = v.attribute_id
    WHERE (a.scope = 'document' AND v.owner_id NOT IN (SELECT id FROM document))
       OR (a.scope = 'case' AND v.owner_id NOT IN (SELECT id FROM case_))"""
_MEMO_TABLES = {"document": "document", "case": "case_", "code": "code", "coding": "coding", "story": "story",
                "telling": "telling"}
_ORPHAN_MEMOS = " OR ".join(
    [f"(target_type = '{t}' AND (target_id IS NULL OR target_id NOT IN (SELECT id FROM {table})))"
     for t, table in _MEMO_TABLES.items()] + ["(target_type = 'project' AND target_id IS NOT NULL)"])


def orphan_attribute_values(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT count(*) {_ORPHAN_VALUES}").fetchone()[0]


def delete_orphan_attribute_values(conn: sqlite3.Connection) -> int:
    """Values of a deleted document or case: never shown, but a new owner reusing the id
    would inherit them."""
    return conn.execute(
        f"DELETE FROM attribute_value WHERE (attribute_id, owner_id) IN (SELECT v.attribute_id, v.owner_id "
        f"{_ORPHAN_VALUES})").rowcount


def orphan_memos(conn: sqlite3.Connection) -> dict[str, int]:
    """target type -> memos whose target is gone."""
    return dict(conn.execute(f"SELECT target_type, count(*) FROM memo WHERE {_ORPHAN_MEMOS} GROUP BY target_type"))


def rehome_orphan_memos(conn: sqlite3.Connection) -> int:
    """Keep the words of memos whose target is gone as project memos (a memo is the
    researcher's writing; a new row reusing the old target's id would otherwise adopt it)."""
    return conn.execute(f"UPDATE memo SET target_type = 'project', target_id = NULL WHERE {_ORPHAN_MEMOS}").rowcount


# -- spans ------------------------------------------------------------------------------------------

# what -> (table, document column, start column, end column); segments are checked apart,
# since they can be made again (documents_to_resegment)
_SPAN_TABLES = {
    "coding": ("coding", "document_id", "start", '"end"'),
    "telling": ("telling", "document_id", "start", '"end"'),
    "speaker turn": ("speaker_turn", "document_id", "start", '"end"'),
    "rejected story passage": ("story_rejected_passage", "document_id", "start", '"end"'),
    "transmission evidence span": ("transmission", "evidence_document_id", "evidence_start", "evidence_end"),
}


def spans_outside(conn: sqlite3.Connection) -> list[tuple[str, int, tuple[str, ...]]]:
    """(what, rows, example documents) for rows whose span is empty, negative or runs past
    the end of its document."""
    out = []
    for label, (table, doc, start, end) in _SPAN_TABLES.items():
        rows = conn.execute(
            f"SELECT d.name FROM {table} x JOIN document d ON d.id = x.{doc} "
            f"WHERE x.{start} IS NOT NULL AND (x.{start} < 0 OR x.{end} IS NULL OR x.{end} <= x.{start} "
            f"OR x.{end} > d.chars) ORDER BY d.name").fetchall()
        if rows:
            out.append((label, len(rows), _examples(sorted({r for r in rows}))))
    return out


def wrong_lengths(conn: sqlite3.Connection) -> list[str]:
    """Documents whose cached length (what the span triggers compare with) is not the length
    of their text."""
    return [r[0] for r in conn.execute("SELECT name FROM document WHERE chars != length(text) ORDER BY name")]


def fix_lengths(conn: sqlite3.Connection) -> int:
    return conn.execute("UPDATE document SET chars = length(text) WHERE chars != length(text)").rowcount


def realizations_outside(conn: sqlite3.Connection) -> list[str]:
    """Story titles with a realization whose span is not inside its telling, or whose element
    belongs to another story."""
    return [r[0] for r in conn.execute(
        """SELECT DISTINCT s.title FROM realization r JOIN telling t ON t.id = r.telling_id
           JOIN story s ON s.id = t.story_id JOIN story_element e ON e.id = r.element_id
           WHERE e.story_id != t.story_id
              OR (r.start IS NOT NULL AND (r.start < t.start OR r."end" > t."end"))
           ORDER BY s.title""")]


# -- segments ---------------------------------------------------------------------------------------

def documents_to_resegment(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, name, why) of documents whose segments are missing, overlap or leave the text.
    Segments are derived from the text, so they can always be made again."""
    found: dict[int, tuple[str, str]] = {}
    for doc_id, name in conn.execute(
            """SELECT d.id, d.name FROM document d WHERE trim(d.text) != '' AND NOT EXISTS
               (SELECT 1 FROM segment s WHERE s.document_id = d.id AND s.kind = 'paragraph')"""):
        found[doc_id] = (name, "has no paragraphs")
    for doc_id, name in conn.execute(
            """SELECT DISTINCT x.document_id, d.name FROM (
                 SELECT document_id, start, lag("end") OVER (PARTITION BY document_id, kind ORDER BY start, "end")
                        AS before FROM segment) x JOIN document d ON d.id = x.document_id
               WHERE x.start < x.before"""):
        found.setdefault(doc_id, (name, "has overlapping segments"))
    for doc_id, name in conn.execute(
            'SELECT DISTINCT d.id, d.name FROM segment s JOIN document d ON d.id = s.document_id '
            'WHERE s.start < 0 OR s."end" <= s.start OR s."end" > d.chars'):
        found.setdefault(doc_id, (name, "has segments outside its text"))
    return sorted(((i, n, why) for i, (n, why) in found.items()), key=lambda r: r[1])


def document_for_segmenting(conn: sqlite3.Connection, document_id: int) -> tuple[str, str | None]:
    """(text, language) of a document."""
    return conn.execute("SELECT text, language FROM document WHERE id = ?", (document_id,)).fetchone()


def delete_segments(conn: sqlite3.Connection, document_id: int) -> int:
    return conn.execute("DELETE FROM segment WHERE document_id = ?", (document_id,)).rowcount


# -- trees ------------------------------------------------------------------------------------------

def code_cycles(conn: sqlite3.Connection) -> list[str]:
    """Names of codes that are their own ancestor (unreachable from the top of the tree)."""
    return [r[0] for r in conn.execute(
        """WITH RECURSIVE up(start, id) AS (
               SELECT id, parent_id FROM code WHERE parent_id IS NOT NULL
               UNION
               SELECT up.start, c.parent_id FROM up JOIN code c ON c.id = up.id WHERE c.parent_id IS NOT NULL)
           SELECT name FROM code WHERE id IN (SELECT start FROM up WHERE id = start) ORDER BY name""")]


def bad_merges(conn: sqlite3.Connection) -> list[str]:
    """Names of merged codes that do not lead to a code in use: no target, a missing target,
    or a chain of merges that comes back to itself."""
    return [r[0] for r in conn.execute(
        """WITH RECURSIVE chain(start, id) AS (
               SELECT id, merged_into FROM code WHERE status = 'merged' AND merged_into IS NOT NULL
               UNION
               SELECT chain.start, c.merged_into FROM chain JOIN code c ON c.id = chain.id
               WHERE c.status = 'merged' AND c.merged_into IS NOT NULL)
           SELECT name FROM code WHERE status = 'merged' AND (
               merged_into IS NULL OR merged_into NOT IN (SELECT id FROM code)
               OR id IN (SELECT start FROM chain WHERE id = start))
           ORDER BY name""")]


# -- full-text index --------------------------------------------------------------------------------

def fts_problem(conn: sqlite3.Connection) -> str | None:
    """None when ``text_fts`` matches the paragraphs it indexes, else SQLite's complaint.

    FTS5 runs its check as an INSERT, so this needs a writable connection; it is run in a
    savepoint that is rolled back, leaving nothing behind."""
    conn.execute("SAVEPOINT fts_check")
    try:
        conn.execute("INSERT INTO text_fts(text_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.execute("ROLLBACK TO fts_check")
        conn.execute("RELEASE fts_check")
    return None


def rebuild_fts(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO text_fts(text_fts) VALUES ('rebuild')")


@contextlib.contextmanager
def scratch_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A writable connection for checks that SQLite runs as writes (the FTS check) while the
    project itself is open read-only; it never commits."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        yield conn
    finally:
        conn.close()
