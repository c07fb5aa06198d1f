"""Full-text search with keyword-in-context results; picking a hit opens its document with
the match selected.

Signals:
    hitActivated(int, int, int): document id, start, end (code points) of the picked hit.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from ..errors import QualCodeError
from .session import Session
from .tables import result_table

LIMIT = 500
CONTEXT = 60  # characters of context the search service gives before a match


def search_available() -> bool:
    return importlib.util.find_spec("qualcode.services.search") is not None


class _ElideLeft(QStyledItemDelegate):
    """The left context is cut at its start, so the words next to the match stay visible."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class HitsModel(QAbstractTableModel):
    """Columns: document, left context, the match, right context (a KWIC concordance)."""

    COLUMNS = ("Document", "", "Match", "")

    def __init__(self):
        super().__init__()
        self.hits: list = []
        self.parts: list[tuple[str, str, str]] = []

    def set_hits(self, hits: list) -> None:
        self.beginResetModel()
        self.hits = hits
        self.parts = [self._split(h) for h in hits]
        self.endResetModel()

    @staticmethod
    def _split(hit) -> tuple[str, str, str]:
        """Left context, match, right context: the context starts ``min(start, 60)``
        characters before the match (``SearchHit``'s contract)."""
        left = min(hit.start, CONTEXT)
        n = hit.end - hit.start
        return hit.context[:left], hit.context[left:left + n], hit.context[left + n:]

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit, (left, match, right) = self.hits[index.row()], self.parts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (hit.document, left, match, right)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 2:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.document} [{hit.start}, {hit.end})\n{hit.context}"
        return None


class SearchPanel(QWidget):
    hitActivated = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("search_panel")
        self.s: Session | None = None
        self.query = QLineEdit()
        self.query.setObjectName("search_query")
        self.query.setPlaceholderText('Search all documents: words, "a phrase", prefix*, a OR b')
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.go = QPushButton("Search")
        self.go.clicked.connect(self.run)
        self.status = QLabel()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.query, 1)
        top.addWidget(self.go)
        top.addWidget(self.status)
        self.model = HitsModel()
        self.table = result_table(self.model, "search_results")
        self.table.setShowGrid(False)
        self._left = _ElideLeft(self.table)
        self.table.setItemDelegateForColumn(1, self._left)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        if not search_available():
            for w in (self.query, self.go):
                w.setEnabled(False)
            self.status.setText("search is not available in this build")

    def set_session(self, session: Session | None) -> None:
        self.s = session
        self.model.set_hits([])
        self.status.clear()

    def run(self, query: str | None = None) -> None:
        if query is not None:
            self.query.setText(query)
        text = self.query.text().strip()
        if self.s is None or not text or not search_available():
            return
        from ..services import search

        try:
            hits = search.search(self.s.db, text, limit=LIMIT)
        except QualCodeError as exc:
            self.status.setText(str(exc))
            self.model.set_hits([])
            return
        self.model.set_hits(hits)
        more = " (first 500)" if len(hits) >= LIMIT else ""
        self.status.setText(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}{more}")

    def _activate(self, index) -> None:
        if index.isValid():
            hit = self.model.hits[index.row()]
            self.hitActivated.emit(hit.document_id, hit.start, hit.end)
