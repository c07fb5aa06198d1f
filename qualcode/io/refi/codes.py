"""The code tree of REFI-QDA, shared by projects (``.qdpx``) and codebooks (``.qdc``).

Both formats nest ``Code`` elements (guid, name, isCodable, color, a ``Description``; in a
project also ``NoteRef``) under ``Codes``. REFI has one free-text description per code where
QualCode keeps a definition, inclusion and exclusion criteria, a typical example and a memo;
they travel as one readable text -- the definition, then a paragraph per further field
headed ``Inclusion:``, ``Exclusion:``, ``Example:`` or ``Memo:`` -- which other tools show as
it is and which reads back into the same fields.

Trees are walked with an explicit stack, never recursion: a hostile file may nest thousands
of levels.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from .model import Code, Findings, local
from .xmltools import child, guid_attr, read_guid

FIELDS = ("definition", "inclusion", "exclusion", "example", "memo")
_LABELS = {"Inclusion": "inclusion", "Exclusion": "exclusion", "Example": "example", "Memo": "memo"}
_LABEL = re.compile(r"(?:\A|\n\n)(Inclusion|Exclusion|Example|Memo): ")
_COLOR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def describe(definition: str | None = None, inclusion: str | None = None, exclusion: str | None = None,
             example: str | None = None, memo: str | None = None) -> str | None:
    """One ``Description`` text for a code's fields (None when all are empty)."""
    parts = [definition] if definition else []
    for label, value in zip(_LABELS, (inclusion, exclusion, example, memo)):
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(parts) or None


def fields_of(description: str | None) -> dict[str, str | None]:
    """The fields of a ``Description`` written by :func:`describe`; another tool's text is
    all definition unless it has paragraphs headed like ours."""
    out: dict[str, str | None] = dict.fromkeys(FIELDS)
    if not description:
        return out
    marks = list(_LABEL.finditer(description))
    head = description[:marks[0].start()] if marks else description
    out["definition"] = head or None
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(description)
        key = _LABELS[m.group(1)]
        value = description[m.end():end]
        out[key] = f"{out[key]}\n\n{value}" if out[key] else value
    return out


def color(value: str | None) -> str | None:
    """``#rrggbb`` in lower case for a REFI colour (``#RGB`` or ``#RRGGBB``); None if not one."""
    m = _COLOR.fullmatch((value or "").strip())
    if m is None:
        return None
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def codes_element(codes: list[Code], with_notes: bool = True) -> Element:
    """``<Codes>`` for a tree; ``with_notes`` writes NoteRefs (projects have them, codebooks not)."""
    root = Element("Codes")
    stack = [(root, c) for c in reversed(codes)]
    while stack:
        parent, code = stack.pop()
        el = child(parent, "Code", guid=guid_attr(code.guid), name=code.name,
                   isCodable="true" if code.codable else "false", color=color(code.color))
        if code.description:
            child(el, "Description", code.description)
        if with_notes:
            for note in code.notes:
                child(el, "NoteRef", targetGUID=guid_attr(note))
        stack.extend((el, c) for c in reversed(code.children))
    return root


def read_codes(codes_el: Element, findings: Findings) -> list[Code]:
    """The tree under a ``<Codes>`` element, as another tool wrote it."""
    top: list[Code] = []
    stack = [(el, top, "Codes") for el in reversed(list(codes_el))]
    while stack:
        el, siblings, where = stack.pop()
        if local(el.tag) != "Code":
            findings.unknown[f"{where}/{local(el.tag)}"] += 1
            continue
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        code = Code(guid=read_guid(el.get("guid")) or "", name=el.get("name") or "", codable=codable,
                    color=el.get("color"))
        siblings.append(code)
        nested = []
        for sub in el:
            name = local(sub.tag)
            if name == "Description":
                code.description = sub.text or ""
            elif name == "NoteRef":
                target = read_guid(sub.get("targetGUID"))
                if target:
                    code.notes.append(target)
            else:
                nested.append(sub)
        stack.extend((sub, code.children, "Code") for sub in reversed(nested))
    return top
