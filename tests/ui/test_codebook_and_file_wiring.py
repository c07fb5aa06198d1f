"""The codebook dialogs and the File menu's exchanges, reached from the main window: a code
dropped on another (merge or nest), the codebook's context menu (properties, split, retire,
history), import/export of the codebook and of REFI-QDA projects, and the offer to restore
a project that cannot be opened."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMenu, QMessageBox, QPushButton

from qualcode.errors import ProjectError
from qualcode.services import backup, codebook, coding, documents, project

from ..cli._helpers import query, table_checksums
from .conftest import code_id

pytestmark = pytest.mark.gui
A, B = "trust/kinship", "trust/building"
WAIT = 30_000


def codes_of(path, coding_ids) -> set[int]:
    marks = ",".join(map(str, coding_ids))
    return {c for (c,) in query(path, f"SELECT DISTINCT code_id FROM coding WHERE id IN ({marks})")}


def drop(window, source: int, target: int) -> None:
    """Drop ``source`` onto ``target`` in the codebook tree, as a drag does."""
    model = window.codebook.model
    model.dropMimeData(model.mimeData([model.index_of(source)]), Qt.DropAction.MoveAction, -1, -1,
                       model.index_of(target))


class ModalAnswer:
    """Clicks ``button_text`` in the next modal dialog as soon as it shows; ``said`` is what
    the dialog said (a message box's text, else its title)."""

    def __init__(self, button_text: str):
        self.button_text, self.said = button_text, []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            return
        button = next((b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == self.button_text), None)
        if button is not None:
            self.timer.stop()
            self.said.append(box.text() if isinstance(box, QMessageBox) else box.windowTitle())
            button.click()


def test_dropping_a_code_on_another_asks_and_merges_with_undo(window, qtbot, reader):
    db = reader()
    a, b = code_id(db, A), code_id(db, B)
    moving = [c for (c,) in query(db.path, "SELECT id FROM coding WHERE code_id = ?", (a,))]
    assert moving
    answer = ModalAnswer("Merge")
    drop(window, a, b)
    qtbot.waitUntil(lambda: a not in window.session.codes, timeout=WAIT)
    assert answer.said[0].startswith(f"Merge “{A}” into “{B}”?")
    assert codes_of(db.path, moving) == {b}
    assert window.codebook.model.counts.get(b) == coding.counts_by_code(reader()).get(b)
    window.act["undo"].trigger()
    assert codes_of(db.path, moving) == {a} and a in window.session.codes

    answer = ModalAnswer("Cancel")
    before = table_checksums(db.path)
    drop(window, a, b)
    qtbot.waitUntil(lambda: bool(answer.said), timeout=WAIT)
    qtbot.wait(50)
    assert table_checksums(db.path) == before and window.session.undo_stack.count() == 1


def context_menu(window, qtbot, monkeypatch, code: int) -> dict:
    """Right-click ``code`` in the codebook; the menu's actions by text."""
    from qualcode.ui import codebook_editing

    shown = []

    class Recorded(QMenu):  # shown, not run: the test picks the entry
        def exec(self, *_args):
            shown.append(self)

    monkeypatch.setattr(codebook_editing, "QMenu", Recorded)
    tree = window.codebook.tree
    window.codebook.select_code(code)
    rect = tree.visualRect(tree.currentIndex())
    tree.customContextMenuRequested.emit(rect.center())
    return {a.text(): a for a in shown[-1].actions() if a.text()}


def test_context_menu_retire_split_properties_and_history(window, qtbot, reader, monkeypatch):
    from qualcode.ui.code_properties_dialog import CodePropertiesDialog
    from qualcode.ui.codebook_history_dialog import CodebookHistoryDialog
    from qualcode.ui.split_dialog import SplitDialog

    db = reader()
    code = code_id(db, "lock-in/functional")
    menu = context_menu(window, qtbot, monkeypatch, code)
    assert {"Properties…", "Split…", "Retire", "History…"} <= set(menu)

    menu["Retire"].trigger()
    assert query(db.path, "SELECT status FROM code WHERE id = ?", (code,)) == [("retired",)]
    assert "Reactivate" in context_menu(window, qtbot, monkeypatch, code)
    window.act["undo"].trigger()
    assert query(db.path, "SELECT status FROM code WHERE id = ?", (code,)) == [("active",)]

    context_menu(window, qtbot, monkeypatch, code)["Split…"].trigger()
    split = window.findChild(SplitDialog)
    assert split.isVisible()
    rows = coding.codings_for_codes(db, [code])
    split.segments.topLevelItem(0).setCheckState(0, Qt.CheckState.Checked)
    qtbot.keyClicks(split.new_name, "hand-over")
    qtbot.mouseClick(split.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    new = next(i for i, p in codebook.paths(reader()).items() if p.endswith("hand-over"))
    assert query(db.path, "SELECT id FROM coding WHERE code_id = ?", (new,)) == [(rows[0].id,)]
    assert new in window.session.codes  # the tree shows the new code
    window.act["undo"].trigger()
    assert query(db.path, "SELECT count(*) FROM coding WHERE code_id = ?", (code,)) == [(len(rows),)]

    context_menu(window, qtbot, monkeypatch, code)["Properties…"].trigger()
    props = window.findChild(CodePropertiesDialog)
    props.texts["definition"].setPlainText("Work split by task between firms.")
    qtbot.mouseClick(props.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert query(db.path, "SELECT definition FROM code WHERE id = ?", (code,)) == [("Work split by task between firms.",)]
    assert window.session.undo_stack.undoText() == "Edit “lock-in/functional”"

    context_menu(window, qtbot, monkeypatch, code)["History…"].trigger()
    history = window.findChild(CodebookHistoryDialog)
    assert history.isVisible() and history.tabs.currentIndex() == 1
    assert "lock-in/functional" in history.code_title.text()


def test_file_menu_exports_and_imports_the_codebook(window, qtbot, reader, tmp_path, monkeypatch):
    out = tmp_path / "codebook.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.act["export_codebook"].trigger()
    exported = out.read_text(encoding="utf-8")
    assert all(path in exported for path in codebook.paths(reader()).values())
    extra = tmp_path / "more.csv"
    extra.write_text("path,definition\nresilience/adapting,Changing course after a shock\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(extra), ""))
    window.act["import_codebook"].trigger()
    assert "resilience/adapting" in codebook.paths(reader()).values()
    assert any(c.path == "resilience/adapting" for c in window.session.codes.values())
    assert "2 new code(s)" in window.statusBar().currentMessage()


def test_refi_export_then_import_opens_the_new_project(window, qtbot, reader, tmp_path, monkeypatch):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    names = [a.objectName() for a in file_menu.actions()]
    assert {"act_refi_import", "act_refi_export", "act_import_codebook", "act_export_codebook"} <= set(names)
    qdpx = tmp_path / "exchange.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(qdpx), ""))
    with qtbot.waitSignal(window.refi.finished, timeout=WAIT):
        window.refi.export_action.trigger()
    assert qdpx.exists()

    imported = tmp_path / "imported.qualcode"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(qdpx), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(imported), ""))
    with qtbot.waitSignal(window.refi.projectImported, timeout=WAIT):
        window.refi.import_action.trigger()
    assert window.session.db.path == imported  # the window opened the new project
    assert window.analysis.reports.db is window.session.db
    with project.open_project(imported, readonly=True) as db:
        assert [d.name for d in documents.list_documents(db)] == [d.name for d in documents.list_documents(reader())]


@pytest.fixture
def broken(sample_copy, monkeypatch):
    """The sample project with a backup, then overwritten with junk."""
    monkeypatch.setattr(backup, "_BACKED_UP", set())
    saved = backup.backup(sample_copy)
    sample_copy.write_bytes(b"\x00" * 4096)
    with pytest.raises(ProjectError):
        project.open_project(sample_copy)
    return sample_copy, saved


def test_opening_a_damaged_project_offers_its_backup(qtbot, broken, monkeypatch):
    from qualcode.ui.main_window import MainWindow

    damaged, saved = broken
    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.show()
    answer = ModalAnswer("Restore")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(damaged), ""))
    w.act["open"].trigger()
    try:
        assert answer.said == ["Restore from a backup"]
        assert w.session is not None and w.session.db.path == damaged
        assert {k: v for k, v in table_checksums(damaged).items() if k != "audit"} == \
               {k: v for k, v in table_checksums(saved).items() if k != "audit"}
    finally:
        w.close_project()


def test_a_damaged_project_without_backups_is_reported(qtbot, tmp_path, monkeypatch):
    from qualcode.ui.main_window import MainWindow

    junk = tmp_path / "junk.qualcode"
    junk.write_bytes(b"\x00" * 4096)
    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    w.act["open"].trigger()
    assert w.session is None and "not a QualCode project" in w.last_error
