"""Bad input gets a message that says what is wrong, from the importers and the zip checks."""

from __future__ import annotations

import codecs
import io
import random
import zipfile

import pytest

from qualcode.errors import InvalidInput
from qualcode.io import safezip
from qualcode.io.importers import DEFAULT_MAX_BYTES, max_bytes_default, read_bytes, read_file

from ._fixtures import docx_bytes, encrypted_pdf_bytes, odt_bytes, pdf_bytes, rezip

GOOD_DOCX = docx_bytes(lambda d: d.add_paragraph("Interviewer: Hello."))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def refused(data: bytes, name: str, *needles: str) -> str:
    with pytest.raises(InvalidInput) as exc:
        read_bytes(data, name)
    message = str(exc.value)
    assert "\n" not in message
    for needle in needles:
        assert needle.lower() in message.lower(), message
    return message


@pytest.mark.parametrize("name", ["e.txt", "e.docx", "e.pdf", "e.vtt", "e.html"])
def test_empty_files(name):
    refused(b"", name, name, "empty")
    refused(b" \n\t ", name, "empty")


@pytest.mark.parametrize("name", ["junk.txt", "junk.md", "junk.srt", "junk.html"])
def test_binary_junk(name):
    junk = random.Random(7).randbytes(5000)
    refused(junk, name, "binary")


@pytest.mark.parametrize("name, what", [("junk.docx", "Word"), ("junk.odt", "OpenDocument"), ("junk.pdf", "PDF")])
def test_binary_junk_named_as_a_container(name, what):
    junk = random.Random(8).randbytes(5000)
    refused(junk, name, name, "not a readable", what)


@pytest.mark.parametrize("data, needles", [
    (b"\x89PNG\r\n\x1a\n" + bytes(100), ["binary", "PNG image"]),
    (b"\xff\xd8\xff\xe0" + bytes(100), ["binary", "JPEG"]),
    (b"{\\rtf1\\ansi Hello}", ["RTF", "save it as .docx"]),
    (OLE, ["old binary Office file", "save it as .docx"]),
    (OLE + "EncryptedPackage".encode("utf-16-le") + bytes(64), ["password-protected", "remove the password"]),
])
@pytest.mark.parametrize("name", ["x.docx", "x.txt"])
def test_recognised_foreign_content(name, data, needles):
    refused(data, name, name, *needles)


def test_corrupt_docx():
    refused(GOOD_DOCX[:len(GOOD_DOCX) // 2], "cut.docx", "cut.docx is damaged")
    refused(rezip(GOOD_DOCX, drop={"word/document.xml"}), "nobody.docx", "not a Word document")
    broken = rezip(GOOD_DOCX, replace={"word/document.xml": b"<w:document><w:body><w:p>"})
    refused(broken, "broken.docx", "damaged", "word/document.xml")


def test_docx_with_entity_declarations_is_refused():
    """A "billion laughs" document.xml never reaches python-docx."""
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
    refused(rezip(GOOD_DOCX, replace={"word/document.xml": bomb}), "laughs.docx", "XML declarations")


def test_docx_zip_bomb_is_refused_before_inflating():
    bomb = rezip(GOOD_DOCX, add={"word/media/zeros.bin": bytes(8 * 1024 * 1024)})
    assert len(bomb) < 200_000  # 8 MB of zeros deflate to a few kilobytes
    refused(bomb, "bomb.docx", "zip bomb", "word/media/zeros.bin")


def test_zip_path_traversal_and_limits():
    evil = rezip(GOOD_DOCX, add={"../../evil.xml": b"<x/>"})
    refused(evil, "evil.docx", "unsafe path", "../../evil.xml")
    with pytest.raises(InvalidInput, match="holds .* files"):
        safezip.open_zip(GOOD_DOCX, "x.docx", max_entries=3)
    with pytest.raises(InvalidInput, match="would unpack to"):
        safezip.open_zip(GOOD_DOCX, "x.docx", max_total=1000)
    with zipfile.ZipFile(io.BytesIO(GOOD_DOCX)) as z:
        assert len(z.infolist()) > 3 and sum(i.file_size for i in z.infolist()) > 1000  # the limits bite


def test_password_protected_and_scanned_pdf():
    refused(encrypted_pdf_bytes(["Secret words."], "pw"), "locked.pdf", "locked.pdf is password-protected")
    refused(pdf_bytes([[], []]), "scan.pdf", "no text layer", "OCR")
    # An owner password only restricts printing and copying: the text can be read.
    assert read_bytes(encrypted_pdf_bytes(["Open words."], ""), "open.pdf").text == "Open words."


def test_corrupt_pdf():
    good = pdf_bytes([["Some words."]])
    refused(good[:40], "cut.pdf", "cut.pdf is damaged")
    refused(b"%PDF-1.4\n" + random.Random(3).randbytes(3000), "noise.pdf", "damaged")


def test_password_protected_odt():
    manifest = ('<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
                "</manifest:file-entry>")
    refused(odt_bytes("<text:p>x</text:p>", manifest), "locked.odt", "password-protected")


def test_odt_without_text_body_and_without_text():
    sheet = rezip(odt_bytes(""), replace={"content.xml": (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        b"<office:body><office:spreadsheet/></office:body></office:document-content>")})
    refused(sheet, "sheet.odt", "no text body")
    refused(odt_bytes("<text:p>  </text:p>"), "blank.odt", "has no text")


def test_captions_without_cues():
    refused(b"WEBVTT\n\nNOTE only a note\n", "n.vtt", "no captions")
    refused(b"1\nnot a timing\nhello\n", "n.srt", "not a SubRip file")
    refused(b"Interviewer: no header\n", "n.vtt", "not a WebVTT file")


def test_broken_bom():
    refused(codecs.BOM_UTF16_LE + b"a", "b.txt", "utf-16")


def test_size_limit(tmp_path, monkeypatch):
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 300)
    assert read_file(f, max_bytes=1500).text.startswith("word")
    with pytest.raises(InvalidInput, match=r"big.txt is 0.0 MB, over the .* MB import limit"):
        read_file(f, max_bytes=1499)
    assert max_bytes_default() == DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    monkeypatch.setenv("QUALCODE_MAX_IMPORT_MB", "0.001")
    assert max_bytes_default() == 1048
    with pytest.raises(InvalidInput, match="import limit"):
        read_file(f)
    monkeypatch.setenv("QUALCODE_MAX_IMPORT_MB", "lots")
    with pytest.raises(InvalidInput, match="QUALCODE_MAX_IMPORT_MB must be a number"):
        read_file(f)


def test_unsupported_extension_and_missing_file(tmp_path):
    with pytest.raises(InvalidInput, match="cannot be imported"):
        read_bytes(b"a,b\n", "table.csv")
    with pytest.raises(InvalidInput, match="cannot read"):
        read_file(tmp_path / "ghost.txt")
