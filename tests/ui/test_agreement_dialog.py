"""The compare-and-adjudicate dialog on the sample project, driven through real widgets.
Comparing and accepting every agreement run in a worker: the helpers wait for their results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QPushButton

from qualcode.core.spans import Utf16Map
from qualcode.services import adjudicate, agreement, coding, disagreements, documents

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, sample_project):
    from qualcode.ui.agreement_dialog import AgreementDialog

    stack = QUndoStack()
    d = AgreementDialog(sample_project, stack)
    qtbot.addWidget(d)
    d.show()
    d.stack = stack
    return d


def coders_of(db):
    return [c.name for c in coding.list_coders(db)][:2]


def compared(dialog, qtbot, names):
    dialog.set_coders(names)
    qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    settled(dialog, qtbot)


def settled(dialog, qtbot):
    """Wait for the dialog's background job to deliver."""
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=20000)


def accept_agreements(dialog, qtbot):
    with qtbot.waitSignal(dialog.agreementsAccepted, timeout=20000):
        qtbot.mouseClick(dialog.agreements_button, Qt.MouseButton.LeftButton)


def consensus_spans(db, item):
    ids = {c.name: c.id for c in coding.list_coders(db)}
    if "Consensus" not in ids:
        return []
    return sorted((c.start, c.end) for c in coding.codings_for_document(db, item.document_id)
                  if c.coder_id == ids["Consensus"] and c.code_id == item.code_id)


def merged(spans):
    """Touching or overlapping spans as one, as a consensus coding covers them."""
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def decision(dialog, row):
    return dialog.model.index(row, 4).data()


def cell(dialog, row, col):
    return dialog.stats.item(row, col).text()


