"""Schema migrations: upgrade on open, backup first, audit row, all or nothing."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest

from qualcode.core import guids as guids_mod
from qualcode.errors import ProjectError
from qualcode.store import database, migrations
from qualcode.store.database import APPLICATION_ID, open_db
from qualcode.store.lock import lock_path

from .conftest import raw, seed, snapshot

# The fake migrations below are added on top of whatever this version ships.
V1 = migrations.SCHEMA_VERSION


def columns(conn, table):
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def m_add_column(conn):
    conn.execute("ALTER TABLE document ADD COLUMN transcriber TEXT")


def m_add_table(conn):
    migrations.run_script(conn, """
        CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        INSERT INTO tag(name) VALUES ('a;b');
    """)


def m_fails_halfway(conn):
    conn.execute("ALTER TABLE document ADD COLUMN transcriber TEXT")
    conn.execute("UPDATE document SET name = 'renamed'")
    raise RuntimeError("boom in migration")


def install(monkeypatch, *extra):
    """Pretend this QualCode knows more migrations than the shipped ones."""
    chain = list(migrations.MIGRATIONS) + list(extra)
    for module in (migrations, database):
        monkeypatch.setattr(module, "MIGRATIONS", chain)
        monkeypatch.setattr(module, "SCHEMA_VERSION", chain[-1][0])


def backups(path, version=V1):
    return sorted(path.parent.glob(f"{path.name}.v{version}-*.bak"))


def versions(path):
    conn = raw(path)
    try:
        meta = int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        return meta, conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def migrate_audit(conn):
    return [json.loads(p) for (p,) in conn.execute("SELECT payload FROM audit WHERE action = 'schema.migrate' ORDER BY id")]


def test_opening_an_older_project_upgrades_it(monkeypatch, seeded_path):
    path = seeded_path.path
    before = snapshot(path)
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column))
    with open_db(path) as db:
        assert int(db.meta()["schema_version"]) == V1 + 1
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == V1 + 1
        assert "transcriber" in columns(db.conn, "document")
        assert migrate_audit(db.conn) == [{"to": V1 + 1, "name": "transcriber"}]
        # The data came through untouched (new column is NULL).
        rows = db.conn.execute("SELECT * FROM document").fetchall()
        assert [r[:-1] for r in rows] == before["document"] and rows[0][-1] is None
        assert db.conn.execute("SELECT * FROM coding").fetchall() == before["coding"]
    assert versions(path) == (V1 + 1, V1 + 1)


def test_upgrade_writes_a_valid_v1_backup_first(monkeypatch, seeded_path):
    path = seeded_path.path
    before = snapshot(path)
    uuid_before = raw(path).execute("SELECT value FROM meta WHERE key = 'project_uuid'").fetchone()[0]
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column))
    open_db(path).close()

    found = backups(path)
    assert len(found) == 1
    assert re.fullmatch(re.escape(path.name) + rf"\.v{V1}-\d{{8}}-\d{{6}}\.bak", found[0].name)
    bak = found[0]
    conn = raw(bak)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta["application"] == "qualcode" and meta["schema_version"] == str(V1)
        assert meta["project_uuid"] == uuid_before and uuid.UUID(meta["project_uuid"])
        assert conn.execute("PRAGMA user_version").fetchone()[0] == V1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert "transcriber" not in columns(conn, "document")
        assert migrate_audit(conn) == []
    finally:
        conn.close()
    assert snapshot(bak) == before

    # The backup is a project the shipped version opens.
    monkeypatch.undo()
    with open_db(bak, readonly=True) as db:
        assert db.conn.execute("SELECT count(*) FROM coding").fetchone()[0] == 1


def test_a_real_version_1_project_upgrades_through_the_shipped_migrations(monkeypatch, tmp_path):
    """Not a fake: a file made by the first release opens under every later migration."""
    path = tmp_path / "old.qualcode"
    monkeypatch.setattr(database, "MIGRATIONS", migrations.MIGRATIONS[:1])
    db = database.create(path)
    seed(db)
    db.close()
    assert versions(path) == (1, 1)
    before = snapshot(path)
    monkeypatch.undo()

    with open_db(path) as db:
        assert int(db.meta()["schema_version"]) == migrations.SCHEMA_VERSION
        assert [a["to"] for a in migrate_audit(db.conn)] == [n for n, _, _ in migrations.MIGRATIONS[1:]]
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    after = snapshot(path)
    for table, rows in before.items():  # same rows; a migration may only add columns at the end
        width = len(rows[0]) if rows else 0
        assert [r[:width] for r in after[table]] == rows
    assert len(backups(path, 1)) == 1 and versions(backups(path, 1)[0]) == (1, 1)


def test_current_project_is_neither_migrated_nor_backed_up(seeded_path):
    with open_db(seeded_path.path) as db:
        assert migrate_audit(db.conn) == []
    assert list(seeded_path.path.parent.glob("*.bak")) == []


def test_upgrade_happens_once(monkeypatch, seeded_path):
    path = seeded_path.path
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column))
    open_db(path).close()
    for bak in backups(path):
        bak.unlink()
    with open_db(path) as db:
        assert len(migrate_audit(db.conn)) == 1
    assert backups(path) == [] and backups(path, V1 + 1) == []


def test_several_pending_migrations_run_in_order_after_one_backup(monkeypatch, seeded_path):
    path = seeded_path.path
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column), (V1 + 2, "tags", m_add_table))
    with open_db(path) as db:
        assert migrate_audit(db.conn) == [{"to": V1 + 1, "name": "transcriber"}, {"to": V1 + 2, "name": "tags"}]
        assert "transcriber" in columns(db.conn, "document")
        # run_script keeps the ';' inside a string literal and runs both statements.
        assert db.conn.execute("SELECT name FROM tag").fetchall() == [("a;b",)]
    assert versions(path) == (V1 + 2, V1 + 2)
    assert len(backups(path)) == 1 and backups(path, V1 + 1) == []


def test_a_failing_migration_leaves_the_project_at_v1_intact(monkeypatch, seeded_path):
    path = seeded_path.path
    before = snapshot(path)
    install(monkeypatch, (V1 + 1, "broken", m_fails_halfway))
    with pytest.raises(RuntimeError, match="boom in migration"):
        open_db(path)
    assert versions(path) == (V1, V1)
    assert snapshot(path) == before
    conn = raw(path)
    try:
        assert "transcriber" not in columns(conn, "document")
        assert migrate_audit(conn) == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert not lock_path(path).exists(), "a failed open must not leave the project locked"
    assert len(backups(path)) == 1, "the backup was taken before trying"

    # With the bug fixed, the same file upgrades normally.
    monkeypatch.undo()
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column))
    with open_db(path) as db:
        assert int(db.meta()["schema_version"]) == V1 + 1


def test_a_failing_migration_closes_its_connection(monkeypatch, seeded_path):
    opened = []
    real_connect = database._connect

    def tracking_connect(path, readonly):
        conn = real_connect(path, readonly)
        opened.append(conn)
        return conn

    monkeypatch.setattr(database, "_connect", tracking_connect)
    install(monkeypatch, (V1 + 1, "broken", m_fails_halfway))
    with pytest.raises(RuntimeError):
        open_db(seeded_path.path)
    assert opened
    for conn in opened:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")


def test_a_later_failing_migration_keeps_the_file_consistent(monkeypatch, seeded_path):
    """However far it got, the recorded version matches what was applied."""
    path = seeded_path.path
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column), (V1 + 2, "broken", lambda c: 1 / 0))
    with pytest.raises(ZeroDivisionError):
        open_db(path)
    meta_version, user_version = versions(path)
    assert meta_version == user_version and meta_version in (V1, V1 + 1)
    conn = raw(path)
    try:
        assert ("transcriber" in columns(conn, "document")) == (meta_version == V1 + 1)
        assert len(migrate_audit(conn)) == meta_version - V1
    finally:
        conn.close()


def test_readonly_open_of_an_older_project_is_refused_untouched(monkeypatch, seeded_path):
    path = seeded_path.path
    before = path.read_bytes()
    install(monkeypatch, (V1 + 1, "transcriber", m_add_column))
    with pytest.raises(ProjectError, match="older schema") as info:
        open_db(path, readonly=True)
    assert "open it once for writing" in str(info.value)
    assert path.read_bytes() == before
    assert backups(path) == []


def test_run_script_stays_inside_the_callers_transaction(empty_project):
    with pytest.raises(RuntimeError):
        with empty_project.transaction() as conn:
            migrations.run_script(conn, "CREATE TABLE x1 (a); CREATE TABLE x2 (b); INSERT INTO x1 VALUES (';');")
            assert conn.execute("SELECT a FROM x1").fetchall() == [(";",)]
            raise RuntimeError("abort")
    names = {r[0] for r in empty_project.conn.execute("SELECT name FROM sqlite_master")}
    assert not {"x1", "x2"} & names


def test_migrations_are_numbered_from_one_without_gaps():
    numbers = [n for n, _, _ in migrations.MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert migrations.SCHEMA_VERSION == numbers[-1]
    assert len({name for _, name, _ in migrations.MIGRATIONS}) == len(numbers)


def test_sqlite_made_guids_are_unique_32_hex_digits(empty_project):
    """Stored form: 32 lowercase hex digits; the dashed form is made only for exchange."""
    with empty_project.transaction() as conn:
        conn.executemany("INSERT INTO coder(name) VALUES (?)", [(f"c{i}",) for i in range(300)])
    guids = [g for (g,) in empty_project.conn.execute("SELECT guid FROM coder")]
    assert len(set(guids)) == 300
    for g in guids:
        assert re.fullmatch(r"[0-9a-f]{32}", g), g
        assert uuid.UUID(guids_mod.dashed(g)).hex == g


def test_sqlite_error_inside_migration_is_not_swallowed(monkeypatch, seeded_path):
    def bad_sql(conn):
        conn.execute("ALTER TABLE no_such_table ADD COLUMN x TEXT")

    install(monkeypatch, (V1 + 1, "bad sql", bad_sql))
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        open_db(seeded_path.path)
    assert versions(seeded_path.path) == (V1, V1)
