"""Compare coders and adjudicate their disagreements into a consensus coder.

The dialog shows, for the chosen coders and unit, the agreement figures per code and the list
of disagreements (:mod:`qualcode.services.disagreements`), and beside the coders' figures
how far each coder agrees with the consensus built so far. Selecting one shows the passage
once per coder, side by side, each column highlighting what that coder coded, plus a column
for the consensus. The decision buttons (accept one coder, all, or none) are undoable
commands on the undo stack the dialog is given; each calls one service function of
:mod:`qualcode.services.adjudicate`, and the consensus figures refresh after every decision,
undo and redo. The window never runs SQL: everything comes from services.

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
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.spans import Utf16Map
from ..errors import QualCodeError
from ..services import adjudicate, agreement, disagreements, documents
from ..services.disagreements import Disagreement
from .code_colors import FALLBACK

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


class AgreementDialog(QDialog):
    """Signals:
        changed(): after every decision, undo and redo, so other views can reload codings.
    """

    changed = Signal()

    def __init__(self, db, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.result: agreement.Agreement | None = None
        self.items: list[Disagreement] = []
        self.decisions: dict[tuple, str] = {}
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
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compare")
        self.compare_button.clicked.connect(self.compare)
        self.unit.currentTextChanged.connect(lambda _u: self.result is not None and self.compare())
        top = QHBoxLayout()
        for label, widget in (("Coders", self.coder_list), ("Unit", self.unit), ("Consensus coder", self.consensus)):
            box = QVBoxLayout()
            box.addWidget(QLabel(label))
            box.addWidget(widget)
            top.addLayout(box)
        top.addWidget(self.compare_button, alignment=Qt.AlignmentFlag.AlignBottom)

        self.stats = QTableWidget(0, len(STAT_COLUMNS))
        self.stats.setObjectName("statistics")
        self.stats.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stats.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stats.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats.verticalHeader().setVisible(False)
        self.stats.itemSelectionChanged.connect(self._fill_list)
        self.list = QTreeWidget()
        self.list.setObjectName("disagreements")
        self.list.setHeaderLabels(["Code", "Document", "Position", "Coded by", "Decision", "Text"])
        self.list.setRootIsDecorated(False)
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show_passage(cur))
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
        upper.setSizes([520, 780])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(passage)
        body.setSizes([420, 430])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        self._load_coders()

    # -- choosing --------------------------------------------------------------------------------
    def _load_coders(self) -> None:
        names = agreement.coder_names(self.db)
        compared = [n for n in names if n != DEFAULT_CONSENSUS][:2]
        for n in names:
            item = QListWidgetItem(n)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if n in compared else Qt.CheckState.Unchecked)
            self.coder_list.addItem(item)

    def chosen_coders(self) -> list[str]:
        return [self.coder_list.item(i).text() for i in range(self.coder_list.count())
                if self.coder_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_coders(self, names: list[str]) -> None:
        for i in range(self.coder_list.count()):
            item = self.coder_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    # -- comparing -------------------------------------------------------------------------------
    def compare(self) -> None:
        try:
            self.result = agreement.measure(self.db, self.chosen_coders(), self.unit.currentText())
            self.items = disagreements.find(self.db, self.result.selection.coders, selection=self.result.selection)
        except QualCodeError as exc:
            QMessageBox.warning(self, "QualCode", str(exc))
            return
        self.decisions.clear()
        self._build_passage_columns()
        self._fill_stats()
        self._fill_list()

    def _fill_stats(self) -> None:
        res = self.result
        rows = [("(overall)", res.overall), *res.per_code.items()]
        coders = res.selection.coders
        self.stats.blockSignals(True)
        self.stats.clear()
        self.stats.setColumnCount(len(STAT_COLUMNS) + len(coders))
        self.stats.setRowCount(len(rows))
        self.stats.setHorizontalHeaderLabels(STAT_COLUMNS + [f"α {c}–consensus" for c in coders])
        for r, (name, stats) in enumerate(rows):
            j = agreement.stats_json(stats)
            values = [name, "" if r == 0 else j["units"], _num(j["percent"], "%"),
                      _num(j["cohen_kappa"]), _num(j["fleiss_kappa"]), _num(j["krippendorff_alpha"])]
            for c, v in enumerate(values):
                self._set_cell(r, c, str(v))
        self.stats.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fill_consensus_figures()
        self.stats.blockSignals(False)
        self.stats.selectRow(0)

    def _set_cell(self, row: int, col: int, text: str) -> None:
        item = QTableWidgetItem(text)
        if col:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.stats.setItem(row, col, item)

    def _fill_consensus_figures(self) -> None:
        """Alpha between each compared coder and the consensus coder, per code and overall, on
        the same unit, codes and documents: these move as decisions are made."""
        res = self.result
        paths = list(res.per_code)
        for i, coder in enumerate(res.selection.coders):
            col = len(STAT_COLUMNS) + i
            try:
                vs = agreement.measure(self.db, [coder, self.consensus_name()], res.unit, paths or None,
                                       list(res.selection.doc_names) or None)
            except QualCodeError:  # no consensus coder yet
                vs = None
            rows = [vs.overall if vs else None, *((vs.per_code.get(p) if vs else None) for p in paths)]
            for r, stats in enumerate(rows):
                alpha = agreement.stats_json(stats)["krippendorff_alpha"] if stats else None
                self._set_cell(r, col, _num(alpha))

    def selected_code(self) -> str | None:
        """The code chosen in the statistics table; None for the overall row (every code)."""
        rows = self.stats.selectionModel().selectedRows() if self.stats.selectionModel() else []
        if not rows or rows[0].row() == 0:
            return None
        return self.stats.item(rows[0].row(), 0).text()

    def _fill_list(self) -> None:
        code = self.selected_code()
        self.list.clear()
        shown = [d for d in self.items if code is None or d.code == code]
        for d in shown:
            item = QTreeWidgetItem([d.code, d.document, f"{d.start}-{d.end}", ", ".join(d.coders),
                                    self.decisions.get(d.key, ""), " ".join(d.text.split())[:120]])
            item.setData(0, Qt.ItemDataRole.UserRole, d)
            self.list.addTopLevelItem(item)
        self._update_summary()
        if shown:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        else:
            self._show_passage(None)

    def _update_summary(self) -> None:
        decided = sum(1 for d in self.items if d.key in self.decisions)
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
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _show_passage(self, item) -> None:
        d = item.data(0, Qt.ItemDataRole.UserRole) if item else None
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
        row = self.list.indexOfTopLevelItem(self.list.currentItem())
        self.undo_stack.push(Decision(self, d, accept, into, change, label))
        if row + 1 < self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(row + 1))

    def decided_on(self, d: Disagreement, label: str | None) -> None:
        """After a decision, its undo or its redo: record it and refresh what shows it."""
        if label is None:
            self.decisions.pop(d.key, None)
        else:
            self.decisions[d.key] = label
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole).key == d.key:
                item.setText(4, label or "")
        self._update_summary()
        self._fill_consensus_figures()
        self._show_passage(self.list.currentItem())
        self.changed.emit()


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
