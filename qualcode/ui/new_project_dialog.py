"""File › New project…: after the file name, what the codebook starts with — empty, or one of
the starter codebooks in ``resources/codebooks`` (:mod:`qualcode.services.starters`), so a
team doing a familiar kind of study does not type its codes in by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..services.starters import Starter

EMPTY = "(empty codebook)"


class NewProjectDialog(QDialog):
    """Choose the starting codebook; :meth:`starter` is the chosen starter's name, or None."""

    def __init__(self, offered: list[Starter], file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"New project — {file_name}")
        self.resize(560, 320)
        self.choices = QListWidget()
        self.choices.setObjectName("starter_list")
        self.choices.setWordWrap(True)
        self.choices.addItem(EMPTY)
        for s in offered:
            item = QListWidgetItem(f"{s.name} — {s.description}" if s.description else s.name)
            item.setData(Qt.ItemDataRole.UserRole, s.name)
            item.setToolTip(str(s.path))
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)
        self.choices.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start with:"))
        layout.addWidget(self.choices)
        layout.addWidget(buttons)

    def starter(self) -> str | None:
        item = self.choices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
