"""Offer a backup when a project cannot be opened.

The dialog lists the project's backups newest first (automatic ones, copies kept by earlier
restores, copies made before upgrades) and restores the chosen one through
:func:`qualcode.services.backup.restore`, which validates it and keeps the replaced file.
A refused restore (a damaged backup, the project open elsewhere) is said in the dialog,
which stays open so another backup can be chosen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import QualCodeError
from ..services import backup

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class RestoreDialog(QDialog):
    """``exec()`` returns Accepted once a backup has been restored over ``project``."""

    def __init__(self, project: Path, reason: str, parent: QWidget | None = None,
                 backups: list[backup.BackupInfo] | None = None):
        super().__init__(parent)
        self.project = Path(project)
        self.report: backup.RestoreReport | None = None
        self.setWindowTitle("Restore from a backup")
        question = QLabel(f"This project cannot be opened: {reason}\n\nRestore “{self.project.name}” from a "
                          "backup? The current file is kept in the backups folder.")
        question.setWordWrap(True)
        question.setObjectName("restore_question")
        self.backups = QListWidget()
        self.backups.setObjectName("restore_backups")
        for b in backups if backups is not None else backup.list_backups(self.project):
            item = QListWidgetItem(f"{b.created:%Y-%m-%d %H:%M:%S} — {b.kind} — {_size(b.size)}")
            item.setData(PATH_ROLE, str(b.path))
            item.setToolTip(str(b.path))
            self.backups.addItem(item)
        self.backups.setCurrentRow(0)
        self.message = QLabel()
        self.message.setObjectName("restore_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        self.restore_button.setEnabled(self.backups.count() > 0)
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        self.backups.itemDoubleClicked.connect(lambda _item: self.restore())
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.backups, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def chosen(self) -> Path | None:
        item = self.backups.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def restore(self) -> None:
        source = self.chosen()
        if source is None:
            return
        try:
            self.report = backup.restore(source, self.project)
        except QualCodeError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def offer_restore(parent: QWidget | None, project: Path, reason: str) -> bool:
    """Ask whether to restore ``project`` from a backup; True once one was restored. Asks
    nothing (False) when the project has no backups."""
    found = backup.list_backups(project)
    if not found:
        return False
    return RestoreDialog(project, reason, parent, found).exec() == QDialog.DialogCode.Accepted
