"""A code's properties: name, colour, definition, inclusion and exclusion criteria, typical
example and memo.

The dialog only collects values; :meth:`CodePropertiesDialog.changes` returns what differs from
the code as it was, ready for :class:`~qualcode.ui.codebook_commands.EditCodeProperties`, so a
refused name is reported by the service and the edit is one undo step.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ..store.models import Code
from .code_colors import code_color

TEXT_FIELDS = (("definition", "Definition"), ("inclusion", "Use when"), ("exclusion", "Do not use when"),
               ("example", "Typical example"), ("memo", "Memo"))


class CodePropertiesDialog(QDialog):
    def __init__(self, code: Code, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Code “{path}”")
        self.code = code
        self.name_edit = QLineEdit(code.name)
        self.name_edit.setObjectName("code_name")
        self._color: str | None = code.color.lower() if code.color else None
        self.color_button = QPushButton()
        self.color_button.setObjectName("code_color")
        self.color_button.clicked.connect(self.choose_color)
        self.clear_color = QPushButton("Default")
        self.clear_color.clicked.connect(lambda: self.set_color(None))
        colors = QHBoxLayout()
        colors.addWidget(self.color_button, 1)
        colors.addWidget(self.clear_color)
        form = QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Colour", colors)
        self.texts: dict[str, QPlainTextEdit] = {}
        for key, label in TEXT_FIELDS:
            edit = QPlainTextEdit(getattr(code, key) or "")
            edit.setObjectName(f"code_{key}")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64 if key != "definition" else 88)
            self.texts[key] = edit
            form.addRow(label, edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(520)
        self._show_color()

    def choose_color(self) -> None:
        chosen = QColorDialog.getColor(code_color(self._color, self.code.id), self, "Code colour")
        if chosen.isValid():
            self.set_color(chosen.name())

    def set_color(self, color: str | None) -> None:
        self._color = QColor(color).name() if color else None
        self._show_color()

    def color(self) -> str | None:
        return self._color

    def _show_color(self) -> None:
        shown = code_color(self._color, self.code.id)
        self.color_button.setText(self._color or f"default ({shown.name()})")
        self.color_button.setStyleSheet(f"background-color: {shown.name()};")

    def changes(self) -> dict:
        """The fields the user changed, with their new values (blank text clears a field)."""
        out: dict = {}
        name = " ".join(self.name_edit.text().split())
        if name != self.code.name:
            out["name"] = name
        if self._color != (self.code.color.lower() if self.code.color else None):
            out["color"] = self._color
        for key, edit in self.texts.items():
            value = edit.toPlainText().strip() or None
            if value != ((getattr(self.code, key) or "").strip() or None):
                out[key] = value
        return out
