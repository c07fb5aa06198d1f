"""The workbench around the text: documents tree, codebook edits in place, coders and their
filter, search, background import with cancel, shortcuts, preferences, saved layout, and
the screenshot command."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence

from qualcode.core import segmentation
from qualcode.services import codebook, coding, documents
from qualcode.services.progress import Progress

from ..cli._helpers import table_checksums
from .conftest import code_id

pytestmark = pytest.mark.gui


def tree_rows(view, parent=QModelIndex()):
    """(depth, name, count) of every row of a tree view's model, depth first."""
    model, out = view.model(), []

    def walk(parent, depth):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            out.append((depth, index.data(), model.index(r, 1, parent).data()))
            walk(index, depth + 1)

    walk(parent, 0)
    return out


# -- documents -------------------------------------------------------------------------------------

def test_documents_tree_shows_every_document_under_its_cases_with_counts(window, reader):
    db = reader()
    docs = documents.list_documents(db)
    rows = tree_rows(window.documents.tree)
    shown_docs = {name.split(" · ")[0]: count for _, name, count in rows if name.split(" · ")[0] in
                  {d.name for d in docs}}
    assert shown_docs == {d.name: d.codings or "" for d in docs}
    depth = {name.split(" · ")[0]: d for d, name, _ in rows}
    assert depth["Brenmoor knitwear cluster"] == 0 and depth["Halden Knits"] == 1 and depth["01_halden"] == 2
    # the filter keeps matching documents and the cases above them
    window.documents.filter.setText("varga")
    names = [name for _, name, _ in tree_rows(window.documents.tree)]
    assert any(n.startswith("02_varga") for n in names) and not any(n.startswith("01_halden") for n in names)


def test_picking_a_document_opens_it_with_its_attributes(window, reader):
    db = reader()
    target = documents.document_id(db, "05_ander")
    index = window.documents.proxy.mapFromSource(window.documents.model.document_index(target))
    window.documents.tree.setCurrentIndex(index)
    assert window.view.document_id == target
    assert window.view.toPlainText() == documents.document_text(db, "05_ander")
    attrs = {window.documents.attributes.topLevelItem(i).text(0).strip(): window.documents.attributes.topLevelItem(i).text(1)
             for i in range(window.documents.attributes.topLevelItemCount())}
    assert attrs["Case"] == "Joaquim Ander (informant)" and attrs["role"] == "owner"
    assert "05_ander" in window.doc_label.text()


# -- codebook edits --------------------------------------------------------------------------------

def test_new_code_rename_in_place_recolour_move_and_delete_with_undo(window, qtbot, reader):
    parent = code_id(reader(), "trust")
    new = window.create_code("obligation", parent)
    assert codebook.paths(reader())[new] == "trust/obligation"
    tree = window.codebook.tree
    window.codebook.select_code(new)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = tree.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "mutual obligation")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: codebook.paths(reader())[new] == "trust/mutual obligation")
    assert window.codebook.current_code() == new
    assert window.edit_code(new, "Recolour", color="#336699")
    db = reader()
    assert next(c.color for _, c in codebook.list_codes(db) if c.id == new) == "#336699"
    # drag it onto "lock-in" and choose "Make subcode" (not Merge): it becomes lock-in/mutual obligation
    from qualcode.ui.codebook_tools import NEST

    asked = []
    window.codebook_tools.ask_drop = lambda question, target: asked.append(question) or NEST
    model = window.codebook.model
    lock_in = code_id(db, "lock-in")
    model.dropMimeData(model.mimeData([model.index_of(new)]), Qt.DropAction.MoveAction, -1, -1,
                       model.index_of(lock_in))
    qtbot.waitUntil(lambda: codebook.paths(reader())[new] == "lock-in/mutual obligation")
    assert len(asked) == 1 and asked[0].startswith("Merge “trust/mutual obligation” into “lock-in”?")
    assert window.session.undo_stack.undoText() == "Move “mutual obligation” to lock-in"
    window.delete_current_code(new)
    assert new not in codebook.paths(reader())
    for expected in ("lock-in/mutual obligation", "trust/mutual obligation", "trust/mutual obligation",
                     "trust/obligation"):
        window.session.undo_stack.undo()
        assert codebook.paths(reader())[new] == expected
    window.session.undo_stack.undo()
    assert new not in codebook.paths(reader())


