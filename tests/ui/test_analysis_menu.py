"""The Analysis menu, reached from the main window: inter-coder agreement (compare and accept
in a worker, decisions refresh the window), the Reports dock and the Stories dock."""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from qualcode.services import adjudicate, agreement, cases, codebook, coding, documents, project, stories
from qualcode.store import audit

from .conftest import code_id

pytestmark = pytest.mark.gui
WAIT = 20000


def spans_of(db, coder: str) -> set[tuple]:
    """(document id, code id, start, end) of every coding of one coder."""
    ids = {c.name: c.id for c in coding.list_coders(db)}
    if coder not in ids:
        return set()
    return {(r.document_id, r.code_id, r.start, r.end) for doc in documents.list_documents(db)
            for r in coding.codings_for_document(db, doc.id, ids[coder])}


def open_agreement(window, qtbot):
    window.act["agreement"].trigger()
    dialog = window.analysis.agreement
    assert dialog is not None and dialog.isVisible()
    return dialog


def compare(dialog, qtbot):
    with qtbot.waitSignal(dialog.comparisonReady, timeout=WAIT):
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)


class Gate:
    """Wraps a service function: records on which thread it ran, and (when closed) holds the
    worker inside it until the test opens the gate."""

    def __init__(self, monkeypatch, module, name: str, closed: bool):
        self.original = getattr(module, name)
        self.threads: list[bool] = []  # True: ran on the GUI (main) thread
        self.inside = threading.Event()
        self.open = threading.Event()
        if not closed:
            self.open.set()
        monkeypatch.setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread() is threading.main_thread())
        result = self.original(*args, **kwargs)
        self.inside.set()
        assert self.open.wait(WAIT / 1000)
        return result


# -- the menu ---------------------------------------------------------------------------------------

def test_analysis_menu_lists_its_actions_with_keys_in_the_shortcuts_dialog(window, qtbot):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Analysis")
    assert [a.objectName() for a in menu.actions()] == ["act_agreement", "act_reports", "act_stories"]
    listed = set(window.show_shortcuts().listed())
    assert {("Ctrl+Shift+A", "Inter-coder agreement"), ("Ctrl+Shift+R", "Reports"),
            ("Ctrl+Shift+T", "Stories")} <= listed
    window.close_project()
    assert not any(window.act[k].isEnabled() for k in ("agreement", "reports", "stories"))


# -- agreement ------------------------------------------------------------------------------------

def test_compare_runs_off_the_gui_thread_while_the_window_stays_usable(window, qtbot, reader, monkeypatch):
    gate = Gate(monkeypatch, agreement, "measure", closed=True)
    dialog = open_agreement(window, qtbot)
    names = dialog.chosen_coders()
    assert len(names) == 2
    qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    assert dialog.tasks.busy() and dialog.result is None  # the click returned before the result
    qtbot.waitUntil(gate.inside.is_set, timeout=WAIT)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    window.step_document(1)  # the window keeps working while the worker is held
    qtbot.wait(150)
    timer.stop()
    assert len(ticks) >= 5 and dialog.result is None and not dialog.compare_button.isEnabled()
    with qtbot.waitSignal(dialog.comparisonReady, timeout=WAIT) as got:
        gate.open.set()
    assert gate.threads and not any(gate.threads)  # every measure of the comparison ran in the worker
    want = agreement.compute(reader(), names)
    assert got.args[0].as_json() == want
    assert dialog.stats.item(0, 2).text() == f"{want['overall']['percent']}%"
    assert dialog.compare_button.isEnabled() and dialog.agreements_button.isEnabled()


def test_cancelling_a_comparison_shows_nothing(window, qtbot, monkeypatch):
    gate = Gate(monkeypatch, agreement, "measure", closed=True)
    dialog = open_agreement(window, qtbot)
    qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.inside.is_set, timeout=WAIT)
    qtbot.mouseClick(dialog.tasks.cancel_button, Qt.MouseButton.LeftButton)
    gate.open.set()
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=WAIT)
    assert dialog.result is None and dialog.stats.rowCount() == 0
    assert dialog.note.text() == "Comparison cancelled." and dialog.compare_button.isEnabled()


