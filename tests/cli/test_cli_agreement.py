"""``qualcode agreement / merge / adjudicate`` end to end on the sample project.

The agreement figures are recomputed here straight from the sample's codings CSVs and
transcripts: one 0/1 numpy array per coder and code over the characters of the compared
documents, Cohen's and Fleiss' kappa by their textbook formulas, and Krippendorff's alpha by
the ``krippendorff`` package.
"""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import openpyxl
import pytest

from ._helpers import (SAMPLE_DIR, assert_user_error, query, read_csv, run, sample_codings_files, stored_text,
                       table_checksums, transcripts, unguard)


# -- an independent reading of the sample ---------------------------------------------------------

def code_resolver():
    """Codings CSVs may name a code by its path or by a unique leaf name (CLI.md)."""
    known: set[str] = set()
    for r in read_csv(SAMPLE_DIR / "codebook.csv"):
        parts = unguard(r["path"]).split("/")
        known.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))

    def resolve(ref: str) -> str:
        ref = ref.strip()
        leaves = [p for p in known if p.rsplit("/", 1)[-1] == ref]
        return ref if ref in known or len(leaves) != 1 else leaves[0]

    return resolve


class SampleCodings:
    def __init__(self):
        resolve = code_resolver()
        self.rows = [(unguard(r["document"]), resolve(unguard(r["code"])), unguard(r["coder"]).strip(),
                      int(r["start"]), int(r["end"])) for f in sample_codings_files() for r in read_csv(f)]
        self.coders = list(dict.fromkeys(r[2] for r in self.rows))
        self.lengths = {p.stem: len(stored_text(p.read_bytes())) for p in transcripts()}

    def compared(self, coders):
        docs = sorted({d for d, _, c, _, _ in self.rows if c in coders})
        offsets = dict(zip(docs, np.cumsum([0] + [self.lengths[d] for d in docs])))
        codes = sorted({k for _, k, c, _, _ in self.rows if c in coders})
        total = sum(self.lengths[d] for d in docs)
        return docs, offsets, codes, total

    def arrays(self, coders, code, offsets, total):
        out = {c: np.zeros(total, dtype=np.int8) for c in coders}
        for d, k, c, s, e in self.rows:
            if k == code and c in out:
                out[c][offsets[d] + s:offsets[d] + e] = 1
        return [out[c] for c in coders]


def cohen(a, b):
    po = np.mean(a == b)
    pa, pb = np.mean(a), np.mean(b)
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else (po - pe) / (1 - pe)


def fleiss_two(a, b):
    p_bar = np.mean(a == b)
    p1 = (a.sum() + b.sum()) / (2 * len(a))
    pe = p1 ** 2 + (1 - p1) ** 2
    return None if pe == 1 else (p_bar - pe) / (1 - pe)


def alpha(a, b):
    if len(np.unique(np.concatenate([a, b]))) < 2:
        return None
    return krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")


def expected(a, b):
    return {"percent": 100 * np.mean(a == b), "cohen_kappa": cohen(a, b), "fleiss_kappa": fleiss_two(a, b),
            "krippendorff_alpha": alpha(a, b)}


def assert_figures(got: dict, want: dict, what: str):
    for key, value in want.items():
        if value is None:
            assert got[key] is None, (what, key, got[key])
        else:
            tol = 0.006 if key == "percent" else 6e-5  # percent has 2 decimals, coefficients 4
            assert got[key] == pytest.approx(value, abs=tol), (what, key)


@pytest.fixture(scope="module")
def sample():
    s = SampleCodings()
    assert len(s.coders) >= 2, "the sample needs two coders' codings CSVs"
    return s


def agreement_json(project, *args):
    rc, out, err = run("agreement", project, *args, "--json")
    assert rc == 0, err
    return json.loads(out)


def test_character_agreement_matches_an_independent_computation(sample_file, sample):
    coders = sample.coders[:2]
    doc = agreement_json(sample_file, "--coders", ",".join(coders))
    docs, offsets, codes, total = sample.compared(coders)
    assert doc["unit"] == "character" and doc["coders"] == coders
    assert doc["documents"] == len(docs)
    assert sorted(doc["per_code"]) == codes
    all_a, all_b = [], []
    for code in codes:
        a, b = sample.arrays(coders, code, offsets, total)
        got = doc["per_code"][code]
        assert got["units"] == total
        assert_figures(got, expected(a, b), code)
        all_a.append(a)
        all_b.append(b)
    assert_figures(doc["overall"], expected(np.concatenate(all_a), np.concatenate(all_b)), "overall")


def test_document_agreement_matches_an_independent_computation(sample_file, sample):
    coders = sample.coders[:2]
    doc = agreement_json(sample_file, "--coders", ",".join(coders), "--unit", "document")
    docs, _, codes, _ = sample.compared(coders)
    for code in codes:
        flags = [np.array([int(any(r[0] == d and r[1] == code and r[2] == c for r in sample.rows)) for d in docs])
                 for c in coders]
        assert doc["per_code"][code]["units"] == len(docs)
        assert_figures(doc["per_code"][code], expected(*flags), code)


