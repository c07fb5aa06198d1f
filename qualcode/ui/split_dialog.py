"""Split a code: see its coded segments, tick the ones that belong to a new code, name it.

The dialog only collects the choice (:meth:`SplitDialog.chosen_ids`, :meth:`SplitDialog.name`);
the caller pushes a :class:`~qualcode.ui.codebook_commands.SplitCode`, so the service checks
the name and the undo stack holds the edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import coding
from ..store.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SplitDialog(QDialog):
    def __init__(self, db: Database, code_id: int, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Split “{path}”")
        rows = coding.codings_for_codes(db, [code_id])
        intro = QLabel(f"Tick the segments of “{path}” that go to the new code; the others stay. "
                       f"{len(rows)} segment(s).")
        intro.setWordWrap(True)
        self.segments = QTreeWidget()
        self.segments.setObjectName("split_segments")
        self.segments.setHeaderLabels(["Segment", "Document", "Coder", "Span"])
        self.segments.setRootIsDecorated(False)
        self.segments.setUniformRowHeights(True)
        for r in rows:
            item = QTreeWidgetItem([" ".join(r.text.split()), r.document, r.coder, f"{r.start}–{r.end}"])
            item.setData(0, ID_ROLE, r.id)
            item.setToolTip(0, r.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.segments.addTopLevelItem(item)
        header = self.segments.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("split_name")
        self.new_name.setPlaceholderText("Name of the new code")
        self.all_button = QPushButton("Tick all")
        self.none_button = QPushButton("Tick none")
        self.all_button.clicked.connect(lambda: self._tick(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._tick(Qt.CheckState.Unchecked))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Split")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.count = QLabel()
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        ticks.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.segments, 1)
        layout.addLayout(ticks)
        layout.addWidget(QLabel("New code (beside the old one):"))
        layout.addWidget(self.new_name)
        layout.addWidget(self.buttons)
        self.segments.itemChanged.connect(self._update)
        self.new_name.textChanged.connect(self._update)
        self.resize(760, 460)
        self._update()

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.segments.topLevelItem(i) for i in range(self.segments.topLevelItemCount())]

    def _tick(self, state: Qt.CheckState) -> None:
        for item in self._items():
            item.setCheckState(0, state)

    def _update(self, *_args) -> None:
        chosen = len(self.chosen_ids())
        self.count.setText(f"{chosen} of {self.segments.topLevelItemCount()} ticked")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(chosen and self.name()))

    def chosen_ids(self) -> list[int]:
        """The coding ids ticked to move, in list order."""
        return [item.data(0, ID_ROLE) for item in self._items() if item.checkState(0) == Qt.CheckState.Checked]

    def name(self) -> str:
        return " ".join(self.new_name.text().split())
