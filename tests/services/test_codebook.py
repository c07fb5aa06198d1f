"""qualcode.services.codebook: import/export, update-not-duplicate, tree order."""

from __future__ import annotations

import csv

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import codebook, project
from qualcode.store import codes as code_store

from ..cli._helpers import SAMPLE_DIR, expected_code_paths, read_csv
from ._helpers import checksum, write_csv

COLS = ["path", "definition", "inclusion", "exclusion", "example", "color"]


def by_path(db) -> dict[str, object]:
    return {p: c for p, c in codebook.list_codes(db)}


def test_import_csv_creates_codes_with_fields(empty_project, tmp_path):
    f = write_csv(tmp_path / "cb.csv", COLS, [
        ["trust", "Trust between firms", "", "", "", "#aa0000"],
        ["trust/low", "Little trust", "Use when...", "Not when...", "\"We never...\"", "#00aa00"],
    ])
    assert codebook.import_file(empty_project, f) == {"created": 2, "updated": 0}
    codes = by_path(empty_project)
    assert list(codes) == ["trust", "trust/low"]
    low = codes["trust/low"]
    assert (low.definition, low.inclusion, low.exclusion, low.example, low.color) == (
        "Little trust", "Use when...", "Not when...", "\"We never...\"", "#00aa00")
    assert low.parent_id == codes["trust"].id


def test_reimport_updates_existing_codes_instead_of_duplicating(empty_project, tmp_path):
    f = write_csv(tmp_path / "cb.csv", ["path", "definition"], [["a", "first"], ["a/b", "child"]])
    codebook.import_file(empty_project, f)
    ids = {p: (c.id, c.guid) for p, c in codebook.list_codes(empty_project)}
    g = write_csv(tmp_path / "cb2.csv", ["path", "definition", "color"],
                  [["a/b", "child, edited", "#123456"], ["a", "", ""], ["a/c", "new", ""]])
    assert codebook.import_file(empty_project, g) == {"created": 1, "updated": 2}
    codes = by_path(empty_project)
    assert list(codes) == ["a", "a/b", "a/c"]
    assert {p: (codes[p].id, codes[p].guid) for p in ids} == ids
    assert codes["a/b"].definition == "child, edited" and codes["a/b"].color == "#123456"
    assert codes["a"].definition == "first"  # an empty cell does not wipe a field
    assert project.info(empty_project)["codes"] == 3


def test_created_counts_implicit_ancestors(empty_project, tmp_path):
    f = write_csv(tmp_path / "cb.csv", ["path"], [["x/y/z"]])
    assert codebook.import_file(empty_project, f)["created"] == 3
    assert list(by_path(empty_project)) == ["x", "x/y", "x/y/z"]


def test_list_codes_is_tree_order(empty_project, tmp_path):
    """Parents before children, each subtree contiguous, siblings in creation order."""
    codebook.import_file(empty_project, write_csv(tmp_path / "1.csv", ["path"], [["b/x"], ["a"], ["c"]]))
    codebook.import_file(empty_project, write_csv(tmp_path / "2.csv", ["path"], [["b/y"], ["a/z"], ["b/x/deep"]]))
    order = [p for p, _ in codebook.list_codes(empty_project)]
    assert order == ["b", "b/x", "b/x/deep", "b/y", "a", "a/z", "c"]


def test_sample_codebook_tree_order_and_paths(sample_project):
    rows = codebook.list_codes(sample_project)
    order = [p for p, _ in rows]
    assert set(order) == expected_code_paths()
    assert len(order) == len(set(order))
    position = {p: i for i, p in enumerate(order)}
    for p in order:
        if "/" in p:
            parent = p.rsplit("/", 1)[0]
            assert position[parent] < position[p]
            # contiguous subtree: everything between the parent and this code is under the parent
            assert all(q.startswith(parent + "/") for q in order[position[parent] + 1:position[p]])
    # codebook.csv lists its codes in tree order: the sample keeps it
    listed = [r["path"] for r in read_csv(SAMPLE_DIR / "codebook.csv")]
    assert [p for p in order if p in set(listed)] == listed


def test_list_codes_hides_merged_codes(empty_project, tmp_path):
    codebook.import_file(empty_project, write_csv(tmp_path / "cb.csv", ["path"], [["a"], ["b"]]))
    idx = codebook.index(empty_project)
    with empty_project.transaction() as tx:
        code_store.update(tx, idx.resolve("b"), status="merged", merged_into=idx.resolve("a"))
    assert [p for p, _ in codebook.list_codes(empty_project)] == ["a"]
    assert [p for p, _ in codebook.list_codes(empty_project, include_merged=True)] == ["a", "b"]
    assert project.info(empty_project)["codes"] == 1


