"""The keyboard-first code picker: type to filter, arrows to move, Enter to apply, Escape to
leave. When no code has the typed name, the last entry offers to create it and apply it.

It floats over the top of the document view as a child of the window (no separate window to
lose focus to, and screenshots include it).

Signals:
    codeChosen(int): apply this code to the selection.
    createRequested(str): make a new top-level code with this name and apply it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from .session import Session

CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CREATE_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(color: QColor, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(color)
    return QIcon(pix)


def rank(session: Session, text: str, recent: list[int]) -> list[int]:
    """Active codes matching every typed word (in any order), best first: the code's own name
    starting with the text, then containing it, then the path containing the words; recently
    used codes first within each group."""
    words = text.lower().split()
    order = {c: i for i, c in enumerate(recent)}
    scored = []
    for code in session.codes.values():
        if code.status != "active":
            continue
        path = code.path.lower()
        if not all(w in path for w in words):
            continue
        name = code.name.lower()
        typed = " ".join(words)
        group = 0 if typed and name.startswith(typed) else 1 if typed and typed in name else 2
        scored.append((group, order.get(code.id, len(order)), path, code.id))
    return [code_id for *_, code_id in sorted(scored)]


class CodePicker(QFrame):
    codeChosen = Signal(int)
    createRequested = Signal(str)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("code_picker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.title = QLabel("Apply code to the selection")
        self.input = QLineEdit()
        self.input.setObjectName("code_picker_input")
        self.input.setPlaceholderText("Type to filter codes; Enter applies, Esc closes")
        self.list = QListWidget()
        self.list.setObjectName("code_picker_list")
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(self._accept_item)
        self.list.itemClicked.connect(self._accept_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.input)
        layout.addWidget(self.list)
        self.input.textChanged.connect(self._refresh)
        self.input.installEventFilter(self)
        self.session: Session | None = None
        self.recent: list[int] = []
        self._max_height = 440
        self.hide()

    def open(self, session: Session, recent: list[int], area: QRect, text: str = "") -> None:
        """Show over ``area`` (window coordinates of the document view), filtered by ``text``."""
        self.session, self.recent = session, recent
        width = min(520, max(320, area.width() - 40))
        self._max_height = min(440, max(200, area.height() - 40))
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + 12, width, self._max_height)
        self.input.setText(text)
        self._refresh(text)
        self.show()
        self.raise_()
        self.input.setFocus()

    def _refresh(self, text: str) -> None:
        self.list.clear()
        if self.session is None:
            return
        ids = rank(self.session, text, self.recent)
        for code_id in ids:
            code = self.session.codes[code_id]
            item = QListWidgetItem(swatch(code.color), code.path)
            item.setData(CODE_ID_ROLE, code_id)
            item.setToolTip(code.definition or code.path)
            self.list.addItem(item)
        name = " ".join(text.split())
        exact = any(self.session.codes[i].name.lower() == name.lower() for i in ids)
        if name and "/" not in name and not exact:
            item = QListWidgetItem(f"+ New code “{name}”")
            item.setData(CREATE_ROLE, name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._fit()

    def _fit(self) -> None:
        """As tall as the matches need, up to the room the document view gives."""
        rows = max(3, min(self.list.count(), 14))
        row_h = self.list.sizeHintForRow(0) if self.list.count() else self.fontMetrics().height() + 4
        chrome = self.height() - self.list.height() if self.isVisible() else 0
        wanted = rows * row_h + 2 * self.list.frameWidth() + (chrome or 90)
        self.resize(self.width(), min(self._max_height, wanted))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.input and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                row = self.list.currentRow()
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}[key]
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, row + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._accept_item(self.list.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.close_picker()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.close_picker()
        else:
            super().keyPressEvent(event)

    def close_picker(self) -> None:
        self.hide()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def _accept_item(self, item) -> None:
        if item is None:
            return
        self.hide()
        if item.data(CREATE_ROLE):
            self.createRequested.emit(item.data(CREATE_ROLE))
        else:
            self.codeChosen.emit(item.data(CODE_ID_ROLE))
