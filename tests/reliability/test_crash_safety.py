"""kill -9 in the middle of a batch import, a codings import, a merge and a migration.

After each kill the project is reopened as a user would: the file passes SQLite's integrity
check and ``qualcode check``, every earlier action is there, and the interrupted action is
there whole or not at all. Each test also shows that the kill really landed inside an open
transaction: the write-ahead log left behind holds frames that were never committed.
"""

from __future__ import annotations

import random
import shutil
import sqlite3

from qualcode.core import segmentation
from qualcode.services import check
from qualcode.services.project import open_project
from qualcode.store import audit
from tests.cli._helpers import assert_user_error, run, table_checksums
from tests.fixtures.make_fixtures import fixture_path

from . import _crash

WORDS = ("the mill machine buyer price loom river spring cluster cooperative design order contract "
         "weaver dye cotton export credit bank union strike harvest market").split()


def transcript(rng: random.Random, paragraphs: int) -> str:
    """Speaker-labelled paragraphs of random sentences (~40 KB for 60 paragraphs)."""
    out = []
    for i in range(paragraphs):
        who = "Interviewer" if i % 2 == 0 else "Halden"
        sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(6)]
        out.append(f"{who}: {' '.join(sentences)}")
    return "\n\n".join(out)


def sound(db) -> None:
    report = check.check(db)
    assert report.ok, report.as_dict()


def assert_whole(db, name: str, text: str) -> None:
    """The document is there with its text, paragraphs, sentences, turns and audit entry."""
    doc_id, stored = db.conn.execute("SELECT id, text FROM document WHERE name = ?", (name,)).fetchone()
    assert stored == text
    paras = [tuple(r) for r in db.conn.execute(
        "SELECT start, \"end\" FROM segment WHERE document_id = ? AND kind = 'paragraph' ORDER BY start", (doc_id,))]
    assert paras == segmentation.paragraphs(text)
    assert db.conn.execute("SELECT count(*) FROM segment WHERE document_id = ? AND kind = 'sentence'",
                           (doc_id,)).fetchone()[0] >= len(paras)
    labels = [r[0] for r in db.conn.execute("SELECT label FROM speaker_turn WHERE document_id = ? ORDER BY start",
                                            (doc_id,))]
    assert labels == [label for _, _, label in segmentation.speaker_turns(text)]
    assert [p["name"] for _, _, _, p in audit.entries(db.conn, "document.import") if p["name"] == name] == [name]


def batch(tmp_path, n: int, paragraphs: int = 60) -> dict[str, str]:
    rng = random.Random(n)
    folder = tmp_path / "batch"
    folder.mkdir()
    texts = {f"t{i:03d}": transcript(rng, paragraphs) for i in range(n)}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return texts


def test_kill_inside_the_nth_document_of_a_batch_import(sample_copy, tmp_path):
    texts = batch(tmp_path, 20)
    before = table_checksums(sample_copy)
    proc, marker = _crash.start(tmp_path, "document:8", "import", sample_copy, tmp_path / "batch")
    _crash.kill_at_marker(proc, marker)
    assert _crash.uncommitted_frames(sample_copy) > 0

    with open_project(sample_copy) as db:  # takes over the dead process's lock
        sound(db)
        names = {r[0] for r in db.conn.execute("SELECT name FROM document WHERE name LIKE 't%'")}
        assert names == set(sorted(texts)[:7])  # the eighth was in flight: not there at all
        for name in names:
            assert_whole(db, name, texts[name])
    after = table_checksums(sample_copy)
    for table in ("code", "coder", "coding", "memo", "story", "telling", "case_", "realization"):
        assert after[table] == before[table], table

    # The batch can simply be run again: the finished ones are skipped, the rest imported.
    rc, out, err = run("import", sample_copy, tmp_path / "batch")
    assert rc == 0, err
    with open_project(sample_copy) as db:
        sound(db)
        for name, text in texts.items():
            assert_whole(db, name, text)


def test_kill_at_an_arbitrary_moment_of_a_batch_import(sample_copy, tmp_path):
    """No hook: the kill lands wherever the import happens to be."""
    texts = batch(tmp_path, 60, paragraphs=30)
    proc, _ = _crash.start(tmp_path, "none", "import", sample_copy, tmp_path / "batch")
    imports = "SELECT count(*) FROM audit WHERE action = 'document.import' AND payload LIKE '%\"name\": \"t%'"
    _crash.kill_when(proc, lambda: _crash.count(sample_copy, imports) >= 5)
    with open_project(sample_copy) as db:
        sound(db)
        names = [r[0] for r in db.conn.execute("SELECT name FROM document WHERE name LIKE 't%' ORDER BY name")]
        assert len(names) >= 5 and names == sorted(texts)[:len(names)]
        for name in names:
            assert_whole(db, name, texts[name])