def test_a_decision_shows_in_the_document_view_and_undoes_from_the_window(window, qtbot, reader):
    dialog = open_agreement(window, qtbot)
    compare(dialog, qtbot)
    dialog.select_row(0)
    item = dialog.current()
    window.open_document(item.document_id)
    chosen = item.coders[0]
    before = coding.counts_by_code(reader()).get(item.code_id, 0)
    qtbot.mouseClick(dialog.findChild(QPushButton, f"accept:{chosen}"), Qt.MouseButton.LeftButton)
    added = spans_of(reader(), "Consensus")
    assert added == {(item.document_id, item.code_id, s, e) for s, e in item.coverage[chosen]}
    consensus = {c.name: c.id for c in coding.list_coders(reader())}["Consensus"]
    shown = {(c.document_id, c.code_id, c.start, c.end) for c in window.view.painted.codings
             if c.coder_id == consensus}
    assert shown == added  # the window reloaded the open document's codings
    assert window.filter_box.findData(consensus) >= 0  # the new coder can be filtered on
    assert window.codebook.model.counts.get(item.code_id) == before + len(added)

    window.act["undo"].trigger()  # the decision is on the project's undo stack
    assert spans_of(reader(), "Consensus") == set()
    assert not any(c.coder_id == consensus for c in window.view.painted.codings)
    assert window.codebook.model.counts.get(item.code_id) == before
    assert dialog.model.index(0, 4).data() == ""


def test_accept_all_agreements_in_the_worker_cancel_rolls_back_and_undo(window, qtbot, reader, monkeypatch,
                                                                       sample_file, tmp_path):
    dialog = open_agreement(window, qtbot)
    compare(dialog, qtbot)
    names, res = dialog.chosen_coders(), dialog.result
    # what the service does when run directly, on another copy of the same project
    twin = tmp_path / "twin.qualcode"
    shutil.copy(sample_file, twin)
    with project.open_project(twin) as db:
        adjudicate.accept_agreements(db, names, "Consensus", list(res.per_code), list(res.selection.doc_names))
        want = spans_of(db, "Consensus")  # ids are the same in both copies
    assert want
    before = len(coding.export_rows(reader()))

    gate = Gate(monkeypatch, adjudicate, "accept_agreements", closed=True)
    qtbot.mouseClick(dialog.agreements_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.inside.is_set, timeout=WAIT)  # written, not yet committed
    with qtbot.waitSignal(dialog.agreementsAccepted, timeout=WAIT) as got:
        qtbot.mouseClick(dialog.tasks.cancel_button, Qt.MouseButton.LeftButton)
        gate.open.set()
    assert got.args == [None] and gate.threads == [False]
    assert len(coding.export_rows(reader())) == before and spans_of(reader(), "Consensus") == set()
    assert audit.entries(reader().conn, "adjudicate.agreements") == []
    assert window.session.undo_stack.count() == 0
    assert dialog.note.text() == "Cancelled: nothing was changed."

    monkeypatch.setattr(adjudicate, "accept_agreements", gate.original)
    with qtbot.waitSignal(dialog.agreementsAccepted, timeout=WAIT) as got:
        qtbot.mouseClick(dialog.agreements_button, Qt.MouseButton.LeftButton)
    assert got.args[0].stretches > 0
    assert spans_of(reader(), "Consensus") == want  # the same result as the service run directly
    assert window.session.undo_stack.count() == 1
    assert dialog.stats.item(0, 6).text() != "n/a"  # consensus figures, measured by the worker
    assert window.act["undo"].text().startswith("&Undo Accept the agreements")
    assert ("Ctrl+Z", "Undo") in window.show_shortcuts().listed()  # listed as what it is
    window.act["undo"].trigger()
    assert len(coding.export_rows(reader())) == before
    window.act["redo"].trigger()
    assert spans_of(reader(), "Consensus") == want


def test_the_dialog_lists_coders_added_since_it_was_opened(window, qtbot, reader):
    dialog = open_agreement(window, qtbot)
    dialog.close()
    window.set_coder("Nadia")
    window.view.select_span(0, 10)
    window.coding_actions.apply(code_id(reader(), "trust"))
    again = open_agreement(window, qtbot)
    assert again is dialog
    listed = [dialog.coder_list.item(i).text() for i in range(dialog.coder_list.count())]
    assert "Nadia" in listed and "Nadia" not in dialog.chosen_coders()


# -- reports --------------------------------------------------------------------------------------

