"""Utf16Map.to_utf16_array: the vectorised conversion agrees with UTF-16 itself."""

from __future__ import annotations

import numpy as np

from qualcode.core.spans import Utf16Map


def test_utf16_array_conversion_matches_one_by_one():
    text = "a😀b\U00020000c d🧶"
    m = Utf16Map(text)
    cps = np.arange(len(text) + 1)
    expected = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    assert m.to_utf16_array(cps).tolist() == expected
    assert Utf16Map("plain").to_utf16_array(np.array([0, 3])).tolist() == [0, 3]
