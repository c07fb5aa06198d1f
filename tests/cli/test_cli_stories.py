"""`qualcode story ...` and `qualcode lineage` as a user runs them: results, and for every user
error exit 2, one `error:` line and a project left exactly as it was."""

from __future__ import annotations

import json

import pytest

from ._helpers import SAMPLE_DIR, assert_user_error, lock_file, query, run, table_checksums

DOC = "04_lenz"


@pytest.fixture
def proj(sample_copy):
    return sample_copy


def ok(*args) -> str:
    rc, out, err = run(*args)
    assert rc == 0, err
    assert err == ""
    return out


def refused(project, *args, needles=()) -> None:
    before = table_checksums(project)
    assert_user_error(*run(*args), *needles)
    assert table_checksums(project) == before
    assert not lock_file(project).exists()


def doc_length(project, name=DOC) -> int:
    return query(project, "SELECT chars FROM document WHERE name = ?", (name,))[0][0]


def test_record_a_story_end_to_end(proj):
    sid = int(ok("story", "add", proj, "--title", "The strike", "--summary", "Knitters stop work").strip())
    assert query(proj, "SELECT title, summary FROM story WHERE id = ?", (sid,)) == [("The strike", "Knitters stop work")]
    core = int(ok("story", "element", proj, "The strike", "--label", "They walk out").strip())
    detail = json.loads(ok("story", "element", proj, str(sid), "--label", "In May", "--kind", "detail", "--json"))["id"]
    assert query(proj, "SELECT id, ordinal, kind FROM story_element WHERE story_id = ? ORDER BY ordinal", (sid,)) == [
        (core, 1, "core"), (detail, 2, "detail")]
    first = int(ok("story", "tell", proj, "The strike", "--document", DOC, "--start", 100, "--end", 400,
                   "--teller", "Kasimir Lenz", "--role", "eyewitness", "--told-on", "2023-04-03").strip())
    second = int(ok("story", "tell", proj, "The strike", "--document", "05_ander", "--start", 10, "--end", 90,
                    "--teller", "Joaquim Ander", "--heard-from", str(first), "--code", "narrative/retelling",
                    "--coder", "Mira").strip())
    third = int(ok("story", "tell", proj, str(sid), "--document", "05_ander", "--start", 95, "--end", 120,
                   "--teller", "Joaquim Ander", "--heard-from", "Oskar Brandt", "--basis", "inferred").strip())
    assert query(proj, 'SELECT document_id, start, "end", role, told_on FROM telling WHERE id = ?', (first,)) == [
        (query(proj, "SELECT id FROM document WHERE name = ?", (DOC,))[0][0], 100, 400, "eyewitness", "2023-04-03")]
    assert query(proj, "SELECT from_telling_id, to_telling_id, basis FROM transmission WHERE to_telling_id = ?",
                 (second,)) == [(first, second, "stated")]
    assert query(proj, "SELECT c.name, x.basis FROM transmission x JOIN case_ c ON c.id = x.from_case_id "
                       "WHERE x.to_telling_id = ?", (third,)) == [("Oskar Brandt", "inferred")]
    assert query(proj, 'SELECT k.name, c.start, c."end" FROM telling t JOIN coding c ON c.id = t.coding_id '
                       "JOIN code k ON k.id = c.code_id WHERE t.id = ?", (second,)) == [("retelling", 10, 90)]
    out = ok("story", "realize", proj, str(first), "They walk out", "--status", "present", "--position", 1,
             "--start", 120, "--end", 180, "--variant", "only the night shift")
    assert "present" in out
    ok("story", "realize", proj, str(second), str(detail), "--status", "absent")
    assert query(proj, 'SELECT status, position, start, "end", variant FROM realization WHERE telling_id = ?',
                 (first,)) == [("present", 1, 120, 180, "only the night shift")]
    info = json.loads(ok("info", proj, "--json"))
    sample = json.loads((SAMPLE_DIR / "stories.json").read_text(encoding="utf-8"))["stories"]
    assert (info["stories"], info["tellings"]) == (len(sample) + 1, sum(len(s["tellings"]) for s in sample) + 3)


