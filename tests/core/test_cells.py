"""Spreadsheet formula injection guard, and its exact inverse."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from qualcode.core.cells import guard, unguard

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("value", [
    "=HYPERLINK(\"http://x\",\"click\")", "=1+1", "+44 20 7946 0000", "-2", "@SUM(A1:A9)", "\tindented", "\rodd",
    "=", "-",
])
def test_guard_neutralises_formula_starts(value):
    out = guard(value)
    assert out == "'" + value
    assert out[0] not in TRIGGERS
    assert unguard(out) == value


@pytest.mark.parametrize("value", ["plain", "", "a=b", " =not at start", "'quoted", "’curly", "5", "€-sign"])
def test_guard_leaves_safe_text_alone(value):
    assert guard(value) == value
    assert unguard(guard(value)) == value


@pytest.mark.parametrize("value", [None, 0, -5, 3.5, True, dt.date(2023, 3, 14), b"=bytes"])
def test_guard_leaves_non_strings_untouched(value):
    assert guard(value) is value


@pytest.mark.parametrize("value", ["'=1+1", "'-note", "''=x", "'@x"])
def test_values_that_already_start_with_an_apostrophe_round_trip(value):
    """A memo that really begins with ``'=`` must come back as written, not lose its apostrophe."""
    assert unguard(guard(value)) == value
    assert guard(value)[0] not in TRIGGERS


def test_unguard_reads_cells_guarded_by_other_tools():
    assert unguard("'=1+1") == "=1+1"
    assert unguard("'-2") == "-2"
    assert unguard("'") == "'"
    assert unguard("'plain") == "'plain"
    assert unguard("") == ""


@given(st.text())
def test_round_trip_is_exact_for_any_text(value):
    guarded = guard(value)
    assert unguard(guarded) == value
    assert not guarded.startswith(tuple(TRIGGERS))
