"""OpenDocument text (.odt): content.xml read with defusedxml, no ODF library needed.

Headings, paragraphs and list items each become a paragraph; a table becomes one paragraph
with a line per row and `` | `` between cells. Inline markup is flattened: ``text:s``
spaces, tabs and line breaks are kept, footnotes and annotations are left out (they are not
what the interviewee said).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ...core import text as textcore
from ...errors import InvalidInput
from ..safezip import open_zip, read_member
from . import Imported, Importer, xmlcheck

WHAT = "OpenDocument text"
MIMETYPE = b"application/vnd.oasis.opendocument.text"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SKIP = {_T + "note", _OFFICE + "annotation", _T + "tracked-changes", _T + "sequence-decls"}
_BLOCKS = {_T + "p", _T + "h"}


def sniff(data: bytes) -> bool:
    # The ODF spec puts an uncompressed "mimetype" member first, so its bytes sit near the start.
    return data.startswith(b"PK\x03\x04") and MIMETYPE in data[:200] and data[:200].find(b"mimetype") > 0


def _inline(el: Element) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == _T + "s":
            count = child.get(_T + "c", "1")
            parts.append(" " * (min(int(count), 1000) if count.isdigit() else 1))
        elif tag == _T + "tab":
            parts.append("\t")
        elif tag == _T + "line-break":
            parts.append("\n")
        elif tag not in _SKIP:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(el: Element, out: list[str]) -> None:
    for child in el:
        if child.tag in _BLOCKS:
            text = _inline(child).strip()
            if text:
                out.append(text)
        elif child.tag == _TABLE + "table":
            rows = []
            for row in child.iter(_TABLE + "table-row"):
                cells = [" ".join(" ".join(_inline(p) for p in cell.iter() if p.tag in _BLOCKS).split())
                         for cell in row if cell.tag == _TABLE + "table-cell"]
                if any(cells):
                    rows.append(" | ".join(cells))
            if rows:
                out.append("\n".join(rows))
        elif child.tag not in _SKIP:
            _blocks(child, out)  # sections, lists, list items, frames


def read(data: bytes, name: str) -> Imported:
    zf = open_zip(data, name, what=WHAT)
    names = set(zf.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in read_member(zf, "META-INF/manifest.xml", name):
        raise InvalidInput(f"{name} is password-protected; save it without a password in LibreOffice and "
                           "import it again")
    root = xmlcheck.parse(read_member(zf, "content.xml", name, WHAT), name, "content.xml")
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise InvalidInput(f"{name} is not an OpenDocument text (no text body); spreadsheets and slides are "
                           "not imported")
    out: list[str] = []
    _blocks(body, out)
    if not out:
        raise InvalidInput(f"{name} has no text")
    return Imported(textcore.normalise("\n\n".join(out), name), "odt")


IMPORTER = Importer("odt", WHAT, (".odt",), sniff, read, binary=True)
