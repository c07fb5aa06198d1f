"""The minimal main window on the sample project, driven through real widgets."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualcode.core.spans import Utf16Map
from qualcode.services import coding, documents, project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, sample_copy):
    from qualcode.ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.open_project(sample_copy)
    yield w
    w.close_project()


def test_lists_every_document_with_its_coding_count(window, sample_file):
    with project.open_project(sample_file, readonly=True) as db:
        docs = documents.list_documents(db)
    shown = [window.documents.item(i).text() for i in range(window.documents.count())]
    assert shown == [f"{d.name}  ({d.codings})" for d in docs]


def test_selecting_a_document_shows_its_text_and_codings(window, qtbot, sample_file):
    with project.open_project(sample_file, readonly=True) as db:
        docs = documents.list_documents(db)
        target = max(docs, key=lambda d: d.codings)
        text = documents.document_text(db, target.name)
        expected = coding.codings_for_document(db, target.id)
    window.show_document(target.name)
    assert window.text.toPlainText() == text
    selections = window.text.extraSelections()
    assert len(selections) == len(expected)
    to16 = Utf16Map(text).to_utf16
    for sel, c in zip(selections, expected):
        assert (sel.cursor.selectionStart(), sel.cursor.selectionEnd()) == (to16(c.start), to16(c.end))


def test_codebook_tree_nests_children_under_categories(window):
    top = [window.codes.topLevelItem(i).text(0) for i in range(window.codes.topLevelItemCount())]
    assert "lock-in" in top and "institutionalized storytelling" in top
    lock_in = window.codes.topLevelItem(top.index("lock-in"))
    children = {lock_in.child(i).text(0) for i in range(lock_in.childCount())}
    assert {"functional", "cognitive"} <= children


def test_unknown_document_is_a_user_error(window):
    from qualcode.errors import QualCodeError

    with pytest.raises(QualCodeError):
        window.show_document("no such interview")


def test_screenshot_command_writes_a_png(sample_file, tmp_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, "-m", "qualcode", "gui", str(sample_file), "--screenshot", str(out),
                           "--document", "02_varga"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
