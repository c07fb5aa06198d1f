"""Tools › Suggest pseudonyms…: the names found in the project's documents, each with a
pseudonym to edit, saved as the ``original,pseudonym`` map exports apply. Suggestions are only
offered: a row whose pseudonym is cleared is left out of the map, and nothing in the project
changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..errors import QualCodeError
from ..services import pseudonyms
from .dialog_jobs import DialogJob
from .workers import on_project

PSEUDONYM = 3


class PseudonymDialog(QDialog):
    def __init__(self, parent, db):
        super().__init__(parent)
        self.setWindowTitle("Review names")
        self.resize(640, 520)
        self.status = QLabel("Looking for names…")
        self.bar = QProgressBar()
        self.bar.setObjectName("names_progress")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("name_suggestions")
        self.table.setHorizontalHeaderLabels(["Name", "Kind", "Count", "Pseudonym"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(PSEUDONYM, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save map…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.job = DialogJob(self, self.bar)
        self.job.start(on_project(db.path, pseudonyms.suggest), self._show, self.status.setText)

    def _show(self, found: list[pseudonyms.NameSuggestion]) -> None:
        self.table.setRowCount(len(found))
        for row, (s, (_, placeholder)) in enumerate(zip(found, pseudonyms.placeholders(found))):
            for col, value in enumerate((s.original, s.kind, str(s.count))):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            self.table.setItem(row, PSEUDONYM, QTableWidgetItem(placeholder))
        self.table.resizeColumnsToContents()
        self.status.setText(f"{len(found)} name(s) found; edit the pseudonyms, clear one to keep that name:"
                            if found else "No names found in the documents.")
        self.save_button.setEnabled(bool(found))

    def rows(self) -> list[tuple[str, str]]:
        """(original, pseudonym) for every row that still has a pseudonym."""
        out = []
        for row in range(self.table.rowCount()):
            pseudonym = self.table.item(row, PSEUDONYM).text().strip()
            if pseudonym:
                out.append((self.table.item(row, 0).text(), pseudonym))
        return out

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save pseudonym map", "MAP.csv", "CSV files (*.csv)")
        if path:
            self.save(path if path.lower().endswith(".csv") else path + ".csv")

    def save(self, path: str) -> None:
        try:
            count = pseudonyms.save_map(self.rows(), path)
        except (QualCodeError, OSError) as exc:
            QMessageBox.warning(self, "Pseudonym map", str(exc))
            return
        self.status.setText(f"Saved {count} name(s) to {path}")

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self.job.stop()
        super().done(result)
