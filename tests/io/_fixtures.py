"""Import fixtures built in the tests: Word, PDF, OpenDocument and caption files as bytes.

Nothing is committed or downloaded: python-docx writes the .docx, the PDF is assembled by
hand (a catalog, one Helvetica font, a content stream per page and an exact xref table),
the .odt is a zip of hand-written XML.
"""

from __future__ import annotations

import io
import zipfile

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def docx_bytes(build) -> bytes:
    """A .docx made by ``build(document)`` with python-docx."""
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: set[str] = frozenset()) -> bytes:
    """A copy of the zip ``data`` with members replaced, added or dropped."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def _pdf_string(line: str) -> str:
    return "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF with one text line per list item (ASCII), 14 points apart, page by page."""
    n = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(n))}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"{_pdf_string(x)} Tj T*" for x in lines) + " ET"
        stream = ops.encode("ascii")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf_bytes(lines: list[str], user_password: str) -> bytes:
    """``pdf_bytes([lines])`` encrypted by pypdf (RC4, which needs no extra package)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([lines]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def odt_bytes(body_xml: str, manifest: str = "") -> bytes:
    """An .odt whose office:text holds ``body_xml``; ``mimetype`` first and stored, as ODF asks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
                                  f"<office:body><office:text>{body_xml}</office:text></office:body>"
                                  "</office:document-content>")
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   f'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">{manifest}'
                   "</manifest:manifest>")
    return out.getvalue()


def labelled(lines: list[str]) -> list[tuple[int, int, str]]:
    """Turn spans over ``"\\n\\n".join(lines)`` when each line opens with ``Label:`` and runs to its end."""
    out, pos = [], 0
    for line in lines:
        out.append((pos, pos + len(line), line.split(":", 1)[0]))
        pos += len(line) + 2
    return out
