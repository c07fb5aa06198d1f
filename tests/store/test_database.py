"""Creating and opening project files: settings, meta, and every way a file is refused."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from qualcode.errors import ProjectError
from qualcode.store import database
from qualcode.store.database import APPLICATION_ID, create, open_db
from qualcode.store.lock import lock_path
from qualcode.store.migrations import SCHEMA_VERSION

from .conftest import DOC_TEXT, raw, snapshot

EXPECTED_TABLES = {
    "meta", "coder", "case_", "attribute", "attribute_value", "document", "document_case", "speaker_turn",
    "segment", "code", "coding", "memo", "audit", "story", "story_element", "telling", "transmission",
    "realization",
}


def pragma(conn, name):
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


# -- create -----------------------------------------------------------------------------------

def test_create_sets_connection_pragmas(tmp_path):
    with create(tmp_path / "p.qualcode") as db:
        assert pragma(db.conn, "journal_mode") == "wal"
        assert pragma(db.conn, "foreign_keys") == 1
        assert pragma(db.conn, "synchronous") == 1  # NORMAL
        assert pragma(db.conn, "user_version") == SCHEMA_VERSION
        assert pragma(db.conn, "application_id") == APPLICATION_ID


def test_create_writes_meta(tmp_path):
    with create(tmp_path / "p.qualcode") as db:
        meta = db.meta()
    assert meta["application"] == "qualcode"
    assert int(meta["schema_version"]) == SCHEMA_VERSION
    parsed = uuid.UUID(meta["project_uuid"])
    assert str(parsed) == meta["project_uuid"] and parsed.version == 4
    assert meta["created_with"]
    assert meta["created_at"].endswith("+00:00")


def test_file_settings_persist_in_the_file(tmp_path):
    """WAL, user_version and application_id live in the file, not only in the connection."""
    path = tmp_path / "p.qualcode"
    create(path).close()
    assert path.read_bytes()[:16] == database.SQLITE_MAGIC
    conn = sqlite3.connect(path)
    try:
        assert pragma(conn, "journal_mode") == "wal"
        assert pragma(conn, "user_version") == SCHEMA_VERSION
        assert pragma(conn, "application_id") == APPLICATION_ID
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert EXPECTED_TABLES <= tables
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"coding_doc_start", "coding_code_doc_coder"} <= indexes
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_every_project_gets_its_own_uuid(tmp_path):
    uuids = set()
    for i in range(3):
        with create(tmp_path / f"p{i}.qualcode") as db:
            uuids.add(db.meta()["project_uuid"])
    assert len(uuids) == 3


def test_open_sets_foreign_keys_and_wal(seeded_path):
    with open_db(seeded_path.path) as db:
        assert pragma(db.conn, "foreign_keys") == 1
        assert pragma(db.conn, "journal_mode") == "wal"
    with open_db(seeded_path.path, readonly=True) as db:
        assert pragma(db.conn, "foreign_keys") == 1


def test_reopen_keeps_data_and_meta(tmp_path, seeded_path):
    before = snapshot(seeded_path.path)
    meta_before = dict(raw(seeded_path.path).execute("SELECT key, value FROM meta"))
    with open_db(seeded_path.path) as db:
        assert db.meta() == meta_before
        assert db.conn.execute("SELECT text FROM document").fetchone()[0] == DOC_TEXT
    assert snapshot(seeded_path.path) == before


def test_create_refuses_an_existing_project(seeded_path):
    before = seeded_path.path.read_bytes()
    with pytest.raises(ProjectError, match="already exists"):
        create(seeded_path.path)
    assert seeded_path.path.read_bytes() == before
    assert not lock_path(seeded_path.path).exists()


def test_create_refuses_any_existing_file_or_folder(tmp_path):
    other = tmp_path / "notes.qualcode"
    other.write_text("my notes", encoding="utf-8")
    with pytest.raises(ProjectError, match="already exists"):
        create(other)
    assert other.read_text(encoding="utf-8") == "my notes"
    folder = tmp_path / "folder.qualcode"
    folder.mkdir()
    with pytest.raises(ProjectError, match="already exists"):
        create(folder)


def test_create_refuses_a_missing_folder(tmp_path):
    target = tmp_path / "nope" / "p.qualcode"
    with pytest.raises(ProjectError, match="does not exist"):
        create(target)
    assert not target.parent.exists()


def test_close_is_idempotent_and_releases_the_lock(tmp_path):
    path = tmp_path / "p.qualcode"
    db = create(path)
    assert lock_path(path).exists()
    db.close()
    db.close()
    assert not lock_path(path).exists()


# -- open: refusals ----------------------------------------------------------------------------

def _sqlite_file(path, statements):
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def _text_file(path):
    path.write_text("Interviewer: this is a transcript, not a project\n", encoding="utf-8")


def _empty_file(path):
    path.write_bytes(b"")


def _short_magic(path):
    path.write_bytes(b"SQLite for")  # shorter than the 16-byte header


def _foreign_sqlite(path):
    _sqlite_file(path, ["CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('soup')"])


def _foreign_meta(path):
    _sqlite_file(path, ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
                        "INSERT INTO meta VALUES ('application', 'othertool'), ('schema_version', '1')"])


def _empty_sqlite(path):
    _sqlite_file(path, ["CREATE TABLE t (x)", "DROP TABLE t"])


def _no_schema_version(path):
    _sqlite_file(path, ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
                        "INSERT INTO meta VALUES ('application', 'qualcode')"])


def _bad_schema_version(path):
    _sqlite_file(path, ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
                        "INSERT INTO meta VALUES ('application', 'qualcode'), ('schema_version', 'one')"])


REFUSED = [
    pytest.param(_text_file, "not an SQLite database", id="text-file"),
    pytest.param(_empty_file, "not an SQLite database", id="zero-bytes"),
    pytest.param(_short_magic, "not an SQLite database", id="short-file"),
    pytest.param(_foreign_sqlite, "not a QualCode project", id="foreign-sqlite"),
    pytest.param(_foreign_meta, "not a QualCode project", id="foreign-meta"),
    pytest.param(_empty_sqlite, "not a QualCode project", id="empty-sqlite"),
    pytest.param(_no_schema_version, "damaged", id="no-schema-version"),
    pytest.param(_bad_schema_version, "damaged", id="bad-schema-version"),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
@pytest.mark.parametrize("make, message", REFUSED)
def test_open_refuses_what_is_not_a_usable_project(tmp_path, make, message, readonly):
    path = tmp_path / "thing.qualcode"
    make(path)
    before = path.read_bytes()
    with pytest.raises(ProjectError, match=message) as info:
        open_db(path, readonly=readonly)
    assert path.name in str(info.value)
    assert path.read_bytes() == before, "a refused file must be left exactly as it was"
    assert not lock_path(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_open_refuses_a_missing_file(tmp_path, readonly):
    path = tmp_path / "missing.qualcode"
    with pytest.raises(ProjectError, match="no project at") as info:
        open_db(path, readonly=readonly)
    assert "qualcode new" in str(info.value)
    assert not path.exists() and not lock_path(path).exists()


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_open_refuses_a_folder(tmp_path, readonly):
    folder = tmp_path / "folder.qualcode"
    folder.mkdir()
    with pytest.raises(ProjectError, match="is a folder"):
        open_db(folder, readonly=readonly)
    assert not lock_path(folder).exists()


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_open_refuses_a_damaged_project(seeded_path, readonly):
    """A real project cut short after its header: SQLite magic, broken pages."""
    path = seeded_path.path
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x5a" * 4000)
    with pytest.raises(ProjectError) as info:
        open_db(path, readonly=readonly)
    message = str(info.value)
    assert path.name in message
    assert "malformed" in message or "damaged" in message
    assert not lock_path(path).exists()


def _set_schema_version(path, version):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_open_refuses_a_project_from_a_newer_version(seeded_path, readonly):
    path = seeded_path.path
    _set_schema_version(path, SCHEMA_VERSION + 1)
    before = snapshot(path)
    with pytest.raises(ProjectError, match="newer QualCode") as info:
        open_db(path, readonly=readonly)
    message = str(info.value)
    assert f"schema {SCHEMA_VERSION + 1}" in message and f"up to {SCHEMA_VERSION}" in message
    assert not lock_path(path).exists()
    assert not list(path.parent.glob("*.bak")), "a newer file is never migrated or backed up"
    assert snapshot(path) == before
    assert raw(path).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION + 1)


# -- read-only ---------------------------------------------------------------------------------

def test_readonly_open_cannot_write(seeded_path):
    before = snapshot(seeded_path.path)
    with open_db(seeded_path.path, readonly=True) as db:
        assert db.readonly
        assert not lock_path(seeded_path.path).exists(), "readers take no lock"
        with pytest.raises(ProjectError, match="read-only"):
            with db.transaction() as conn:
                conn.execute("INSERT INTO coder(name) VALUES ('intruder')")
        # Even SQL that bypasses transaction() is refused by SQLite itself.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.conn.execute("INSERT INTO coder(name) VALUES ('intruder')")
        assert db.conn.execute("SELECT count(*) FROM coding").fetchone()[0] == 1
    assert snapshot(seeded_path.path) == before


def test_readonly_open_reads_while_a_writer_is_open(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        conn.execute("INSERT INTO coder(name) VALUES ('ben')")
    with open_db(db.path, readonly=True) as reader:
        names = [r[0] for r in reader.conn.execute("SELECT name FROM coder ORDER BY id")]
    assert names == ["ana", "ben"]
