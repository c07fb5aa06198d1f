"""The formatted .docx codebook: opens in python-docx, headings follow the code tree."""

from __future__ import annotations

import docx
import pytest

from qualcode.errors import InvalidInput
from qualcode.services import codebook, codebook_edit, codebook_versions, coding

from ._helpers import add_codes, add_document

TEXT = "Varga: We never chose it. Halden sends the panels.\nBrandt: Fit was always somebody else's business.\n"


def headings(path) -> list[tuple[int, str]]:
    out = []
    for p in docx.Document(str(path)).paragraphs:
        style = p.style.name
        if style.startswith("Heading "):
            out.append((int(style.split()[1]), p.text))
    return out


def body(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "b_varga", TEXT)
    add_document(empty_project, tmp_path, "a_brandt", TEXT + "(second interview)\n")
    got = add_codes(empty_project, tmp_path, "lock-in", "lock-in/functional", "lock-in/functional/tasks",
                    "lock-in/cognitive", "trust")
    codebook_edit.describe_code(empty_project, got["lock-in/functional"], definition="A fixed split of tasks.",
                                inclusion="Confined to one stage.", exclusion="Habits of talk.",
                                example="We link and sew.")
    return empty_project


def test_headings_follow_the_hierarchy(db, tmp_path):
    codebook_edit.retire_code(db, codebook.index(db).resolve("trust"))
    out = tmp_path / "cb.docx"
    assert codebook.export_file(db, out) == 5
    assert headings(out) == [(1, "lock-in"), (2, "functional"), (3, "tasks"), (2, "cognitive"), (1, "trust (retired)")]
    text = body(out)
    assert text[0] == f"Codebook: {db.path.stem}"
    assert "Definition: A fixed split of tasks." in text and "Use when: Confined to one stage." in text
    assert "Do not use when: Habits of talk." in text and "Typical example: We link and sew." in text
    assert "lock-in/functional/tasks" in text
    assert not any(t.startswith(("Use:", "Coded in")) for t in text)


def test_counts_and_one_real_example(db, tmp_path):
    functional = codebook.index(db).resolve("lock-in/functional")
    start = TEXT.index("We never")
    coding.add_coding(db, "b_varga", functional, start, start + 16, "Ann")
    coding.add_coding(db, "b_varga", functional, 0, 5, "Ben")
    coding.add_coding(db, "a_brandt", functional, start, start + 8, "Ann")
    out = tmp_path / "cb.docx"
    codebook.export_file(db, out, with_counts=True, with_examples=True)
    text = body(out)
    at = text.index("functional")
    section = text[at:text.index("tasks")]
    assert "Use: 3 coding(s) in 2 document(s)" in section
    # the example is a real coding: the first by document name, then position
    assert f"Coded in a_brandt: “{TEXT[start:start + 8]}”" in section
    assert "Use: 0 coding(s) in 0 document(s)" in text[text.index("cognitive"):]


def test_the_version_is_stamped(db, tmp_path):
    out = tmp_path / "cb.docx"
    codebook.export_file(db, out)
    assert "No codebook version has been saved" in body(out)[1]
    codebook_versions.save_version(db, "final")
    codebook.export_file(db, out)
    assert "Codebook version 'final', saved" in body(out)[1]
    codebook.create_code(db, "new")
    codebook.export_file(db, out)
    assert "1 change(s) since codebook version 'final'" in body(out)[1]


def test_bad_requests(empty_project, tmp_path):
    with pytest.raises(InvalidInput, match="empty"):
        codebook.export_file(empty_project, tmp_path / "cb.docx")
    codebook.create_code(empty_project, "x")
    with pytest.raises(InvalidInput, match="does not exist"):
        codebook.export_file(empty_project, tmp_path / "nowhere" / "cb.docx")
