"""End to end: importing a folder of every format, speakers, bad input, search, pseudonyms."""

from __future__ import annotations

import json

import pytest

from ..io._fixtures import docx_bytes, encrypted_pdf_bytes, pdf_bytes, rezip
from ..services.test_import_formats import FORMATS
from ._helpers import assert_user_error, query, read_csv, run, table_checksums


@pytest.fixture
def project(tmp_path):
    p = tmp_path / "p.qualcode"
    assert run("new", p)[0] == 0
    return p


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "mixed"
    (root / "sub").mkdir(parents=True)
    for name, (data, _) in FORMATS.items():
        (root / name).write_bytes(data)
    (root / "sub" / "deep.txt").write_text("Wilk: Deep down, wool.\n", encoding="utf-8")
    (root / "scan.pdf").write_bytes(pdf_bytes([[]]))
    (root / "captions.txt").write_bytes(FORMATS["h.srt"][0].replace(b"BRANDT", b"CORVIN"))
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    return root


def test_import_a_folder_of_every_format_reports_what_it_did(project, folder):
    rc, out, err = run("import", project, folder, "--recursive", "--speaker", "Halden=Tomas Halden")
    assert rc == 0, err
    assert err == ""
    lines = out.splitlines()
    importable = sorted(list(FORMATS) + ["captions.txt", "sub/deep.txt"])  # the order the folder is walked in
    names = [n.rsplit("/", 1)[-1].split(".")[0] for n in importable]
    assert lines[0] == f"imported {len(names)} document(s): {', '.join(names)}"
    assert sorted(lines[1:]) == sorted([
        f"skipped {folder / 'photo.jpg'}: .jpg: not a supported format",
        f"skipped {folder / 'scan.pdf'}: scan.pdf has no text layer (a scanned image?); run it through OCR "
        "(for example ocrmypdf) and import the result",
        "warning: captions.txt is a SubRip caption file despite its name; read as srt",
    ])
    stored = dict(query(project, "SELECT name, text FROM document"))
    assert stored["captions"] == "[00:00:01.000] CORVIN: Wool, always wool."
    assert query(project, "SELECT t.label, c.name, c.kind FROM speaker_turn t JOIN case_ c ON c.id = t.case_id") == [
        ("Halden", "Tomas Halden", "informant")]
    paragraphs = query(project, "SELECT count(*) FROM segment WHERE kind = 'paragraph'")[0][0]
    assert query(project, "SELECT count(*) FROM text_fts")[0][0] == paragraphs
    rc, out, err = run("import", project, folder, "--recursive", "--json")
    report = json.loads(out)
    assert report["imported"] == [] and len(report["skipped"]) == len(names) + 2
    assert all("same text as document" in s["reason"] for s in report["skipped"] if s["file"].endswith(
        tuple(FORMATS) + ("deep.txt", "captions.txt")))


def test_search_finds_words_with_context(project, folder):
    assert run("import", project, folder)[0] == 0
    rc, out, err = run("search", project, "wool", "--json")
    assert rc == 0, err
    hits = json.loads(out)
    texts = dict(query(project, "SELECT name, text FROM document"))
    want = []
    for name in sorted(texts):
        text = texts[name]
        low = text.lower()
        pos = low.find("wool")
        while pos >= 0:
            if not (low[pos + 4:pos + 5].isalpha() or (pos and low[pos - 1].isalpha())):
                want.append({"document": name, "start": pos, "end": pos + 4,
                             "context": text[max(0, pos - 60):pos + 64].replace("\n", " ")})
            pos = low.find("wool", pos + 1)
    assert hits == want and len(hits) >= 8
    rc, out, err = run("search", project, "wool")
    assert rc == 0 and out.splitlines()[-1] == f"{len(want)} match(es)"
    assert "[wool]" in out.lower()


