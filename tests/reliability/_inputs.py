"""Valid seed files for the fuzzers, and the mutations hypothesis applies to them.

A mutation is a short list of edits (flip a byte, overwrite a run, insert bytes, delete a
run, cut the file short), drawn and shrunk by hypothesis. Zip-based formats are mutated twice
over: the zip's own bytes (damaged archives), and the XML inside it re-zipped intact (so the
fuzz reaches the XML reader behind the archive checks).
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st

from tests.io._fixtures import docx_bytes, odt_bytes, pdf_bytes, rezip

TRANSCRIPT = ("Interviewer: Where did it start? 😀\n\nHalden: In 1958 – with four machines & one buyer.\n\n"
              "Interviewer: And then?\n\nHalden: The buyer set the price. <b>Every</b> year.")

SEEDS: dict[str, bytes] = {
    ".txt": TRANSCRIPT.encode("utf-8"),
    ".md": ("# Interview\n\n" + TRANSCRIPT).encode("utf-8"),
    ".html": ("<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head><body>"
              "<p>Interviewer: Where did it start?</p><p>Halden: In 1958 &amp; later.</p>"
              "<script>alert(1)</script></body></html>").encode("utf-8"),
    ".vtt": (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Where did it start?\n\n"
             b"00:00:05.000 --> 00:00:07.500\n<v Halden>In 1958, with four machines.\n"),
    ".srt": (b"1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Where did it start?\n\n"
             b"2\n00:00:05,000 --> 00:00:07,500\nHalden: In 1958, with four machines.\n"),
    ".pdf": pdf_bytes([["Interviewer: Where did it start?", "Halden: In 1958."], ["Halden: Then the buyer."]]),
    ".docx": docx_bytes(lambda d: [d.add_paragraph(p) for p in TRANSCRIPT.split("\n\n")]),
    ".odt": odt_bytes("<text:p>Interviewer: Where did it start?</text:p><text:p>Halden: In 1958.</text:p>"),
}

# the XML members worth mutating inside the zip-based seeds
ZIP_MEMBERS = {".docx": "word/document.xml", ".odt": "content.xml"}


@st.composite
def mutated(draw, seed: bytes, max_edits: int = 4) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_edits))):
        kind = draw(st.sampled_from(["flip", "overwrite", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at:at + len(chunk)] = chunk
        elif kind == "insert":
            data[at:at] = draw(st.one_of(st.binary(min_size=1, max_size=32), st.sampled_from(NASTY)))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


# Byte strings that have broken parsers before: encodings, markup, entities, huge numbers.
NASTY = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\r", b"\r\n\r\n", b"\x1b[31m", b"\xe2\x80\xae",
         b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"<![CDATA[", b"]]>", b"<", b">",
         b"&#x0;", b"&#xD800;", b"99999999999999999999", b"-1", b"-->", b"00:00:00.000 --> 99:99:99.999",
         b"<v>", b"</", b"\\u0000", b"%PDF-", b"obj", b"endobj", b"stream", b"xref", b"trailer", b"PK\x03\x04",
         b"=cmd|' /C calc'!A0", "é😀𠀋".encode("utf-8"), b"\xc3\x28"]


@st.composite
def mutated_member(draw, seed: bytes, member: str) -> bytes:
    """The zip ``seed`` with ``member`` mutated and the archive rebuilt intact."""
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        body = z.read(member)
    return rezip(seed, replace={member: draw(mutated(body))})
