"""Half-open code-point spans, and the one UTF-16 conversion the view boundary uses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from qualcode.core.spans import Span, Utf16Map, merge, validate
from qualcode.errors import InvalidInput


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# -- Span and validate -------------------------------------------------------------------------

def test_span_length_and_order():
    assert len(Span(3, 10)) == 7
    assert sorted([Span(5, 9), Span(0, 5), Span(0, 2)]) == [Span(0, 2), Span(0, 5), Span(5, 9)]


@pytest.mark.parametrize("start, end", [(-1, 3), (4, 4), (5, 2), (0, 0)])
def test_span_refuses_bad_bounds(start, end):
    with pytest.raises(InvalidInput, match="0 <= start < end"):
        Span(start, end)


def test_validate_accepts_a_span_ending_at_the_end():
    assert validate(0, 10, 10) == Span(0, 10)
    assert validate(9, 10, 10) == Span(9, 10)


@pytest.mark.parametrize("start, end, message", [
    (-1, 4, "start -1 is negative"),
    (4, 4, r"\[4, 4\) is empty or reversed"),
    (6, 4, r"\[6, 4\) is empty or reversed"),
    (5, 11, r"ends after the end of the document \(10 characters\)"),
    (10, 11, "ends after the end"),
])
def test_validate_says_what_is_wrong(start, end, message):
    with pytest.raises(InvalidInput, match=message):
        validate(start, end, 10)


def test_validate_names_the_document():
    with pytest.raises(InvalidInput, match="end of document '01_halden' \\(3 characters\\)"):
        validate(0, 4, 3, "document '01_halden'")


@pytest.mark.parametrize("start, end", [(1.0, 3), (1, 3.5), ("1", 3), (None, 3), (1, None)])
def test_validate_refuses_non_integers(start, end):
    with pytest.raises(InvalidInput, match="whole numbers"):
        validate(start, end, 10)


@pytest.mark.parametrize("a, b, expected", [
    ((0, 5), (5, 9), False),   # touching: no shared character
    ((0, 5), (4, 9), True),
    ((0, 9), (3, 4), True),    # nested
    ((2, 6), (2, 6), True),    # identical
    ((0, 1), (7, 9), False),
    ((0, 1), (1, 2), False),
])
def test_overlaps(a, b, expected):
    assert Span(*a).overlaps(Span(*b)) is expected
    assert Span(*b).overlaps(Span(*a)) is expected


# -- merge -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spans, expected", [
    ([], []),
    ([(0, 5)], [(0, 5)]),
    ([(5, 9), (0, 5)], [(0, 9)]),            # touching spans join
    ([(0, 4), (2, 8), (10, 12)], [(0, 8), (10, 12)]),
    ([(0, 10), (2, 3), (4, 5)], [(0, 10)]),  # nested
    ([(3, 4), (3, 4)], [(3, 4)]),
    ([(8, 9), (0, 1), (4, 6)], [(0, 1), (4, 6), (8, 9)]),
])
def test_merge(spans, expected):
    assert merge(spans) == expected
    assert merge(iter(spans)) == expected


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=25))
def test_merge_property(spans):
    out = merge(spans)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for s, e in out for i in range(s, e)} == covered
    for (s1, e1), (s2, e2) in zip(out, out[1:]):
        assert s1 < e1 < s2 < e2  # sorted, disjoint, and never touching


# -- Utf16Map ----------------------------------------------------------------------------------

def test_utf16_map_on_emoji_and_music_symbol():
    text = "a😀b𝄞c"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [m.to_codepoint(u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    assert m.utf16_length() == utf16_len(text) == 7


def test_offsets_inside_a_surrogate_pair_map_to_the_character_start():
    text = "a😀b𝄞c"
    m = Utf16Map(text)
    assert m.to_codepoint(2) == 1  # between the two halves of 😀
    assert m.to_codepoint(5) == 3  # between the two halves of 𝄞


def test_rare_cjk_extension_b():
    text = "𠀀x𠀁𠀂"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 2, 3, 5, 7]
    assert [m.to_codepoint(u) for u in range(8)] == [0, 0, 1, 2, 2, 3, 3, 4]
    assert m.utf16_length() == utf16_len(text) == 7


def test_bmp_only_text_converts_by_identity():
    text = "Zoë 中文 “quote” — é"
    m = Utf16Map(text)
    assert all(m.to_utf16(i) == i == m.to_codepoint(i) for i in range(len(text) + 1))
    assert m.utf16_length() == len(text) == utf16_len(text)


def test_empty_text():
    m = Utf16Map("")
    assert m.utf16_length() == 0 and m.to_utf16(0) == 0 and m.to_codepoint(0) == 0


def test_zwj_sequence_counts_each_code_point():
    text = "👩‍🔬!"  # woman, zero-width joiner, microscope
    m = Utf16Map(text)
    assert len(text) == 4 and m.utf16_length() == utf16_len(text) == 6
    assert m.to_utf16(3) == 5 and m.to_codepoint(5) == 3


_chars = st.one_of(
    st.characters(max_codepoint=0x7F),
    st.characters(min_codepoint=0x80, max_codepoint=0xFFFF, exclude_categories=("Cs",)),
    st.characters(min_codepoint=0x10000),
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_chars, max_size=40))
def test_utf16_round_trip_property(text):
    m = Utf16Map(text)
    assert m.utf16_length() == utf16_len(text)
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == utf16_len(text[:i])
        assert m.to_codepoint(u) == i
    # Every UTF-16 offset, including ones inside a surrogate pair, lands on the character
    # that contains it (or the end).
    for u in range(m.utf16_length() + 1):
        cp = m.to_codepoint(u)
        assert m.to_utf16(cp) <= u
        assert cp == len(text) or u < m.to_utf16(cp + 1)
