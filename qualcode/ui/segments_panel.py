"""Coded segments: the codings of the open document, or of the selected code (with its
subcodes) across all documents, as a table. Picking a row opens its document there.

Signals (SegmentsPanel):
    segmentActivated(int, int): document id and coding id of the picked row.
    scopeChanged(): the user switched between "this document" and "selected code".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from .session import Session
from .tables import result_table

DOCUMENT, CODE = "document", "code"


@dataclass(frozen=True)
class Segment:
    coding_id: int
    document_id: int
    document: str
    code_id: int
    coder: str
    start: int
    end: int
    text: str
    memo: str | None
    evidence: str


class SegmentsModel(QAbstractTableModel):
    COLUMNS = ("Code", "Coder", "Document", "Span", "Evidence", "Text")

    def __init__(self):
        super().__init__()
        self.count = 0
        self.make = None  # row number -> Segment; rows are made when the view asks for them
        self._made: dict[int, Segment] = {}
        self.session: Session | None = None

    def set_rows(self, count: int, make) -> None:
        self.beginResetModel()
        self.count, self.make, self._made = count, make, {}
        self.endResetModel()

    def row(self, i: int) -> Segment:
        if i not in self._made:
            self._made[i] = self.make(i)
        return self._made[i]

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self.count

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.row(index.row())
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.session.path(r.code_id) if self.session else r.code_id
            if col == 5:
                return " ".join(r.text.split()) + ("  ✎ " + " ".join(r.memo.split()) if r.memo else "")
            return (None, r.coder, r.document, f"{r.start}–{r.end}", r.evidence)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and self.session:
            return self.session.color(r.code_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = r.text if len(r.text) < 1200 else r.text[:1200] + "…"
            return tip + (f"\n\nMemo: {r.memo}" if r.memo else "")
        return None


class SegmentsPanel(QWidget):
    segmentActivated = Signal(int, int)
    scopeChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("segments_panel")
        self.scope_box = QComboBox()
        self.scope_box.addItem("Codings in this document", DOCUMENT)
        self.scope_box.addItem("Codings of the selected code, all documents", CODE)
        self.scope_box.currentIndexChanged.connect(lambda _i: self.scopeChanged.emit())
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.scope_box)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.model = SegmentsModel()
        self.table = result_table(self.model, "segments")
        header = self.table.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 210)
        header.resizeSection(1, 70)
        header.resizeSection(2, 90)
        header.resizeSection(3, 90)
        header.resizeSection(4, 112)
        self._ids: list[int] = []
        self.table.clicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def scope(self) -> str:
        return self.scope_box.currentData()

    def set_rows(self, session: Session | None, count: int, make, what: str, ids: list[int] | None = None) -> None:
        """``count`` rows, row ``i`` being ``make(i)``; ``ids`` are their coding ids (for
        :meth:`select_coding` without making every row)."""
        self.model.session = session
        self.model.set_rows(count, make)
        self._ids = ids if ids is not None else []
        self.count_label.setText(f"{count} {what}")

    def select_coding(self, coding_id: int | None) -> None:
        row = self._ids.index(coding_id) if coding_id in self._ids else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.clearSelection()

    def _activate(self, index) -> None:
        if index.isValid():
            seg = self.model.row(index.row())
            self.segmentActivated.emit(seg.document_id, seg.coding_id)