def test_kill_inside_a_large_codings_import(sample_copy, tmp_path):
    rng = random.Random(7)
    with open_project(sample_copy, readonly=True) as db:
        lengths = dict(db.conn.execute("SELECT name, chars FROM document"))
    rows = ["document,code,coder,start,end,text,memo"]
    names = sorted(lengths)
    for i in range(40_000):
        doc = names[i % len(names)]
        start = rng.randrange(lengths[doc] - 40)
        rows.append(f"{doc},bulk/code {i % 50},bulk coder,{start},{start + rng.randrange(1, 40)},,row {i}")
    csv_path = tmp_path / "bulk.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = table_checksums(sample_copy)

    proc, marker = _crash.start(tmp_path, "codings", "codings", "import", sample_copy, csv_path)
    _crash.kill_at_marker(proc, marker)
    assert _crash.uncommitted_frames(sample_copy) > 0

    with open_project(sample_copy) as db:
        sound(db)
    assert table_checksums(sample_copy) == before  # not one of the 40,000 rows, no new code or coder

    rc, out, err = run("codings", "import", sample_copy, csv_path)
    assert rc == 0 and "imported 40000" in out, err
    with open_project(sample_copy, readonly=True) as db:
        assert db.conn.execute("SELECT count(*) FROM coding c JOIN coder k ON k.id = c.coder_id "
                               "WHERE k.name = 'bulk coder'").fetchone()[0] == 40_000


def test_kill_inside_a_merge(sample_copy, tmp_path):
    first, second = tmp_path / "first.qualcode", tmp_path / "second.qualcode"
    shutil.copy(sample_copy, first)
    shutil.copy(sample_copy, second)
    rc, _, err = run("code", second, "--document", "01_halden", "--code", "lock-in", "--start", "0", "--end", "9",
                     "--coder", "Third")
    assert rc == 0, err
    inputs = {p: table_checksums(p) for p in (first, second)}
    out = tmp_path / "merged.qualcode"

    proc, marker = _crash.start(tmp_path, "merge:2", "merge", out, first, second)
    _crash.kill_at_marker(proc, marker)

    assert not out.exists()  # no OUT that looks like a finished (or empty) merge
    rc, stdout, err = run("info", out)
    assert_user_error(rc, stdout, err, "no project at")
    for p, sums in inputs.items():
        assert table_checksums(p) == sums

    rc, stdout, err = run("merge", out, first, second)  # nothing in the way of running it again
    assert rc == 0, err
    with open_project(out) as db:
        sound(db)
        coders = {r[0] for r in db.conn.execute("SELECT name FROM coder")}
        assert "Third" in coders
        assert db.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 12


def test_kill_inside_a_migration(tmp_path):
    path = tmp_path / "old.qualcode"
    shutil.copy(fixture_path(1), path)
    # a big table for the upgrade to work through (migration 3 indexes every paragraph)
    text = transcript(random.Random(3), 400)
    conn = sqlite3.connect(path)
    cur = conn.execute("INSERT INTO document(name, chars, text, sha256) VALUES ('big', ?, ?, 'x')", (len(text), text))
    conn.executemany("INSERT INTO segment(document_id, kind, start, \"end\") VALUES (?, 'paragraph', ?, ?)",
                     [(cur.lastrowid, s, e) for s, e in segmentation.paragraphs(text)])
    conn.commit()
    conn.close()
    before = table_checksums(path)

    proc, marker = _crash.start(tmp_path, "migration", "check", path, "--repair")  # any writer upgrades
    _crash.kill_at_marker(proc, marker)
    assert _crash.uncommitted_frames(path) > 0

    conn = sqlite3.connect(path)  # read as it is, without upgrading
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    after = table_checksums(path)
    assert after == before  # the old version, intact: no table of a later version, no changed row

    with open_project(path) as db:  # a normal open upgrades it
        sound(db)
        assert db.conn.execute("SELECT count(*) FROM segment WHERE document_id = (SELECT id FROM document "
                               "WHERE name = 'big')").fetchone()[0] == 400
    assert list(tmp_path.glob("old.qualcode.v1-*.bak"))
