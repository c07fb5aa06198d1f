"""Coded-segment retrieval and Boolean queries, checked against the codings CSVs and a
hand-made project with known speakers and distances."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import coding, documents, project
from qualcode.services.reports.retrieval import segments
from qualcode.services.reports.selection import Filters

from .._helpers import add_codes
from . import _oracle as oracle


@pytest.fixture(scope="module")
def db(sample_file):
    with project.open_project(sample_file, readonly=True) as d:
        yield d


def key(x) -> tuple:
    return (x["document"], x["start"], x["end"], x["coder"]) if isinstance(x, dict) else \
        (x.document, x.start, x.end, x.coder)


def test_segments_of_a_code_with_context_and_source(db):
    code = "narrative/retelling"
    rows = [r for r in oracle.codings() if r["code"] == code]
    doc_case = oracle.document_case()
    got = segments(db, code, context=25)
    assert sorted(key(s) for s in got.segments) == sorted(key(r) for r in rows)
    expected = {key(r): r for r in rows}
    texts = {}
    for s in got.segments:
        r = expected[key(s)]
        text = texts.setdefault(s.document, documents.document_text(db, s.document))
        assert s.text == r["text"] == text[s.start:s.end]
        assert s.before == text[max(0, s.start - 25):s.start] and s.after == text[s.end:s.end + 25]
        assert (s.memo or "") == r["memo"] and s.code == code and s.evidence == r["evidence"]
        assert s.case == doc_case[s.document]
    assert [(s.document, s.start) for s in got.segments] == sorted((s.document, s.start) for s in got.segments)


def brute(rows, a, b, test):
    bs = [r for r in rows if r["code"] == b]
    return sorted(key(x) for x in rows if x["code"] == a and test(x, [y for y in bs if y["document"] == x["document"]]))


def gap(x, y) -> int:
    return max(0, y["start"] - x["end"], x["start"] - y["end"])


@pytest.mark.parametrize("a,b", [("narrative/retelling", "narrative/discrepancy"),
                                 ("narrative/story-told", "narrative/retelling")])
def test_boolean_queries_match_brute_force(db, a, b):
    rows = oracle.codings()
    overlaps = lambda x, ys: any(x["start"] < y["end"] and y["start"] < x["end"] for y in ys)  # noqa: E731
    both = brute(rows, a, b, overlaps)
    assert both and sorted(key(s) for s in segments(db, a, and_codes=[b]).segments) == both
    assert sorted(key(s) for s in segments(db, a, not_codes=[b]).segments) == brute(rows, a, b, lambda x, ys: not overlaps(x, ys))
    for n in (0, 40, 400):
        near = brute(rows, a, b, lambda x, ys: any(gap(x, y) <= n for y in ys))
        assert sorted(key(s) for s in segments(db, a, near_codes=[b], within=n).segments) == near
    jonas = segments(db, a, and_codes=[b], filters=Filters(coders=["Jonas"]))
    assert sorted(key(s) for s in jonas.segments) == brute([r for r in rows if r["coder"] == "Jonas"], a, b, overlaps)


@pytest.fixture
def talk(empty_project, tmp_path):
    db = empty_project
    text = "Interviewer: How did it start?\n\nAnna: We had one machine. Then two.\n"
    f = tmp_path / "talk.txt"
    f.write_text(text, encoding="utf-8")
    documents.import_files(db, [f], case="Anna Berg")
    add_codes(db, tmp_path, "A", "B", "B/child")
    anna = text.index("We had")
    spans = {"A": (anna, anna + 6), "B": (anna + 6, anna + 10), "B/child": (anna + 16, anna + 20)}
    for code, (s, e) in spans.items():
        coding.add_coding(db, "talk", code, s, e, "ann", memo=f"memo {code}")
    return db, text, spans


def test_speaker_case_and_memo_come_from_the_source(talk):
    db, text, spans = talk
    (seg,) = segments(db, "A", context=5).segments
    assert (seg.speaker, seg.case, seg.memo, seg.text) == ("Anna", "Anna Berg", "memo A", "We had")
    assert seg.before == text[spans["A"][0] - 5:spans["A"][0]]


def test_touching_is_not_and_but_is_near_at_zero_distance(talk):
    db, _text, spans = talk
    assert segments(db, "A", and_codes=["B"]).segments == []
    assert len(segments(db, "A", not_codes=["B"]).segments) == 1
    assert len(segments(db, "A", near_codes=["B"], within=0).segments) == 1
    # B/child starts 10 characters after A ends
    distance = spans["B/child"][0] - spans["A"][1]
    assert segments(db, "A", near_codes=["B/child"], within=distance - 1).segments == []
    assert len(segments(db, "A", near_codes=["B/child"], within=distance).segments) == 1
    # with children, B's segments include those of B/child
    assert len(segments(db, "B", children=True).segments) == 2


def test_bad_queries_are_refused(talk):
    db, _text, _spans = talk
    with pytest.raises(InvalidInput, match="--within"):
        segments(db, "A", near_codes=["B"])
    with pytest.raises(InvalidInput, match="context"):
        segments(db, "A", context=-1)
    with pytest.raises(NotFound, match="no code"):
        segments(db, "Z")
