"""The list of disagreements as a Qt table model.

A project at scale M has tens of thousands of disagreements; a model over the service's plain
list shows them without one widget item each, and a decision repaints only its own row.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ..services.disagreements import Disagreement

COLUMNS = ["Code", "Document", "Position", "Coded by", "Decision", "Text"]
DECISION = COLUMNS.index("Decision")
SNIPPET = 120  # characters of the passage shown in the list


class DisagreementModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[Disagreement] = []
        self.decisions: dict[tuple, str] = {}  # Disagreement.key -> what was decided
        self._rows: dict[tuple, int] = {}

    def set_items(self, items: list[Disagreement]) -> None:
        self.beginResetModel()
        self.items = items
        self._rows = {d.key: i for i, d in enumerate(items)}
        self.endResetModel()

    def set_decision(self, key: tuple, label: str | None) -> None:
        if label is None:
            self.decisions.pop(key, None)
        else:
            self.decisions[key] = label
        row = self._rows.get(key)
        if row is not None:
            index = self.index(row, DECISION)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        d = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return d.text if col == len(COLUMNS) - 1 else None
        if col == 0:
            return d.code
        if col == 1:
            return d.document
        if col == 2:
            return f"{d.start}-{d.end}"
        if col == 3:
            return ", ".join(d.coders)
        if col == DECISION:
            return self.decisions.get(d.key, "")
        return " ".join(d.text.split())[:SNIPPET]
