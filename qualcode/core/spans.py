"""Offsets: half-open ``[start, end)`` spans in Unicode code points over NFC text.

Code points are what REFI-QDA exchanges and what Python strings index, so the store, the CLI
and every export speak them. Qt speaks UTF-16 code units; :class:`Utf16Map` is the one place
that converts, and only the view boundary may call it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..errors import InvalidInput

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self):
        if self.start < 0 or self.end <= self.start:
            raise InvalidInput(f"a span needs 0 <= start < end, got [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        """True when the spans share at least one character; touching spans do not."""
        return self.start < other.end and other.start < self.end


def validate(start: int, end: int, length: int, what: str = "the document") -> Span:
    """The span, or InvalidInput saying plainly what is wrong with it."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise InvalidInput(f"span offsets must be whole numbers, got {start!r} and {end!r}")
    if start < 0:
        raise InvalidInput(f"span start {start} is negative")
    if end <= start:
        raise InvalidInput(f"span [{start}, {end}) is empty or reversed: end must be greater than start")
    if end > length:
        raise InvalidInput(f"span [{start}, {end}) ends after the end of {what} ({length} characters)")
    return Span(start, end)


def merge(spans) -> list[tuple[int, int]]:
    """Union of half-open spans as sorted, disjoint, non-touching spans."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


class Utf16Map:
    """Converts between code-point offsets and UTF-16 offsets of one text.

    Built once per document in O(n) with a regex (C speed); each conversion is a bisect over
    the positions of characters outside the Basic Multilingual Plane, which take two UTF-16
    units. Texts without such characters convert by identity.
    """

    __slots__ = ("_cp", "_u16", "length")

    def __init__(self, text: str):
        self._cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._u16 = [p + i for i, p in enumerate(self._cp)]
        self.length = len(text)

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self._cp, cp) if self._cp else cp

    def to_utf16_array(self, cps):
        """:meth:`to_utf16` for a numpy array of code points at once (a view loading
        thousands of codings). numpy is imported here so the CLI's start-up does not pay it."""
        import numpy as np

        cps = np.asarray(cps, dtype=np.int64)
        if not self._cp:
            return cps.copy()
        return cps + np.searchsorted(np.asarray(self._cp, dtype=np.int64), cps, side="left")

    def to_codepoint(self, u16: int) -> int:
        """A UTF-16 offset inside a surrogate pair maps to the start of its character."""
        if not self._cp:
            return u16
        return u16 - bisect_left(self._u16, u16)

    def utf16_length(self) -> int:
        return self.length + len(self._cp)

