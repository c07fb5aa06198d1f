"""Spreadsheet safety: a cell that starts with ``= + - @`` (or a tab/CR) would run as a
formula in Excel or LibreOffice. Exports prefix such cells with an apostrophe; our own CSV
readers take the apostrophe off again, so a round trip is exact."""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_guard(value: str) -> bool:
    # A value that already starts with apostrophes before a trigger is guarded too, so that
    # unguard never strips an apostrophe the user wrote: guard/unguard are exact inverses.
    return value.lstrip("'").startswith(_TRIGGERS)


def guard(value):
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unguard(value: str) -> str:
    if value.startswith("'") and _needs_guard(value[1:]):
        return value[1:]
    return value
