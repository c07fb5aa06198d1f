"""Importing every format through the documents service: stored text, segments, turns, the
full-text index, speaker-to-case mapping, the speaker preview, batches, cancel and limits."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import documents, project
from qualcode.services.progress import Progress
from qualcode.store import cases as case_store, documents as doc_store

from ..io._fixtures import docx_bytes, odt_bytes, pdf_bytes
from ._helpers import checksum

# name -> (file bytes, the paragraphs the stored text must consist of, the label of each paragraph's turn)
FORMATS = {
    "a.txt": ("Interviewer: Why wool?\r\n\r\nHalden: Merino pays.\r\n".encode("cp1252"),
              ["Interviewer: Why wool?", "Halden: Merino pays."]),
    "b.md": ("# Notes on Varga\n\nVarga: Nordvik pays late.\n".encode("utf-8"),
             ["# Notes on Varga", "Varga: Nordvik pays late."]),
    "c.docx": (docx_bytes(lambda d: (d.add_heading("Quell", 1), d.add_paragraph("Interviewer: And the wool?"),
                                     d.add_paragraph("Quell: The wool went up."))),
               ["Quell", "Interviewer: And the wool?", "Quell: The wool went up."]),
    "d.pdf": (pdf_bytes([["Interviewer: Lenz, the looms?", "Lenz: Old looms,", "still running."]]),
              ["Interviewer: Lenz, the looms?", "Lenz: Old looms,\nstill running."]),
    "e.odt": (odt_bytes("<text:p>Interviewer: The circle?</text:p><text:p>Ander: We share wool.</text:p>"),
              ["Interviewer: The circle?", "Ander: We share wool."]),
    "f.html": (b"<html><body><p>Interviewer: Prices?</p><p>Ostrow: Up, like wool.</p></body></html>",
               ["Interviewer: Prices?", "Ostrow: Up, like wool."]),
    "g.vtt": (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Marsh>Wool again.\n\n"
              b"00:00:03.000 --> 00:00:04.000\n<v Interviewer>Thank you.\n",
              ["[00:00:01.000] Marsh: Wool again.", "[00:00:03.000] Interviewer: Thank you."]),
    "h.srt": (b"1\n00:00:01,000 --> 00:00:02,000\nBRANDT: Wool, always wool.\n",
              ["[00:00:01.000] BRANDT: Wool, always wool."]),
}


def write_all(folder):
    folder.mkdir()
    for name, (data, _) in FORMATS.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_folder_of_every_format(empty_project, tmp_path):
    folder = write_all(tmp_path / "in")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (folder / "copy.txt").write_bytes(FORMATS["a.txt"][0])
    (folder / "notes.xyz").write_text("x", encoding="utf-8")
    report = documents.import_files(empty_project, [folder])
    assert report.imported == [n.split(".")[0] for n in sorted(FORMATS)]
    reasons = {f.rsplit("/", 1)[-1]: r for f, r in report.skipped}
    assert set(reasons) == {"broken.pdf", "copy.txt", "notes.xyz"}
    assert "damaged" in reasons["broken.pdf"]
    assert "same text as document 'a'" in reasons["copy.txt"]
    assert "not a supported format" in reasons["notes.xyz"]
    conn = empty_project.conn
    for name, (_, blocks) in FORMATS.items():
        doc = name.split(".")[0]
        doc_id = documents.document_id(empty_project, doc)
        text = documents.document_text(empty_project, doc)
        tail = "\n" if name.endswith((".txt", ".md")) else ""  # text files are stored as written
        assert text == "\n\n".join(blocks) + tail, name
        starts = [text.index(b) for b in blocks]
        assert doc_store.segments(conn, doc_id, "paragraph") == [(s, s + len(b)) for s, b in zip(starts, blocks)]
        labelled = [(s, b.split("] ")[-1].split(":")[0]) for s, b in zip(starts, blocks) if ":" in b]
        ends = [s for s, _ in labelled[1:]] + [len(text)]
        assert [(t.start, t.end, t.label) for t in doc_store.turns(conn, doc_id)] == [
            (s, len(text[s:e].rstrip()) + s, label) for (s, label), e in zip(labelled, ends)], name


def test_speaker_mapping_to_cases(empty_project, tmp_path):
    with empty_project.transaction() as conn:
        case_store.upsert(conn, "Firm Q", "organisation")
    folder = write_all(tmp_path / "in")
    report = documents.import_files(empty_project, [folder / "c.docx", folder / "d.pdf"],
                                    speakers={"Quell": "Firm Q", "Lenz": "Dora Lenz", "Nobody": "X"})
    assert report.imported == ["c", "d"]
    assert report.warnings == [("", "speaker label(s) not found in the imported documents: Nobody")]
    kinds = {c.name: c.kind for c in case_store.list_all(empty_project.conn)}
    assert kinds == {"Firm Q": "organisation", "Dora Lenz": "informant"}  # existing kind kept, X not created
    ids = {c.name: c.id for c in case_store.list_all(empty_project.conn)}
    for doc, label, case in (("c", "Quell", "Firm Q"), ("d", "Lenz", "Dora Lenz")):
        doc_id = documents.document_id(empty_project, doc)
        turns = doc_store.turns(empty_project.conn, doc_id)
        assert {t.label: t.case_id for t in turns} == {"Interviewer": None, label: ids[case]}
        assert next(d for d in documents.list_documents(empty_project) if d.name == doc).cases == (case,)
    with pytest.raises(InvalidInput, match="label and a case"):
        documents.import_files(empty_project, [folder / "a.txt"], speakers={"Halden": " "})


def test_preview_speakers(empty_project, tmp_path):
    with empty_project.transaction() as conn:
        case_store.upsert(conn, "Tomas Halden", "informant")
        case_store.upsert(conn, "quell", "informant")
    folder = write_all(tmp_path / "in")
    (folder / "junk.docx").write_bytes(b"not a word file")
    seen = []
    labels = documents.preview_speakers(empty_project, [folder], progress=Progress(lambda d, t, m: seen.append(d)))
    got = {s.label: (s.turns, s.files, s.suggested_case) for s in labels}
    assert got == {
        "Interviewer": (6, ("a.txt", "c.docx", "d.pdf", "e.odt", "f.html", "g.vtt"), None),
        "Halden": (1, ("a.txt",), "Tomas Halden"), "Varga": (1, ("b.md",), None),
        "Quell": (1, ("c.docx",), "quell"), "Lenz": (1, ("d.pdf",), None), "Ander": (1, ("e.odt",), None),
        "Ostrow": (1, ("f.html",), None), "Marsh": (1, ("g.vtt",), None), "BRANDT": (1, ("h.srt",), None),
    }
    assert labels[0].label == "Interviewer"  # most turns first
    assert seen == list(range(len(FORMATS) + 2))  # one report per file, then done
    assert project.info(empty_project)["documents"] == 0  # a preview writes nothing


def test_cancel_between_folder_files_keeps_whole_documents(empty_project, tmp_path):
    folder = write_all(tmp_path / "in")
    progress = Progress(lambda done, total, msg: progress.cancel() if done == 3 else None)
    report = documents.import_files(empty_project, [folder], progress=progress)
    assert report.cancelled and report.imported == ["a", "b", "c", "d"]
    for name in report.imported:
        doc_id = documents.document_id(empty_project, name)
        assert doc_store.segments(empty_project.conn, doc_id, "paragraph")
    assert project.info(empty_project)["documents"] == 4


def test_a_bad_named_file_stops_the_batch_before_writing(empty_project, tmp_path):
    folder = write_all(tmp_path / "in")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(FORMATS["c.docx"][0][:500])
    before = checksum(empty_project)
    with pytest.raises(InvalidInput, match="bad.docx is damaged"):
        documents.import_files(empty_project, [folder / "a.txt", folder / "e.odt", bad])
    assert checksum(empty_project) == before


def test_size_limit_language_and_warnings(empty_project, tmp_path):
    folder = write_all(tmp_path / "in")
    (folder / "big.txt").write_bytes(b"Interviewer: long. " * 100)
    (folder / "captions.txt").write_bytes(FORMATS["h.srt"][0].replace(b"BRANDT", b"MAYER"))
    report = documents.import_files(empty_project, [folder], max_bytes=1500, language="en")
    assert "over the" in dict(report.skipped)[str(folder / "big.txt")]
    assert report.warnings == [(str(folder / "captions.txt"),
                                "captions.txt is a SubRip caption file despite its name; read as srt")]
    assert report.as_dict()["warnings"] == [{"file": str(folder / "captions.txt"), "warning": report.warnings[0][1]}]
    assert {d.language for d in documents.list_documents(empty_project)} == {"en"}
    assert documents.document_text(empty_project, "captions") == "[00:00:01.000] MAYER: Wool, always wool."
