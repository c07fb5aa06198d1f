"""Rows of CSV text from a user's file, read the way a spreadsheet would read them.

``csv.reader`` over ``io.StringIO(text)`` fails on a bare carriage return (old Mac line
endings, a stray CR pasted into a cell) and on any cell over 128 KB, and its ``csv.Error``
is not a message a researcher can act on. Here any line ending ends a row, a cell may be as
long as the file (which is in memory already), and what is not CSV is an InvalidInput that
names the line.
"""

from __future__ import annotations

import csv
import io
from typing import Iterator

from ..errors import InvalidInput

_CELL_LIMIT = 256 * 1024 * 1024


def rows(text: str, name: str) -> Iterator[list[str]]:
    if csv.field_size_limit() < _CELL_LIMIT:
        csv.field_size_limit(_CELL_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise InvalidInput(f"{name} line {reader.line_num}: not readable as CSV ({exc})") from None
