"""CSV text as spreadsheets write it, including what trips the csv module up."""

import pytest

from qualcode.core.csvrows import rows
from qualcode.errors import InvalidInput


def test_any_line_ending_ends_a_row_and_quoted_ones_stay_in_the_cell():
    text = 'a,b\rc,d\r\ne,"f\rg"\nh,i'
    assert list(rows(text, "x.csv")) == [["a", "b"], ["c", "d"], ["e", "f\rg"], ["h", "i"]]


def test_a_long_cell_is_read_whole():
    cell = "word " * 100_000
    assert list(rows(f"text\n\"{cell}\"\n", "x.csv")) == [["text"], [cell]]


def test_what_csv_cannot_read_is_a_plain_error_naming_the_line(monkeypatch):
    """Past the (raised) cell limit the csv module gives up: say so, with the line."""
    import csv

    from qualcode.core import csvrows

    before = csv.field_size_limit()
    monkeypatch.setattr(csvrows, "_CELL_LIMIT", 8)
    csv.field_size_limit(4)
    try:
        with pytest.raises(InvalidInput, match=r"^x.csv line 2: not readable as CSV \(field larger"):
            list(rows("a,b\nshort,much too long\n", "x.csv"))
    finally:
        csv.field_size_limit(before)
