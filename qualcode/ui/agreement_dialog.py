"""Compare coders and adjudicate their disagreements into a consensus coder.

The dialog shows, for the chosen coders and unit, the agreement figures per code and the list
of disagreements (:mod:`qualcode.services.disagreements`), and beside the coders' figures
how far each coder agrees with the consensus built so far. Selecting one shows the passage
once per coder, side by side, each column highlighting what that coder coded, plus a column
for the consensus. The decision buttons (accept one coder, all, or none) are undoable
commands on the undo stack the dialog is given; each calls one service function of
:mod:`qualcode.services.adjudicate`, and the consensus figures refresh after every decision,
undo and redo. The window never runs SQL: everything comes from services.

Comparing (about a second at scale M) and accepting every agreement (a few seconds) run in a
worker (:mod:`.workers`) on a connection of their own, with progress and Cancel in the
dialog; the figures arrive through the worker's signals, so the window never freezes.

Hook-up from the main window: ``AgreementDialog(self.db, self.undo_stack, self).show()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.spans import Utf16Map
from ..errors import QualCodeError
from ..services import adjudicate, agreement, coding, documents
from ..services.disagreements import Disagreement
from .code_colors import FALLBACK
from .disagreement_model import DisagreementModel
from .agreement_jobs import accept_job, compare_job, versus_consensus
from .workers import TaskStrip

CONTEXT = 200  # characters shown before and after a disagreement
STAT_COLUMNS = ["Code", "Units", "Percent", "Cohen κ", "Fleiss κ", "α"]
DEFAULT_CONSENSUS = "Consensus"


class Decision(QUndoCommand):
    """One adjudication. The first redo has already run (the dialog runs it to catch refusals
    before pushing); later redos and undos call one service function each."""

    def __init__(self, dialog: "AgreementDialog", item: Disagreement, accept: list[str], into: str,
                 change: adjudicate.Change, label: str):
        super().__init__(f"Adjudicate {item.code} in {item.document} ({label})")
        self.dialog, self.item, self.accept, self.into, self.label = dialog, item, accept, into, label
        self.change = change
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        else:
            self.change = adjudicate.decide(self.dialog.db, self.item, self.accept, self.into)
        self.dialog.decided_on(self.item, self.label)

    def undo(self) -> None:
        adjudicate.undo(self.dialog.db, self.change)
        self.dialog.decided_on(self.item, None)


class AcceptAgreements(QUndoCommand):
    """Every agreed stretch into the consensus coder, as one undoable step (first redo already
    run, in the worker, which also measured the consensus figures that first redo shows)."""

    def __init__(self, dialog: "AgreementDialog", args: tuple, change: adjudicate.Change,
                 versus: dict | None = None):
        super().__init__(f"Accept the agreements of {', '.join(args[0])} into {args[1]}")
        self.dialog, self.args, self.change = dialog, args, change
        self._versus = versus
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        else:
            self.change = adjudicate.accept_agreements(self.dialog.db, *self.args).change
        versus, self._versus = self._versus, None
        self.dialog.refresh_consensus(versus=versus)

    def undo(self) -> None:
        adjudicate.undo(self.dialog.db, self.change)
        self.dialog.refresh_consensus()


class AgreementDialog(QDialog):
    """Signals:
        changed(): after every decision, undo and redo, so other views can reload codings.
        comparisonReady(object): a comparison (an ``agreement.Agreement``) is shown.
        agreementsAccepted(object): "Accept all agreements" finished: the
            ``adjudicate.AgreementsAccepted``, or None when it was cancelled (nothing changed).
    """

    changed = Signal()
    comparisonReady = Signal(object)
    agreementsAccepted = Signal(object)

    def __init__(self, db, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.result: agreement.Agreement | None = None
        self._versus: dict[str, agreement.Agreement | None] = {}  # coder -> coder vs consensus
        self.items: list[Disagreement] = []
        self._closed = False  # the project is closing: late results from a worker are dropped
        self.setWindowTitle("Compare coders")
        self.resize(1300, 850)

        self.coder_list = QListWidget()
        self.coder_list.setObjectName("coders")
        self.coder_list.setMaximumHeight(110)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItems(list(agreement.UNITS))
        self.consensus = QLineEdit(DEFAULT_CONSENSUS)
        self.consensus.setObjectName("consensus")
        self.consensus.editingFinished.connect(self._consensus_renamed)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compare")
        self.compare_button.clicked.connect(self.compare)
        self.unit.currentTextChanged.connect(lambda _u: self.result is not None and self.compare())
        self.agreements_button = QPushButton("Accept all agreements")
        self.agreements_button.setObjectName("accept_agreements")
        self.agreements_button.setToolTip("Copy every stretch all compared coders coded alike into the consensus coder")
        self.agreements_button.clicked.connect(self.accept_agreements)
        self.agreements_button.setEnabled(False)
        top = QHBoxLayout()
        for label, widget in (("Coders", self.coder_list), ("Unit", self.unit), ("Consensus coder", self.consensus)):
            box = QVBoxLayout()
            box.addWidget(QLabel(label))
            box.addWidget(widget)
            box.addStretch(1)
            top.addLayout(box, 2 if widget is self.coder_list else 1)
        actions = QVBoxLayout()
        actions.addWidget(self.compare_button)
        actions.addWidget(self.agreements_button)
        actions.addStretch(1)
        top.addLayout(actions)

        self.stats = QTableWidget(0, len(STAT_COLUMNS))
        self.stats.setObjectName("statistics")
        self.stats.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stats.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stats.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats.verticalHeader().setVisible(False)
        self.stats.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.stats.setHorizontalHeaderLabels(STAT_COLUMNS)
        self.stats.setWordWrap(False)
        self.stats.itemSelectionChanged.connect(self._fill_list)
        self.model = DisagreementModel(self)
        self.list = QTableView()  # a table lays out only the rows on screen: tens of thousands at scale M
        self.list.setObjectName("disagreements")
        self.list.setModel(self.model)
        self.list.verticalHeader().setVisible(False)
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_passage())
        self.summary = QLabel()
        self.summary.setObjectName("summary")

        self.columns = QHBoxLayout()
        self.views: dict[str, QPlainTextEdit] = {}
        self.buttons = QHBoxLayout()
        passage = QWidget()
        pv = QVBoxLayout(passage)
        pv.addLayout(self.columns, 1)
        pv.addLayout(self.buttons)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.stats)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.summary)
        rv.addWidget(self.list)
        upper.addWidget(right)
        upper.setSizes([740, 560])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(passage)
        body.setSizes([420, 430])
        self.tasks = TaskStrip()
        self.note = QLabel()
        self.note.setObjectName("job_note")
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.tasks)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        layout.addLayout(bottom)
        self._inputs = [self.coder_list, self.unit, self.consensus, self.compare_button, passage]
        self._load_coders()

    # -- choosing --------------------------------------------------------------------------------
    def _load_coders(self, ticked: list[str] | None = None) -> None:
        names = [c.name for c in coding.list_coders(self.db)]
        compared = ticked if ticked is not None else [n for n in names if n != DEFAULT_CONSENSUS][:2]
        for n in names:
            item = QListWidgetItem(n)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if n in compared else Qt.CheckState.Unchecked)
            self.coder_list.addItem(item)

    def reload_coders(self) -> None:
        """List the project's coders again (someone may have coded since), keeping the ticks."""
        ticked = self.chosen_coders()
        self.coder_list.clear()
        self._load_coders(ticked)

    def chosen_coders(self) -> list[str]:
        return [self.coder_list.item(i).text() for i in range(self.coder_list.count())
                if self.coder_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_coders(self, names: list[str]) -> None:
        for i in range(self.coder_list.count()):
            item = self.coder_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    # -- comparing -------------------------------------------------------------------------------
    def compare(self) -> None:
        """Measure agreement, find the disagreements and measure each coder against the
        consensus, in a worker on a read-only connection of its own; the dialog fills in when
        the result arrives (:attr:`comparisonReady`)."""
        if self.tasks.busy():
            return
        job = compare_job(self.db.path, self.chosen_coders(), self.unit.currentText(), self.consensus_name())
        self._start("Comparing", job, self._compared)

    def _compared(self, value) -> None:
        self._settle()
        if self._closed:
            return
        if value is None:
            self.note.setText("Comparison cancelled.")
            return
        self.result, self.items, versus = value
        self.model.decisions.clear()
        self.agreements_button.setEnabled(True)
        self._build_passage_columns()
        self._fill_stats(versus)
        self._fill_list()
        self.comparisonReady.emit(self.result)

    # -- work in the background ------------------------------------------------------------------
    def _start(self, title: str, job, on_done) -> None:
        self.note.clear()
        for widget in self._inputs:
            widget.setEnabled(False)
        self.agreements_button.setEnabled(False)
        self.tasks.start(title, job, on_done, self._job_failed)

    def _settle(self) -> None:
        for widget in self._inputs:
            widget.setEnabled(True)
        self.agreements_button.setEnabled(self.result is not None)

    def _job_failed(self, message: str) -> None:
        self._settle()
        if not self._closed:
            QMessageBox.warning(self, "QualCode", message)

    def shutdown(self) -> None:
        """The project is closing: stop a running job (a write not yet committed is rolled
        back), wait for it, drop what it would deliver, close."""
        self._closed = True
        self.tasks.cancel()
        self.tasks.wait()
        self.close()

    def _consensus_renamed(self) -> None:
        """Decisions go to the coder named here: show that coder's column and figures."""
        if self.result is not None and self.consensus_name() not in self.views:
            self.compare()

    def _fill_stats(self, versus: dict | None = None) -> None:
        res = self.result
        rows = [("(overall)", res.overall), *res.per_code.items()]
        coders = res.selection.coders
        self.stats.blockSignals(True)
        self.stats.clear()
        self.stats.setColumnCount(len(STAT_COLUMNS) + len(coders))
        self.stats.setRowCount(len(rows))
        self.stats.setHorizontalHeaderLabels(STAT_COLUMNS + [f"α {c}–\nconsensus" for c in coders])
        for r, (name, stats) in enumerate(rows):
            j = agreement.stats_json(stats)
            values = [name, "" if r == 0 else j["units"], _num(j["percent"], "%"),
                      _num(j["cohen_kappa"]), _num(j["fleiss_kappa"]), _num(j["krippendorff_alpha"])]
            for c, v in enumerate(values):
                self._set_cell(r, c, str(v))
        for col in range(1, len(STAT_COLUMNS)):  # figures as wide as they are: room for the code
            self.stats.resizeColumnToContents(col)
        self.stats.setColumnWidth(0, min(max(self.stats.sizeHintForColumn(0), 80), 210))
        self._fill_consensus_figures(versus=versus)
        self.stats.selectRow(0)  # the overall row; the caller fills the list once
        self.stats.blockSignals(False)

    def _set_cell(self, row: int, col: int, text: str) -> None:
        item = QTableWidgetItem(text)
        if col:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.stats.setItem(row, col, item)

    def _fill_consensus_figures(self, code: str | None = None, versus: dict | None = None) -> None:
        """The coders-versus-consensus columns (:func:`versus_consensus`): these move as
        decisions are made. ``versus``: figures a worker has already measured."""
        res = self.result
        paths = list(res.per_code)
        if versus is None:
            versus = versus_consensus(self.db, res, self.consensus_name(), self._versus, code)
        self._versus = versus
        for i, coder in enumerate(res.selection.coders):
            vs = versus[coder]
            rows = [vs.overall if vs else None, *((vs.per_code.get(p) if vs else None) for p in paths)]
            for r, stats in enumerate(rows):
                alpha = agreement.stats_json(stats)["krippendorff_alpha"] if stats else None
                self._set_cell(r, len(STAT_COLUMNS) + i, _num(alpha))
            self.stats.resizeColumnToContents(len(STAT_COLUMNS) + i)

    def selected_code(self) -> str | None:
        """The code chosen in the statistics table; None for the overall row (every code)."""
        rows = self.stats.selectionModel().selectedRows() if self.stats.selectionModel() else []
        if not rows or rows[0].row() == 0:
            return None
        return self.stats.item(rows[0].row(), 0).text()

    def _fill_list(self) -> None:
        code = self.selected_code()
        self.model.set_items([d for d in self.items if code is None or d.code == code])
        self._update_summary()
        self.select_row(0)
        if not self.model.rowCount():
            self._show_passage()

    def select_row(self, row: int) -> None:
        """Make disagreement ``row`` of the list the current one (no-op past the end)."""
        if 0 <= row < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row, 0))

    def _update_summary(self) -> None:
        decided = sum(1 for d in self.items if d.key in self.model.decisions)
        res = self.result
        self.summary.setText(
            f"{res.unit} units · coders {', '.join(res.selection.coders)} · {len(res.selection.doc_names)} "
            f"document(s) · {len(self.items)} disagreement(s), {decided} decided into "
            f"{self.consensus.text().strip() or '(no consensus coder)'}")

    # -- the passage -----------------------------------------------------------------------------
    def _build_passage_columns(self) -> None:
        while self.columns.count():
            box = self.columns.takeAt(0).layout()
            while box.count():
                box.takeAt(0).widget().deleteLater()
        while self.buttons.count():
            self.buttons.takeAt(0).widget().deleteLater()
        self.views.clear()
        coders = list(self.result.selection.coders)
        for i, name in enumerate([*coders, self.consensus_name()]):
            view = QPlainTextEdit()
            view.setObjectName(f"passage:{name}")
            view.setReadOnly(True)
            box = QVBoxLayout()
            title = QLabel(f"<b>{name}</b>" + (" (consensus)" if i == len(coders) else ""))
            box.addWidget(title)
            box.addWidget(view)
            self.columns.addLayout(box)
            self.views[name] = view
        for name in coders:
            self._button(f"Accept {name}", f"accept:{name}", [name], name)
        both = "Both" if len(coders) == 2 else "All"
        self._button(both, "accept:all", coders, both.lower())
        self._button("Neither", "reject", [], "neither")

    def _button(self, text: str, name: str, accept: list[str], label: str) -> None:
        b = QPushButton(text)
        b.setObjectName(name)
        b.clicked.connect(lambda _=False: self.decide(accept, label))
        self.buttons.addWidget(b)

    def consensus_name(self) -> str:
        return self.consensus.text().strip() or DEFAULT_CONSENSUS

    def current(self) -> Disagreement | None:
        index = self.list.currentIndex()
        return self.model.items[index.row()] if index.isValid() else None

    def _show_passage(self) -> None:
        d = self.current()
        for b in (self.buttons.itemAt(i).widget() for i in range(self.buttons.count())):
            b.setEnabled(d is not None)
        if d is None:
            for view in self.views.values():
                view.clear()
            return
        text = documents.document_text(self.db, d.document_id)
        lo, hi = max(0, d.start - CONTEXT), min(len(text), d.end + CONTEXT)
        passage = text[lo:hi]
        names = list(self.views)
        covered = adjudicate.coverage_in(self.db, d.document_id, d.code_id, names, lo, hi)
        to16 = Utf16Map(passage).to_utf16
        for i, name in enumerate(names):
            view = self.views[name]
            view.setPlainText(passage)
            color = QColor(FALLBACK[i % len(FALLBACK)])
            color.setAlpha(150)
            selections = [_selection(view, to16(s - lo), to16(e - lo), background=color)
                          for s, e in covered[name]]
            selections.append(_selection(view, to16(d.start - lo), to16(d.end - lo), underline=True))
            view.setExtraSelections(selections)
            cursor = view.textCursor()
            cursor.setPosition(to16(d.start - lo))
            view.setTextCursor(cursor)
            view.centerCursor()

    # -- deciding --------------------------------------------------------------------------------
    def decide(self, accept: list[str], label: str) -> None:
        d = self.current()
        if d is None:
            return
        into = self.consensus_name()
        try:
            change = adjudicate.decide(self.db, d, accept, into)
        except QualCodeError as exc:
            QMessageBox.warning(self, "QualCode", str(exc))
            return
        row = self.list.currentIndex().row()
        self.undo_stack.push(Decision(self, d, accept, into, change, label))
        self.select_row(row + 1)

    def accept_agreements(self) -> None:
        """Copy what the compared coders agree on into the consensus coder, as one undoable
        step, in a worker on a connection of its own. Cancel before it is done rolls the
        whole step back; the result arrives through :attr:`agreementsAccepted`."""
        if self.result is None or self.tasks.busy():
            return
        res, sel = self.result, self.result.selection
        args = (list(sel.coders), self.consensus_name(), list(res.per_code) or None, list(sel.doc_names) or None)
        job = accept_job(self.db.path, self.db.readonly, res, args)
        self._start("Accepting agreements", job, lambda value: self._accepted(args, value))

    def _accepted(self, args: tuple, value) -> None:
        self._settle()
        if self._closed:
            return
        if value is None:
            self.note.setText("Cancelled: nothing was changed.")
            self.agreementsAccepted.emit(None)
            return
        done, versus = value
        self.note.setText(f"Accepted {done.stretches} agreed stretch(es) into {done.into}.")
        self.undo_stack.push(AcceptAgreements(self, args, done.change, versus))
        self.agreementsAccepted.emit(done)

    def refresh_consensus(self, code: str | None = None, versus: dict | None = None) -> None:
        """After the consensus coder changed (in ``code`` only, when given): its figures and
        the passage shown."""
        self._fill_consensus_figures(code, versus)
        self._show_passage()
        self.changed.emit()

    def decided_on(self, d: Disagreement, label: str | None) -> None:
        """After a decision, its undo or its redo: record it and refresh what shows it."""
        self.model.set_decision(d.key, label)
        self._update_summary()
        self.refresh_consensus(d.code)


def _num(value, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value}{suffix}"


def _selection(view: QPlainTextEdit, start: int, end: int, background: QColor | None = None,
               underline: bool = False) -> QTextCursor:
    sel = QTextEdit.ExtraSelection()
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    fmt = QTextCharFormat()
    if background is not None:
        fmt.setBackground(background)
    if underline:
        fmt.setFontUnderline(True)
        fmt.setFontWeight(QFont.Weight.Bold)
    sel.cursor, sel.format = cursor, fmt
    return sel