def test_reports_dock_from_the_menu_runs_a_report_on_the_open_project(window, qtbot, reader):
    dock = window.docks["reports"]
    tabbed = set(window.tabifiedDockWidgets(window.docks["segments"]))
    assert {window.docks["search"], dock, window.docks["stories"]} <= tabbed
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    window.act["reports"].trigger()
    panel = window.analysis.reports
    qtbot.waitUntil(lambda: not panel.visibleRegion().isEmpty())
    assert panel.db.path == window.session.db.path
    with qtbot.waitSignal(panel.reportReady, timeout=WAIT):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    m = panel.view.model()
    shown = {m.index(r, 0).data(): int(m.index(r, 1).data()) for r in range(m.rowCount())}
    db = reader()
    counts = coding.counts_by_code(db)
    assert shown == {path: counts.get(c.id, 0) for path, c in codebook.list_codes(db)}


# -- stories --------------------------------------------------------------------------------------

def test_stories_dock_follows_the_selection_jumps_and_marks_a_telling(window, qtbot, reader):
    window.act["stories"].trigger()
    panel = window.analysis.stories
    qtbot.waitUntil(lambda: not panel.visibleRegion().isEmpty())
    assert panel.db is window.session.db
    panel.select_story(stories.story_id(reader(), "Varga's cells"))
    window.show_document("04_lenz")
    window.show_span(200, 480)
    assert panel.selection == ("04_lenz", 200, 480) and panel.tell_button.isEnabled()
    window.open_document(documents.document_id(reader(), "01_halden"))  # a new document clears it
    assert panel.selection is None and not panel.tell_button.isEnabled()

    window.show_document("04_lenz")
    window.show_span(200, 480)
    qtbot.mouseClick(panel.tell_button, Qt.MouseButton.LeftButton)
    form = panel.dialog
    form.teller.setCurrentIndex(0)
    teller = form.teller.currentText()
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    told = [t for t in stories.tellings(reader(), "Varga's cells") if (t.start, t.end) == (200, 480)]
    assert len(told) == 1 and told[0].document_id == documents.document_id(reader(), "04_lenz")
    assert teller in {c.name for c in cases.list_cases(reader()) if c.id == told[0].teller_case_id}
    window.act["undo"].trigger()  # the story edit is on the window's undo stack
    assert not [t for t in stories.tellings(reader(), "Varga's cells") if (t.start, t.end) == (200, 480)]

    # double-clicking a telling shows its passage in the document view
    tellings = panel.details.topLevelItem(1)
    item = tellings.child(0)
    target = next(t for t in panel.story["tellings"] if t["id"] == item.data(0, Qt.ItemDataRole.UserRole))
    elsewhere = next(d for d in documents.list_documents(reader()) if d.name != target["document"])
    window.open_document(elsewhere.id)
    panel.details.scrollToItem(item)
    where = panel.details.visualItemRect(item).center()
    qtbot.mouseClick(panel.details.viewport(), Qt.MouseButton.LeftButton, pos=where)  # Qt needs the press first
    qtbot.mouseDClick(panel.details.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.document_name() == target["document"]
    assert window.view.selection_span() == (target["start"], target["end"])


def test_removing_a_telling_with_its_coding_refreshes_the_window(qtbot, sample_copy, reader):
    from qualcode.ui.main_window import MainWindow

    with project.open_project(sample_copy) as db:
        text = documents.document_text(db, "01_halden")
        start = text.index("Halden")
        teller = next(c.name for c in cases.list_cases(db) if c.kind == "informant")
        telling = stories.tell(db, "The Halden flood", "01_halden", start, start + 40, teller, code="trust",
                               coder="Jonas")
    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.show()
    w.open_project(sample_copy)
    try:
        w.show_document("01_halden")
        trust = code_id(reader(), "trust")
        before = w.codebook.model.counts.get(trust, 0)
        assert any((c.start, c.end, c.code_id) == (start, start + 40, trust) for c in w.view.painted.codings)
        w.act["stories"].trigger()
        panel = w.analysis.stories
        panel.select_story(stories.story_id(reader(), "The Halden flood"))
        tellings = panel.details.topLevelItem(1)
        item = next(tellings.child(i) for i in range(tellings.childCount())
                    if tellings.child(i).data(0, Qt.ItemDataRole.UserRole) == telling)
        panel.details.setCurrentItem(item)
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
        assert not any((c.start, c.end, c.code_id) == (start, start + 40, trust) for c in w.view.painted.codings)
        assert w.codebook.model.counts.get(trust, 0) == before - 1
    finally:
        w.close_project()

