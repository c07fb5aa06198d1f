"""qualcode refi export / import through the console script: the JSON shapes, the round trip
as `documents --json` and `info --json` see it, and every user error as exit 2 with one line."""

from __future__ import annotations

import json

import pytest

from ..io._refi import package, qde
from ._helpers import assert_user_error, run, table_checksums

EXPORT_KEYS = {"output", "exported", "not_carried", "cancelled"}
IMPORT_KEYS = {"project", "source", "origin", "imported", "skipped", "unknown_elements", "warnings", "cancelled"}


def json_of(*args) -> dict:
    rc, out, err = run(*args, "--json")
    assert rc == 0, err
    return json.loads(out)


def test_export_then_import_gives_the_same_documents_and_counts(sample_copy, tmp_path):
    out = tmp_path / "demo.qdpx"
    exported = json_of("refi", "export", sample_copy, out)
    assert set(exported) == EXPORT_KEYS and exported["exported"]["documents"] == 12
    imported = json_of("refi", "import", out, tmp_path / "back.qualcode")
    assert set(imported) == IMPORT_KEYS
    assert imported["skipped"] == [] and imported["unknown_elements"] == {} and not imported["cancelled"]
    assert imported["origin"].startswith("QualCode")
    assert json_of("documents", tmp_path / "back.qualcode") == json_of("documents", sample_copy)
    before, after = json_of("info", sample_copy), json_of("info", tmp_path / "back.qualcode")
    for key in ("documents", "cases", "codes", "codings", "coders"):
        assert after[key] == before[key], key
    assert after["stories"] == 0  # REFI-QDA has no stories; the export said so
    assert exported["not_carried"]["stories"] == before["stories"]


def test_import_prints_a_summary_with_what_was_skipped(tmp_path):
    xml = qde('<Sources><PictureSource guid="00000001-0000-0000-0000-000000000000" name="photo.png"/>'
              '<TextSource guid="00000002-0000-0000-0000-000000000000" name="t"><PlainTextContent>words'
              "</PlainTextContent></TextSource></Sources>", origin="Some Tool 1.0")
    rc, out, err = run("refi", "import", package(tmp_path / "x.qdpx", xml), tmp_path / "p.qualcode")
    assert rc == 0, err
    assert "written by Some Tool 1.0" in out and "1 documents" in out
    assert "skipped PictureSource 'photo.png'" in out


def test_user_errors_are_one_line_and_change_nothing(sample_copy, tmp_path):
    before = table_checksums(sample_copy)
    assert_user_error(*run("refi", "export", sample_copy, tmp_path / "demo.zip"), ".qdpx")
    assert_user_error(*run("refi", "export", tmp_path / "absent.qualcode", tmp_path / "x.qdpx"), "no project")
    assert_user_error(*run("refi", "import", tmp_path / "absent.qdpx", tmp_path / "n.qualcode"), "no such file")
    assert_user_error(*run("refi", "import", tmp_path / "absent.qdpx", sample_copy), "already exists")
    (tmp_path / "junk.qdpx").write_text("not a zip")
    assert_user_error(*run("refi", "import", tmp_path / "junk.qdpx", tmp_path / "n.qualcode"), "damaged")
    evil = package(tmp_path / "evil.qdpx", qde(""), {"../../outside.txt": b"x"})
    assert_user_error(*run("refi", "import", evil, tmp_path / "n.qualcode"), "unsafe path")
    empty = package(tmp_path / "empty.qdpx", None, {"sources/a.txt": b"x"})
    assert_user_error(*run("refi", "import", empty, tmp_path / "n.qualcode"), "project.qde")
    assert table_checksums(sample_copy) == before
    assert not [p.name for p in tmp_path.iterdir() if "n.qualcode" in p.name]  # nothing half-created


@pytest.mark.parametrize("words", [["refi", "export", "--help"], ["refi", "import", "--help"]])
def test_the_commands_explain_themselves(words):
    rc, out, err = run(*words)
    assert rc == 0 and "REFI-QDA" in out
