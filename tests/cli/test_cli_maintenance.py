"""qualcode check / backup / restore, end to end."""

from __future__ import annotations

import json
import sqlite3

from ._helpers import assert_user_error, run, table_checksums


def plant_orphans(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO memo(target_type, target_id, text) VALUES ('coding', 99999, 'lost?')")
    conn.execute("DELETE FROM segment WHERE document_id = (SELECT min(id) FROM document)")
    conn.commit()
    conn.close()


def test_check_exit_codes_and_json(sample_copy, tmp_path):
    rc, out, err = run("check", sample_copy)
    assert (rc, err) == (0, "") and out.strip().endswith("sound")
    plant_orphans(sample_copy)
    before = table_checksums(sample_copy)

    rc, out, err = run("check", sample_copy, "--json")
    assert rc == 1 and err == ""
    doc = json.loads(out)
    assert doc["ok"] is False and doc["repaired"] == []
    assert {p["check"] for p in doc["problems"]} == {"memos", "segments"}
    assert all(set(p) == {"check", "severity", "message", "count"} for p in doc["problems"])
    assert table_checksums(sample_copy) == before  # checking alone changes nothing

    rc, out, err = run("check", sample_copy)
    assert rc == 1 and "warning   memos: 1 memo is attached to a coding that no longer exists" in out
    assert "--repair` fixes what is safe to fix" in out

    rc, out, err = run("check", sample_copy, "--repair", "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["ok"] is True and doc["problems"] == []
    assert [r["check"] for r in doc["repaired"]] == ["memos", "segments", "search_index"]
    rc, out, err = run("check", sample_copy)
    assert rc == 0 and "sound" in out


def test_check_user_errors(tmp_path):
    rc, out, err = run("check", tmp_path / "missing.qualcode")
    assert_user_error(rc, out, err, "no project at")
    (tmp_path / "notes.qualcode").write_text("hello")
    rc, out, err = run("check", tmp_path / "notes.qualcode", "--repair")
    assert_user_error(rc, out, err, "not a QualCode project")


def test_backup_list_and_restore(sample_copy, tmp_path):
    rc, out, err = run("backup", sample_copy, tmp_path / "copy.qualcode")
    assert rc == 0 and "copy.qualcode" in out, err
    rc, out, err = run("backup", sample_copy, tmp_path / "copy.qualcode")
    assert_user_error(rc, out, err, "already exists")
    rc, out, err = run("backup", sample_copy, "--json")
    assert rc == 0, err
    made = json.loads(out)["backup"]
    assert "demo.qualcode-backups" in made

    rc, out, err = run("code", sample_copy, "--document", "01_halden", "--code", "lock-in", "--start", "0",
                       "--end", "5", "--coder", "Later")
    assert rc == 0, err
    rc, out, err = run("backup", sample_copy, "--list", "--json")
    listed = json.loads(out)
    assert [b["kind"] for b in listed] == ["automatic"] * len(listed) and listed[-1]["path"] == made

    rc, out, err = run("restore", made, sample_copy)
    assert rc == 0 and "the replaced project was kept as" in out, err
    rc, out, err = run("info", sample_copy, "--json")
    assert "Later" not in json.loads(out)["coders"]
    rc, out, err = run("backup", sample_copy, "--list")
    assert "before restore" in out

    rc, out, err = run("restore", tmp_path / "nothing.qualcode", sample_copy)
    assert_user_error(rc, out, err, "no backup at")


def test_check_points_at_the_newest_backup_of_a_project_it_cannot_open(sample_copy):
    rc, out, err = run("backup", sample_copy, "--json")
    made = json.loads(out)["backup"]
    sample_copy.write_bytes(b"\x00" * 4096)
    rc, out, err = run("check", sample_copy)
    assert_user_error(rc, out, err, "not a QualCode project", f"newest backup is {made}", "qualcode restore")
    rc, out, err = run("restore", made, sample_copy)
    assert rc == 0, err
    rc, out, err = run("check", sample_copy)
    assert rc == 0 and "sound" in out
