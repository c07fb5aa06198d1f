"""End to end through the console script: cases import, codebook import/export, code, codings."""

from __future__ import annotations

import csv
import json

import pytest

from ._helpers import (SAMPLE_DIR, assert_user_error, query, read_csv, run, stored_text, table_checksums,
                       transcripts, unguard)

CODINGS_HEADER = ["document", "code", "coder", "start", "end", "text", "memo"]


def ok(*args) -> str:
    rc, out, err = run(*args)
    assert rc == 0, (args, err)
    return out


def codebook_paths() -> list[str]:
    return [r["path"] for r in read_csv(SAMPLE_DIR / "codebook.csv")]


def leaf_codes() -> list[str]:
    paths = codebook_paths()
    return [p for p in paths if not any(q.startswith(p + "/") for q in paths)]


def write_csv(path, header, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def spans_for(text: str) -> list[tuple[int, int]]:
    n = len(text)
    return [(0, min(20, n)), (n // 3, n // 3 + 15), (n // 2, n - 1)]


@pytest.fixture
def fresh_with_transcripts(tmp_path):
    """A new project holding the sample transcripts and nothing else."""
    p = tmp_path / "fresh.qualcode"
    ok("new", p)
    ok("import", p, *transcripts())
    return p


# -- cases ----------------------------------------------------------------------------------------

def test_cases_import_from_csv(fresh_with_transcripts, tmp_path):
    p = fresh_with_transcripts
    doc = transcripts()[0].stem
    sheet = tmp_path / "cases.csv"
    write_csv(sheet, ["case", "parent", "kind", "size", "founded", "region", "documents"], [
        ["Cluster", "", "cluster", "", "", "", ""],
        ["Firm A", "Cluster", "organisation", "220", "1958-04-01", "north", ""],
        ["Ann", "Firm A", "informant", "1.5", "2001-12-31", "south", doc],
    ])
    out = ok("cases", "import", p, sheet)
    assert "imported 3 case(s)" in out
    for attr in ("size", "founded", "region"):
        assert attr in out
    cases = {name: (kind, parent) for name, kind, parent in query(
        p, "SELECT c.name, c.kind, pc.name FROM case_ c LEFT JOIN case_ pc ON pc.id = c.parent_id")}
    assert cases == {"Cluster": ("cluster", None), "Firm A": ("organisation", "Cluster"),
                     "Ann": ("informant", "Firm A")}
    types = dict(query(p, "SELECT name, type FROM attribute WHERE scope = 'case'"))
    assert types == {"size": "number", "founded": "date", "region": "text"}
    docs = {d["name"]: d for d in json.loads(ok("documents", p, "--json"))}
    assert docs[doc]["case"] == "Ann"


def test_cases_import_of_the_sample_sheet(fresh_with_transcripts):
    sheet = SAMPLE_DIR / "cases.csv"
    if not sheet.is_file():
        pytest.skip("no cases.csv in the sample")
    ok("cases", "import", fresh_with_transcripts, sheet)
    rows = read_csv(sheet)
    assert json.loads(ok("info", fresh_with_transcripts, "--json"))["cases"] == len(rows)


def test_cases_import_refuses_a_cycle(fresh_with_transcripts, tmp_path):
    sheet = tmp_path / "cases.csv"
    write_csv(sheet, ["case", "parent", "kind"], [["A", "B", "other"], ["B", "A", "other"]])
    before = table_checksums(fresh_with_transcripts)
    assert_user_error(*run("cases", "import", fresh_with_transcripts, sheet), "cycle")
    assert table_checksums(fresh_with_transcripts) == before


# -- codebook -------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_codebook_export_import_export_is_identical(sample_file, tmp_path, suffix):
    first = tmp_path / f"first{suffix}"
    out = ok("codebook", "export", sample_file, first)
    n = json.loads(ok("info", sample_file, "--json"))["codes"]
    assert f"wrote {n} code(s)" in out
    p = tmp_path / "other.qualcode"
    ok("new", p)
    out = ok("codebook", "import", p, first)
    assert f"{n} code(s) created, 0 updated" in out
    second = tmp_path / f"second{suffix}"
    ok("codebook", "export", p, second)
    assert second.read_bytes() == first.read_bytes()


def test_codebook_csv_export_carries_every_field_of_the_source(sample_file, tmp_path):
    out = tmp_path / "cb.csv"
    ok("codebook", "export", sample_file, out)
    exported = {unguard(r["path"]): {k: unguard(v) for k, v in r.items()} for r in read_csv(out)}
    source = read_csv(SAMPLE_DIR / "codebook.csv")
    for r in source:
        got = exported[r["path"].strip()]
        for field in ("definition", "inclusion", "exclusion", "example", "color"):
            assert got[field] == r[field].strip(), (r["path"], field)
    with open(out, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["path", "definition", "inclusion", "exclusion", "example", "color"]


def test_codebook_export_lists_parents_before_children(sample_file, tmp_path):
    out = tmp_path / "cb.csv"
    ok("codebook", "export", sample_file, out)
    seen = set()
    for r in read_csv(out):
        path = r["path"]
        if "/" in path:
            assert path.rsplit("/", 1)[0] in seen, path
        seen.add(path)


def test_codebook_reimport_updates_instead_of_duplicating(sample_copy, tmp_path):
    before = json.loads(ok("info", sample_copy, "--json"))["codes"]
    edited = tmp_path / "edited.csv"
    first = codebook_paths()[0]
    write_csv(edited, ["path", "definition"], [[first, "A new definition."], ["brand-new/child", "Fresh."]])
    out = ok("codebook", "import", sample_copy, edited)
    assert "2 code(s) created, 1 updated" in out  # brand-new and brand-new/child; the first updated
    assert json.loads(ok("info", sample_copy, "--json"))["codes"] == before + 2
    after = tmp_path / "after.csv"
    ok("codebook", "export", sample_copy, after)
    by_path = {r["path"]: r for r in read_csv(after)}
    assert by_path[first]["definition"] == "A new definition."
    assert by_path["brand-new/child"]["definition"] == "Fresh."
    assert by_path["brand-new"]["definition"] == ""


# -- code and codings -----------------------------------------------------------------------------

def test_code_then_export_shows_the_text_slice(sample_copy, tmp_path):
    f = transcripts()[1]
    text = stored_text(f.read_bytes())
    word = text.split()[7]
    start = text.index(word)
    end = start + len(word)
    code = leaf_codes()[0]
    out = ok("code", sample_copy, "--document", f.stem, "--code", code, "--start", start, "--end", end,
             "--coder", "tester", "--memo", "first pass", "--evidence", "hearsay")
    coding_id = int(out.strip())
    exported = tmp_path / "out.csv"
    ok("codings", "export", sample_copy, exported, "--coder", "tester", "--with-evidence")
    rows = read_csv(exported)
    assert len(rows) == 1
    r = rows[0]
    assert (r["document"], r["code"], r["coder"], int(r["start"]), int(r["end"])) == (f.stem, code, "tester", start, end)
    assert unguard(r["text"]) == text[start:end] == word
    assert r["memo"] == "first pass"
    assert r["evidence"] == "hearsay"
    assert query(sample_copy, "SELECT coder_id IS NOT NULL FROM coding WHERE id = ?", (coding_id,)) == [(1,)]


def test_code_json_and_offsets_beyond_the_bmp(tmp_path):
    p = tmp_path / "u.qualcode"
    ok("new", p)
    doc = tmp_path / "emoji.txt"
    text = "Hi \U0001F600\U0001F600 there \u2014 na\u00efve caf\u00e9 \U00020000 end.\n"
    doc.write_text(text, encoding="utf-8")
    ok("import", p, doc)
    cb = tmp_path / "cb.csv"
    write_csv(cb, ["path"], [["tone/warm"]])
    ok("codebook", "import", p, cb)
    start = text.index("there")
    end = text.index("end") + 3
    rc, out, err = run("code", p, "--document", "emoji", "--code", "warm", "--start", start, "--end", end,
                       "--coder", "ann", "--json")
    assert rc == 0, err
    assert isinstance(json.loads(out)["id"], int)
    exported = tmp_path / "out.csv"
    ok("codings", "export", p, exported)
    (r,) = read_csv(exported)
    assert r["code"] == "tone/warm"
    assert unguard(r["text"]) == text[start:end]


def _seed_codings(project, tmp_path):
    """Import a codings file derived from the transcripts: several coders, memos that need
    the formula guard, one new code path. Returns the rows written."""
    leaves = leaf_codes()
    rows = []
    for i, f in enumerate(transcripts()[:4]):
        text = stored_text(f.read_bytes())
        for j, (s, e) in enumerate(spans_for(text)):
            memo = ["", "=cmd()", "+1 more", "-dash", "@at", "plain memo, with comma"][(i + j) % 6]
            rows.append([f.stem, leaves[(i * 3 + j) % len(leaves)], ["ann", "ben", "cy"][(i + j) % 3], s, e, "", memo])
    rows.append([transcripts()[0].stem, "emergent/new-theme", "ann", 5, 9, "", ""])
    src = tmp_path / "seed.csv"
    write_csv(src, CODINGS_HEADER, rows)
    out = ok("codings", "import", project, src)
    assert f"imported {len(rows)} coding(s)" in out
    return rows


def test_codings_export_import_round_trip(sample_copy, fresh_with_transcripts, tmp_path):
    seeded = _seed_codings(sample_copy, tmp_path)
    first = tmp_path / "first.csv"
    out = ok("codings", "export", sample_copy, first)
    exported = read_csv(first)
    assert f"wrote {len(exported)} coding(s)" in out
    assert len(exported) >= len(seeded)
    ok("codings", "import", fresh_with_transcripts, first)
    second = tmp_path / "second.csv"
    ok("codings", "export", fresh_with_transcripts, second)
    assert second.read_bytes() == first.read_bytes()
    # the text column is the slice of the stored text
    texts = {f.stem: stored_text(f.read_bytes()) for f in transcripts()}
    for r in exported:
        assert unguard(r["text"]) == texts[r["document"]][int(r["start"]):int(r["end"])]


def test_memo_formula_guard_round_trip(fresh_with_transcripts, tmp_path):
    doc = transcripts()[0].stem
    ok("codebook", "import", fresh_with_transcripts, SAMPLE_DIR / "codebook.csv")
    ok("code", fresh_with_transcripts, "--document", doc, "--code", leaf_codes()[0], "--start", 0, "--end", 5,
       "--coder", "ann", "--memo", "=cmd()")
    out = tmp_path / "out.csv"
    ok("codings", "export", fresh_with_transcripts, out)
    with open(out, encoding="utf-8", newline="") as fh:
        (header, row) = list(csv.reader(fh))
    assert row[header.index("memo")] == "'=cmd()"
    other = tmp_path / "other.qualcode"
    ok("new", other)
    ok("import", other, transcripts()[0])
    ok("codings", "import", other, out)
    assert query(other, "SELECT memo FROM coding") == [("=cmd()",)]


def test_codings_import_with_coder_override(fresh_with_transcripts, tmp_path):
    f = transcripts()[0]
    src = tmp_path / "c.csv"
    write_csv(src, ["document", "code", "start", "end"], [[f.stem, "theme/a", 0, 4], [f.stem, "theme/b", 4, 8]])
    assert_user_error(*run("codings", "import", fresh_with_transcripts, src), "missing", "coder")
    ok("codings", "import", fresh_with_transcripts, src, "--coder", "dora")
    info = json.loads(ok("info", fresh_with_transcripts, "--json"))
    assert info["coders"] == ["dora"] and info["codings"] == 2 and info["codes"] == 3


def test_codings_export_filters_by_coder(sample_copy, tmp_path):
    seeded = _seed_codings(sample_copy, tmp_path)
    out = tmp_path / "ben.csv"
    ok("codings", "export", sample_copy, out, "--coder", "ben")
    rows = read_csv(out)
    assert {r["coder"] for r in rows} == {"ben"}
    assert len(rows) == sum(1 for r in seeded if r[2] == "ben")
    both = tmp_path / "both.csv"
    ok("codings", "export", sample_copy, both, "--coder", "ben", "--coder", "cy")
    assert len(read_csv(both)) == sum(1 for r in seeded if r[2] in ("ben", "cy"))
    assert_user_error(*run("codings", "export", sample_copy, tmp_path / "x.csv", "--coder", "nobody"), "nobody")
    assert not (tmp_path / "x.csv").exists()


def test_codings_export_has_exactly_the_contract_columns_unless_evidence_is_asked(sample_file, tmp_path):
    import csv as _csv

    plain, rich = tmp_path / "plain.csv", tmp_path / "rich.csv"
    ok("codings", "export", sample_file, plain)
    ok("codings", "export", sample_file, rich, "--with-evidence")
    with open(plain, encoding="utf-8") as fh:
        assert next(_csv.reader(fh)) == ["document", "code", "coder", "start", "end", "text", "memo"]
    with open(rich, encoding="utf-8") as fh:
        header = next(_csv.reader(fh))
        assert header[-1] == "evidence" and len(list(_csv.reader(fh))) == len(read_csv(plain))