@pytest.mark.parametrize("query_text", ['"', "NEAR(wool", "OR", "*"])
def test_search_odd_queries_never_trace_back(project, folder, query_text):
    assert run("import", project, folder)[0] == 0
    rc, out, err = run("search", project, query_text, "--json")
    if rc == 0:
        assert isinstance(json.loads(out), list)
    else:
        assert_user_error(rc, out, err, "search")


def _bad_inputs(tmp_path):
    good = docx_bytes(lambda d: d.add_paragraph("Interviewer: fine."))
    return {
        "junk.txt": (bytes(range(256)) * 20, "binary"),
        "empty.docx": (b"", "empty"),
        "cut.docx": (good[:300], "damaged"),
        "locked.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le"),
                        "password-protected"),
        "locked.pdf": (encrypted_pdf_bytes(["secret"], "pw"), "password-protected"),
        "bomb.docx": (rezip(good, add={"word/media/x.bin": bytes(4 * 1024 * 1024)}), "zip bomb"),
        "junk.pdf": (b"\x00\x01\x02" * 500, "damaged"),
        "old.doc": (b"whatever", "cannot be imported"),
    }


@pytest.mark.parametrize("name", ["junk.txt", "empty.docx", "cut.docx", "locked.docx", "locked.pdf", "bomb.docx",
                                  "junk.pdf", "old.doc"])
def test_bad_input_is_one_error_line_and_changes_nothing(project, tmp_path, name):
    data, needle = _bad_inputs(tmp_path)[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("Interviewer: fine.\n", encoding="utf-8")
    before = table_checksums(project)
    assert_user_error(*run("import", project, good, bad), name, needle)
    assert table_checksums(project) == before


def test_size_limit_option_and_bad_speaker_syntax(project, tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"Interviewer: words. " * 200)
    before = table_checksums(project)
    assert_user_error(*run("import", project, f, "--max-size", "0.001"), "big.txt", "import limit")
    assert_user_error(*run("import", project, f, "--max-size", "none"), "megabytes")
    assert_user_error(*run("import", project, f, "--speaker", "Interviewer"), "--speaker", "Interviewer")
    assert table_checksums(project) == before
    assert run("import", project, f, "--max-size", "1")[0] == 0


def test_pseudonyms_suggest_and_export(project, tmp_path):
    t = tmp_path / "t.txt"
    t.write_text("Interviewer: Did you sell to Nordvik?\n\nHalden: Yes, and Tomas Halden signed for Nordvik.\n",
                 encoding="utf-8")
    assert run("import", project, t)[0] == 0
    rc, out, err = run("pseudonyms", "suggest", project, "--json")
    assert rc == 0, err
    assert json.loads(out) == [{"original": "Nordvik", "kind": "name", "count": 2, "documents": ["t"]},
                               {"original": "Tomas Halden", "kind": "name", "count": 1, "documents": ["t"]}]
    mapping = tmp_path / "map.csv"
    rc, out, err = run("pseudonyms", "suggest", project, "--out", mapping)
    assert rc == 0 and "wrote 2 name(s)" in out
    assert read_csv(mapping) == [{"original": "Nordvik", "pseudonym": "Name 1"},
                                 {"original": "Tomas Halden", "pseudonym": "Name 2"}]
    codes = tmp_path / "codes.csv"
    codes.write_text("path\nsales\n", encoding="utf-8")
    assert run("codebook", "import", project, codes)[0] == 0
    text = dict(query(project, "SELECT name, text FROM document"))["t"]
    start = text.index("Yes")
    assert run("code", project, "--document", "t", "--code", "sales", "--start", start, "--end", len(text) - 1,
               "--coder", "ana")[0] == 0
    out_csv = tmp_path / "codings.csv"
    rc, out, err = run("codings", "export", project, out_csv, "--pseudonymise", mapping)
    assert rc == 0, err
    assert read_csv(out_csv)[0]["text"] == "Yes, and Name 2 signed for Name 1."
    bad_map = tmp_path / "bad.csv"
    bad_map.write_text("who,what\n", encoding="utf-8")
    assert_user_error(*run("codings", "export", project, tmp_path / "x.csv", "--pseudonymise", bad_map), "header")
