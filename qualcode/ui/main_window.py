"""The coding workbench: documents on the left, the transcript with its highlights and coding
stripes in the centre, the codebook and memos on the right, coded segments and search below.

The window assembles panels and routes their signals; edits go through undo commands
(:mod:`.undo_commands`), and every view refreshes from the session's signals, so a direct
edit, an undo and a redo look the same. Nothing here runs SQL; reads are service calls, and
the open document's codings are loaded once per change, never while painting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from .. import __version__
from ..errors import ProjectLocked, QualCodeError
from ..services import cases, coding, documents, project
from . import menus
from .analysis_actions import AnalysisPanels
from .code_picker import CodePicker
from .codebook_editing import CodebookEditing
from .codebook_panel import CodebookPanel
from .codebook_tools import CodebookTools
from .coding_actions import CodingActions
from .document_view import DocumentView, tooltip_line
from .documents_panel import DocumentsPanel
from .memo_panel import MemoPanel
from .preferences import Preferences, PreferencesDialog, settings, starting_coder
from .project_files import ProjectFiles
from .search_panel import SearchPanel
from .segments_panel import CODE, Segment, SegmentsPanel
from .session import Session
from .shortcuts import ShortcutsDialog
from .workers import TaskStrip


class MainWindow(CodebookEditing, ProjectFiles, QMainWindow):
    def __init__(self, restore_state: bool = True):
        super().__init__()
        self.setWindowTitle("QualCode")
        self.resize(1400, 900)
        self.prefs = Preferences.load()
        self.session: Session | None = None
        self.last_error = ""
        self._doc_names: dict[int, str] = {}
        self._persist = restore_state

        self.view = DocumentView()
        self.view.setFont(self.prefs.document_font())
        self.setCentralWidget(self.view)
        self.documents = DocumentsPanel()
        self.codebook = CodebookPanel()
        self.memos = MemoPanel()
        self.segments = SegmentsPanel()
        self.search = SearchPanel()
        self.picker = CodePicker(self)
        self.coding_actions = CodingActions(self.view, self)
        self.undo_group = QUndoGroup(self)
        self.docks = {}
        for key, title, widget, area in (
            ("documents", "Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("codebook", "Codebook", self.codebook, Qt.DockWidgetArea.RightDockWidgetArea),
            ("memos", "Memos", self.memos, Qt.DockWidgetArea.RightDockWidgetArea),
            ("segments", "Coded segments", self.segments, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("search", "Search", self.search, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.docks["segments"], self.docks["search"])
        self.docks["segments"].raise_()
        self.resizeDocks([self.docks["documents"], self.docks["codebook"]], [275, 300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["codebook"], self.docks["memos"]], [480, 300], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["segments"]], [190], Qt.Orientation.Vertical)
        self.analysis = AnalysisPanels(self)  # reports, stories, agreement
        self.codebook_tools = CodebookTools(self)  # merge, split, retire, properties, history, files
        self._build_exchange()  # REFI-QDA
        menus.build(self)
        for dock in self.docks.values():
            self.panels_menu.addAction(dock.toggleViewAction())
        self.coder_label, self.doc_label, self.sel_label = QLabel(), QLabel(), QLabel()
        for label in (self.coder_label, self.doc_label, self.sel_label):
            label.setContentsMargins(6, 0, 12, 0)
            self.statusBar().addWidget(label)
        self.tasks = TaskStrip()
        self.statusBar().addPermanentWidget(self.tasks)
        self._connect()
        self._update_recent_projects()
        self._enable()
        self._update_status()
        if restore_state:
            s = settings()
            self.restoreGeometry(QByteArray(s.value("window/geometry", QByteArray())))
            self.restoreState(QByteArray(s.value("window/state", QByteArray())))

    def _connect(self) -> None:
        v = self.view
        v.selectionSpanChanged.connect(self._selection_changed)
        v.codingClicked.connect(self.pick_coding)
        v.codeDropped.connect(self.coding_actions.apply)
        v.customContextMenuRequested.connect(self._text_menu)
        v.describe = self._describe
        v.label_of = self._label_of
        self.documents.documentActivated.connect(self.open_document)
        self.codebook.codeActivated.connect(self.coding_actions.apply)
        self.codebook.currentCodeChanged.connect(self._code_selected)
        self.codebook.renameRequested.connect(lambda c, n: self.edit_code(c, f"Rename code to “{n}”", name=n))
        self.codebook.moveRequested.connect(self.move_code)
        self.codebook.contextMenuRequested.connect(self._code_menu)
        self.segments.segmentActivated.connect(self.open_coding)
        self.segments.scopeChanged.connect(self._refresh_segments)
        self.search.hitActivated.connect(self._open_hit)
        self.picker.codeChosen.connect(self.coding_actions.apply)
        self.picker.createRequested.connect(self.coding_actions.create_and_apply)
        self.coding_actions.recentChanged.connect(lambda: menus.label_recent(self))
        self.coding_actions.recentChanged.connect(self._save_recent_codes)
        self.coding_actions.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.coder_box.lineEdit().editingFinished.connect(lambda: self.set_coder(self.coder_box.currentText()))
        self.coder_box.activated.connect(lambda _i: self.set_coder(self.coder_box.currentText()))
        self.filter_box.activated.connect(lambda _i: self.session and self.session.set_coder_filter(
            self.filter_box.currentData()))

    # -- project -------------------------------------------------------------------------------------
    def open_project(self, path: Path, readonly: bool = False, ask_on_lock: bool = True) -> None:
        path = Path(path)
        try:
            db = project.open_project(path, readonly=readonly, backups=self.prefs.backups)
        except ProjectLocked as exc:
            if not ask_on_lock:
                raise
            answer = QMessageBox.question(self, "QualCode", f"{exc}\n\nOpen it read-only?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            db = project.open_project(path, readonly=True)
        self.close_project()
        s = self.session = Session(db, starting_coder(self.prefs, db), self)
        self.undo_group.addStack(s.undo_stack)
        self.undo_group.setActiveStack(s.undo_stack)
        s.codesChanged.connect(self._codes_changed)
        s.codingsChanged.connect(self._codings_changed)
        s.filterChanged.connect(self._filter_changed)
        s.documentsChanged.connect(self._load_documents)
        s.coderChanged.connect(lambda _n: self._update_status())
        s.errorRaised.connect(self.show_error)
        self.setWindowTitle(f"QualCode — {path.name}" + (" (read-only)" if db.readonly else ""))
        self.codebook.set_session(s)
        self.memos.set_session(s)
        self.search.set_session(s)
        self.analysis.set_session(s)
        self.coding_actions.set_session(s, self._load_recent_codes())
        self._fill_coder_boxes()
        self._load_documents()
        self._counts()
        self._remember_project(path)
        self._enable()
        first = self.documents.first_document()
        if first is not None:
            self.open_document(first)

    def close_project(self) -> None:
        if self.session is None:
            return
        if self.tasks.busy():
            self.tasks.cancel()
        self.tasks.wait()  # a running job finishes its transaction first
        self.analysis.set_session(None)
        s, self.session = self.session, None
        self.undo_group.removeStack(s.undo_stack)
        for panel in (self.codebook, self.memos, self.search):
            panel.set_session(None)
        self.coding_actions.set_session(None)
        self.view.show_text(None, "", [])
        self.view.show_codings([], lambda _c: QColor())
        self.documents.load([], [], {}, {}, {})
        self.segments.set_rows(None, 0, None, "")
        s.db.close()
        s.deleteLater()
        self.setWindowTitle("QualCode")
        self._enable()
        self._update_status()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._persist:
            s = settings()
            s.setValue("window/geometry", self.saveGeometry())
            s.setValue("window/state", self.saveState())
        self.close_project()
        super().closeEvent(event)

    def _enable(self) -> None:
        open_ = self.session is not None
        writable = open_ and not self.session.db.readonly
        for key in ("import", "pick", "invivo", "remove", "fit", "new_code", "new_subcode", "rename_code",
                    "color_code", "delete_code", "import_codebook"):
            self.act[key].setEnabled(writable)
        for key in ("next_doc", "prev_doc", "next_coding", "prev_coding", "search", "agreement", "reports", "stories",
                    "export_codebook", "pseudonyms"):
            self.act[key].setEnabled(open_)
        self.refi.set_project_open(open_)

    def _load_documents(self) -> None:
        s = self.session
        docs = documents.list_documents(s.db)
        self._doc_names = {d.id: d.name for d in docs}
        self.documents.load(docs, cases.list_cases(s.db), coding.counts_by_document(s.db, s.coder_filter),
                            cases.attribute_values(s.db, "document"), cases.attribute_values(s.db, "case"))

    def _counts(self) -> None:
        s = self.session
        self.documents.set_counts(coding.counts_by_document(s.db, s.coder_filter))
        self.codebook.set_counts(coding.counts_by_code(s.db, s.coder_filter))

    # -- documents -------------------------------------------------------------------------------------
    def document_name(self) -> str | None:
        return self._doc_names.get(self.view.document_id)

    def show_document(self, name: str) -> None:
        """Open a document by name (the ``--document`` option)."""
        doc_id = next((i for i, n in self._doc_names.items() if n == name), None)
        if doc_id is None:
            raise QualCodeError(f"no document {name!r} in the project")
        self.open_document(doc_id)

    def open_document(self, doc_id: int) -> None:
        s = self.session
        if s is None or doc_id == self.view.document_id:
            return
        self.view.show_text(doc_id, documents.document_text(s.db, doc_id), documents.speaker_turns(s.db, doc_id))
        self._load_codings()
        self.documents.show_current(doc_id)
        self.memos.set_document(doc_id, self._doc_names.get(doc_id, ""))
        self._refresh_segments()
        self._update_status()

    def _load_codings(self, changed: list[int] | None = None) -> None:
        """The open document's codings into the view: all of them, or when ``changed`` names
        the codings an edit touched, only those re-read and merged in."""
        s = self.session
        if changed is None:
            codings = coding.codings_for_document(s.db, self.view.document_id, s.coder_filter)
        else:
            gone = set(changed)
            codings = [c for c in self.view.painted.codings if c.id not in gone]
            for c in coding.get_codings(s.db, changed):
                if s.coder_filter in (None, c.coder_id) and c.document_id == self.view.document_id:
                    codings.append(c)
            codings.sort(key=lambda c: (c.start, c.end, c.id))
        self._several_coders = len({c.coder_id for c in codings}) > 1
        self.view.show_codings(codings, s.color)

    def step_document(self, step: int) -> None:
        ids = list(self._doc_names)
        if ids:
            at = ids.index(self.view.document_id) if self.view.document_id in ids else -step
            self.open_document(ids[(at + step) % len(ids)])

    def _describe(self, c) -> str:
        s = self.session
        return tooltip_line(s.path(c.code_id), s.coders.get(c.coder_id, "?"), c.memo, c.evidence) if s else ""

    def _label_of(self, c) -> str:
        s = self.session
        if s is None:
            return ""
        name = s.codes[c.code_id].name if c.code_id in s.codes else "?"
        return f"{name} · {s.coders.get(c.coder_id, '?')}" if getattr(self, "_several_coders", False) else name

    # -- codings --------------------------------------------------------------------------------------
    def pick_coding(self, coding_id: int | None) -> None:
        """Make one coding the one that Remove, Fit, memo and evidence act on; select its text."""
        c = self.view.coding(coding_id) if coding_id is not None else None
        self.view.set_current_coding(c.id if c else None)
        self.memos.set_coding(c)
        self.segments.select_coding(c.id if c else None)

    def open_coding(self, doc_id: int, coding_id: int) -> None:
        self.open_document(doc_id)
        if self.view.coding(coding_id) is None and self.session is not None:
            c = coding.get_coding(self.session.db, coding_id)  # hidden by the coder filter
            self.view.select_span(c.start, c.end)
            return
        self.pick_coding(coding_id)

    def show_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` of the open document; a coding with exactly that span is picked."""
        if self.session is None or self.view.document_id is None:
            return
        if not 0 <= start < end <= len(self.view.text):
            raise QualCodeError(f"span [{start}, {end}) is not inside the document ({len(self.view.text)} characters)")
        self.view.select_span(start, end)
        match = next((c for c in self.view.painted.codings if (c.start, c.end) == (start, end)), None)
        if match is not None:
            self.pick_coding(match.id)

    def step_coding(self, step: int) -> None:
        codings = self.view.painted.codings
        if not codings:
            return
        start, _ = self.view.selection_span()
        if self.view.current_coding is not None:
            at = self.view.painted.index[self.view.current_coding] + step
        else:
            at = next((i for i, c in enumerate(codings) if c.start >= start), len(codings)) - (step < 0)
        self.pick_coding(codings[at % len(codings)].id)

    def _selection_changed(self, start: int, end: int) -> None:
        current = self.view.coding(self.view.current_coding) if self.view.current_coding else None
        if current is not None and not (start <= current.end and end >= current.start):
            self.pick_coding(None)  # the selection left the picked coding
        self._update_status()

    def _codings_changed(self, doc_id: int, coding_ids) -> None:
        if doc_id == self.view.document_id:
            self._load_codings(coding_ids)
        self._counts()
        self._refresh_segments()
        if self.filter_box.count() != len(self.session.coders) + 1:
            self._fill_coder_boxes()  # a new coder

    def _filter_changed(self) -> None:
        if self.view.document_id is not None:
            self._load_codings()
        self._counts()
        self._refresh_segments()

    def _refresh_segments(self) -> None:
        s = self.session
        if s is None:
            return
        if self.segments.scope() == CODE:
            code_id = self.codebook.current_code()
            if code_id is None:
                self.segments.set_rows(s, 0, None, "codings: select a code in the codebook")
                return
            ids = [code_id] + [c for c in s.codes if self._below(c, code_id)]
            names = {n: i for i, n in self._doc_names.items()}
            found = coding.codings_for_codes(s.db, ids, s.coder_filter)

            def make(i: int, rows=found) -> Segment:
                r = rows[i]
                return Segment(r.id, names.get(r.document, 0), r.document, r.code_id, r.coder, r.start, r.end,
                               r.text, r.memo, r.evidence)

            self.segments.set_rows(s, len(found), make, f"codings of {s.path(code_id)}", [r.id for r in found])
        else:
            text, name = self.view.text, self._doc_names.get(self.view.document_id, "")
            shown = self.view.painted.codings

            def make(i: int, rows=shown) -> Segment:
                c = rows[i]
                return Segment(c.id, c.document_id, name, c.code_id, s.coders.get(c.coder_id, "?"), c.start, c.end,
                               text[c.start:c.end], c.memo, c.evidence)

            self.segments.set_rows(s, len(shown), make, "codings in this document", [c.id for c in shown])
        self.segments.select_coding(self.view.current_coding)

    def _below(self, code_id: int, ancestor: int) -> bool:
        parent = self.session.codes[code_id].parent_id
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.session.codes[parent].parent_id if parent in self.session.codes else None
        return False

    def open_picker(self, text: str = "") -> None:
        if self.session is None or self.view.document_id is None:
            return
        if not self.view.textCursor().hasSelection():
            self.statusBar().showMessage("Select some text first", 5000)
            return
        area = self.view.geometry()
        area.moveTopLeft(self.view.mapTo(self, self.view.rect().topLeft()))
        self.picker.open(self.session, self.coding_actions.recent, area, text)

    def _open_hit(self, doc_id: int, start: int, end: int) -> None:
        self.open_document(doc_id)
        self.view.select_span(start, end)
        self.view.setFocus()

    def _text_menu(self, pos) -> None:
        menu = QMenu(self)
        for key in ("pick", "invivo", "fit"):
            menu.addAction(self.act[key])
        here = self.view.codings_in_selection()
        if here and self.session is not None:
            remove = menu.addMenu("Remove coding")
            for c in here:
                remove.addAction(f"{self.session.path(c.code_id)} · {self.session.coders.get(c.coder_id, '?')}",
                                 lambda cid=c.id: self.coding_actions.remove(cid))
        menu.addSeparator()
        menu.addAction("Copy", self.view.copy)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- codes ----------------------------------------------------------------------------------------
    def _codes_changed(self) -> None:
        self.codebook.rebuild()
        self._counts()
        self.coding_actions.forget_missing()
        menus.label_recent(self)
        if self.view.document_id is not None:
            self._load_codings()  # colours and names on the stripes
        self._refresh_segments()

    def _code_selected(self, code_id) -> None:
        self.memos.set_code(code_id)
        if self.segments.scope() == CODE:
            self._refresh_segments()

    # -- coders ---------------------------------------------------------------------------------------
    def set_coder(self, name: str) -> None:
        name = " ".join(name.split())
        if not name or self.session is None or name == self.session.coder:
            return
        self.session.set_coder(name)
        self.prefs.coder = name
        if self._persist:  # a screenshot run leaves the user's preferences alone
            self.prefs.save()
        self._fill_coder_boxes()

    def _fill_coder_boxes(self) -> None:
        s = self.session
        names = sorted(set(s.coders.values()) | {s.coder}, key=str.lower) if s else []
        self.coder_box.blockSignals(True)
        self.coder_box.clear()
        self.coder_box.addItems(names)
        self.coder_box.setCurrentText(s.coder if s else "")
        self.coder_box.blockSignals(False)
        self.filter_box.blockSignals(True)
        self.filter_box.clear()
        self.filter_box.addItem("All coders", None)
        for coder_id, name in sorted(s.coders.items(), key=lambda kv: kv[1].lower()) if s else []:
            self.filter_box.addItem(f"Only {name}", coder_id)
        at = self.filter_box.findData(s.coder_filter) if s else 0
        self.filter_box.setCurrentIndex(max(at, 0))
        self.filter_box.blockSignals(False)

    # -- dialogs, status, settings ---------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        """A user problem, in plain words; non-blocking so the window stays usable."""
        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, "QualCode", message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, "About QualCode", f"QualCode {__version__}\nQualitative coding and narrative analysis.")

    def edit_preferences(self) -> None:
        dialog = PreferencesDialog(self.prefs, self)
        if dialog.exec():
            self.apply_preferences(dialog.result_preferences())

    def apply_preferences(self, prefs: Preferences) -> None:
        self.prefs = prefs
        prefs.save()
        self.view.setFont(prefs.document_font())
        if self.session is not None:
            self.session.set_coder(prefs.coder)
            self._fill_coder_boxes()

    def focus_search(self) -> None:
        self.docks["search"].show()
        self.docks["search"].raise_()
        self.search.query.setFocus()
        self.search.query.selectAll()

    def _update_status(self) -> None:
        s = self.session
        self.coder_label.setText(f"Coder: {s.coder}" if s else "No project open")
        name = (self.document_name() or "") if s else ""
        self.doc_label.setText(f"{name} · {len(self.view.painted.codings)} codings" if name else "")
        start, end = self.view.selection_span()
        self.sel_label.setText(f"Selection {start}–{end} ({end - start} characters)" if end > start
                               else f"Position {start}" if name else "")


def show_error(parent: QWidget | None, message: str) -> None:
    """A user problem, said plainly (used before the window exists)."""
    QMessageBox.warning(parent, "QualCode", message)