def test_adjudicate_accepts_exactly_the_characters_both_coded(sample_copy, sample):
    coders = sample.coders[:2]
    rc, out, err = run("adjudicate", sample_copy, "--from", ",".join(coders), "--into", "Consensus",
                       "--accept-agreements", "--json")
    assert rc == 0, err
    done = json.loads(out)
    docs, offsets, codes, total = sample.compared(coders)
    rows = query(sample_copy, 'SELECT d.name, c.start, c."end", c.code_id FROM coding c '
                              "JOIN document d ON d.id = c.document_id JOIN coder k ON k.id = c.coder_id "
                              "WHERE k.name = 'Consensus'")
    paths = dict(query(sample_copy, "WITH RECURSIVE p(id, path) AS (SELECT id, name FROM code WHERE parent_id IS NULL "
                                    "UNION ALL SELECT c.id, p.path || '/' || c.name FROM code c JOIN p ON c.parent_id = p.id) "
                                    "SELECT id, path FROM p"))
    agreed_chars = 0
    for code in codes:
        a, b = sample.arrays(coders, code, offsets, total)
        got = np.zeros(total, dtype=np.int8)
        for d, s, e, code_id in rows:
            if paths[code_id] == code:
                assert not got[offsets[d] + s:offsets[d] + e].any(), "consensus codings overlap"
                got[offsets[d] + s:offsets[d] + e] = 1
        assert np.array_equal(got, a & b), code
        agreed_chars += int((a & b).sum())
    assert done["characters"] == agreed_chars and done["created"] == len(rows)
    rc, out, _ = run("adjudicate", sample_copy, "--from", ",".join(coders), "--into", "Consensus",
                     "--accept-agreements", "--json")
    assert rc == 0 and json.loads(out)["created"] == 0


def test_report_files(sample_file, sample, tmp_path):
    coders = ",".join(sample.coders[:2])
    rc, out, err = run("agreement", sample_file, "--coders", coders, "--out", tmp_path / "r.xlsx")
    assert rc == 0, err
    assert "wrote the report" in out and "(overall)" in out
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Summary", "Statistics", "Common readings", "Disagreements"]
    rc, out, err = run("agreement", sample_file, "--coders", coders, "--unit", "paragraph", "--out",
                       tmp_path / "r.html", "--json")
    assert rc == 0, err
    assert json.loads(out)["unit"] == "paragraph"  # stdout is the JSON document only
    assert "paragraph: every stored paragraph" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_merge_two_single_coder_copies(tmp_path, sample):
    copies = []
    for f in sample_codings_files()[:2]:
        p = tmp_path / f"{f.stem}.qualcode"
        for args in (("new", p), ("import", p, *transcripts()), ("codebook", "import", p, SAMPLE_DIR / "codebook.csv"),
                     ("codings", "import", p, f)):
            rc, _, err = run(*args)
            assert rc == 0, err
        copies.append(p)
    out = tmp_path / "team.qualcode"
    rc, stdout, err = run("merge", out, *copies, "--json")
    assert rc == 0, err
    report = json.loads(stdout)
    rows = [len(read_csv(f)) for f in sample_codings_files()[:2]]
    assert report["totals"]["codings"] == sum(rows)
    assert report["totals"]["documents"] == len(transcripts())
    assert sorted(report["totals"]["coders"]) == sorted(sample.coders[:2])
    assert report["conflicts"] == []
    assert [i["coding"]["added"] for i in report["inputs"]] == rows
    rc, text, err = run("merge", tmp_path / "team2.qualcode", *copies)
    assert rc == 0 and "conflicts: 0" in text


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, needles", [
    (["--coders", "Mira"], ["two coders"]),
    (["--coders", "Mira,Nobody"], ["Nobody"]),
    (["--coders", "Mira,Mira"], ["twice"]),
    (["--coders", "Mira,Jonas", "--code", "no/such"], ["no/such"]),
    (["--coders", "Mira,Jonas", "--document", "99_nobody"], ["99_nobody"]),
    (["--coders", "Mira,Jonas", "--unit", "word"], ["word"]),
    (["--coders", "Mira,Jonas", "--out", "r.pdf"], [".html, .xlsx or .csv"]),
    ([], ["--coders"]),
])
def test_agreement_errors(sample_copy, args, needles):
    before = table_checksums(sample_copy)
    assert_user_error(*run("agreement", sample_copy, *args), *needles)
    assert table_checksums(sample_copy) == before


@pytest.mark.parametrize("args, needles", [
    (["--from", "Mira,Jonas", "--into", "Mira", "--accept-agreements"], ["one of the coders"]),
    (["--from", "Mira,Jonas", "--into", "C"], ["--accept-agreements"]),
    (["--from", "Mira", "--into", "C", "--accept-agreements"], ["two coders"]),
    (["--from", "Mira,Ghost", "--into", "C", "--accept-agreements"], ["Ghost"]),
])
def test_adjudicate_errors(sample_copy, args, needles):
    before = table_checksums(sample_copy)
    assert_user_error(*run("adjudicate", sample_copy, *args), *needles)
    assert table_checksums(sample_copy) == before


def test_merge_errors(sample_copy, sample_file, tmp_path):
    before = table_checksums(sample_copy)
    assert_user_error(*run("merge", sample_copy, sample_file, tmp_path / "x.qualcode"), "already exists")
    assert table_checksums(sample_copy) == before
    assert_user_error(*run("merge", tmp_path / "o.qualcode", sample_file), "at least two")
    assert_user_error(*run("merge", tmp_path / "o.qualcode", sample_file, tmp_path / "none.qualcode"), "no project")
    (tmp_path / "junk.qualcode").write_text("not a project")
    assert_user_error(*run("merge", tmp_path / "o.qualcode", sample_file, tmp_path / "junk.qualcode"), "not")
    assert not (tmp_path / "o.qualcode").exists()
