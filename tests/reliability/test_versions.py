"""Every earlier schema version opens, upgraded with its data intact; a newer one is refused.

The fixtures in tests/fixtures/ were made by the real migrations (make_fixtures.py). Each is
compared, table by table and column by column, with the project it becomes.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from qualcode.errors import ProjectError
from qualcode.services import check, search
from qualcode.services.project import info, open_project
from qualcode.store.migrations import SCHEMA_VERSION
from tests.cli._helpers import assert_user_error, run, table_checksums
from tests.fixtures.make_fixtures import DOCUMENTS, fixture_path

EARLIER = list(range(1, SCHEMA_VERSION))


def rows_by_table(path) -> dict[str, tuple[list[str], list[tuple]]]:
    """table -> (columns, rows in rowid order) for the ordinary tables of the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'text_fts_%'")]
        out = {}
        for t in names:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')]
            out[t] = (cols, conn.execute(f'SELECT * FROM "{t}"').fetchall())
        return out
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_schema_version():
    missing = [v for v in range(1, SCHEMA_VERSION) if not fixture_path(v).is_file()]
    assert not missing, f"run tests/fixtures/make_fixtures.py and commit schema_v{missing[0]}.qualcode"


@pytest.mark.parametrize("version", EARLIER)
def test_an_earlier_version_is_upgraded_with_its_data_intact(version, tmp_path):
    path = tmp_path / "old.qualcode"
    shutil.copy(fixture_path(version), path)
    before = rows_by_table(path)
    assert before["meta"][1] and dict(before["meta"][1])["schema_version"] == str(version)

    with open_project(path) as db:
        assert info(db)["schema_version"] == SCHEMA_VERSION
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        report = check.check(db)
        assert report.ok, report.as_dict()
        # the full-text index (migration 3) covers the old documents
        hits = search.search(db, "uncle")
        assert [h.document for h in hits] == ["02_varga"]

    after = rows_by_table(path)
    for table, (cols, rows) in before.items():
        if table == "meta":
            continue
        new_cols, new_rows = after[table]
        keep = [new_cols.index(c) for c in cols]  # a later migration may add columns, never drop them
        assert [tuple(r[i] for i in keep) for r in new_rows[:len(rows)]] == rows, table
    audit_rows = [r for r in after["audit"][1] if r[3] == "schema.migrate"]
    assert len(audit_rows) == SCHEMA_VERSION - version
    texts = dict(sqlite3.connect(path).execute("SELECT name, text FROM document"))
    assert texts == DOCUMENTS
    bak = sorted(tmp_path.glob(f"old.qualcode.v{version}-*.bak"))
    assert len(bak) == 1 and rows_by_table(bak[0])["coding"] == before["coding"]


def test_the_current_fixture_opens_unchanged(tmp_path):
    path = tmp_path / "current.qualcode"
    shutil.copy(fixture_path(SCHEMA_VERSION), path)
    before = table_checksums(path)
    with open_project(path) as db:
        assert check.check(db).ok
    assert table_checksums(path) == before
    assert not list(tmp_path.glob("*.bak"))


def _make_newer(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def test_a_newer_version_is_refused_clearly_and_left_alone(tmp_path):
    path = tmp_path / "newer.qualcode"
    shutil.copy(fixture_path(SCHEMA_VERSION), path)
    _make_newer(path)
    before = table_checksums(path)
    for readonly in (False, True):
        with pytest.raises(ProjectError, match=f"newer QualCode .*schema {SCHEMA_VERSION + 1}"):
            open_project(path, readonly=readonly)
    rc, out, err = run("info", path)
    assert_user_error(rc, out, err, "newer QualCode")
    rc, out, err = run("check", path)
    assert_user_error(rc, out, err, "newer QualCode")
    assert table_checksums(path) == before
    assert not (tmp_path / "newer.qualcode.lock").exists()
