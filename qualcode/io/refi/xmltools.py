"""Small pieces shared by the REFI-QDA readers and writers: elements with XML-safe text,
GUID attributes, and the text of a child element.

Elements are built without a namespace and the root carries ``xmlns`` itself, so writing a
file never registers a namespace prefix globally.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from ...core import guids
from ...errors import InvalidInput
from ..qdc import xml_safe  # characters XML cannot carry (stray control characters) become spaces
from .model import local

_STORED = re.compile("[0-9a-f]{32}")


def child(parent: Element, tag: str, text: str | None = None, **attrs: str | None) -> Element:
    """A sub-element with the attributes that have a value, in the order given."""
    el = SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = xml_safe(text)
    return el


def guid_attr(stored: str) -> str:
    """The exchange form of a stored GUID (dashed, lower case)."""
    return guids.dashed(stored)


def read_guid(value: str | None) -> str | None:
    """The stored form of a GUID as another tool wrote it (upper case, braces, dashes); a
    value that is no GUID at all is kept as written so references to it still match."""
    if value is None or not value.strip():
        return None
    try:
        return guids.normalise(value)
    except InvalidInput:
        return value.strip()


def is_guid(value: str | None) -> bool:
    """True for a GUID in stored form (what :func:`read_guid` makes of a real GUID)."""
    return value is not None and _STORED.fullmatch(value) is not None


def text_of(el: Element, name: str) -> str | None:
    """The text of the first child called ``name`` ("" when present but empty)."""
    for sub in el:
        if local(sub.tag) == name:
            return sub.text or ""
    return None
