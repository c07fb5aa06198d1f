"""Word documents (.docx) through python-docx: paragraphs, headings and tables, in order.

Each non-empty paragraph (headings included) becomes a paragraph of the stored text. A
table becomes one paragraph with a line per row and `` | `` between cells, except a
two-column table whose first column holds short labels that recur: that is how many
transcription services lay out a transcript, so each row becomes its own ``Label: speech``
paragraph and the speakers are found. The package is checked (zip limits, every XML part through
defusedxml) before python-docx reads it.
"""

from __future__ import annotations

import io

from ...core import text as textcore
from ...errors import InvalidInput
from ..safezip import open_zip
from . import Imported, Importer, xmlcheck

WHAT = "Word document"
_MAIN = "word/document.xml"
_LABEL_MAX = 40  # characters: longer first cells are content, not speaker labels


def sniff(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return _MAIN in open_zip(data, "file").namelist()
    except InvalidInput:
        return False


def _rows(table) -> list[list[str]]:
    """Cell texts per row; a merged cell, which python-docx repeats, counts once."""
    out = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is not last:
                cells.append(cell.text.strip())
            last = cell._tc
        out.append(cells)
    return out


def _table_blocks(table) -> list[str]:
    rows = [r for r in _rows(table) if any(r)]
    labels = [r[0].rstrip(":").rstrip() for r in rows]
    labelled = (all(len(r) == 2 for r in rows) and all(0 < len(x) <= _LABEL_MAX and "\n" not in x for x in labels)
                and len(set(labels)) < len(rows))  # speakers recur; a two-column data table's keys do not
    if labelled:
        return [f"{label}: {speech}" for label, (_, speech) in zip(labels, rows)]
    lines = [" | ".join(" ".join(c.split()) for c in r) for r in rows]
    return ["\n".join(lines)] if lines else []


def read(data: bytes, name: str) -> Imported:
    zf = open_zip(data, name, what=WHAT)
    if _MAIN not in zf.namelist():
        raise InvalidInput(f"{name} is a zip file but not a Word document (.docx)")
    xmlcheck.check_parts(zf, name, WHAT)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks += _table_blocks(item)
            elif item.text.strip():
                blocks.append(item.text.strip())
    except Exception as exc:  # python-docx raises many types for a malformed part
        raise InvalidInput(f"{name} is damaged: not a readable Word document ({type(exc).__name__})") from None
    if not blocks:
        raise InvalidInput(f"{name} has no text")
    return Imported(textcore.normalise("\n\n".join(blocks), name), "docx")


IMPORTER = Importer("docx", WHAT, (".docx",), sniff, read, binary=True)