def test_import_markdown(empty_project, tmp_path):
    md = tmp_path / "cb.md"
    md.write_text("# Codebook\n\n## trust\n\nTrust between firms.\n\n### trust/low\n\nDefinition: Little trust\n"
                  "Inclusion: speaker doubts a partner\nColour: #00aa00\n\n## other\n", encoding="utf-8")
    assert codebook.import_file(empty_project, md) == {"created": 3, "updated": 0}
    codes = by_path(empty_project)
    assert codes["trust"].definition == "Trust between firms."
    assert (codes["trust/low"].definition, codes["trust/low"].inclusion, codes["trust/low"].color) == (
        "Little trust", "speaker doubts a partner", "#00aa00")


def test_csv_round_trip_is_exact_for_awkward_values(empty_project, tmp_path):
    rows = [["=sum", "+plus, with comma", "-minus \"quoted\"", "@at", "plain", "#abcdef"],
            ["=sum/child", "", "", "", "", ""]]
    codebook.import_file(empty_project, write_csv(tmp_path / "in.csv", COLS, rows))
    out = tmp_path / "out.csv"
    assert codebook.export_file(empty_project, out) == 2
    with open(out, encoding="utf-8", newline="") as fh:
        exported = list(csv.reader(fh))
    assert exported[1][:2] == ["'=sum", "'+plus, with comma"]  # formula guard on every cell
    other = project.new_project(tmp_path / "o.qualcode")
    try:
        codebook.import_file(other, out)
        got = [(p, c.definition, c.inclusion, c.exclusion, c.example, c.color) for p, c in codebook.list_codes(other)]
        assert got == [("=sum", "+plus, with comma", "-minus \"quoted\"", "@at", "plain", "#abcdef"),
                       ("=sum/child", None, None, None, None, None)]
    finally:
        other.close()


@pytest.mark.parametrize("header,rows,needle", [
    (["path"], [["a"], ["b"], ["a"]], "line 4.*twice.*line 2"),
    (["path"], [["a/b"], ["a / b"]], "twice"),
    (["path"], [["a//b"]], "bad code path"),
    (["path", "color"], [["a", "red"]], "colour"),
    (["path", "weight"], [["a", "1"]], "unknown column"),
    (["definition"], [["x"]], "needs a 'path'"),
    (["path", "definition"], [["a"]], "line 2.*cells"),
])
def test_bad_codebook_changes_nothing(sample_project, tmp_path, header, rows, needle):
    f = write_csv(tmp_path / "cb.csv", header, rows)
    before = checksum(sample_project)
    with pytest.raises(InvalidInput, match=needle):
        codebook.import_file(sample_project, f)
    assert checksum(sample_project) == before


def test_bad_files(empty_project, tmp_path):
    for name, data, needle in [("e.csv", b"", "empty"), ("l.csv", "path\ncaf\u00e9\n".encode("cp1252"), "UTF-8"),
                               ("x.json", b"{}", ".csv or .md"), ("n.md", b"no headings\n", "no codes")]:
        f = tmp_path / name
        f.write_bytes(data)
        with pytest.raises(InvalidInput, match=needle):
            codebook.import_file(empty_project, f)
    with pytest.raises(InvalidInput, match=".csv or .md"):
        codebook.export_file(empty_project, tmp_path / "out.pdf")
    with pytest.raises(InvalidInput, match="does not exist"):
        codebook.export_file(empty_project, tmp_path / "missing" / "out.csv")
    assert project.info(empty_project)["codes"] == 0


@pytest.mark.parametrize("text,needle", [
    ("## a\n\n## b\n\n## a\n", "line 5.*'a' appears twice"),
    ("## a\nColour: teal\n", "colour 'teal'"),
    ("## a//b\n", "bad code path"),
])
def test_bad_markdown_codebook_changes_nothing(sample_project, tmp_path, text, needle):
    f = tmp_path / "cb.md"
    f.write_text(text, encoding="utf-8")
    before = checksum(sample_project)
    with pytest.raises(InvalidInput, match=needle):
        codebook.import_file(sample_project, f)
    assert checksum(sample_project) == before
