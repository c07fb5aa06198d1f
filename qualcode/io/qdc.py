"""REFI-QDA codebooks (``.qdc``): the XML read and written, nothing about projects.

The format is the REFI-QDA Codebook (namespace ``urn:QDA-XML:codebook:1.0``; its schema is in
``resources/refi/Codebook.xsd``)::

    <CodeBook origin="...">
      <Codes>
        <Code guid="..." name="..." isCodable="true" color="#RRGGBB">
          <Description>...</Description>
          <Code ...>...</Code>            (subcodes nest)
        </Code>
      </Codes>
      <Sets>...</Sets>                    (optional; groupings QualCode does not keep)
    </CodeBook>

Reading goes through defusedxml with DTDs refused outright: a codebook never needs one, and a
DTD is how entity expansion ("billion laughs") and external-entity attacks begin. Other tools
vary in namespace and case, so elements are matched by local name and GUIDs in any usual
spelling; anything the schema forbids that would change meaning (no GUID, no name, a bad
colour, a GUID used twice, two sibling codes of one name) is refused with the code named.

The standard has one free-text ``Description`` per code, while a QualCode code has four
description fields. They travel as labelled paragraphs, readable in any tool::

    Definition: what the code means
    (more lines of the same field)

    Inclusion: when to apply it

    Exclusion: when not to

    Example: a typical passage

A label counts only at the start of the text or after a blank line; a description without
labels (as other tools write) is all definition. A field value that itself has a blank line
followed by ``Example:`` (or another label) would be read back as two fields.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable

from ..core import guids
from ..errors import InvalidInput

NS = "urn:QDA-XML:codebook:1.0"
LABELS = {"definition": "Definition", "inclusion": "Inclusion", "exclusion": "Exclusion", "example": "Example"}
_LABEL = re.compile(r"^(definition|inclusion|exclusion|example)[ \t]*:[ \t]*", re.IGNORECASE)
_COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}
# Characters XML 1.0 cannot hold; python-docx refuses them too.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class QdcCode:
    """One code of a codebook file, parents before children. GUIDs in the stored form."""

    guid: str
    name: str
    parent: str | None = None
    codable: bool = True
    color: str | None = None  # "#rrggbb"
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub(" ", text)


# -- the description convention --------------------------------------------------------------------

def describe(fields: dict) -> str:
    """The Description text of a code: its non-empty fields as labelled paragraphs."""
    return "\n\n".join(f"{label}: {fields[key].strip()}" for key, label in LABELS.items()
                       if fields.get(key) and fields[key].strip())


def parse_description(text: str | None) -> dict[str, str]:
    """The fields of a Description written by :func:`describe` (or by another tool: then all
    of it is the definition)."""
    fields: dict[str, str] = {}
    current, chunk, after_blank = "definition", [], True

    def flush() -> None:
        value = "\n".join(chunk).strip()
        if value:
            fields[current] = f"{fields[current]}\n\n{value}" if current in fields else value

    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        found = _LABEL.match(line) if after_blank else None
        if found:
            flush()
            current, chunk = found.group(1).lower(), [line[found.end():]]
        else:
            chunk.append(line)
        after_blank = not line.strip()
    flush()
    return fields


def color(value: str | None) -> str | None:
    """``#rgb`` or ``#rrggbb`` in any case, as ``#rrggbb``; None when empty; else None too
    (the caller decides whether a bad colour is an error)."""
    if not value or not _COLOR.match(value.strip()):
        return None
    h = value.strip()[1:].lower()
    return "#" + (h if len(h) == 6 else "".join(c * 2 for c in h))


# -- reading -----------------------------------------------------------------------------------------

def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [e for e in element if _local(e.tag) == name]


def parse(data: bytes, source: str):
    """The root element of ``data``, refusing DTDs, entities and malformed XML."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InvalidInput(f"{source} declares a DTD or entities, which a codebook never needs; "
                           "not imported (that is how entity-expansion attacks start)") from None
    except (ParseError, LookupError) as exc:  # LookupError: the declaration names an unknown encoding
        raise InvalidInput(f"{source} is not well-formed XML ({exc}); not imported") from None


