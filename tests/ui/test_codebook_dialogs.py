"""The split, code properties and codebook history dialogs, driven through their widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from qualcode.services import codebook, codebook_edit, codebook_versions, coding

from ..cli._helpers import query

pytestmark = pytest.mark.gui

CODE = "narrative/retelling"


def ids(db) -> dict[str, int]:
    return {p: i for i, p in codebook.paths(db).items()}


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


@pytest.fixture
def session(sample_project):
    from qualcode.ui.session import Session

    return Session(sample_project, "Mira")


def test_split_dialog_lists_the_segments_and_returns_the_ticked_ones(qtbot, session):
    from qualcode.ui.codebook_commands import SplitCode
    from qualcode.ui.split_dialog import SplitDialog

    db = session.db
    code = ids(db)[CODE]
    rows = coding.codings_for_codes(db, [code])
    dialog = SplitDialog(db, code, CODE)
    qtbot.addWidget(dialog)
    dialog.open()
    items = [dialog.segments.topLevelItem(n) for n in range(dialog.segments.topLevelItemCount())]
    assert [(it.text(0), it.text(1), it.text(2)) for it in items] == \
        [(" ".join(r.text.split()), r.document, r.coder) for r in rows]
    assert not ok_button(dialog).isEnabled()
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_ids() == [r.id for r in rows]
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    items[1].setCheckState(0, Qt.CheckState.Checked)
    items[3].setCheckState(0, Qt.CheckState.Checked)
    assert not ok_button(dialog).isEnabled()  # no name yet
    qtbot.keyClicks(dialog.new_name, "  told  again ")
    assert dialog.count.text() == f"2 of {len(rows)} ticked"
    assert ok_button(dialog).isEnabled()
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen_ids() == [rows[1].id, rows[3].id] and dialog.name() == "told again"
    command = SplitCode(session, code, dialog.chosen_ids(), dialog.name())
    assert session.push(command)
    assert query(db.path, "SELECT id FROM coding WHERE code_id = ? ORDER BY id", (command.new_code_id,)) == \
        sorted([(rows[1].id,), (rows[3].id,)])
    session.undo_stack.undo()
    assert query(db.path, "SELECT count(*) FROM coding WHERE code_id = ?", (code,)) == [(len(rows),)]


def test_code_properties_dialog_returns_only_what_changed(qtbot, session):
    from qualcode.ui.code_properties_dialog import CodePropertiesDialog
    from qualcode.ui.codebook_commands import EditCodeProperties

    db = session.db
    code_id = ids(db)["lock-in/functional"]
    code = codebook_edit.code_details(db, code_id)
    dialog = CodePropertiesDialog(code, "lock-in/functional")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.name_edit.text() == "functional"
    assert dialog.texts["definition"].toPlainText() == code.definition
    assert dialog.texts["example"].toPlainText() == code.example
    assert dialog.color() == code.color and dialog.color_button.text() == code.color
    assert dialog.changes() == {}
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "task split")
    dialog.texts["memo"].setPlainText("  ask Jonas about Brandt  ")
    dialog.texts["exclusion"].clear()
    dialog.set_color("#00FF00")
    assert dialog.color_button.text() == "#00ff00"
    changes = dialog.changes()
    assert changes == {"name": "task split", "color": "#00ff00", "memo": "ask Jonas about Brandt", "exclusion": None}
    dialog.set_color(None)
    assert dialog.color_button.text().startswith("default (") and dialog.changes()["color"] is None
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert session.push(EditCodeProperties(session, code_id, **changes))
    assert query(db.path, "SELECT name, color, memo, exclusion FROM code WHERE id = ?", (code_id,)) == \
        [("task split", "#00ff00", "ask Jonas about Brandt", None)]
    session.undo_stack.undo()
    assert query(db.path, "SELECT name, color, memo, exclusion FROM code WHERE id = ?", (code_id,)) == \
        [("functional", code.color, None, code.exclusion)]


def test_history_dialog_versions_diff_and_one_code(qtbot, sample_project, monkeypatch):
    from qualcode.ui.codebook_history_dialog import CodebookHistoryDialog

    db = sample_project
    i = ids(db)
    codebook_versions.save_version(db, "pilot")
    codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"], coder="Mira")
    dialog = CodebookHistoryDialog(db, coder="Mira")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.versions.count() == 1 and dialog.versions.item(0).text().startswith("pilot  (")
    assert (dialog.old_box.currentText(), dialog.new_box.currentText()) == ("pilot", "current")
    assert dialog.diff_view.toPlainText().splitlines() == [
        "pilot → current: 1 change(s)", "", "merged   trust/kinship into trust/building"]
    qtbot.keyClicks(dialog.label_edit, "after merge")
    with qtbot.waitSignal(dialog.versionSaved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == ["after merge"] and dialog.versions.count() == 2
    assert [v["label"] for v in codebook_versions.list_versions(db)] == ["pilot", "after merge"]
    assert dialog.diff_view.toPlainText().startswith("after merge → current: 0 change(s)")
    dialog.old_box.setCurrentText("pilot")
    dialog.new_box.setCurrentText("after merge")
    assert dialog.diff_view.toPlainText().endswith("merged   trust/kinship into trust/building")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    qtbot.keyClicks(dialog.label_edit, "pilot")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "already a codebook version 'pilot'" in warnings[0] and dialog.versions.count() == 2
    dialog.show_code("trust/kinship")
    assert dialog.tabs.currentIndex() == 1
    text = dialog.code_view.toPlainText()
    assert "code.merge" in text and "Mira" in text
    assert "pilot: trust/kinship (active)" in text and "current: trust/kinship (merged)" in text
    dialog.show_code("nowhere")
    assert "no code 'nowhere'" in dialog.code_title.text()


def test_import_and_export_from_the_window(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from qualcode.ui.codebook_files import export_codebook, import_codebook

    errors = []
    session.errorRaised.connect(errors.append)
    out = tmp_path / "cb.qdc"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    assert export_codebook(None, session) == len(session.codes)
    new = tmp_path / "more.csv"
    new.write_text("path,definition\nbrand-new,fresh\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(new), ""))
    with qtbot.waitSignal(session.codesChanged):
        assert import_codebook(None, session) == {"created": 1, "updated": 0}
    assert any(c.path == "brand-new" for c in session.codes.values())
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook>", encoding="utf-8")
    assert import_codebook(None, session, bad) is None and "not well-formed" in errors[-1]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    assert import_codebook(None, session) is None
