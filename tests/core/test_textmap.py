"""PositionMap: another program's positions -> positions in the text QualCode stores."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from qualcode.core.text import normalise
from qualcode.core.textmap import PositionMap
from qualcode.errors import InvalidInput


def test_a_normalised_text_maps_by_identity():
    text = "Plain text\nwith lines and an emoji 😀 and ü.\n"
    pm = PositionMap(text)
    assert pm.identity and pm.text == text and pm.length == len(text)
    assert [pm.map(p) for p in range(len(text) + 1)] == list(range(len(text) + 1))


def test_crlf_line_ends_shift_every_later_position_back_by_one_per_line():
    raw = "first line\r\nsecond line\r\nthird line"
    pm = PositionMap(raw)
    assert pm.text == "first line\nsecond line\nthird line"
    for word in ("first", "second", "third"):
        start = raw.index(word)
        s, e = pm.map(start), pm.map(start + len(word))
        assert pm.text[s:e] == word


def test_atlas_style_positions_count_crlf_once():
    raw = "one\r\ntwo\r\nthree"
    pm = PositionMap(raw, crlf_is_one=True)
    unified = raw.replace("\r\n", "\n")  # the text the writer counted
    assert pm.length == len(unified)
    start = unified.index("three")
    assert pm.text[pm.map(start):pm.map(start + 5)] == "three"


def test_lone_cr_and_bom_and_decomposed_accents():
    raw = "\ufeffCafe\u0301 one\rnai\u0308ve two"
    pm = PositionMap(raw)
    assert pm.text == unicodedata.normalize("NFC", "Café one\nnaïve two")
    for word in ("one", "two"):
        start = raw.index(word)
        assert pm.text[pm.map(start):pm.map(start + 3)] == word
    start = raw.index("nai")
    assert pm.text[pm.map(start):pm.map(start + 6)] == "naïve"  # 6 code points written, 5 stored
    assert pm.map(pm.length) == len(pm.text)


def test_empty_or_binary_text_is_refused_like_an_import():
    with pytest.raises(InvalidInput):
        PositionMap("  \r\n ", "empty.txt")
    with pytest.raises(InvalidInput):
        PositionMap("\x00\x01\x02\x03" * 50, "junk.bin")


# Whole units a writer's text is made of; positions are taken only between units, where the
# stored position is known independently: the normalised length of the prefix.
UNITS = ["a", "b", " ", "é", "e\u0301", "o\u0308\u0301", "\r\n", "\n", "\r", "😀", "한", "\u1112\u1161\u11ab", "ß",
         "ﬁ"]


def _whole(units: list[str]) -> bool:
    """Some text, and no lone "\r" written just before a "\n": together they are one line end."""
    return bool("".join(units).strip()) and not any(a == "\r" and b.startswith("\n") for a, b in zip(units, units[1:]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(UNITS), min_size=1, max_size=60).filter(_whole), st.booleans())
def test_positions_between_units_map_to_the_normalised_length_of_the_prefix(units, bom):
    raw = ("\ufeff" if bom else "") + "".join(units)
    pm = PositionMap(raw)
    assert pm.text == normalise(raw)
    at = len(raw) - len("".join(units))
    for k in range(len(units) + 1):
        prefix = "".join(units[:k]).replace("\r\n", "\n").replace("\r", "\n")
        assert pm.map(at) == len(unicodedata.normalize("NFC", prefix)), (units, k)
        if k < len(units):
            at += len(units[k])
