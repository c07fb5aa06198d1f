"""The append-only change log: written in the same transaction as the change it records."""

from __future__ import annotations

import json
import sqlite3


def record(conn: sqlite3.Connection, action: str, coder_id: int | None = None, **payload) -> None:
    conn.execute("INSERT INTO audit(coder_id, action, payload) VALUES (?, ?, ?)",
                 (coder_id, action, json.dumps(payload, ensure_ascii=False, sort_keys=True)))


def entries(conn: sqlite3.Connection, action_prefix: str = "") -> list[tuple[str, int | None, str, dict]]:
    rows = conn.execute("SELECT ts, coder_id, action, payload FROM audit WHERE action LIKE ? ORDER BY id",
                        (action_prefix + "%",))
    return [(ts, c, a, json.loads(p)) for ts, c, a, p in rows]