def read(data: bytes, source: str) -> tuple[list[QdcCode], int]:
    """(codes in document order, number of Sets ignored) of a .qdc file's bytes."""
    root = parse(data, source)
    if _local(root.tag) != "CodeBook":
        what = "a REFI-QDA project, not a codebook" if _local(root.tag) == "Project" else \
            f"not a REFI-QDA codebook (its root element is <{_local(root.tag)}>, not <CodeBook>)"
        raise InvalidInput(f"{source} is {what}; not imported")
    lists = _children(root, "Codes")
    if not lists:
        raise InvalidInput(f"{source} has no <Codes> element; not imported")
    codes: list[QdcCode] = []
    seen: dict[str, str] = {}
    siblings: set[tuple] = set()
    stack = [(e, None, None) for e in reversed(_children(lists[0], "Code"))]
    while stack:
        element, parent_guid, parent_path = stack.pop()
        code = _code(element, parent_guid, parent_path, source)
        path = f"{parent_path}/{code.name}" if parent_path else code.name
        if code.guid in seen:
            raise InvalidInput(f"{source}: codes {seen[code.guid]!r} and {path!r} have the same GUID; not imported")
        if (parent_guid, code.name) in siblings:
            raise InvalidInput(f"{source}: two codes are called {path!r}; not imported")
        seen[code.guid] = path
        siblings.add((parent_guid, code.name))
        codes.append(code)
        stack.extend((e, code.guid, path) for e in reversed(_children(element, "Code")))
    if not codes:
        raise InvalidInput(f"{source} holds no codes; nothing to import")
    sets = sum(len(_children(s, "Set")) for s in _children(root, "Sets"))
    return codes, sets


def _code(element, parent: str | None, parent_path: str | None, source: str) -> QdcCode:
    name = " ".join((element.get("name") or "").split())
    where = f"{parent_path}/{name}" if parent_path else name
    if not name:
        raise InvalidInput(f"{source}: a <Code> (GUID {element.get('guid')!r}) has no name; not imported")
    if "/" in name:
        raise InvalidInput(f"{source}: code name {name!r} contains '/', which QualCode uses between levels of "
                           "a code path; rename it in the other tool first")
    try:
        guid = guids.normalise(element.get("guid") or "")
    except InvalidInput:
        raise InvalidInput(f"{source}: code {where!r} has no valid GUID ({element.get('guid')!r}); not imported") \
            from None
    codable = (element.get("isCodable") or "true").strip().lower()
    if codable not in _TRUE | _FALSE:
        raise InvalidInput(f"{source}: code {where!r} has isCodable={codable!r}; expected true or false")
    raw_color = element.get("color")
    if raw_color is not None and raw_color.strip() and color(raw_color) is None:
        raise InvalidInput(f"{source}: code {where!r} has colour {raw_color!r}, not of the form #RRGGBB")
    descriptions = _children(element, "Description")
    fields = parse_description(descriptions[0].text if descriptions else None)
    return QdcCode(guid, name, parent, codable in _TRUE, color(raw_color), **fields)


# -- writing -----------------------------------------------------------------------------------------

def write(codes: Iterable[QdcCode], origin: str) -> bytes:
    """A .qdc document; ``codes`` come parents first. Valid against the REFI-QDA schema."""
    root = ET.Element("CodeBook", {"xmlns": NS, "origin": origin})
    listing = ET.SubElement(root, "Codes")
    placed: dict[str, ET.Element] = {}
    for c in codes:
        attrs = {"guid": guids.dashed(c.guid), "name": xml_safe(c.name), "isCodable": "true" if c.codable else "false"}
        if color(c.color):
            attrs["color"] = color(c.color).upper()  # type: ignore[union-attr]
        element = ET.SubElement(placed.get(c.parent, listing) if c.parent else listing, "Code", attrs)
        text = describe({k: getattr(c, k) for k in LABELS})
        if text:
            ET.SubElement(element, "Description").text = xml_safe(text)
        placed[c.guid] = element
    if not placed:
        raise InvalidInput("the codebook is empty; there is nothing to export")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
