"""``check`` finds each kind of fault planted in the sample project, says it plainly, and
``repair`` fixes exactly the ones that are safe to fix.

Faults are planted through a plain sqlite3 connection with foreign keys off, the way another
tool, an old version or a hand edit could leave them.
"""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.core import segmentation
from qualcode.services import check, search
from qualcode.services.project import open_project
from qualcode.store import audit

from ._helpers import table_checksums


def plant(path, *statements) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def run_check(path, repair=False) -> check.CheckReport:
    with open_project(path, readonly=not repair) as db:
        return check.check(db, repair=repair)


def problems(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in report.problems:
        out.setdefault(p.check, []).append(p.message)
    return out


def test_the_sample_project_is_sound_and_checking_changes_nothing(sample_copy):
    before = table_checksums(sample_copy)
    report = run_check(sample_copy)
    assert report.ok and report.as_dict() == {"ok": True, "problems": [], "repaired": []}
    assert table_checksums(sample_copy) == before


def test_a_deleted_document_leaves_orphans_that_repair_removes(sample_copy):
    with open_project(sample_copy, readonly=True) as db:
        doc_id = db.conn.execute("SELECT id FROM document WHERE name = '02_varga'").fetchone()[0]
        expect = {t: db.conn.execute(f"SELECT count(*) FROM {t} WHERE document_id = ?", (doc_id,)).fetchone()[0]
                  for t in ("coding", "segment", "speaker_turn", "telling")}
    assert all(expect.values())
    plant(sample_copy, f"DELETE FROM document WHERE id = {doc_id}")

    found = run_check(sample_copy)
    refs = {p.message.split(" refer")[0]: p.count for p in found.problems if p.check == "references"}
    assert refs[f"{expect['coding']} codings"] == expect["coding"]
    assert refs[f"{expect['telling']} tellings"] == expect["telling"]
    assert any("to a document that does not exist (coding.document_id)" in m for m in problems(found)["references"])

    fixed = run_check(sample_copy, repair=True)
    assert fixed.ok, fixed.as_dict()
    deleted = {r.message for r in fixed.repaired}
    assert f"deleted {expect['coding']} codings whose document no longer exists" in deleted
    with open_project(sample_copy, readonly=True) as db:
        for table in expect:
            assert db.conn.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", (doc_id,)).fetchone()[0] == 0
        assert [e[2] for e in audit.entries(db.conn, "project.repair")] == ["project.repair"]


def test_a_missing_code_is_reported_and_not_repaired(sample_copy):
    """Codings keep their code by RESTRICT: a vanished code is a loss repair cannot undo."""
    with open_project(sample_copy, readonly=True) as db:
        code_id, used = db.conn.execute("SELECT code_id, count(*) FROM coding GROUP BY code_id LIMIT 1").fetchone()
    plant(sample_copy, f"DELETE FROM code WHERE id = {code_id}", f"UPDATE code SET parent_id = NULL "
                                                                  f"WHERE parent_id = {code_id}")
    before = table_checksums(sample_copy)
    report = run_check(sample_copy, repair=True)
    noun = "coding refers" if used == 1 else "codings refer"
    assert problems(report)["references"] == [f"{used} {noun} to a code that does not exist (coding.code_id)"]
    assert report.repaired == []
    assert {k: v for k, v in table_checksums(sample_copy).items() if k != "audit"} == \
           {k: v for k, v in before.items() if k != "audit"}


def test_orphan_attribute_values_and_memos(sample_copy):
    plant(sample_copy,
          "INSERT INTO attribute_value(attribute_id, owner_id, value) "
          "SELECT id, 99999, 'ghost' FROM attribute WHERE scope = 'case' LIMIT 1",
          "INSERT INTO memo(target_type, target_id, text) VALUES ('coding', 99999, 'why this coding?')",
          "INSERT INTO memo(target_type, target_id, text) VALUES ('story', 99999, 'a story gone')")
    report = run_check(sample_copy)
    assert problems(report)["attribute_values"] == ["1 attribute value belongs to a document or case that no "
                                                    "longer exists"]
    assert sorted(problems(report)["memos"]) == ["1 memo is attached to a coding that no longer exists",
                                                 "1 memo is attached to a story that no longer exists"]
    fixed = run_check(sample_copy, repair=True)
    assert fixed.ok, fixed.as_dict()
    with open_project(sample_copy, readonly=True) as db:
        assert db.conn.execute("SELECT count(*) FROM attribute_value WHERE owner_id = 99999").fetchone()[0] == 0
        kept = db.conn.execute("SELECT target_type, target_id, text FROM memo ORDER BY text").fetchall()
    assert kept == [("project", None, "a story gone"), ("project", None, "why this coding?")]


def test_spans_outside_their_document_are_reported_never_changed(sample_copy):
    with open_project(sample_copy, readonly=True) as db:
        chars = db.conn.execute("SELECT chars FROM document WHERE name = '01_halden'").fetchone()[0]
        telling = db.conn.execute("SELECT id, start, \"end\" FROM telling WHERE id IN "
                                  "(SELECT telling_id FROM realization) LIMIT 1").fetchone()
    plant(sample_copy,
          f"UPDATE speaker_turn SET \"end\" = {chars + 50} WHERE id = (SELECT min(id) FROM speaker_turn "
          "WHERE document_id = (SELECT id FROM document WHERE name = '01_halden'))",
          f"UPDATE realization SET start = {telling[1]}, \"end\" = {telling[2] + 1} WHERE telling_id = {telling[0]}")
    before = table_checksums(sample_copy)
    report = run_check(sample_copy, repair=True)
    found = problems(report)
    assert found["spans"] == ["1 speaker turn lies outside the document or is empty (in '01_halden'); "
                              "correct or remove them by hand"]
    assert len(found["realizations"]) == 1
    assert report.repaired == []
    assert table_checksums(sample_copy)["speaker_turn"] == before["speaker_turn"]
    assert table_checksums(sample_copy)["realization"] == before["realization"]


def test_a_wrong_cached_length_is_corrected(sample_copy):
    plant(sample_copy, "UPDATE document SET chars = chars - 1000 WHERE name = '03_quell'")
    found = problems(run_check(sample_copy))
    assert found["document_length"] == ["1 document records a length that is not the length of the text: '03_quell'"]
    assert "spans" in found  # its codings now seem to run past the end
    assert run_check(sample_copy, repair=True).ok
    with open_project(sample_copy, readonly=True) as db:
        assert db.conn.execute("SELECT chars = length(text) FROM document WHERE name = '03_quell'").fetchone()[0]


def test_missing_segments_are_made_again_and_the_index_rebuilt(sample_copy):
    plant(sample_copy, "DELETE FROM segment WHERE document_id = (SELECT id FROM document WHERE name = '04_lenz')")
    with open_project(sample_copy, readonly=True) as db:
        text = db.conn.execute("SELECT text FROM document WHERE name = '04_lenz'").fetchone()[0]
    found = problems(run_check(sample_copy))
    assert found["segments"] == ["1 document needs its paragraphs and sentences made again: '04_lenz' has no "
                                 "paragraphs"]
    fixed = run_check(sample_copy, repair=True)
    assert fixed.ok, fixed.as_dict()
    assert {r.check for r in fixed.repaired} == {"segments", "search_index"}
    with open_project(sample_copy, readonly=True) as db:
        paras = db.conn.execute("SELECT start, \"end\" FROM segment WHERE kind = 'paragraph' AND document_id = "
                                "(SELECT id FROM document WHERE name = '04_lenz') ORDER BY start").fetchall()
        assert paras == segmentation.paragraphs(text)
        word = max(text.split(), key=len).strip(".,;:!?\"'()")
        assert "04_lenz" in {h.document for h in search.search(db, word)}


def test_overlapping_segments_are_made_again(sample_copy):
    plant(sample_copy, "INSERT INTO segment(document_id, kind, start, \"end\") SELECT document_id, kind, start + 1, "
                       "\"end\" FROM segment WHERE kind = 'sentence' AND document_id = "
                       "(SELECT id FROM document WHERE name = '05_ander') LIMIT 1")
    assert "has overlapping segments" in problems(run_check(sample_copy))["segments"][0]
    assert run_check(sample_copy, repair=True).ok


def test_a_search_index_out_of_step_is_rebuilt(sample_copy):
    plant(sample_copy, "INSERT INTO text_fts(text_fts, rowid, text) SELECT 'delete', id, text FROM paragraph_text "
                       "WHERE id = (SELECT min(id) FROM segment WHERE kind = 'paragraph')")
    assert "search_index" in problems(run_check(sample_copy))
    fixed = run_check(sample_copy, repair=True)
    assert fixed.ok and [r.check for r in fixed.repaired] == ["search_index"]


def test_loops_in_the_code_tree_and_broken_merges_are_reported(sample_copy):
    plant(sample_copy,
          "UPDATE code SET parent_id = (SELECT id FROM code WHERE name = 'cognitive') WHERE name = 'lock-in'",
          "UPDATE code SET status = 'merged', merged_into = NULL WHERE name = 'design-stealing'")
    report = run_check(sample_copy, repair=True)
    found = problems(report)
    assert found["code_tree"][0].startswith("2 codes are their own ancestor")
    assert "'cognitive', 'lock-in'" in found["code_tree"][0]
    assert found["merged_codes"] == ["1 merged code does not lead to a code in use: 'design-stealing'"]
    assert report.repaired == []


def test_a_schema_version_that_disagrees_is_reported(sample_copy):
    plant(sample_copy, "PRAGMA user_version = 2")
    assert "header" in problems(run_check(sample_copy))["schema_version"][0]


def test_a_damaged_file_is_reported_and_never_written(sample_copy):
    data = bytearray(sample_copy.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    for n in range(pages // 2, pages // 2 + 3):  # scribble over three b-tree pages in the middle
        data[n * page + 8:n * page + 200] = bytes(range(192))
    sample_copy.write_bytes(bytes(data))
    report = run_check(sample_copy, repair=True)
    assert [p.check for p in report.problems] == ["file"]
    message = report.problems[0].message
    assert message.startswith("the project file is damaged (On tree page ") and "\n" not in message
    assert "restore it from a backup" in message
    assert report.repaired == []
    assert sample_copy.read_bytes()[:len(data)] == bytes(data)


@pytest.mark.parametrize("repair", [False, True])
def test_progress_is_reported(sample_copy, repair):
    from qualcode.services.progress import Progress

    seen = []
    with open_project(sample_copy, readonly=not repair) as db:
        check.check(db, repair=repair, progress=Progress(lambda d, t, m: seen.append((d, t))))
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
