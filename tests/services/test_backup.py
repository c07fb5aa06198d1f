"""Rotating backups on open, backups on demand, and restoring one."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qualcode.errors import InvalidInput, NotFound, ProjectError, ProjectLocked
from qualcode.services import backup, coding
from qualcode.services.project import open_project
from qualcode.store import audit
from qualcode.store.migrations import SCHEMA_VERSION
from tests.fixtures.make_fixtures import fixture_path

from ._helpers import table_checksums


@pytest.fixture(autouse=True)
def new_session(monkeypatch):
    """Each test starts as a fresh process would: nothing backed up yet in this session."""
    monkeypatch.setattr(backup, "_BACKED_UP", set())
    monkeypatch.delenv(backup.ENV, raising=False)


def session_ends():
    backup._BACKED_UP.clear()


def automatic(project):
    return [b for b in backup.list_backups(project) if b.kind == backup.AUTOMATIC]


def without_audit(sums: dict) -> dict:
    return {k: v for k, v in sums.items() if k != "audit"}


def add(project, start: int):
    with open_project(project) as db:
        coding.add_coding(db, "01_halden", "lock-in", start, start + 4, "Backup tester")


def test_opening_for_writing_backs_up_the_project_as_it_was(sample_copy):
    before = table_checksums(sample_copy)
    with open_project(sample_copy) as db:
        coding.add_coding(db, "01_halden", "lock-in", 0, 4, "Backup tester")
    made = automatic(sample_copy)
    assert len(made) == 1
    assert made[0].path.parent == sample_copy.with_name("demo.qualcode-backups")
    assert made[0].path.name.startswith("demo-") and made[0].path.suffix == ".qualcode"
    assert table_checksums(made[0].path) == before  # taken before the edit, a complete project
    assert not [p for p in made[0].path.parent.iterdir() if p.suffix != ".qualcode"]  # one file, no -wal


def test_at_most_one_backup_per_session_and_none_when_unchanged(sample_copy):
    add(sample_copy, 0)
    add(sample_copy, 10)  # same session: no second backup
    assert len(automatic(sample_copy)) == 1
    session_ends()
    add(sample_copy, 20)  # changed since the backup: a new one
    assert len(automatic(sample_copy)) == 2
    session_ends()
    with open_project(sample_copy):
        pass
    session_ends()
    with open_project(sample_copy):  # nothing changed since the last open's backup
        pass
    newest = automatic(sample_copy)
    assert len(newest) == 3
    assert without_audit(table_checksums(newest[0].path)) == without_audit(table_checksums(sample_copy))


def test_only_the_newest_backups_are_kept(sample_copy, monkeypatch):
    monkeypatch.setenv(backup.ENV, "3")
    for i in range(6):
        add(sample_copy, i * 10)
        session_ends()
    kept = automatic(sample_copy)
    assert len(kept) == 3
    assert [b.created for b in kept] == sorted((b.created for b in kept), reverse=True)
    with sqlite3.connect(kept[0].path) as conn:  # the newest holds all but the last edit
        assert conn.execute("SELECT count(*) FROM coding c JOIN coder k ON k.id = c.coder_id "
                            "WHERE k.name = 'Backup tester'").fetchone()[0] == 5


def test_backups_can_be_turned_off_and_a_bad_setting_is_refused(sample_copy, monkeypatch):
    monkeypatch.setenv(backup.ENV, "0")
    add(sample_copy, 0)
    assert backup.list_backups(sample_copy) == []
    monkeypatch.setenv(backup.ENV, "many")
    with pytest.raises(InvalidInput, match="QUALCODE_BACKUPS must be a whole number"):
        open_project(sample_copy)
    assert not sample_copy.with_name("demo.qualcode.lock").exists()


def test_read_only_opens_make_no_backup(sample_copy):
    with open_project(sample_copy, readonly=True):
        pass
    assert not sample_copy.with_name("demo.qualcode-backups").exists()


def test_a_damaged_project_does_not_push_out_a_sound_backup(sample_copy, caplog):
    add(sample_copy, 0)
    session_ends()
    good = automatic(sample_copy)
    data = bytearray(sample_copy.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    middle = len(data) // page // 2
    data[middle * page + 8:middle * page + 200] = bytes(range(192))
    sample_copy.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="qualcode.services.backup"):
        with open_project(sample_copy):
            pass
    assert automatic(sample_copy) == good
    assert "looks damaged" in caplog.text and "qualcode check" in caplog.text


def test_backup_on_demand(sample_copy, tmp_path):
    out = tmp_path / "copy.qualcode"
    with open_project(sample_copy):  # open elsewhere for writing: a backup is still consistent
        assert backup.backup(sample_copy, out) == out
    assert table_checksums(out) == table_checksums(sample_copy)
    with pytest.raises(ProjectError, match="already exists"):
        backup.backup(sample_copy, out)
    with pytest.raises(ProjectError, match="does not exist"):
        backup.backup(sample_copy, tmp_path / "nowhere" / "x.qualcode")
    made = backup.backup(sample_copy)
    assert made.parent == backup.folder(sample_copy) and automatic(sample_copy)[0].path == made


def test_an_old_project_is_backed_up_without_being_upgraded(tmp_path):
    old = tmp_path / "old.qualcode"
    shutil.copy(fixture_path(1), old)
    copy = backup.backup(old, tmp_path / "old-copy.qualcode")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert table_checksums(copy) == table_checksums(old)


def test_a_file_that_is_not_a_project_is_not_backed_up(tmp_path):
    text = tmp_path / "notes.qualcode"
    text.write_text("just notes")
    with pytest.raises(ProjectError, match="not a QualCode project"):
        backup.backup(text, tmp_path / "x.qualcode")


# -- restore -------------------------------------------------------------------------------------

def test_restore_replaces_the_project_and_keeps_the_replaced_file(sample_copy):
    add(sample_copy, 0)
    session_ends()
    snapshot = automatic(sample_copy)[0]
    expected = table_checksums(snapshot.path)
    add(sample_copy, 10)
    replaced_bytes = sample_copy.read_bytes()

    report = backup.restore(snapshot.path, sample_copy)
    assert without_audit(table_checksums(sample_copy)) == without_audit(expected)
    with open_project(sample_copy, readonly=True) as db:
        assert audit.entries(db.conn, "project.restore")[-1][3] == {"from": str(snapshot.path)}
    kept = report.replaced_copy
    assert kept and os.path.dirname(kept) == str(backup.folder(sample_copy))
    assert open(kept, "rb").read() == replaced_bytes
    kinds = {b.path.name: b.kind for b in backup.list_backups(sample_copy)}
    assert kinds[os.path.basename(kept)] == backup.REPLACED
    assert report.as_dict()["schema_version"] == SCHEMA_VERSION


HOLD_WAL = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO coder(name) VALUES ('only in the log')")
    print("ready", flush=True)
    time.sleep(60)
""")


