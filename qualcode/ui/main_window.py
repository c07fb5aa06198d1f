"""The main window: documents on the left, the transcript with its codings in the centre,
the codebook on the right.

The window only calls services and shows their plain results; it never runs SQL. All
codings of the open document are loaded once when it is shown, so painting never waits on
the database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core.spans import Utf16Map
from ..errors import ProjectLocked, QualCodeError
from ..services import codebook, coding, documents, project

DEFAULT_HIGHLIGHT = "#ffe08a"


def show_error(parent: QWidget | None, message: str) -> None:
    """A user problem, said plainly; the window and project stay as they were."""
    QMessageBox.warning(parent, "QualCode", message)


class MainWindow(QMainWindow):
    """Signals: none yet; the workbench issue adds the panels and their models."""

    def __init__(self):
        super().__init__()
        self.db = None
        self._doc_ids: dict[str, int] = {}
        self._code_colors: dict[int, str] = {}
        self._code_paths: dict[int, str] = {}
        self.setWindowTitle("QualCode")
        self.resize(1400, 900)

        self.documents = QListWidget()
        self.documents.setObjectName("documents")
        self.documents.currentItemChanged.connect(self._on_document_changed)
        self.text = QPlainTextEdit()
        self.text.setObjectName("document_view")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.cursorPositionChanged.connect(self._update_status)
        self.codes = QTreeWidget()
        self.codes.setObjectName("codebook")
        self.codes.setHeaderLabels(["Code", "Codings"])
        self.codes.setColumnWidth(0, 250)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.documents)
        splitter.addWidget(self.text)
        splitter.addWidget(self.codes)
        splitter.setSizes([240, 800, 360])
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.status = QLabel("No project open")
        self.statusBar().addWidget(self.status, 1)
        self._build_menu()

    # -- menus -------------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open project…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_project)
        file_menu.addAction(open_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", "QualCode projects (*.qualcode)")
        if path:
            try:
                self.open_project(Path(path))
            except QualCodeError as exc:
                show_error(self, str(exc))

    # -- project -------------------------------------------------------------------------------------
    def open_project(self, path: Path, readonly: bool = False, ask_on_lock: bool = True) -> None:
        try:
            db = project.open_project(path, readonly=readonly)
        except ProjectLocked as exc:
            if not ask_on_lock:
                raise
            answer = QMessageBox.question(self, "QualCode", f"{exc}\n\nOpen it read-only?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            db = project.open_project(path, readonly=True)
        self.close_project()
        self.db = db
        self.setWindowTitle(f"QualCode — {path.name}" + (" (read-only)" if db.readonly else ""))
        self._load_codebook()
        self._load_documents()

    def close_project(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.close_project()
        super().closeEvent(event)

    def _load_documents(self) -> None:
        self.documents.clear()
        self._doc_ids.clear()
        for d in documents.list_documents(self.db):
            item = QListWidgetItem(f"{d.name}  ({d.codings})")
            item.setData(Qt.ItemDataRole.UserRole, d.name)
            tip = f"{d.chars:,} characters" + (f"\ncase: {', '.join(d.cases)}" if d.cases else "")
            item.setToolTip(tip)
            self.documents.addItem(item)
            self._doc_ids[d.name] = d.id
        if self.documents.count():
            self.documents.setCurrentRow(0)

    def _load_codebook(self) -> None:
        self.codes.clear()
        counts = codebook.coding_counts(self.db)
        items: dict[int, QTreeWidgetItem] = {}
        self._code_colors.clear()
        self._code_paths.clear()
        for path, c in codebook.list_codes(self.db):
            parent = items.get(c.parent_id)
            item = QTreeWidgetItem([c.name, str(counts.get(c.id, 0) or "")])
            item.setToolTip(0, f"{path}\n\n{c.definition or ''}".strip())
            if c.color:
                item.setBackground(0, QColor(c.color))
                item.setForeground(0, QColor("black"))
            (parent.addChild(item) if parent else self.codes.addTopLevelItem(item))
            items[c.id] = item
            self._code_colors[c.id] = c.color or DEFAULT_HIGHLIGHT
            self._code_paths[c.id] = path
        self.codes.expandAll()

    # -- document view -------------------------------------------------------------------------------
    def show_document(self, name: str) -> None:
        for row in range(self.documents.count()):
            if self.documents.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.documents.setCurrentRow(row)
                return
        raise QualCodeError(f"no document {name!r} in the project")

    def _on_document_changed(self, current, _previous) -> None:
        if current is None or self.db is None:
            return
        name = current.data(Qt.ItemDataRole.UserRole)
        doc_id = self._doc_ids[name]
        text = documents.document_text(self.db, doc_id)
        self.text.setPlainText(text)
        self._highlight(text, coding.codings_for_document(self.db, doc_id))
        self._update_status()

    def _highlight(self, text: str, codings) -> None:
        """Codings as background colours; where codings overlap the later one shows, and the
        tooltip-free view stays cheap. Offsets convert to Qt's UTF-16 here and only here."""
        to16 = Utf16Map(text).to_utf16
        selections = []
        doc = self.text.document()
        for c in codings:
            cursor = QTextCursor(doc)
            cursor.setPosition(to16(c.start))
            cursor.setPosition(to16(c.end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            color = QColor(self._code_colors.get(c.code_id, DEFAULT_HIGHLIGHT))
            color.setAlpha(150)
            fmt.setBackground(color)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
        self.text.setExtraSelections(selections)
        self._codings_shown = len(codings)

    def _update_status(self) -> None:
        if self.db is None:
            self.status.setText("No project open")
            return
        item = self.documents.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item else "—"
        cursor = self.text.textCursor()
        text = self.text.toPlainText()
        m = Utf16Map(text)
        start, end = m.to_codepoint(cursor.selectionStart()), m.to_codepoint(cursor.selectionEnd())
        self.status.setText(f"{self.db.path.name} · {name} · {getattr(self, '_codings_shown', 0)} codings · "
                            f"selection [{start}, {end})")
