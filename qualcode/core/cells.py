"""Spreadsheet safety: a cell that starts with ``= + - @`` (or a tab/CR) would run as a
formula in Excel or LibreOffice. Exports prefix such cells with an apostrophe; our own CSV
readers take the apostrophe off again, so a round trip is exact."""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def unguard(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value
