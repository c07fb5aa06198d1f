"""Every user error: exit 2, one ``error:`` line on stderr, no traceback, and the project as it
was (all table contents compared before and after through plain sqlite3, no lock left behind)."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qualcode.store.migrations import SCHEMA_VERSION

from ._helpers import (SAMPLE_DIR, assert_user_error, lock_file, query, read_csv, run, stored_text,
                       table_checksums, transcripts)

HEADER = ["document", "code", "coder", "start", "end", "text", "memo"]


def write_csv(path, header, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def proj(sample_copy):
    """The sample copy plus its fingerprint; the test asserts it is unchanged at the end."""
    return sample_copy


def unchanged(project, before) -> None:
    assert table_checksums(project) == before
    assert not lock_file(project).exists(), "a failed command left its lock file behind"


def doc_and_length():
    f = transcripts()[0]
    return f.stem, len(stored_text(f.read_bytes()))


def a_code() -> str:
    return read_csv(SAMPLE_DIR / "codebook.csv")[-1]["path"]


# -- the project file itself ---------------------------------------------------------------------

@pytest.mark.parametrize("command", [["info"], ["documents"], ["codings", "export"], ["import"]])
def test_not_an_sqlite_file(tmp_path, command):
    bogus = tmp_path / "notes.qualcode"
    bogus.write_text("just some notes, not a database\n", encoding="utf-8")
    extra = {"codings": [tmp_path / "o.csv"], "import": [transcripts()[0]]}.get(command[0], [])
    before = bogus.read_bytes()
    assert_user_error(*run(*command, bogus, *extra), "not an sqlite")
    assert bogus.read_bytes() == before
    assert not lock_file(bogus).exists()
    assert not (tmp_path / "o.csv").exists()


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "other_app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes(body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [["info"], ["import"], ["code"]])
def test_foreign_sqlite_file_is_refused_and_left_alone(foreign, command):
    before = table_checksums(foreign)
    args = {"info": [], "import": [transcripts()[0]],
            "code": ["--document", "d", "--code", "c", "--start", "0", "--end", "1", "--coder", "x"]}[command[0]]
    assert_user_error(*run(*command, foreign, *args), "not a qualcode project")
    unchanged(foreign, before)


def test_foreign_sqlite_file_keeps_its_journal_mode(foreign):
    """Opening someone else's database for writing must not convert it (e.g. to WAL)."""
    mode = query(foreign, "PRAGMA journal_mode")[0][0]
    header = foreign.read_bytes()[:100]
    assert_user_error(*run("import", foreign, transcripts()[0]), "not a qualcode project")
    assert query(foreign, "PRAGMA journal_mode")[0][0] == mode
    assert foreign.read_bytes()[:100] == header


@pytest.mark.parametrize("command", [["info"], ["codings", "export"], ["code"]])
def test_newer_schema_is_refused(proj, tmp_path, command):
    conn = sqlite3.connect(proj)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    before = table_checksums(proj)
    doc, _ = doc_and_length()
    args = {"info": [], "codings": [tmp_path / "o.csv"],
            "code": ["--document", doc, "--code", a_code(), "--start", "0", "--end", "1", "--coder", "x"]}[command[0]]
    assert_user_error(*run(*command, proj, *args), "newer")
    unchanged(proj, before)
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("command", [["info"], ["documents"], ["import"], ["codebook", "import"], ["code"]])
def test_missing_project(tmp_path, command):
    missing = tmp_path / "absent.qualcode"
    args = {"info": [], "documents": [], "import": [transcripts()[0]], "codebook": [SAMPLE_DIR / "codebook.csv"],
            "code": ["--document", "d", "--code", "c", "--start", "0", "--end", "1", "--coder", "x"]}[command[0]]
    assert_user_error(*run(*command, missing, *args), "no project")
    assert not missing.exists()
    assert not lock_file(missing).exists()


def test_project_is_a_folder(tmp_path):
    assert_user_error(*run("info", tmp_path), "folder")


# -- code -----------------------------------------------------------------------------------------

def _code(proj, doc, code, start, end, *extra):
    return run("code", proj, "--document", doc, "--code", code, "--start", start, "--end", end, "--coder", "ann",
               *extra)


