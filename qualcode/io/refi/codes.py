"""The code tree of a REFI-QDA project: ``Code`` elements nested under ``Codes``, each
with a ``Description`` and, in a project, ``NoteRef``s to the notes about it.

The description text follows the codebook module's convention (:mod:`qualcode.io.qdc`:
QualCode's definition, inclusion, exclusion and example as labelled paragraphs), so a code
reads the same from a ``.qdc`` and from a ``.qdpx``. Unlike a codebook import, which refuses
a code it cannot take, a project import keeps every code and repairs what it must (names,
colours) with a warning, so codings on it are not lost.

Trees are walked with an explicit stack, never recursion: a hostile file may nest thousands
of levels.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..qdc import color
from .model import Code, Findings, local
from .xmltools import child, guid_attr, read_guid


def codes_element(codes: list[Code]) -> Element:
    """``<Codes>`` for a tree, in the order given."""
    root = Element("Codes")
    stack = [(root, c) for c in reversed(codes)]
    while stack:
        parent, code = stack.pop()
        el = child(parent, "Code", guid=guid_attr(code.guid), name=code.name,
                   isCodable="true" if code.codable else "false", color=color(code.color))
        if code.description:
            child(el, "Description", code.description)
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
