"""A codebook as a Word document, for appendices and for coders who read on paper.

Heading levels follow the code tree (a top-level code is Heading 1, its subcodes Heading 2,
and so on, down to Heading 9), so Word's navigation pane and table of contents show the
hierarchy. Under each heading: the full path, the definition, when to use and not to use the
code, its typical example and, when asked for, how often it was used and one real coded
passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from .qdc import xml_safe


@dataclass(frozen=True)
class Entry:
    depth: int  # 0 for a top-level code
    name: str
    path: str
    status: str = "active"
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    usage: tuple[int, int] | None = None  # (codings, documents), when counts were asked for
    sample: tuple[str, str] | None = None  # (document, coded text), when examples were asked for


_FIELDS = (("definition", "Definition"), ("inclusion", "Use when"), ("exclusion", "Do not use when"),
           ("example", "Typical example"))


def _labelled(doc, label: str, text: str, italic: bool = False) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    run = p.add_run(xml_safe(text))
    run.italic = italic


def write(out: Path, entries: list[Entry], title: str, note: str) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = xml_safe(title)
    doc.add_heading(xml_safe(title), level=0)
    doc.add_paragraph(xml_safe(note))
    for e in entries:
        suffix = "" if e.status == "active" else f" ({e.status})"
        doc.add_heading(xml_safe(e.name + suffix), level=min(e.depth + 1, 9))
        where = doc.add_paragraph().add_run(xml_safe(e.path))
        where.italic = True
        where.font.size = Pt(9)
        for key, label in _FIELDS:
            value = getattr(e, key)
            if value:
                _labelled(doc, label, value, italic=key == "example")
        if e.usage is not None:
            codings, documents = e.usage
            _labelled(doc, "Use", f"{codings} coding(s) in {documents} document(s)")
        if e.sample is not None:
            document, text = e.sample
            _labelled(doc, f"Coded in {document}", f"“{' '.join(text.split())}”", italic=True)
    try:
        doc.save(str(out))
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
