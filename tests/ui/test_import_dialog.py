"""File › Import documents… with its speaker-to-case mapping, and Tools › Suggest pseudonyms…,
driven from the main window on a new project with two interview transcripts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit

from qualcode.nlp.pipeline import MODEL_ENV
from qualcode.services import cases, documents, project, pseudonyms
from qualcode.ui.import_dialog import NEW_CASE, NONE

pytestmark = pytest.mark.gui

TEXTS = {
    "halden_1": ("Interviewer: Where did you grow up?\n\n"
                 "Halden: Near the harbour, with my sister Ingrid.\n\n"
                 "Interviewer: And later?\n\n"
                 "Halden: Later we both moved to Oslo, Ingrid first.\n"),
    "halden_2": ("Interviewer: Do you still see her?\n\n"
                 "Halden: Every summer, when Ingrid comes home from Oslo.\n"),
}


@pytest.fixture
def workbench(qtbot, tmp_path, monkeypatch):
    """The window on a new project that knows the informant "Tomas Halden", and the two
    transcripts on disk (not yet imported)."""
    from qualcode.ui.main_window import MainWindow

    monkeypatch.delenv(MODEL_ENV, raising=False)  # names by the capitalisation rule
    path = tmp_path / "interviews.qualcode"
    db = project.new_project(path)
    (tmp_path / "cases.csv").write_text("case,kind\nTomas Halden,informant\n", encoding="utf-8")
    cases.import_cases(db, tmp_path / "cases.csv")
    db.close()
    files = []
    for name, text in TEXTS.items():
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(text, encoding="utf-8")
    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.show()
    w.open_project(path)
    yield w, path, files
    w.close_project()


def _open_import(window, qtbot, monkeypatch, files):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    window.act["import"].trigger()
    dialog = window.import_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=10_000)
    return dialog, ok


def _mapping_rows(dialog):
    t = dialog.table
    return {t.item(r, 0).text(): (int(t.item(r, 1).text()), t.cellWidget(r, 3)) for r in range(t.rowCount())}


@pytest.mark.parametrize("interviewer_choice", [NONE, NEW_CASE])
def test_import_maps_speakers_to_cases(workbench, qtbot, monkeypatch, interviewer_choice):
    window, path, files = workbench
    dialog, ok = _open_import(window, qtbot, monkeypatch, files)
    assert [dialog.files.item(i).text() for i in range(dialog.files.count())] == [str(f) for f in files]
    rows = _mapping_rows(dialog)
    assert {label: turns for label, (turns, _) in rows.items()} == {
        label: sum(t.count(f"{label}:") for t in TEXTS.values()) for label in ("Interviewer", "Halden")}
    assert rows["Halden"][1].currentText() == "Tomas Halden"  # the informant whose surname it is
    assert rows["Interviewer"][1].currentText() == NONE
    rows["Interviewer"][1].setCurrentIndex(rows["Interviewer"][1].findText(interviewer_choice))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy() and window.act["import"].isEnabled(), timeout=10_000)

    db = project.open_project(path, readonly=True)
    try:
        by_name = {c.name: c for c in cases.list_cases(db)}
        interviewer = by_name["Interviewer"].id if interviewer_choice == NEW_CASE else None
        if interviewer_choice == NEW_CASE:
            assert by_name["Interviewer"].kind == "informant"
        else:
            assert "Interviewer" not in by_name
        expected = {"Halden": by_name["Tomas Halden"].id, "Interviewer": interviewer}
        for name, text in TEXTS.items():
            turns = documents.speaker_turns(db, documents.document_id(db, name))
            assert len(turns) == text.count("Halden:") + text.count("Interviewer:")
            assert {(t.label, t.case_id) for t in turns} == set(expected.items())
    finally:
        db.close()


def test_cancel_imports_nothing(workbench, qtbot, monkeypatch):
    window, path, files = workbench
    dialog, _ = _open_import(window, qtbot, monkeypatch, files)
    assert set(_mapping_rows(dialog)) == {"Interviewer", "Halden"}
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not window.tasks.busy()
    db = project.open_project(path, readonly=True)
    try:
        assert documents.list_documents(db) == []
        assert [c.name for c in cases.list_cases(db)] == ["Tomas Halden"]
    finally:
        db.close()


def test_review_names_writes_the_edited_map(workbench, qtbot, monkeypatch, tmp_path):
    window, path, files = workbench
    window.import_documents(files)
    qtbot.waitUntil(lambda: not window.tasks.busy() and window.act["import"].isEnabled(), timeout=10_000)
    window.act["pseudonyms"].trigger()
    dialog = window.names_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    t = dialog.table
    listed = {t.item(r, 0).text(): r for r in range(t.rowCount())}
    for name in ("Ingrid", "Oslo"):  # mid-sentence capitals in both transcripts
        assert int(t.item(listed[name], 2).text()) == sum(text.count(name) for text in TEXTS.values())

    t.editItem(t.item(listed["Ingrid"], 3))  # type a pseudonym in the table's own editor
    editor = t.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Kari")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    t.item(listed["Oslo"], 3).setText("")  # a cleared pseudonym keeps the name
    out = tmp_path / "MAP.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert out.read_text(encoding="utf-8").splitlines()[0] == "original,pseudonym"
    expected = {name: t.item(r, 3).text() for name, r in listed.items() if name != "Oslo"}
    assert expected["Ingrid"] == "Kari"
    assert pseudonyms.load_map(out) == expected
    assert "Oslo" not in out.read_text(encoding="utf-8")