def test_a_leftover_log_of_the_replaced_project_is_not_replayed_into_the_restored_one(sample_copy, tmp_path):
    snapshot = backup.backup(sample_copy, tmp_path / "snap.qualcode")
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WAL, str(sample_copy)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)  # dies with its committed row only in the -wal file
    proc.wait()
    assert sample_copy.with_name("demo.qualcode-wal").stat().st_size > 0

    report = backup.restore(snapshot, sample_copy)
    names = [r[0] for r in sqlite3.connect(sample_copy).execute("SELECT name FROM coder")]
    assert "only in the log" not in names
    kept = [r[0] for r in sqlite3.connect(report.replaced_copy).execute("SELECT name FROM coder")]
    assert "only in the log" in kept  # the replaced project, with its log, as it was


def test_restore_creates_a_missing_project(sample_copy, tmp_path):
    target = tmp_path / "gone.qualcode"
    report = backup.restore(sample_copy, target)
    assert report.replaced_copy is None
    assert without_audit(table_checksums(target)) == without_audit(table_checksums(sample_copy))


def test_restore_refuses_bad_backups_and_leaves_the_project_alone(sample_copy, tmp_path):
    before = sample_copy.read_bytes()
    junk = tmp_path / "junk.qualcode"
    junk.write_text("not a database")
    newer = tmp_path / "newer.qualcode"
    shutil.copy(fixture_path(SCHEMA_VERSION), newer)
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    damaged = tmp_path / "damaged.qualcode"
    data = bytearray(sample_copy.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[(len(data) // page - 2) * page + 8:(len(data) // page - 2) * page + 300] = b"\x07" * 292
    damaged.write_bytes(bytes(data))
    cases = [(tmp_path / "missing.qualcode", NotFound, "no backup at"),
             (junk, ProjectError, "not a QualCode project"),
             (newer, ProjectError, "newer QualCode"),
             (damaged, ProjectError, "is damaged"),
             (sample_copy, InvalidInput, "is the project itself")]
    for source, error, message in cases:
        with pytest.raises(error, match=message):
            backup.restore(source, sample_copy)
    assert sample_copy.read_bytes() == before
    assert not backup.folder(sample_copy).exists()


def test_restore_refuses_a_project_that_is_open(sample_copy, tmp_path):
    snapshot = backup.backup(sample_copy, tmp_path / "snap.qualcode")
    with open_project(sample_copy):
        with pytest.raises(ProjectLocked, match="open in this window; close it"):
            backup.restore(snapshot, sample_copy)
    hold = "import sys; from qualcode.store.database import open_db; db = open_db(sys.argv[1]); " \
           "print('ready', flush=True); sys.stdin.readline()"
    proc = subprocess.Popen([sys.executable, "-c", hold, str(sample_copy)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(ProjectLocked, match="open in another QualCode process"):
            backup.restore(snapshot, sample_copy)
    finally:
        proc.communicate("\n", timeout=30)


def test_restore_will_not_replace_something_that_is_not_a_project(sample_copy, tmp_path):
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"PK\x03\x04 my thesis")
    with pytest.raises(ProjectError, match="not a project file; refusing"):
        backup.restore(sample_copy, thesis)
    assert thesis.read_bytes() == b"PK\x03\x04 my thesis"


def test_list_backups_includes_copies_made_before_an_upgrade(tmp_path):
    old = tmp_path / "old.qualcode"
    shutil.copy(fixture_path(1), old)
    with open_project(old):
        pass
    kinds = [b.kind for b in backup.list_backups(old)]
    assert sorted(kinds) == sorted([backup.UPGRADE, backup.AUTOMATIC])
    upgrade = next(b for b in backup.list_backups(old) if b.kind == backup.UPGRADE)
    with sqlite3.connect(upgrade.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.list_backups(tmp_path / "other.qualcode") == []


def test_the_window_can_pass_its_own_number_of_backups(sample_copy, monkeypatch):
    monkeypatch.setenv(backup.ENV, "0")
    for i in range(3):
        with open_project(sample_copy, backups=2) as db:
            coding.add_coding(db, "01_halden", "lock-in", i, i + 3, "Window")
        session_ends()
    assert len(automatic(sample_copy)) == 2
