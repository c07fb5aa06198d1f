"""qualcode.services.documents: decoding, normalisation, segments and speaker turns, reports."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import documents, project
from qualcode.services.progress import Progress
from qualcode.store import documents as doc_store

from ..cli._helpers import transcripts
from ._helpers import checksum


def stored(db, name: str) -> str:
    return documents.document_text(db, name)


def info(db, name: str):
    return next(d for d in documents.list_documents(db) if d.name == name)


# -- decoding and normalisation -------------------------------------------------------------------

CP1252_TEXT = "Caf\u00e9 owner: \u201cwe paid \u20ac5\u201d \u2014 na\u00efve.\r\nSecond line.\r\n"


def test_cp1252_file(empty_project, tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes(CP1252_TEXT.encode("cp1252"))
    text, encoding = documents.read_text_file(f)
    assert encoding == "cp1252"
    expected = CP1252_TEXT.replace("\r\n", "\n")
    assert text == expected
    assert documents.import_files(empty_project, [f]).imported == ["legacy"]
    assert stored(empty_project, "legacy") == expected
    d = info(empty_project, "legacy")
    assert d.chars == len(expected)
    assert d.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_files_with_a_bom(empty_project, tmp_path, codec):
    body = "Interviewer: Gr\u00fc\u00dfe \U0001F9F6 \u4e2d\u6587\r\nA: fine.\r\n"
    data = body.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + body).encode(codec)  # these codecs write no BOM of their own
    f = tmp_path / "uni.txt"
    f.write_bytes(data)
    documents.import_files(empty_project, [f])
    expected = body.replace("\r\n", "\n")
    assert stored(empty_project, "uni") == expected
    assert info(empty_project, "uni").chars == len(expected)  # code points, not UTF-16 units


def test_line_endings_and_nfc(empty_project, tmp_path):
    raw = "e\u0301te\u0301 one\r\ntwo\rthree\n"
    f = tmp_path / "nfd.md"
    f.write_bytes(raw.encode("utf-8"))
    documents.import_files(empty_project, [f])
    text = stored(empty_project, "nfd")
    assert text == unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    assert "\r" not in text and "\u00e9t\u00e9" in text


@pytest.mark.parametrize("name,data,needle", [
    ("empty.txt", b"", "empty"),
    ("spaces.txt", b" \n\t \r\n", "empty"),
    ("binary.txt", b"PK\x03\x04" + bytes(range(256)) * 4, "binary"),
    ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50, "binary"),
    ("bad16.txt", b"\xff\xfe" + b"\x00\xd8", "utf-16"),
    ("table.csv", b"a,b\n", "cannot be imported"),
])
def test_bad_explicit_files_stop_the_batch(empty_project, tmp_path, name, data, needle):
    good = tmp_path / "good.txt"
    good.write_text("Fine text.\n", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(data)
    before = checksum(empty_project)
    with pytest.raises(InvalidInput, match=needle):
        documents.import_files(empty_project, [good, bad])
    assert checksum(empty_project) == before


def test_bad_files_in_a_folder_are_skipped_with_a_reason(empty_project, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Good.\n", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "data.bin").write_bytes(b"\x00\x01")
    (tmp_path / "in" / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    report = documents.import_files(empty_project, [tmp_path / "in"])
    assert report.imported == ["good"]
    reasons = dict(report.skipped)
    assert set(reasons) == {str(tmp_path / "in" / "empty.txt"), str(tmp_path / "in" / "data.bin")}
    assert "empty" in reasons[str(tmp_path / "in" / "empty.txt")]


def test_duplicates_by_text_and_by_name(empty_project, tmp_path):
    a = tmp_path / "a" / "same.txt"
    b = tmp_path / "b" / "copy.txt"
    c = tmp_path / "c" / "same.txt"
    for f, body in ((a, "Identical.\n"), (b, "Identical.\r\n"), (c, "Different text.\n")):
        f.parent.mkdir()
        f.write_bytes(body.encode("utf-8"))
    report = documents.import_files(empty_project, [a, b, c])
    assert report.imported == ["same"]
    reasons = dict(report.skipped)
    assert "same text as document 'same'" in reasons[str(b)]
    assert "--name" in reasons[str(c)]
    assert documents.import_files(empty_project, [c], name="same-2").imported == ["same-2"]
    with pytest.raises(InvalidInput, match="exactly one"):
        documents.import_files(empty_project, [a, c], name="x")


def test_case_and_attributes(empty_project, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Words.\n", encoding="utf-8")
    documents.import_files(empty_project, [f], case="Firm", attributes={"wave": "1"})
    assert info(empty_project, "x").cases == ("Firm",)
    from qualcode.store import cases as case_store
    assert case_store.values(empty_project.conn, "document")[documents.document_id(empty_project, "x")] == {"wave": "1"}


def test_progress_and_cancel_keep_finished_documents(empty_project, tmp_path):
    files = []
    for i in range(4):
        f = tmp_path / f"d{i}.txt"
        f.write_text(f"Document {i}.\n", encoding="utf-8")
        files.append(f)
    seen = []

    def callback(done, total, message):
        seen.append((done, total))
        if done == 1:
            progress.cancel()

    progress = Progress(callback)
    report = documents.import_files(empty_project, files, progress=progress)
    assert report.cancelled is True
    assert report.imported == ["d0", "d1"]
    assert project.info(empty_project)["documents"] == 2
    assert seen[0] == (0, 4)


def test_lookups(empty_project, tmp_path):
    with pytest.raises(NotFound):
        documents.document_id(empty_project, "nope")
    with pytest.raises(InvalidInput, match="no such file"):
        documents.import_files(empty_project, [tmp_path / "ghost.txt"])


# -- segments and speaker turns ------------------------------------------------------------------

PARAGRAPHS = [
    ["Interviewer: Thank you for coming.", "Could you introduce yourself?"],
    ["Halden: Gladly.", "My grandfather started it in 1958.", "Dr. Lee helped us!"],
    ["We had four machines.", "Then twelve."],
    ["[00:12:05] Interviewer: And then?"],
    ["Halden: Then the circles came.", "Nobody trusted anybody?", "Yes."],
]


def _build():
    """Text plus the paragraph, sentence and turn spans it is made of, by construction."""
    text, paras, sents = "", [], []
    for p in PARAGRAPHS:
        if text:
            text += "\n\n"
        p_start = len(text)
        for i, s in enumerate(p):
            if i:
                text += " "
            sents.append((len(text), len(text) + len(s)))
            text += s
        paras.append((p_start, len(text)))
    text += "\n"
    labels = ["Interviewer", "Halden", None, "Interviewer", "Halden"]
    turn_starts = [(paras[i][0], lab) for i, lab in enumerate(labels) if lab]
    turns = []
    for k, (start, lab) in enumerate(turn_starts):
        end = turn_starts[k + 1][0] if k + 1 < len(turn_starts) else len(text)
        turns.append((start, len(text[start:end].rstrip()) + start, lab))
    return text, paras, sents, turns


def test_segments_and_turns_are_stored(empty_project, tmp_path):
    text, paras, sents, turns = _build()
    f = tmp_path / "t.txt"
    f.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))  # CRLF on disk, offsets over LF text
    documents.import_files(empty_project, [f])
    assert stored(empty_project, "t") == text
    doc_id = documents.document_id(empty_project, "t")
    assert doc_store.segments(empty_project.conn, doc_id, "paragraph") == paras
    got_sents = doc_store.segments(empty_project.conn, doc_id, "sentence")
    assert [text[s:e] for s, e in got_sents] == [text[s:e] for s, e in sents]
    got_turns = [(t.start, t.end, t.label) for t in doc_store.turns(empty_project.conn, doc_id)]
    assert got_turns == turns
    # the unlabelled paragraph stays with its speaker
    assert got_turns[1][0] < paras[2][0] < paras[2][1] <= got_turns[1][1]


def test_sample_transcripts_have_segments_and_turns(sample_project):
    for f in transcripts():
        doc_id = documents.document_id(sample_project, f.stem)
        text = stored(sample_project, f.stem)
        paras = doc_store.segments(sample_project.conn, doc_id, "paragraph")
        blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
        assert [text[s:e] for s, e in paras] == blocks
        sents = doc_store.segments(sample_project.conn, doc_id, "sentence")
        assert len(sents) >= len(paras)
        assert all(any(ps <= s < e <= pe for ps, pe in paras) for s, e in sents)  # never across paragraphs
        turns = doc_store.turns(sample_project.conn, doc_id)
        assert turns, f.stem
        for t in turns:  # each turn opens with "[timestamp] Label:"
            assert re.match(r"\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?" + re.escape(t.label) + r"\s*:",
                            text[t.start:t.end]), (f.stem, text[t.start:t.start + 40])
            assert text[t.end - 1:t.end].strip()  # trimmed: ends on a visible character
        labels = {t.label for t in turns}
        assert "Interviewer" in labels
