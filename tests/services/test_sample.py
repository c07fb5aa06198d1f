"""qualcode.services.sample: the demo project is the sample_transcripts/ folder run through the
ordinary import services. Codings assertions derive from whatever codings_*.csv files exist."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from qualcode.errors import InvalidInput, QualCodeError
from qualcode.services import codebook, coding, documents, project
from qualcode.services.sample import build_sample, sample_dir

from ..cli._helpers import (SAMPLE_DIR, expected_code_paths, lock_file, read_csv, sample_codings_files,
                            sample_codings_rows, stored_text, transcripts, unguard)


def test_sample_has_the_transcripts_and_codebook(sample_project):
    info = project.info(sample_project)
    files = transcripts()
    assert len(files) >= 10
    assert info["documents"] == len(files)
    assert sorted(d.name for d in documents.list_documents(sample_project)) == sorted(f.stem for f in files)
    for f in files:
        assert documents.document_text(sample_project, f.stem) == stored_text(f.read_bytes())
    assert info["codes"] >= 40
    assert info["codes"] == len(expected_code_paths())
    assert len(read_csv(SAMPLE_DIR / "codebook.csv")) >= 40


def _resolve(ref: str, paths: set[str]) -> str:
    ref = unguard(ref).strip()
    if ref in paths:
        return ref
    leaves = [p for p in paths if p.rsplit("/", 1)[-1] == ref]
    return leaves[0] if len(leaves) == 1 else ref


def test_sample_codings_equal_the_codings_files(sample_project):
    rows = sample_codings_rows()
    info = project.info(sample_project)
    if sample_codings_files():
        assert len(rows) >= 300
        assert len({r["coder"].strip() for r in rows}) >= 2
    assert info["codings"] == len(rows)
    assert sorted(info["coders"]) == sorted({r["coder"].strip() for r in rows})
    paths = expected_code_paths()
    expected = Counter((r["document"], _resolve(r["code"], paths), r["coder"].strip(), int(r["start"]), int(r["end"]),
                        unguard(r.get("memo") or "") or None, (r.get("evidence") or "unknown").strip().lower())
                       for r in rows)
    got = Counter((r.document, p, r.coder, r.start, r.end, r.memo, r.evidence)
                  for p, r in coding.export_rows(sample_project))
    assert got == expected


def test_sample_coding_offsets_point_at_their_quoted_text(sample_project):
    """Where a codings file quotes the coded text, the stored span must show the same text."""
    texts = {f.stem: stored_text(f.read_bytes()) for f in transcripts()}
    quoted = [r for r in sample_codings_rows() if (r.get("text") or "").strip()]
    bad = [(r["document"], r["start"], r["end"]) for r in quoted
           if texts[r["document"]][int(r["start"]):int(r["end"])] != unguard(r["text"])]
    assert not bad, f"{len(bad)} of {len(quoted)} quoted spans differ, e.g. {bad[:3]}"


def test_sample_codes_of_the_codings_exist_in_the_codebook(sample_project):
    listed = {r["path"] for r in read_csv(SAMPLE_DIR / "codebook.csv")}
    used = {_resolve(r["code"], listed) for r in sample_codings_rows()}
    assert used <= listed, sorted(used - listed)[:5]
    assert set(codebook.paths(sample_project).values()) >= used


def test_sample_dir_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QUALCODE_SAMPLE_DIR", str(SAMPLE_DIR))
    assert sample_dir() == SAMPLE_DIR
    monkeypatch.setenv("QUALCODE_SAMPLE_DIR", str(tmp_path))
    with pytest.raises(InvalidInput, match="sample data not found"):
        sample_dir()


def test_a_failed_build_leaves_no_file(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SAMPLE_DIR, src)
    (src / "codings_zz_broken.csv").write_text(
        f"document,code,coder,start,end\n{transcripts()[0].stem},x/y,Zed,5,4\n", encoding="utf-8")
    target = tmp_path / "demo.qualcode"
    with pytest.raises(InvalidInput, match="line 2"):
        build_sample(target, src)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("demo.qualcode")]
    assert leftovers == []
    assert not lock_file(target).exists()


def test_build_refuses_an_existing_file(tmp_path):
    target = tmp_path / "demo.qualcode"
    target.write_bytes(b"precious")
    with pytest.raises(QualCodeError, match="exists"):
        build_sample(target, SAMPLE_DIR)
    assert target.read_bytes() == b"precious"
