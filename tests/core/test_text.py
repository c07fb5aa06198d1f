"""Bytes to stored text: decoding, refusals, normalisation, hashing."""

from __future__ import annotations

import codecs
import hashlib
import random

import pytest
from hypothesis import given, strategies as st

from qualcode.core.text import decode, normalise, sha256
from qualcode.errors import InvalidInput

SAMPLE = "Zoë said “hi” — 5 € and 😀"


def stored(data: bytes) -> str:
    """What an import keeps: decoded, then normalised."""
    return normalise(decode(data, "t.txt")[0], "t.txt")


# -- decode ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32"),
    (codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"), "utf-32"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom"])
def test_decode_unicode_encodings(data, encoding):
    text, enc = decode(data)
    assert (text, enc) == (SAMPLE, encoding)
    assert not text.startswith("\ufeff")


def test_decode_cp1252_curly_quotes_and_euro():
    data = b"He said \x93yes\x94, it cost \x80 5 \x96 cheap."
    text, enc = decode(data)
    assert enc == "cp1252"
    assert text == "He said “yes”, it cost € 5 – cheap."


def test_decode_falls_back_to_latin1():
    data = b"caf\xe9 \x81 ok"  # 0x81 is undefined in cp1252
    text, enc = decode(data)
    assert enc == "latin-1"
    assert text == "café \x81 ok"


def test_decode_prefers_utf8_when_valid():
    text, enc = decode("naïve café".encode("utf-8"))
    assert (text, enc) == ("naïve café", "utf-8")


@pytest.mark.parametrize("data", [b"", b"   ", b" \n\t\r\n "])
def test_empty_or_whitespace_bytes_are_refused(data):
    with pytest.raises(InvalidInput, match="t.txt is empty"):
        decode(data, "t.txt")


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8,
    codecs.BOM_UTF8 + b"  \n ",
    codecs.BOM_UTF16_LE + "  \n\t".encode("utf-16-le"),
    "\xa0\u2003\n".encode("utf-8"),  # no-break and em spaces only
], ids=["utf8-bom-only", "utf8-bom-spaces", "utf16-spaces", "unicode-spaces"])
def test_whitespace_only_text_is_refused(data):
    with pytest.raises(InvalidInput, match="t.txt (has no text|is empty)"):
        stored(data)


def test_broken_bom_text_is_refused():
    with pytest.raises(InvalidInput, match="starts like utf-16 text but is not valid utf-16"):
        decode(codecs.BOM_UTF16_LE + b"a", "t.txt")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    b"text\x00with\x00nuls",
    "plain utf-16 without a BOM".encode("utf-16-le"),
], ids=["png", "zip", "nuls", "utf16-no-bom"])
def test_binary_with_nul_bytes_is_refused(data):
    with pytest.raises(InvalidInput, match="t.txt looks like a binary file"):
        decode(data, "t.txt")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_refused(seed):
    data = random.Random(seed).randbytes(4096)
    with pytest.raises(InvalidInput, match="binary"):
        stored(data)
    with pytest.raises(InvalidInput, match="binary"):
        stored(data.replace(b"\x00", b""))  # no NUL to give it away: the control characters do


def test_a_few_control_characters_are_tolerated():
    text = "Line one\x0c page break\n" + "word " * 200
    assert stored(text.encode()) == text


# -- normalise ---------------------------------------------------------------------------------

def test_normalise_line_endings():
    assert normalise("a\r\nb\rc\nd\r\r\ne") == "a\nb\nc\nd\n\ne"


def test_normalise_makes_nfc():
    out = normalise("Cafe\u0301 and \u1100\u1161")
    assert out == "Café and 가"
    assert len(out) == 10


def test_normalise_strips_a_leading_bom_only():
    assert normalise("\ufeffHello\ufeffthere") == "Hello\ufeffthere"


def test_normalise_keeps_everything_else():
    """Offsets point into this text: no trimming, no tab expansion, no quote fixing."""
    text = "  Indented\tline  \n\n“quote” …  \n"
    assert normalise(text) == text


def test_normalise_refuses_blank_text():
    with pytest.raises(InvalidInput, match="x.txt has no text"):
        normalise(" \r\n\t ", "x.txt")


@given(st.text())
def test_normalise_is_idempotent(text):
    try:
        once = normalise(text)
    except InvalidInput:
        return
    assert normalise(once) == once
    assert "\r" not in once


def test_decode_then_normalise_of_crlf_cp1252_file():
    data = b"Interviewer: \x93Why?\x94\r\n\r\nHalden: Because.\r\n"
    assert stored(data) == "Interviewer: “Why?”\n\nHalden: Because.\n"


# -- sha256 ------------------------------------------------------------------------------------

def test_sha256_known_values():
    assert sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256("é") == hashlib.sha256("é".encode("utf-8")).hexdigest()
    assert sha256(SAMPLE) == sha256(SAMPLE) and len(sha256(SAMPLE)) == 64


def test_sha256_of_the_same_file_in_two_encodings_matches_after_normalising():
    a = stored(("Zoë said\r\nhi.").encode("cp1252"))
    b = stored(codecs.BOM_UTF16_LE + "Zoe\u0308 said\nhi.".encode("utf-16-le"))
    assert a == b and sha256(a) == sha256(b)
    assert sha256("Zoe\u0308") != sha256("Zoë")