@pytest.mark.parametrize("span,needle", [
    (lambda n: (n - 3, n + 1), "after the end"),
    (lambda n: (n, n + 1), "after the end"),
    (lambda n: (10, 10), "end must be greater"),
    (lambda n: (12, 11), "end must be greater"),
    (lambda n: (-1, 4), "negative"),
])
def test_code_bad_span(proj, span, needle):
    before = table_checksums(proj)
    doc, n = doc_and_length()
    start, end = span(n)
    line = assert_user_error(*_code(proj, doc, a_code(), start, end), needle)
    assert f"[{start}, {end})" in line or str(start) in line
    if needle == "after the end":
        assert doc in line and f"{n} characters" in line
    unchanged(proj, before)


def test_code_up_to_the_last_character_is_fine(proj):
    """Also shows the fingerprint used above does see a change."""
    before = table_checksums(proj)
    doc, n = doc_and_length()
    rc, out, err = _code(proj, doc, a_code(), n - 3, n)
    assert rc == 0, err
    after = table_checksums(proj)
    assert after["coding"] != before["coding"] and after["audit"] != before["audit"]
    assert not lock_file(proj).exists()


def test_code_unknown_document(proj):
    before = table_checksums(proj)
    assert_user_error(*_code(proj, "no-such-interview", a_code(), 0, 5), "no document", "no-such-interview")
    unchanged(proj, before)


def test_code_unknown_code(proj):
    before = table_checksums(proj)
    doc, _ = doc_and_length()
    assert_user_error(*_code(proj, doc, "not/a-code", 0, 5), "no code", "not/a-code")
    unchanged(proj, before)


def test_code_ambiguous_name(proj, tmp_path):
    cb = tmp_path / "dup.csv"
    write_csv(cb, ["path"], [["zz-one/twin"], ["zz-two/twin"]])
    assert run("codebook", "import", proj, cb)[0] == 0
    before = table_checksums(proj)
    doc, _ = doc_and_length()
    line = assert_user_error(*_code(proj, doc, "twin", 0, 5), "ambiguous")
    assert "zz-one/twin" in line and "zz-two/twin" in line
    unchanged(proj, before)
    assert _code(proj, doc, "zz-one/twin", 0, 5)[0] == 0  # the full path is fine


def test_code_bad_evidence_choice(proj):
    before = table_checksums(proj)
    doc, _ = doc_and_length()
    assert_user_error(*_code(proj, doc, a_code(), 0, 5, "--evidence", "rumour"), "evidence")
    unchanged(proj, before)


# -- codings import -------------------------------------------------------------------------------

def _good_rows():
    doc, n = doc_and_length()
    return [[doc, a_code(), "ann", 0, 10, "", ""], [doc, a_code(), "ben", 20, 40, "", "memo"],
            [doc, "new/code", "ann", 50, 60, "", ""]]


@pytest.mark.parametrize("bad,needle", [
    (lambda doc, n: [doc, "x/y", "ann", 0, n + 1, "", ""], "after the end"),
    (lambda doc, n: [doc, "x/y", "ann", 9, 9, "", ""], "end must be greater"),
    (lambda doc, n: [doc, "x/y", "ann", "ten", 20, "", ""], "whole numbers"),
    (lambda doc, n: ["ghost", "x/y", "ann", 0, 5, "", ""], "no document"),
    (lambda doc, n: [doc, "x//y", "ann", 0, 5, "", ""], "bad code path"),
    (lambda doc, n: [doc, "functional", "ann", 0, 5, "", ""], "ambiguous"),
    (lambda doc, n: [doc, "x/y", " ", 0, 5, "", ""], "coder"),
    (lambda doc, n: [doc, "x/y", "ann", 0, 5, ""], "cells"),
])
def test_codings_import_one_bad_row_writes_nothing(proj, tmp_path, bad, needle):
    doc, n = doc_and_length()
    rows = _good_rows()
    rows.insert(2, bad(doc, n))  # line 1 is the header, so the bad row is on line 4
    src = tmp_path / "c.csv"
    write_csv(src, HEADER, rows)
    before = table_checksums(proj)
    line = assert_user_error(*run("codings", "import", proj, src), needle)
    assert "line 4" in line and "c.csv" in line
    unchanged(proj, before)