def test_a_refused_edit_is_reported_and_not_pushed(window, reader):
    count = window.session.undo_stack.count()
    assert window.create_code("functional", code_id(reader(), "lock-in")) is None
    assert "already a code 'functional'" in window.last_error
    assert window.session.undo_stack.count() == count


# -- coders ----------------------------------------------------------------------------------------

def test_switch_coder_and_show_one_coders_codings(window, qtbot, reader):
    window.show_document("02_varga")
    window.coder_box.setFocus()
    window.coder_box.lineEdit().selectAll()
    qtbot.keyClicks(window.coder_box.lineEdit(), "Ana")
    qtbot.keyClick(window.coder_box.lineEdit(), Qt.Key.Key_Return)
    assert window.session.coder == "Ana" and "Ana" in window.coder_label.text()
    window.view.select_span(10, 30)
    window.coding_actions.apply(code_id(reader(), "trust/building"))
    db = reader()
    (c,) = [c for c in coding.codings_for_document(db, window.view.document_id) if (c.start, c.end) == (10, 30)]
    assert {k.id: k.name for k in coding.list_coders(db)}[c.coder_id] == "Ana"
    mira = next(k.id for k in coding.list_coders(db) if k.name == "Mira")
    at = window.filter_box.findData(mira)
    window.filter_box.setCurrentIndex(at)
    window.filter_box.activated.emit(at)
    shown = window.view.painted.codings
    expected = [x for x in coding.codings_for_document(db, window.view.document_id) if x.coder_id == mira]
    assert [x.id for x in shown] == [x.id for x in expected] and shown
    counts = {}
    for r in coding.export_rows(db, ["Mira"]):
        counts[r[1].code_id] = counts.get(r[1].code_id, 0) + 1
    assert window.codebook.model.counts == counts
    window.filter_box.setCurrentIndex(0)
    window.filter_box.activated.emit(0)
    assert len(window.view.painted.codings) == len(coding.codings_for_document(db, window.view.document_id))


# -- search ----------------------------------------------------------------------------------------

