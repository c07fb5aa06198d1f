"""Attributes <-> REFI-QDA variables: types, value spellings, and the fields QualCode carries
as variables of its own.

QualCode types an attribute as text, number, date or boolean; REFI has Text, Integer, Float,
Boolean, Date and DateTime, each with the XML Schema spelling of its values. An attribute is
exported with the narrowest REFI type all its values fit, and as Text when one does not, so
the file is always valid. REFI cases are flat and its sources have no kind or date, so
QualCode writes a case's kind and parent and a document's own fields as variables named
``QualCode:...``; other tools show them as ordinary variables, QualCode reads them back into
place.
"""

from __future__ import annotations

import datetime as dt
import re

PREFIX = "QualCode:"
CASE_FIELDS = ("kind", "parent")
DOCUMENT_FIELDS = ("kind", "interview_date", "period_discussed", "language")  # not "source": a local path
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BOOLEAN = {"true": "true", "false": "false", "yes": "true", "no": "false", "1": "true", "0": "false"}
FROM_REFI = {"Text": "text", "Integer": "number", "Float": "number", "Date": "date", "Boolean": "boolean",
             "DateTime": "text"}


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def refi_type(qualcode_type: str, values: list[str | None]) -> str:
    """The REFI ``typeOfVariable`` for an attribute of this type with these values."""
    vals = [v.strip() for v in values if v is not None and v.strip()]
    if qualcode_type == "number":
        if all(_INTEGER.fullmatch(v) for v in vals):
            return "Integer"
        if all(_DECIMAL.fullmatch(v) for v in vals):
            return "Float"
    elif qualcode_type == "date" and all(_is_date(v) for v in vals):
        return "Date"
    elif qualcode_type == "boolean" and all(v.lower() in _BOOLEAN for v in vals):
        return "Boolean"
    return "Text"


def refi_value(refi: str, value: str | None) -> str | None:
    """A stored value in the spelling its REFI type requires (booleans as true/false); a
    blank value of a typed variable is no value."""
    if value is None or refi == "Text":
        return value
    if not value.strip():
        return None
    return _BOOLEAN[value.strip().lower()] if refi == "Boolean" else value.strip()


def reserved(name: str) -> str | None:
    """The field behind a ``QualCode:...`` variable name, or None for an ordinary variable."""
    return name[len(PREFIX):] if name.startswith(PREFIX) else None
