"""Positions in a text as another program wrote it -> positions in the text QualCode stores.

QualCode stores every text decoded, with ``\\n`` line ends and in Unicode NFC
(:func:`qualcode.core.text.normalise`). A file from another tool carries positions that
count *its* characters: a Windows line end ``\\r\\n`` is two of them, a decomposed ``e`` +
combining accent is two where NFC has one, a leading byte-order mark may be one more. Taken
as they are, such positions drift further from their passage with every line.

:class:`PositionMap` follows the same three steps as ``normalise`` and records where each
one removes characters, so a position in the raw text maps to the same place in the stored
text. Building it costs one pass per line (in C); texts that need no change map by identity.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

from . import text as textcore

_CRLF = re.compile("\r\n")


class PositionMap:
    """Maps code-point positions in ``raw`` to positions in ``self.text`` (the stored text).

    ``crlf_is_one``: the writer counted a ``\\r\\n`` line end as one character (its positions
    are over the text with line ends already unified), so line ends shift nothing.
    ``length`` is the length of the text as the writer counted it: valid positions are
    ``0 <= pos <= length``. A position inside a sequence that NFC fuses into one character
    (between ``e`` and its combining accent) maps to the end of that character. Raises
    InvalidInput where ``normalise`` would (empty or binary text).
    """

    def __init__(self, raw: str, name: str = "the text", crlf_is_one: bool = False):
        self.text = textcore.normalise(raw, name)
        self._bom = len(raw) - len(raw.lstrip("\ufeff"))
        body = raw[self._bom:]
        crlf = [m.start() for m in _CRLF.finditer(body)]
        # "\r\n" -> "\n" drops the "\r"; a lone "\r" becomes "\n" and keeps its place.
        self._dropped = [] if crlf_is_one else crlf
        self.length = len(raw) - (len(crlf) if crlf_is_one else 0)
        unified = body.replace("\r\n", "\n").replace("\r", "\n")
        self._lines: list[str] | None = None
        if not unicodedata.is_normalized("NFC", unified):
            # Line ends never take part in a composition, so each line normalises on its own.
            self._lines = unified.split("\n")
            self._starts: list[int] = []
            self._nfc_starts: list[int] = []
            at = nfc_at = 0
            for line in self._lines:
                self._starts.append(at)
                self._nfc_starts.append(nfc_at)
                at += len(line) + 1
                nfc_at += len(unicodedata.normalize("NFC", line)) + 1
        if self.map(self.length) != len(self.text):  # the steps above must mirror normalise()
            raise AssertionError(f"PositionMap disagrees with text.normalise for {name}")

    @property
    def identity(self) -> bool:
        """True when positions need no mapping at all (the common case)."""
        return not self._bom and not self._dropped and self._lines is None

    def map(self, pos: int) -> int:
        """The stored-text position of the writer's position ``pos`` (0 <= pos <= length)."""
        p = max(pos - self._bom, 0)
        if self._dropped:
            p -= bisect_left(self._dropped, p)  # each "\r" dropped before p
        if self._lines is None:
            return p
        i = bisect_right(self._starts, p) - 1
        line = self._lines[i]
        return self._nfc_starts[i] + len(unicodedata.normalize("NFC", line[:p - self._starts[i]]))