def test_search_and_jump_to_the_hit(window, qtbot, reader):
    pytest.importorskip("qualcode.services.search")
    db = reader()
    window.focus_search()
    qtbot.keyClicks(window.search.query, "linking machines")
    qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    hits = window.search.model.hits
    assert hits, window.search.status.text()
    texts = {d.name: documents.document_text(db, d.name) for d in documents.list_documents(db)}
    for h in hits:
        words = texts[h.document][h.start:h.end].lower()
        assert "linking" in words or "machines" in words
    target = hits[-1]
    row_rect = window.search.table.visualRect(window.search.model.index(len(hits) - 1, 2))
    qtbot.mouseClick(window.search.table.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    assert window.view.document_id == target.document_id
    assert window.view.selection_span() == (target.start, target.end)
    assert window.view.selected_text() == texts[target.document][target.start:target.end]


# -- background import -----------------------------------------------------------------------------

def _transcripts(tmp_path, n):
    files = []
    for i in range(n):
        f = tmp_path / f"imported_{i}.txt"
        f.write_text("".join(f"Interviewer: Question {k} for {i}?\n\nOwner: Answer {k}, told plainly.\n\n"
                             for k in range(40)), encoding="utf-8")
        files.append(f)
    return files


def test_import_shows_progress_and_cancel_keeps_finished_documents(window, qtbot, reader, tmp_path, monkeypatch):
    files = _transcripts(tmp_path, 6)
    reached, release = threading.Event(), threading.Event()
    real = documents.import_files

    class Gate(Progress):
        """Holds the worker when it reports document 2, until the test has clicked Cancel."""

        def __init__(self, outer):
            super().__init__()
            self.outer = outer

        def report(self, done, total, message=""):
            self.outer.report(done, total, message)
            if done == 2 and total == 6:
                reached.set()
                release.wait(10)

        @property
        def cancelled(self):
            return self.outer.cancelled

    monkeypatch.setattr(documents, "import_files",
                        lambda db, paths, progress, **kw: real(db, paths, progress=Gate(progress), **kw))
    window.import_documents(files)
    assert reached.wait(10)
    qtbot.waitUntil(lambda: window.tasks.bar.maximum() == 6 and window.tasks.bar.value() == 2)
    assert window.tasks.isVisible() and not window.act["import"].isEnabled()
    window.view.verticalScrollBar().setValue(3)  # the window still responds while the worker waits
    qtbot.mouseClick(window.tasks.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=10_000)
    # the document being stored when Cancel came (number 2) finishes; none after it starts
    db = reader()
    names = {d.name for d in documents.list_documents(db)}
    assert {f.stem for f in files} & names == {"imported_0", "imported_1", "imported_2"}
    for name in ("imported_0", "imported_1", "imported_2"):
        text = documents.document_text(db, name)
        assert text == (tmp_path / f"{name}.txt").read_text(encoding="utf-8")
        doc_id = documents.document_id(db, name)
        assert len(documents.speaker_turns(db, doc_id)) == text.count("Interviewer:") * 2
    assert "cancelled" in window.statusBar().currentMessage()
    shown = [name for _, name, _ in tree_rows(window.documents.tree)]
    assert "imported_2" in shown and "imported_3" not in shown
    assert window.act["import"].isEnabled()


def test_import_without_cancel_adds_all(window, qtbot, reader, tmp_path):
    files = _transcripts(tmp_path, 3)
    window.import_documents(files)
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=10_000)
    db = reader()
    for f in files:
        text = documents.document_text(db, f.stem)
        assert len(segmentation.paragraphs(text)) == 80


# -- keys, preferences, layout, screenshot ----------------------------------------------------------

def test_shortcuts_dialog_lists_every_action_with_a_key(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = next(d for d in window.findChildren(type(window.show_shortcuts())) if d.isVisible())
    listed = set(dialog.listed())
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            text = action.text().replace("&", "").rstrip("…")
            shown = ", ".join(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys))
            assert (shown, text) in listed, text
    assert ("Ctrl+K", "Code selection") in listed and ("Ctrl+Z", "Undo") in listed


def test_preferences_apply_and_persist(window):
    from qualcode.ui.preferences import Preferences, PreferencesDialog

    dialog = PreferencesDialog(window.prefs, window)
    dialog.coder.setText("  Lena   K ")
    dialog.font_size.setValue(15)
    dialog.spacy_model.setText("de_core_news_sm")
    dialog.backups.setValue(9)
    window.apply_preferences(dialog.result_preferences())
    assert window.session.coder == "Lena K"
    assert window.view.font().pointSize() == 15
    saved = Preferences.load()
    assert (saved.coder, saved.font_size, saved.spacy_model, saved.backups) == ("Lena K", 15, "de_core_news_sm", 9)


def test_layout_and_recent_projects_survive_a_restart(qtbot, sample_copy):
    from qualcode.ui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.open_project(sample_copy)
    first.docks["memos"].hide()
    first.docks["search"].raise_()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.docks["memos"].isHidden()
    assert not second.docks["codebook"].isHidden()
    recent = [a.toolTip() for a in second.recent_menu.actions()]
    assert recent == [str(sample_copy.resolve())]


def test_screenshot_command_writes_the_window(sample_file, tmp_path):
    out = tmp_path / "shot.png"
    before = table_checksums(sample_file)
    proc = subprocess.run([sys.executable, "-m", "qualcode", "gui", str(sample_file), "--screenshot", str(out),
                           "--document", "02_varga", "--select", "1285:1574"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    bad = subprocess.run([sys.executable, "-m", "qualcode", "gui", str(sample_file), "--screenshot", str(out),
                          "--document", "no such interview"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "no such interview" in bad.stderr
    assert table_checksums(sample_file) == before  # looking changes nothing
