"""Codebook versions and history: the saved versions, what changed between any two, saving a
new one, and the story of one code (its audit trail and its state in each version).

Reads through :mod:`qualcode.services.codebook_versions` only; saving a version is the one
write, and it is not an undo step (a version is a record of the past, not an edit).

Signals:
    versionSaved(str): a version was saved under this label.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.codebook_diff import count, lines
from ..errors import QualCodeError
from ..services import codebook_versions
from ..store.database import Database


class CodebookHistoryDialog(QDialog):
    versionSaved = Signal(str)

    def __init__(self, db: Database, coder: str | None = None, code: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Codebook history")
        self.db, self.coder = db, coder
        self.tabs = QTabWidget()
        self.tabs.addTab(self._versions_tab(), "Versions")
        self.tabs.addTab(self._code_tab(), "Code history")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(820, 560)
        self.refresh()
        if code is not None:
            self.show_code(code)

    # -- versions ----------------------------------------------------------------------------
    def _versions_tab(self) -> QWidget:
        page = QWidget()
        self.versions = QListWidget()
        self.versions.setObjectName("codebook_versions")
        self.old_box, self.new_box = QComboBox(), QComboBox()
        self.old_box.setObjectName("diff_from")
        self.new_box.setObjectName("diff_to")
        self.diff_view = QPlainTextEdit()
        self.diff_view.setObjectName("diff_view")
        self.diff_view.setReadOnly(True)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("version_label")
        self.label_edit.setPlaceholderText("Label for a new version, e.g. after pilot coding")
        self.save_button = QPushButton("Save version")
        self.save_button.setObjectName("save_version")
        self.save_button.clicked.connect(self.save_version)
        self.old_box.currentTextChanged.connect(self.show_diff)
        self.new_box.currentTextChanged.connect(self.show_diff)
        compare = QHBoxLayout()
        compare.addWidget(QLabel("Compare"))
        compare.addWidget(self.old_box, 1)
        compare.addWidget(QLabel("with"))
        compare.addWidget(self.new_box, 1)
        save = QHBoxLayout()
        save.addWidget(self.label_edit, 1)
        save.addWidget(self.save_button)
        left = QVBoxLayout()
        left.addWidget(QLabel("Saved versions"))
        left.addWidget(self.versions, 1)
        left.addLayout(save)
        right = QVBoxLayout()
        right.addLayout(compare)
        right.addWidget(self.diff_view, 1)
        row = QHBoxLayout(page)
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        return page

    def refresh(self) -> None:
        saved = codebook_versions.list_versions(self.db)
        self.versions.clear()
        for v in saved:
            who = f", {v['coder']}" if v["coder"] else ""
            self.versions.addItem(f"{v['label']}  ({v['created_at'][:10]}{who}; {v['codes']} codes)")
        labels = [v["label"] for v in saved] + [codebook_versions.CURRENT]
        for box, default in ((self.old_box, labels[-2] if len(labels) > 1 else labels[-1]),
                             (self.new_box, codebook_versions.CURRENT)):
            box.blockSignals(True)
            box.clear()
            box.addItems(labels)
            box.setCurrentText(default)
            box.blockSignals(False)
        self.show_diff()

    def show_diff(self, *_args) -> None:
        old, new = self.old_box.currentText(), self.new_box.currentText()
        if not old or not new:
            self.diff_view.setPlainText("")
            return
        try:
            changes = codebook_versions.diff_versions(self.db, old, new)
        except QualCodeError as exc:
            self.diff_view.setPlainText(str(exc))
            return
        body = {k: v for k, v in changes.items() if k not in ("from", "to")}
        shown = lines(body)
        self.diff_view.setPlainText(f"{old} → {new}: {count(body)} change(s)\n\n" + "\n".join(shown))

    def save_version(self) -> bool:
        try:
            saved = codebook_versions.save_version(self.db, self.label_edit.text(), coder=self.coder)
        except QualCodeError as exc:
            QMessageBox.warning(self, "Codebook version", str(exc))
            return False
        self.label_edit.clear()
        self.refresh()
        self.versionSaved.emit(saved["label"])
        return True

    # -- one code ----------------------------------------------------------------------------
    def _code_tab(self) -> QWidget:
        page = QWidget()
        self.code_title = QLabel("Choose a code in the codebook and open its history.")
        self.code_title.setWordWrap(True)
        self.code_view = QPlainTextEdit()
        self.code_view.setObjectName("code_history")
        self.code_view.setReadOnly(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.code_title)
        layout.addWidget(self.code_view, 1)
        return page

    def show_code(self, ref: str) -> None:
        """Fill the code tab with the history of the code at path ``ref`` and show it."""
        try:
            h = codebook_versions.code_history(self.db, ref)
        except QualCodeError as exc:
            self.code_title.setText(str(exc))
            self.code_view.clear()
            return
        code = h["code"]
        self.code_title.setText(f"{code['path']} — {code['status']}")
        out = ["Changes"]
        for e in h["events"]:
            details = ", ".join(f"{k}: {v}" for k, v in e["details"].items())
            out.append(f"  {e['ts'][:16].replace('T', ' ')}  {e['coder'] or '—'}  {e['action']}  {details}")
        if not h["events"]:
            out.append("  none recorded")
        out += ["", "In each version"]
        for v in h["versions"]:
            state = f"{v['path']} ({v['status']})" if v["path"] else "not in this version"
            out.append(f"  {v['label']}: {state}")
            out += [f"      {c}" for c in v["changes"]]
        self.code_view.setPlainText("\n".join(out))
        self.tabs.setCurrentIndex(1)