def test_ambiguous_leaf_case_is_real():
    """The ambiguity case above relies on a leaf name used twice in the sample codebook."""
    leaves = [r["path"].rsplit("/", 1)[-1] for r in read_csv(SAMPLE_DIR / "codebook.csv")]
    assert leaves.count("functional") > 1


def test_codings_import_bad_evidence(proj, tmp_path):
    doc, _ = doc_and_length()
    src = tmp_path / "c.csv"
    write_csv(src, HEADER + ["evidence"], [[doc, "x/y", "ann", 0, 5, "", "", "hearsay"],
                                           [doc, "x/y", "ann", 0, 5, "", "", "gossip"]])
    before = table_checksums(proj)
    assert_user_error(*run("codings", "import", proj, src), "line 3", "evidence")
    unchanged(proj, before)


@pytest.mark.parametrize("header,needle", [
    (["document", "code", "coder", "end", "text", "memo"], "missing column"),
    (["document", "code", "coder", "start", "end", "text", "memo", "colour"], "unknown column"),
])
def test_codings_import_bad_columns(proj, tmp_path, header, needle):
    doc, _ = doc_and_length()
    src = tmp_path / "c.csv"
    row = {"document": doc, "code": "x/y", "coder": "ann", "start": 0, "end": 5, "text": "", "memo": "",
           "colour": "red"}
    write_csv(src, header, [[row[h] for h in header]])
    before = table_checksums(proj)
    assert_user_error(*run("codings", "import", proj, src), needle)
    unchanged(proj, before)


@pytest.mark.parametrize("content,needle", [(b"", "empty"), (b"\xff\xfe\x00\x00garbage\x81", "utf-8")])
def test_codings_import_unreadable_file(proj, tmp_path, content, needle):
    src = tmp_path / "c.csv"
    src.write_bytes(content)
    before = table_checksums(proj)
    assert_user_error(*run("codings", "import", proj, src), needle)
    unchanged(proj, before)


def test_codings_import_missing_file(proj, tmp_path):
    before = table_checksums(proj)
    assert_user_error(*run("codings", "import", proj, tmp_path / "nope.csv"), "nope.csv")
    unchanged(proj, before)


def test_codings_export_to_a_missing_folder_or_wrong_type(proj, tmp_path):
    before = table_checksums(proj)
    assert_user_error(*run("codings", "export", proj, tmp_path / "no" / "o.csv"), "does not exist")
    assert_user_error(*run("codings", "export", proj, tmp_path / "o.txt"), ".csv")
    assert not (tmp_path / "o.txt").exists()
    unchanged(proj, before)


# -- codebook import ------------------------------------------------------------------------------

@pytest.mark.parametrize("header,rows,needle", [
    (["path", "definition"], [["a/b", "one"], ["c", "two"], ["a/b", "three"]], "line 4"),
    (["path", "definition"], [["a/b", "one"], [" a / b ", "same path, spaced"]], "twice"),
    (["path", "colour"], [["a", "x"]], "unknown column"),
    (["definition"], [["x"]], "path"),
    (["path", "color"], [["a", "#12345"]], "colour"),
    (["path"], [["a//b"]], "bad code path"),
])
def test_codebook_import_bad_file(proj, tmp_path, header, rows, needle):
    src = tmp_path / "cb.csv"
    write_csv(src, header, rows)
    before = table_checksums(proj)
    assert_user_error(*run("codebook", "import", proj, src), needle)
    unchanged(proj, before)


def test_codebook_import_unsupported_type(proj, tmp_path):
    src = tmp_path / "cb.json"
    src.write_text("{}", encoding="utf-8")
    before = table_checksums(proj)
    assert_user_error(*run("codebook", "import", proj, src), ".csv")
    unchanged(proj, before)


def test_codebook_md_without_codes(proj, tmp_path):
    src = tmp_path / "cb.md"
    src.write_text("# Codebook\n\nNo headings here.\n", encoding="utf-8")
    before = table_checksums(proj)
    assert_user_error(*run("codebook", "import", proj, src), "no codes")
    unchanged(proj, before)


# -- cases import ---------------------------------------------------------------------------------