def test_statistics_and_disagreements_match_the_services(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    assert dialog.chosen_coders() == names  # the first two coders are ticked
    compared(dialog, qtbot, names)
    doc = agreement.compute(sample_project, names)
    assert dialog.stats.rowCount() == 1 + len(doc["per_code"])
    assert cell(dialog, 0, 2) == f"{doc['overall']['percent']}%"
    for row, (path, stats) in enumerate(doc["per_code"].items(), start=1):
        assert cell(dialog, row, 0) == path
        assert cell(dialog, row, 1) == str(stats["units"])
        assert cell(dialog, row, 5) == ("n/a" if stats["krippendorff_alpha"] is None else str(stats["krippendorff_alpha"]))
    items = disagreements.find(sample_project, names)
    assert dialog.model.rowCount() == len(items)
    dialog.stats.selectRow(1)  # one code: only its disagreements
    first_code = cell(dialog, 1, 0)
    assert dialog.model.rowCount() == sum(1 for d in items if d.code == first_code)


def test_passage_shows_each_coders_coverage_side_by_side(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    compared(dialog, qtbot, names)
    dialog.select_row(0)
    item = dialog.current()
    text = documents.document_text(sample_project, item.document_id)
    lo = max(0, item.start - 200)
    for name in names:
        view = dialog.views[name]
        assert item.text in view.toPlainText()
        to16 = Utf16Map(view.toPlainText()).to_utf16
        shown = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()]
        coverage = adjudicate.coverage_in(sample_project, item.document_id, item.code_id, [name], lo,
                                          min(len(text), item.end + 200))[name]
        assert shown[:-1] == [(to16(s - lo), to16(e - lo)) for s, e in coverage]
        assert shown[-1] == (to16(item.start - lo), to16(item.end - lo))  # the stretch itself
    assert "Consensus" in dialog.views


def test_accept_undo_redo_and_live_figures(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    compared(dialog, qtbot, names)
    assert cell(dialog, 0, 6) == "n/a"  # no consensus coder yet
    dialog.select_row(0)
    item = dialog.current()
    chosen = item.coders[0]
    qtbot.mouseClick(dialog.findChild(QPushButton, f"accept:{chosen}"), Qt.MouseButton.LeftButton)
    assert consensus_spans(sample_project, item) == list(item.coverage[chosen])
    assert dialog.stack.count() == 1
    assert decision(dialog, 0) == chosen
    assert dialog.current() is not item  # moved on to the next disagreement
    col = 6 + names.index(chosen)
    vs = agreement.compute(sample_project, [chosen, "Consensus"], codes=list(dialog.result.per_code),
                           documents=list(dialog.result.selection.doc_names))
    assert cell(dialog, 0, col) == str(vs["overall"]["krippendorff_alpha"])
    assert "1 decided" in dialog.summary.text()

    dialog.stack.undo()
    assert consensus_spans(sample_project, item) == []
    assert decision(dialog, 0) == ""
    assert "0 decided" in dialog.summary.text()
    dialog.stack.redo()
    assert consensus_spans(sample_project, item) == list(item.coverage[chosen])
    assert decision(dialog, 0) == chosen


def test_both_and_neither(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    compared(dialog, qtbot, names)
    dialog.select_row(0)
    item = dialog.current()
    qtbot.mouseClick(dialog.findChild(QPushButton, "accept:all"), Qt.MouseButton.LeftButton)
    union = merged(p for c in names for p in item.coverage[c])
    assert consensus_spans(sample_project, item) == union
    dialog.select_row(0)
    qtbot.mouseClick(dialog.findChild(QPushButton, "reject"), Qt.MouseButton.LeftButton)
    assert consensus_spans(sample_project, item) == []
    assert decision(dialog, 0) == "neither"
    dialog.stack.undo()
    assert consensus_spans(sample_project, item) == union


def test_accept_all_agreements_is_one_undoable_step(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    compared(dialog, qtbot, names)
    before = len(coding.export_rows(sample_project))
    accept_agreements(dialog, qtbot)
    added = len(coding.export_rows(sample_project)) - before
    assert added > 0 and dialog.stack.count() == 1
    assert cell(dialog, 0, 6) != "n/a"
    dialog.stack.undo()
    assert len(coding.export_rows(sample_project)) == before


def test_refusals_show_a_message_and_push_nothing(dialog, qtbot, sample_project, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    compared(dialog, qtbot, coders_of(sample_project)[:1])
    assert shown and "two coders" in shown[-1]
    compared(dialog, qtbot, coders_of(sample_project))
    dialog.consensus.setText(coders_of(sample_project)[0])
    dialog.select_row(0)
    qtbot.mouseClick(dialog.findChild(QPushButton, "reject"), Qt.MouseButton.LeftButton)
    assert "one of the coders being compared" in shown[-1]
    assert dialog.stack.count() == 0


def test_changing_the_unit_recomputes(dialog, qtbot, sample_project):
    names = coders_of(sample_project)
    compared(dialog, qtbot, names)
    with qtbot.waitSignal(dialog.comparisonReady, timeout=20000):
        dialog.unit.setCurrentText("document")
    doc = agreement.compute(sample_project, names, unit="document")
    assert dialog.result.unit == "document"
    assert cell(dialog, 1, 1) == str(next(iter(doc["per_code"].values()))["units"])


def test_renaming_the_consensus_coder_shows_that_coder(dialog, qtbot, sample_project):
    compared(dialog, qtbot, coders_of(sample_project))
    dialog.consensus.setText("Adjudicated")
    with qtbot.waitSignal(dialog.comparisonReady, timeout=20000):
        dialog.consensus.editingFinished.emit()
    assert "Adjudicated" in dialog.views and "Consensus" not in dialog.views
    dialog.select_row(0)
    item = dialog.current()
    qtbot.mouseClick(dialog.findChild(QPushButton, "accept:all"), Qt.MouseButton.LeftButton)
    coder = {c.name: c.id for c in coding.list_coders(sample_project)}["Adjudicated"]
    got = sorted((c.start, c.end) for c in coding.codings_for_document(sample_project, item.document_id)
                 if c.coder_id == coder and c.code_id == item.code_id)
    assert got == merged(p for pieces in item.coverage.values() for p in pieces)


@pytest.mark.parametrize("unit", ["character", "unitized"])
def test_consensus_figures_after_each_decision_equal_a_full_computation(dialog, qtbot, sample_project, unit):
    names = coders_of(sample_project)
    dialog.unit.setCurrentText(unit)
    compared(dialog, qtbot, names)
    accept_agreements(dialog, qtbot)
    for row in (0, 5):
        dialog.select_row(row)
        qtbot.mouseClick(dialog.findChild(QPushButton, f"accept:{names[1]}"), Qt.MouseButton.LeftButton)
    paths = list(dialog.result.per_code)
    for i, coder in enumerate(names):
        full = agreement.compute(sample_project, [coder, "Consensus"], unit=unit, codes=paths,
                                 documents=list(dialog.result.selection.doc_names))
        shown = [cell(dialog, r, 6 + i) for r in range(dialog.stats.rowCount())]
        want = [full["overall"]["krippendorff_alpha"], *(full["per_code"][p]["krippendorff_alpha"] for p in paths)]
        assert shown == ["n/a" if v is None else str(v) for v in want]
