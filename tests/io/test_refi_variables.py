"""Attribute types and values as REFI-QDA variables: always a type every value fits."""

from __future__ import annotations

from qualcode.io.refi import variables as v


def test_the_narrowest_type_all_values_fit_else_text():
    assert v.refi_type("number", ["1", "-20", None, " "]) == "Integer"
    assert v.refi_type("number", ["1", "2.50", ".5"]) == "Float"
    assert v.refi_type("number", ["1", "1e5"]) == "Text"  # xsd:decimal has no exponent
    assert v.refi_type("date", ["2024-02-29", None]) == "Date"
    assert v.refi_type("date", ["2023-02-29"]) == "Text"  # no such day
    assert v.refi_type("boolean", ["yes", "No", "TRUE", "0"]) == "Boolean"
    assert v.refi_type("boolean", ["yes", "maybe"]) == "Text"
    assert v.refi_type("text", ["12"]) == "Text"


def test_values_are_spelled_as_their_type_requires():
    assert [v.refi_value("Boolean", x) for x in ("yes", "No", "1", " ", None)] == ["true", "false", "true", None, None]
    assert v.refi_value("Integer", " 42 ") == "42" and v.refi_value("Integer", "") is None
    assert v.refi_value("Text", "  kept as is ") == "  kept as is "


def test_qualcode_fields_are_recognised_by_their_prefix():
    assert v.reserved("QualCode:kind") == "kind" and v.reserved("kind") is None
    assert v.FROM_REFI["DateTime"] == "text" and v.FROM_REFI["Float"] == "number"