@pytest.mark.parametrize("args,needles", [
    (["story", "add", "{p}", "--title", "The Halden flood"], ["already a story"]),
    (["story", "add", "{p}", "--title", "   "], ["title"]),
    (["story", "add", "{p}"], ["--title"]),
    (["story", "element", "{p}", "No such story", "--label", "x"], ["no story"]),
    (["story", "element", "{p}", "The Halden flood", "--label", "x", "--kind", "minor"], ["invalid choice"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", "nope", "--start", 0, "--end", 5,
      "--teller", "Tomas Halden"], ["no document"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", "{len+1}",
      "--teller", "Tomas Halden"], ["ends after the end"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 9, "--end", 3,
      "--teller", "Tomas Halden"], ["empty or reversed"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", 5,
      "--teller", "Nobody Known"], ["no case"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", 5,
      "--teller", "Tomas Halden", "--heard-from", "9999"], ["no telling 9999"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", 5,
      "--teller", "Tomas Halden", "--heard-from", "20"], ["another story"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", 5,
      "--teller", "Tomas Halden", "--code", "narrative/story-told"], ["--coder"]),
    (["story", "tell", "{p}", "The Halden flood", "--document", DOC, "--start", 0, "--end", 5,
      "--teller", "Tomas Halden", "--role", "witness"], ["invalid choice"]),
    (["story", "realize", "{p}", "9999", "1", "--status", "present"], ["no telling"]),
    (["story", "realize", "{p}", "1", "No such beat", "--status", "present"], ["no element"]),
    (["story", "realize", "{p}", "1", "1", "--status", "absent", "--position", 2], ["absent"]),
    (["story", "realize", "{p}", "1", "1", "--status", "present", "--start", 0, "--end", 10], ["inside the telling"]),
    (["story", "realize", "{p}", "1", "1", "--status", "present", "--start", 4500], ["both"]),
    (["story", "realize", "{p}", "1", "1", "--status", "present", "--position", 0], ["from 1"]),
    (["story", "suggest", "{p}", "No such story"], ["no story"]),
    (["story", "suggest", "{p}", "The Halden flood", "--top", 0], ["--top"]),
    (["lineage", "{p}", "{dir}/out.pdf"], [".json"]),
    (["lineage", "{p}", "{dir}/missing/out.json"], ["does not exist"]),
])
def test_user_errors(proj, tmp_path, args, needles):
    length = doc_length(proj)
    args = [str(a).replace("{p}", str(proj)).replace("{dir}", str(tmp_path)).replace("{len+1}", str(length + 1))
            for a in args]
    refused(proj, *args, needles=needles)
    assert not (tmp_path / "out.pdf").exists()


def test_suggest_lists_ranked_passages_outside_known_tellings(proj):
    found = json.loads(ok("story", "suggest", proj, "The container at Hamburg", "--top", 4, "--json"))
    assert 1 <= len(found) <= 4
    assert all(set(s) == {"document", "start", "end", "score", "text"} for s in found)
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    told = query(proj, 'SELECT d.name, t.start, t."end" FROM telling t JOIN document d ON d.id = t.document_id '
                       "JOIN story s ON s.id = t.story_id WHERE s.title = 'The container at Hamburg'")
    for s in found:
        assert not any(s["document"] == d and s["start"] < e and b < s["end"] for d, b, e in told)
        text = query(proj, "SELECT substr(text, ? + 1, ? - ?) FROM document WHERE name = ?",
                     (s["start"], s["end"], s["start"], s["document"]))[0][0]
        assert s["text"] == text
    plain = ok("story", "suggest", proj, "The container at Hamburg", "--top", 2)
    assert plain.splitlines()[0].startswith(" 1. ") and len(plain.splitlines()) == 2


def test_lineage_writes_every_format(proj, tmp_path):
    for ext in ("json", "graphml", "dot", "csv", "xlsx", "html"):
        out = tmp_path / f"lineage.{ext}"
        assert "3 stories" in ok("lineage", proj, out)
        assert out.stat().st_size > 0
