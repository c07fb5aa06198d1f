"""End to end through the console script: codebook versions, diff, merge, split, retire,
history, .qdc and .docx exchange, starters; every error path exits 2 with one line and leaves
the project unchanged."""

from __future__ import annotations

import json

import docx
import pytest
import xmlschema

from ._helpers import ROOT, SAMPLE_DIR, assert_user_error, query, read_csv, run, table_checksums


def ok(*args) -> str:
    rc, out, err = run(*args)
    assert rc == 0, (args, err)
    assert err == "", err
    return out


def coding_ids(project, path: str) -> list[int]:
    parent, _, leaf = path.rpartition("/")
    rows = query(project, "SELECT c.id, k.name, p.name FROM coding c JOIN code k ON k.id = c.code_id "
                          "LEFT JOIN code p ON p.id = k.parent_id ORDER BY c.id")
    return [i for i, name, pname in rows if name == leaf and (pname or "") == parent]


def test_version_diff_merge_retire_history(sample_copy):
    p = sample_copy
    assert ok("codebook", "version", p, "--label", "before", "--coder", "Mira").strip() == \
        "saved codebook version 'before' (78 codes)"
    a, b = coding_ids(p, "trust/kinship"), coding_ids(p, "trust/building")
    out = ok("codebook", "merge", p, "trust/kinship", "--into", "trust/building", "--coder", "Jonas", "--json")
    assert json.loads(out) == {"code": "trust/kinship", "into": "trust/building", "moved": len(a), "collapsed": 0,
                               "subcodes": 0}
    assert sorted(coding_ids(p, "trust/building")) == sorted(a + b)
    ok("codebook", "retire", p, "labour/wages")
    diff = json.loads(ok("codebook", "diff", p, "before", "--json"))
    guid = {name: g for name, g in query(p, "SELECT name, guid FROM code")}
    dashed = {k: f"{g[:8]}-{g[8:12]}-{g[12:16]}-{g[16:20]}-{g[20:]}" for k, g in guid.items()}
    assert diff == {"from": "before", "to": "current", "added": [], "removed": [], "renamed": [], "moved": [],
                    "merged": [{"guid": dashed["kinship"], "path": "trust/kinship", "into": "trust/building"}],
                    "status": [{"guid": dashed["wages"], "path": "labour/wages", "old": "active", "new": "retired"}],
                    "fields": []}
    text = ok("codebook", "diff", p, "before", "current")
    assert text.splitlines() == ["before -> current: 2 change(s)", "  merged   trust/kinship into trust/building",
                                 "  status   labour/wages: active -> retired"]
    versions = json.loads(ok("codebook", "versions", p, "--json"))
    assert [(v["label"], v["coder"], v["codes"]) for v in versions] == [("before", "Mira", 78)]
    history = json.loads(ok("codebook", "history", p, "trust/kinship", "--json"))
    assert [e["action"] for e in history["events"]] == ["code.create", "code.merge"]
    assert history["events"][1]["coder"] == "Jonas"
    assert [(v["label"], v["status"]) for v in history["versions"]] == [("before", "active"), ("current", "merged")]
    assert "trust/kinship (merged" in ok("codebook", "history", p, "trust/kinship")
    ok("codebook", "unretire", p, "labour/wages")
    assert "changed" in ok("codebook", "describe", p, "trust/building", "--definition", "Trust grows.")
    assert query(p, "SELECT definition, status FROM code WHERE name = 'building'") == [("Trust grows.", "active")]


def test_split_by_id_and_by_document(sample_copy):
    p = sample_copy
    mine = coding_ids(p, "narrative/retelling")
    out = ok("codebook", "split", p, "narrative/retelling", "--name", "second-hand",
             "--coding", f"{mine[0]},{mine[1]}", "--coding", str(mine[2]))
    assert out.strip() == "split 3 coding(s) of 'narrative/retelling' into the new code 'narrative/second-hand'"
    assert coding_ids(p, "narrative/second-hand") == mine[:3]
    docs = query(p, "SELECT d.name, c.id FROM coding c JOIN document d ON d.id = c.document_id WHERE c.id IN "
                    f"({','.join(map(str, mine[3:]))})")
    doc = docs[0][0]
    expected = sorted(i for d, i in docs if d == doc)
    ok("codebook", "split", p, "narrative/retelling", "--name", "in one interview", "--document", doc, "--parent", "")
    assert sorted(coding_ids(p, "in one interview")) == expected
    assert len(coding_ids(p, "narrative/retelling")) == len(mine) - 3 - len(expected)


