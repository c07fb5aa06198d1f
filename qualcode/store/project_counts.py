"""Whole-project counts for `qualcode info` and the status bar."""

from __future__ import annotations

import sqlite3

from .models import ProjectCounts


def counts(conn: sqlite3.Connection) -> ProjectCounts:
    one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731 - local shorthand
    return ProjectCounts(
        schema_version=int(one("SELECT value FROM meta WHERE key = 'schema_version'")),
        documents=one("SELECT count(*) FROM document"),
        cases=one("SELECT count(*) FROM case_"),
        codes=one("SELECT count(*) FROM code WHERE status != 'merged'"),
        codings=one("SELECT count(*) FROM coding"),
        coders=[r[0] for r in conn.execute("SELECT name FROM coder ORDER BY id")],
        stories=one("SELECT count(*) FROM story"),
        tellings=one("SELECT count(*) FROM telling"),
    )