@pytest.mark.parametrize("header,rows,needle", [
    (["case", "parent", "kind"], [["A", "", "tribe"]], "kind"),
    (["case", "parent", "kind"], [["A", "B", "other"], ["B", "A", "other"]], "cycle"),
    (["case", "parent", "kind"], [["A", "Nowhere", "other"]], "parent"),
    (["case", "parent", "kind", "documents"], [["A", "", "other", "ghost-doc"]], "no document"),
    (["name", "parent"], [["A", ""]], "first column"),
    (["case", "kind"], [["A", "other"], ["A", "other"]], "twice"),
])
def test_cases_import_bad_sheet(proj, tmp_path, header, rows, needle):
    src = tmp_path / "cases.csv"
    write_csv(src, header, rows)
    before = table_checksums(proj)
    assert_user_error(*run("cases", "import", proj, src), needle)
    unchanged(proj, before)


# -- document import ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,content,needle", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\t\n", "empty"),
    ("sheet.xyz", b"a,b\n1,2\n", "cannot be imported"),
    ("noext", b"some words\n", "cannot be imported"),
])
def test_import_bad_file(proj, tmp_path, name, content, needle):
    bad = tmp_path / name
    bad.write_bytes(content)
    before = table_checksums(proj)
    assert_user_error(*run("import", proj, bad), needle)
    unchanged(proj, before)


def test_import_bad_file_among_good_ones_writes_nothing(proj, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A perfectly good transcript.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    before = table_checksums(proj)
    assert_user_error(*run("import", proj, good, bad), "empty")
    unchanged(proj, before)


def test_import_missing_path(proj, tmp_path):
    before = table_checksums(proj)
    assert_user_error(*run("import", proj, tmp_path / "ghost.txt"), "ghost.txt")
    unchanged(proj, before)


# -- argparse -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,needle", [
    (["code", "{p}", "--document", "d", "--code", "c", "--start", "0", "--end", "1"], "--coder"),
    (["code", "{p}", "--document", "d", "--code", "c", "--start", "zero", "--end", "1", "--coder", "x"], "--start"),
    (["frobnicate", "{p}"], "invalid choice"),
    (["codebook", "{p}"], "invalid choice"),
    (["codebook"], "required"),
    ([], "required"),
    (["info", "{p}", "--colour"], "unrecognized"),
    (["import", "{p}"], "required"),
])
def test_usage_errors(proj, args, needle):
    before = table_checksums(proj)
    assert_user_error(*run(*[a.format(p=proj) for a in args]), needle)
    unchanged(proj, before)


# -- a second process holds the project ------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys, time
    from qualcode.services.project import open_project
    db = open_project(sys.argv[1])
    print("ready", flush=True)
    time.sleep(120)
""")


@pytest.fixture
def held(proj):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(proj)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proj, proc
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_locked_project_refuses_writers_but_serves_readers(held, tmp_path):
    proj, proc = held
    before = table_checksums(proj)
    doc, _ = doc_and_length()
    line = assert_user_error(*_code(proj, doc, a_code(), 0, 5), "another")
    assert str(proc.pid) in line
    f = tmp_path / "new.txt"
    f.write_text("A new transcript.\n", encoding="utf-8")
    assert_user_error(*run("import", proj, f), "another")
    assert_user_error(*run("codebook", "import", proj, SAMPLE_DIR / "codebook.csv"), "another")
    assert table_checksums(proj) == before
    rc, out, err = run("info", proj, "--json")
    assert rc == 0, err
    rc, out, err = run("codebook", "export", proj, tmp_path / "cb.csv")
    assert rc == 0, err
    assert lock_file(proj).exists()  # still the holder's


def test_lock_of_a_killed_process_is_taken_over(held):
    proj, proc = held
    proc.kill()
    proc.wait(timeout=10)
    doc, _ = doc_and_length()
    rc, out, err = _code(proj, doc, a_code(), 0, 5)
    assert rc == 0, err
    assert not lock_file(proj).exists()


# -- gui ------------------------------------------------------------------------------------------

def test_gui_screenshot_of_a_missing_or_foreign_project(tmp_path, foreign):
    shot = tmp_path / "shot.png"
    assert_user_error(*run("gui", tmp_path / "absent.qualcode", "--screenshot", shot), "no project")
    before = table_checksums(foreign)
    assert_user_error(*run("gui", foreign, "--screenshot", shot), "not a qualcode project")
    unchanged(foreign, before)
    assert not shot.exists()