def test_qdc_and_docx_exports(sample_copy, tmp_path):
    p = sample_copy
    qdc, book = tmp_path / "cb.qdc", tmp_path / "cb.docx"
    assert ok("codebook", "export", p, qdc).strip() == f"wrote 78 code(s) to {qdc}"
    xmlschema.XMLSchema(str(ROOT / "resources" / "refi" / "Codebook.xsd")).validate(str(qdc))
    fresh = tmp_path / "fresh.qualcode"
    ok("new", fresh)
    assert ok("codebook", "import", fresh, qdc).strip() == "codebook: 78 code(s) created, 0 updated"
    assert sorted(query(fresh, "SELECT guid, name, color FROM code")) == \
        sorted(query(p, "SELECT guid, name, color FROM code"))
    ok("codebook", "export", p, book, "--with-counts", "--with-examples")
    levels = [p_.style.name for p_ in docx.Document(str(book)).paragraphs if p_.style.name.startswith("Heading")]
    paths = [r["path"] for r in read_csv(SAMPLE_DIR / "codebook.csv")]
    assert levels[:len(paths)] == [f"Heading {x.count('/') + 1}" for x in paths]


def test_new_project_from_a_starter(tmp_path):
    p = tmp_path / "p.qualcode"
    assert ok("new", p, "--codebook", "field-studies").strip() == f"created {p} with 78 codes from field-studies"
    listed = json.loads(ok("codebook", "starters", "--json"))
    assert {"name", "path", "description"} <= set(listed[0]) and "field-studies" in [s["name"] for s in listed]
    assert_user_error(*run("new", tmp_path / "q.qualcode", "--codebook", "nope"), "no starter codebook 'nope'")
    assert not (tmp_path / "q.qualcode").exists()


@pytest.mark.parametrize("args,needle", [
    (["codebook", "diff", "{p}", "nope"], "no codebook version 'nope'"),
    (["codebook", "version", "{p}", "--label", "current"], "live codebook"),
    (["codebook", "version", "{p}", "--label", "  "], "needs a label"),
    (["codebook", "version", "{p}"], "--label"),
    (["codebook", "merge", "{p}", "trust", "--into", "trust"], "into itself"),
    (["codebook", "merge", "{p}", "trust", "--into", "nowhere"], "no code 'nowhere'"),
    (["codebook", "merge", "{p}", "trust", "--into", "trust/kinship"], "own subcode"),
    (["codebook", "merge", "{p}", "trust"], "--into"),
    (["codebook", "split", "{p}", "narrative/retelling", "--name", "x"], "choose the codings"),
    (["codebook", "split", "{p}", "narrative/retelling", "--name", "x", "--coding", "1"], "not a coding of"),
    (["codebook", "split", "{p}", "narrative/retelling", "--name", "x", "--coding", "one"], "whole numbers"),
    (["codebook", "split", "{p}", "narrative/retelling", "--name", "x", "--document", "99_none"],
     "no codings in document '99_none'"),
    (["codebook", "split", "{p}", "narrative/retelling", "--name", "story-told", "--coded-by", "Mira"],
     "already a code"),
    (["codebook", "retire", "{p}", "nowhere"], "no code 'nowhere'"),
    (["codebook", "unretire", "{p}", "trust"], "not retired"),
    (["codebook", "history", "{p}", "nowhere"], "no code"),
    (["codebook", "describe", "{p}", "trust"], "at least one of"),
    (["codebook", "export", "{p}", "{t}/cb.csv", "--with-counts"], ".docx codebook only"),
    (["codebook", "export", "{p}", "{t}/cb.pdf"], ".qdc, .docx, .csv or .md"),
    (["codebook", "import", "{p}", "{t}/hostile.qdc"], "DTD or entities"),
    (["codebook", "import", "{p}", "{t}/project.qdc"], "project, not a codebook"),
])
def test_errors_exit_2_with_one_line_and_change_nothing(sample_copy, tmp_path, args, needle):
    (tmp_path / "hostile.qdc").write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook/>',
                                          encoding="utf-8")
    (tmp_path / "project.qdc").write_text('<Project name="x"/>', encoding="utf-8")
    before = table_checksums(sample_copy)
    argv = [a.format(p=sample_copy, t=tmp_path) for a in args]
    assert_user_error(*run(*argv), needle)
    assert table_checksums(sample_copy) == before
