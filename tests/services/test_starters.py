"""Starter codebooks: listed with a description, and a new project can begin with one."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import codebook, starters

from ..cli._helpers import ROOT, SAMPLE_DIR, read_csv


def test_the_field_studies_starter_is_the_sample_codebook():
    (field,) = [s for s in starters.list_starters() if s.name == "field-studies"]
    assert field.path == ROOT / "resources" / "codebooks" / "field-studies.csv"
    assert "sample" in field.description
    assert field.path.read_bytes() == (SAMPLE_DIR / "codebook.csv").read_bytes()


def test_new_project_with_a_starter(tmp_path):
    with starters.new_project(tmp_path / "p.qualcode", "field-studies") as db:
        got = [(p, c.definition) for p, c in codebook.list_codes(db)]
    assert got == [(r["path"], r["definition"] or None) for r in read_csv(SAMPLE_DIR / "codebook.csv")]


def test_new_project_with_a_file_and_without(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("path\na/b\n", encoding="utf-8")
    with starters.new_project(tmp_path / "p.qualcode", str(f)) as db:
        assert [p for p, _c in codebook.list_codes(db)] == ["a", "a/b"]
    with starters.new_project(tmp_path / "q.qualcode") as db:
        assert codebook.list_codes(db) == []


def test_a_bad_codebook_leaves_no_project(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("path,weight\na,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown column"):
        starters.new_project(tmp_path / "p.qualcode", str(bad))
    with pytest.raises(NotFound, match="no starter codebook 'nope'.*field-studies"):
        starters.new_project(tmp_path / "p.qualcode", "nope")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["bad.csv"]


def test_the_folder_can_be_moved(tmp_path, monkeypatch):
    (tmp_path / "codebooks").mkdir()
    (tmp_path / "codebooks" / "tiny.md").write_text("## x\n", encoding="utf-8")
    monkeypatch.setenv("QUALCODE_RESOURCES", str(tmp_path))
    assert [(s.name, s.description) for s in starters.list_starters()] == [("tiny", "")]
