"""Memos: the project's, the open document's, the selected code's, and the selected coding's
memo with its evidence basis. The panel follows what the user last touched (a coding, a code,
a document) and every save is an undoable command.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import QualCodeError
from ..services import coding, memos
from ..services.coding import EVIDENCE
from ..store.models import Coding
from .session import Session
from .undo_commands import AddMemo, DeleteMemo, EditCoding, EditMemo

MEMO_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class MemoPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("memo_panel")
        self.s: Session | None = None
        self.target = QComboBox()
        self.target.setObjectName("memo_target")
        self.target.currentIndexChanged.connect(self._target_changed)
        self.pages = QStackedWidget()

        # page 0: memos of the project, a document or a code
        self.memo_list = QListWidget()
        self.memo_list.setObjectName("memo_list")
        self.memo_list.currentItemChanged.connect(self._memo_selected)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("memo_editor")
        self.editor.setPlaceholderText("Write a memo…  (Ctrl+Return saves)")
        self.new_button = QPushButton("New")
        self.save_button = QPushButton("Save")
        self.delete_button = QPushButton("Delete")
        self.new_button.clicked.connect(self.new_memo)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_memo)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.memo_list)
        split.addWidget(self.editor)
        split.setStretchFactor(1, 2)
        memo_page = QWidget()
        lay = QVBoxLayout(memo_page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)
        self.pages.addWidget(memo_page)

        # page 1: one coding's memo and evidence basis
        self.coding_label = QLabel()
        self.coding_label.setWordWrap(True)
        self.coding_label.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence = QComboBox()
        self.evidence.setObjectName("coding_evidence")
        for value in EVIDENCE:
            self.evidence.addItem(value, value)
        self.evidence.activated.connect(self._evidence_chosen)
        self.coding_memo = QPlainTextEdit()
        self.coding_memo.setObjectName("coding_memo")
        self.coding_memo.setPlaceholderText("Why this passage, what it shows…  (Ctrl+Return saves)")
        self.coding_save = QPushButton("Save memo")
        self.coding_save.clicked.connect(self.save)
        coding_page = QWidget()
        form = QFormLayout(coding_page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.coding_label)
        form.addRow("Evidence", self.evidence)
        form.addRow(self.coding_memo)
        form.addRow(self.coding_save)
        self.pages.addWidget(coding_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.target)
        layout.addWidget(self.pages, 1)
        for editor in (self.editor, self.coding_memo):
            QShortcut(QKeySequence("Ctrl+Return"), editor, self.save, context=Qt.ShortcutContext.WidgetShortcut)
        self._document: tuple[int, str] | None = None
        self._code: tuple[int, str] | None = None
        self._coding: Coding | None = None

    # -- targets ------------------------------------------------------------------------------------
    def set_session(self, session: Session | None) -> None:
        self.s = session
        self._document = self._code = self._coding = None
        if session is not None:
            session.memosChanged.connect(self._memos_changed)
            session.codingsChanged.connect(self._codings_changed)
        self._fill_targets("project", None)

    def set_document(self, doc_id: int | None, name: str = "") -> None:
        self._document = (doc_id, name) if doc_id is not None else None
        self._coding = None
        self._fill_targets("document", doc_id)

    def set_code(self, code_id: int | None) -> None:
        self._code = (code_id, self.s.path(code_id)) if code_id is not None and self.s else None
        self._fill_targets("code", code_id)

    def set_coding(self, c: Coding | None) -> None:
        self._coding = c
        self._fill_targets("coding", c.id if c else None)

    def current_target(self) -> tuple[str, int | None]:
        kind, _, ident = (self.target.currentData() or "project:").partition(":")
        return kind, int(ident) if ident else None

    def _fill_targets(self, prefer: str, prefer_id) -> None:
        keep = self.current_target()
        self.target.blockSignals(True)
        self.target.clear()
        if self.s is not None:
            self.target.addItem("Project memos", "project:")
            if self._document:
                self.target.addItem(f"Document: {self._document[1]}", f"document:{self._document[0]}")
            if self._code:
                self.target.addItem(f"Code: {self._code[1]}", f"code:{self._code[0]}")
            if self._coding:
                self.target.addItem(f"Coding: {self.s.path(self._coding.code_id)} "
                                    f"[{self._coding.start}, {self._coding.end})", f"coding:{self._coding.id}")
        kind, ident = (prefer, prefer_id) if prefer_id is not None else keep
        at = self.target.findData(f"{kind}:{'' if ident is None else ident}")
        if at < 0 and self._document:  # the coding or code went away: back to the document
            at = self.target.findData(f"document:{self._document[0]}")
        self.target.setCurrentIndex(at if at >= 0 else 0)
        self.target.blockSignals(False)
        self._target_changed()

    def _target_changed(self, *_args) -> None:
        kind, ident = self.current_target()
        if kind == "coding" and self._coding is not None:
            self.pages.setCurrentIndex(1)
            self._show_coding()
        else:
            self.pages.setCurrentIndex(0)
            self._show_memos(kind, ident)

    # -- memo list ------------------------------------------------------------------------------------
    def _show_memos(self, kind: str, ident, select: int | None = None) -> None:
        self.memo_list.blockSignals(True)
        self.memo_list.clear()
        self.editor.clear()
        if self.s is None:
            self.memo_list.blockSignals(False)
            return
        try:
            found = memos.list_memos(self.s.db, kind, ident)
        except QualCodeError:
            found = []  # the target was just deleted; nothing to show
        for m in found:
            first = m.text.splitlines()[0] if m.text else ""
            who = self.s.coders.get(m.coder_id, "") if m.coder_id else ""
            item = QListWidgetItem(f"{first[:80]}\n{who} · {(m.updated_at or '')[:16].replace('T', ' ')}")
            item.setData(MEMO_ID_ROLE, m.id)
            item.setData(Qt.ItemDataRole.UserRole, m.text)
            item.setToolTip(m.text[:1000])
            self.memo_list.addItem(item)
            if m.id == select:
                self.memo_list.setCurrentItem(item)
                self.editor.setPlainText(m.text)
        self.memo_list.blockSignals(False)
        self.delete_button.setEnabled(self.memo_list.currentItem() is not None)

    def _memo_selected(self, item, _previous) -> None:
        self.editor.setPlainText(item.data(Qt.ItemDataRole.UserRole) if item else "")
        self.delete_button.setEnabled(item is not None)

    def new_memo(self) -> None:
        self.pages.setCurrentIndex(0)
        self.memo_list.setCurrentItem(None)
        self.memo_list.clearSelection()
        self.editor.clear()
        self.editor.setFocus()

    def save(self) -> None:
        if self.s is None:
            return
        kind, ident = self.current_target()
        if kind == "coding" and self._coding is not None:
            text = self.coding_memo.toPlainText().strip() or None
            if text != self._coding.memo:
                self.s.push(EditCoding(self.s, self._coding.id, self._coding.document_id, "Edit coding memo",
                                       memo=text))
            return
        text = self.editor.toPlainText()
        item = self.memo_list.currentItem()
        if item is not None:
            if text.strip() != item.data(Qt.ItemDataRole.UserRole):
                self.s.push(EditMemo(self.s, item.data(MEMO_ID_ROLE), (kind, ident), text))
        elif text.strip():
            command = AddMemo(self.s, kind, ident, text)
            if self.s.push(command):
                self._show_memos(kind, ident, select=command.memo_id)

    def delete_memo(self) -> None:
        item = self.memo_list.currentItem()
        if self.s is not None and item is not None:
            self.s.push(DeleteMemo(self.s, item.data(MEMO_ID_ROLE), self.current_target()))

    def _memos_changed(self, kind: str, ident) -> None:
        if (kind, ident) == self.current_target():
            item = self.memo_list.currentItem()
            self._show_memos(kind, ident, select=item.data(MEMO_ID_ROLE) if item else None)

    # -- one coding -----------------------------------------------------------------------------------
    def _show_coding(self) -> None:
        c = self._coding
        who = self.s.coders.get(c.coder_id, "?")
        self.coding_label.setText(f"{self.s.path(c.code_id)}\nby {who}, characters {c.start}–{c.end}")
        self.evidence.setCurrentIndex(max(0, self.evidence.findData(c.evidence)))
        self.coding_memo.setPlainText(c.memo or "")

    def _evidence_chosen(self, _index: int) -> None:
        c = self._coding
        value = self.evidence.currentData()
        if self.s is not None and c is not None and value != c.evidence:
            self.s.push(EditCoding(self.s, c.id, c.document_id, f"Evidence: {value}", evidence=value))

    def _codings_changed(self, doc_id: int) -> None:
        c = self._coding
        if c is None or c.document_id != doc_id:
            return
        try:
            self._coding = coding.get_coding(self.s.db, c.id)
        except QualCodeError:  # removed (or undone): fall back to the document's memos
            self._coding = None
            self._fill_targets("document", self._document[0] if self._document else None)
            return
        if self.current_target()[0] == "coding":
            self._fill_targets("coding", c.id)
