"""Co-occurrence: the sample against an all-pairs count from its CSVs, and the boundary rules
on a hand-made project."""

from __future__ import annotations

import itertools

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import coding, project
from qualcode.services.reports.cooccurrence import cooccurrence
from qualcode.services.reports.selection import Filters

from .._helpers import add_codes, add_document
from . import _oracle as oracle


@pytest.fixture(scope="module")
def db(sample_file):
    with project.open_project(sample_file, readonly=True) as d:
        yield d


def overlap(a, b) -> bool:
    return a["document"] == b["document"] and a["start"] < b["end"] and b["start"] < a["end"]


def chars(rows) -> set[tuple[str, int]]:
    return {(r["document"], i) for r in rows for i in range(r["start"], r["end"])}


@pytest.mark.parametrize("same_coder", [False, True])
def test_sample_counts_and_jaccard_match_all_pairs(db, same_coder):
    rows = oracle.codings()
    result = cooccurrence(db, same_coder=same_coder)
    coded = [p for p in oracle.code_paths() if any(r["code"] == p for r in rows)]
    assert result.codes == coded
    pos = {c: i for i, c in enumerate(result.codes)}
    expected = {}
    for a, b in itertools.combinations(rows, 2):
        if a["code"] != b["code"] and overlap(a, b) and (not same_coder or a["coder"] == b["coder"]):
            key = tuple(sorted((a["code"], b["code"])))
            expected[key] = expected.get(key, 0) + 1
    for x, y in itertools.combinations(coded, 2):
        assert result.counts[pos[x], pos[y]] == result.counts[pos[y], pos[x]] == expected.get(tuple(sorted((x, y))), 0)
    for c in coded:
        assert result.counts[pos[c], pos[c]] == sum(r["code"] == c for r in rows)
    assert sum(expected.values()) > 50  # the sample has real overlaps, so the check is not vacuous
    if not same_coder:
        by_code = oracle.group(rows, lambda r: r["code"])
        for x, y in [("narrative/retelling", "narrative/discrepancy"), ("narrative/story-told", "narrative/retelling")]:
            a, b = chars(by_code[x]), chars(by_code[y])
            assert result.jaccard[pos[x], pos[y]] == pytest.approx(len(a & b) / len(a | b))


def test_coder_filter_counts_only_that_coders_codings(db):
    rows = [r for r in oracle.codings() if r["coder"] == "Jonas"]
    result = cooccurrence(db, filters=Filters(coders=["Jonas"]), codes=["narrative/retelling", "narrative/discrepancy"])
    pairs = sum(1 for a, b in itertools.product(rows, rows)
                if a["code"] == "narrative/retelling" and b["code"] == "narrative/discrepancy" and overlap(a, b))
    assert result.codes == ["narrative/retelling", "narrative/discrepancy"]
    assert result.counts[0, 1] == pairs > 0


@pytest.fixture
def boundary(empty_project, tmp_path):
    """One paragraph per line pair: 'aaaa bbbb.' [0,10), then [12,22)."""
    db = empty_project
    add_document(db, tmp_path, "doc", "Aaaa bbbb.\n\nCccc dddd.\n")
    add_codes(db, tmp_path, "A", "B", "C", "D")
    for code, s, e, who in [("A", 0, 5, "ann"), ("B", 5, 9, "ann"),  # touching: no co-occurrence
                            ("C", 4, 5, "bob"),  # shares character 4 with A only
                            ("D", 13, 15, "ann")]:  # second paragraph
        coding.add_coding(db, "doc", code, s, e, who)
    return db


def test_touching_spans_do_not_cooccur_and_one_shared_character_does(boundary):
    r = cooccurrence(boundary)
    at = {c: i for i, c in enumerate(r.codes)}
    assert r.counts[at["A"], at["B"]] == 0
    assert r.counts[at["A"], at["C"]] == 1 and r.counts[at["B"], at["C"]] == 0
    assert r.jaccard[at["A"], at["C"]] == pytest.approx(1 / 5)  # {4} / {0..4}
    assert r.jaccard[at["A"], at["B"]] == 0
    assert r.jaccard[at["A"], at["A"]] == 1
    same = cooccurrence(boundary, same_coder=True)  # A is ann's, C is bob's
    assert same.counts[at["A"], at["C"]] == 0


def test_paragraph_unit_counts_segments_touched_by_both(boundary):
    r = cooccurrence(boundary, unit="paragraph")
    at = {c: i for i, c in enumerate(r.codes)}
    assert r.counts[at["A"], at["B"]] == 1  # same paragraph, though they only touch
    assert r.counts[at["A"], at["D"]] == 0
    assert r.counts[at["D"], at["D"]] == 1
    assert r.jaccard[at["A"], at["B"]] == 1.0
    assert r.jaccard[at["A"], at["D"]] == 0.0


def test_graph_has_a_weighted_edge_per_cooccurring_pair(boundary):
    g = cooccurrence(boundary).graph()
    assert set(g.nodes) == {"A", "B", "C", "D"}
    assert list(g.edges(data=True)) == [("A", "C", {"weight": 1, "jaccard": 0.2})]
    assert g.nodes["A"]["total"] == 1


def test_bad_unit_is_refused(boundary):
    with pytest.raises(InvalidInput, match="unit"):
        cooccurrence(boundary, unit="page")
