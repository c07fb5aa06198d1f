"""File › Import documents…, the step between choosing files and importing them: the files,
then the speaker labels found in them, each mapped to the case whose turns they are. The
labels are read in the background (a folder of long transcripts takes a while); OK hands the
mapping to the import, Cancel imports nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..services import cases, documents
from .dialog_jobs import DialogJob
from .workers import on_project

NONE = "(none)"
NEW_CASE = "(new informant case)"


class ImportDialog(QDialog):
    def __init__(self, parent, paths: list[str | Path], db):
        super().__init__(parent)
        self.setWindowTitle("Import documents")
        self.resize(620, 520)
        self.paths = [Path(p) for p in paths]
        self.files = QListWidget()
        self.files.setObjectName("import_files")
        self.files.addItems([str(p) for p in self.paths])
        self.status = QLabel("Reading speaker labels…")
        self.bar = QProgressBar()
        self.bar.setObjectName("import_preview_progress")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("speaker_mapping")
        self.table.setHorizontalHeaderLabels(["Speaker", "Turns", "Files", "Case"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(self.paths)} file(s) to import:"))
        layout.addWidget(self.files, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.buttons)
        self._cases = [c.name for c in cases.list_cases(db)]
        self.job = DialogJob(self, self.bar)
        self.job.start(on_project(db.path, documents.preview_speakers, self.paths), self._show, self._failed)

    def _show(self, labels: list[documents.SpeakerLabel]) -> None:
        self.table.setRowCount(len(labels))
        for row, found in enumerate(labels):
            for col, value in enumerate((found.label, str(found.turns), ", ".join(found.files))):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            box = QComboBox()
            box.setEditable(True)  # a case name typed here is created as an informant
            box.addItems([NONE, NEW_CASE] + self._cases)
            box.setCurrentText(found.suggested_case or NONE)
            self.table.setCellWidget(row, 3, box)
        self.table.resizeColumnsToContents()
        self.status.setText("Map each speaker to a case, or leave it at (none):" if labels
                            else "No speaker labels found in these files.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def speakers(self) -> dict[str, str]:
        """label -> case for every label mapped to one; a new informant case takes the label's name."""
        mapping = {}
        for row in range(self.table.rowCount()):
            label = self.table.item(row, 0).text()
            choice = self.table.cellWidget(row, 3).currentText().strip()
            if choice and choice != NONE:
                mapping[label] = label if choice == NEW_CASE else choice
        return mapping

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self.job.stop()  # Cancel while the labels are being read stops the reading
        super().done(result)
