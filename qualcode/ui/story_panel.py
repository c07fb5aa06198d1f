"""The story panel: stories and their tellings, the variant table, sequence lanes, the lineage
graph and the suggestions inbox, as tabs of one dockable widget.

The panel knows the project and an undo stack, nothing of the main window: the window tells it
the current selection (:meth:`StoryPanel.set_selection`) and listens to ``jump_requested``.
Every edit is a command from :mod:`qualcode.ui.story_commands` (the right-click menus are in
:mod:`qualcode.ui.story_menus`); views redraw from the one lineage dict of the current story
whenever a command (or its undo) reports a change.

Signals:
    jump_requested(str, int, int): show this document span (code points, half-open).
    stories_changed(): something recorded under stories changed (after an edit, undo or redo).
    suggestions_ready(int): the suggestions inbox was filled with that many passages.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QThreadPool, Qt, Signal
from PySide6.QtGui import QPainter, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import cases, lineage, project, stories, story_suggest
from ..store.database import Database
from .story_commands import AddElement, AddStory, Realize, RejectPassage, RemoveTelling, StoryContext, Tell
from .story_dialogs import ElementDialog, RealizationDialog, StoryDialog, TellDialog
from .story_menus import StoryMenus
from .story_views import GraphScene, VariantModel, build_lanes
from .workers import Worker

TOP_SUGGESTIONS = 15


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


def _button(text: str, name: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.clicked.connect(slot)
    return b


class StoryPanel(QWidget):
    jump_requested = Signal(str, int, int)
    stories_changed = Signal()
    suggestions_ready = Signal(int)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("story_panel")
        self.ctx = StoryContext(db, undo_stack, self)
        self.ctx.changed.connect(self.refresh)
        self.ctx.errorRaised.connect(self._show_error)
        self.selection: tuple[str, int, int] | None = None
        self.story: dict | None = None
        self.dialog = None  # the form currently open, if any
        self._worker: Worker | None = None
        self.suggestions: list[story_suggest.Suggestion] = []

        self.tabs = QTabWidget()
        self.tabs.addTab(self._stories_tab(), "Stories")
        self.tabs.addTab(self._variants_tab(), "Variants")
        self.tabs.addTab(self._lanes_tab(), "Sequence")
        self.tabs.addTab(self._graph_tab(), "Lineage")
        self.tabs.addTab(self._suggestions_tab(), "Suggestions")
        self.message = QLabel()
        self.message.setObjectName("story_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        self.menus = StoryMenus(self)
        self.refresh()

    @property
    def db(self) -> Database:
        return self.ctx.db

    # -- tabs ------------------------------------------------------------------------------------
    def _stories_tab(self) -> QWidget:
        self.story_list = QListWidget()
        self.story_list.setObjectName("stories")
        self.story_list.currentItemChanged.connect(lambda *_: self._load_story())
        self.details = QTreeWidget()
        self.details.setObjectName("story_details")
        self.details.setHeaderLabels(["", "role", "gen", "passage"])
        self.details.setColumnWidth(0, 260)
        self.details.itemDoubleClicked.connect(self._detail_activated)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("color: #444")
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.summary_label)
        right_box.addWidget(self.details, 1)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("selection_label")
        self.new_story_button = _button("New story…", "new_story", self.new_story)
        self.element_button = _button("Add element…", "add_element", self.add_element)
        self.tell_button = _button("Mark selection as telling…", "mark_telling", self.mark_telling)
        self.remove_button = _button("Remove telling", "remove_telling", self.remove_telling)
        self.delete_story_button = _button("Delete story", "delete_story", self.delete_story)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.story_list)
        split.addWidget(right)
        split.setSizes([220, 560])
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(_buttons(self.new_story_button, self.element_button, self.tell_button, self.remove_button,
                              self.delete_story_button))
        box.addWidget(self.selection_label)
        box.addWidget(split, 1)
        return page

    def _variants_tab(self) -> QWidget:
        self.variant_model = VariantModel(self)
        self.variant_view = QTableView()
        self.variant_view.setObjectName("variant_table")
        self.variant_view.setModel(self.variant_model)
        self.variant_view.setWordWrap(True)
        self.variant_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.variant_view.horizontalHeader().setDefaultSectionSize(170)
        self.variant_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.variant_view.verticalHeader().setMaximumWidth(300)
        self.variant_view.clicked.connect(self._cell_clicked)
        self.variant_view.doubleClicked.connect(self.edit_realization)
        self.variant_title = QLabel()
        hint = QLabel("Click a cell to show the passage; double-click to record how the telling renders the element.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666")
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.variant_title)
        box.addWidget(self.variant_view, 1)
        box.addWidget(hint)
        return page

    def _lanes_tab(self) -> QWidget:
        self.lanes_scene = QGraphicsScene(self)
        self.lanes_view = QGraphicsView(self.lanes_scene)
        self.lanes_view.setObjectName("sequence_lanes")
        self.lanes_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.lanes_view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        hint = QLabel("Each lane is one telling, elements in told order (numbers = canonical order; dark = core, "
                      "red border = contradicted). Crossing lines are transpositions.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666")
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.lanes_view, 1)
        box.addWidget(hint)
        return page

    def _graph_tab(self) -> QWidget:
        self.graph_scene = GraphScene(self)
        self.graph_scene.telling_activated.connect(self._jump_to_telling)
        self.graph_view = QGraphicsView(self.graph_scene)
        self.graph_view.setObjectName("lineage_graph")
        self.graph_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.graph_view.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(_buttons(_button("Export SVG…", "export_svg", lambda: self._export("svg")),
                               _button("Export PNG…", "export_png", lambda: self._export("png")),
                               _button("Re-arrange", "relayout", lambda: self.graph_scene.set_story(self.story))))
        box.addWidget(self.graph_view, 1)
        legend = QLabel("<span style='color:#d95f02'>■</span> protagonist  <span style='color:#1b9e77'>■</span> "
                        "eyewitness  <span style='color:#7570b3'>■</span> hearsay  <span style='color:#9e9e9e'>■"
                        "</span> other source · solid arrow: stated, dashed: inferred · drag to move, "
                        "double-click a telling to show it")
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #444")
        box.addWidget(legend)
        return page

    def _suggestions_tab(self) -> QWidget:
        self.suggestion_table = QTableWidget(0, 4)
        self.suggestion_table.setObjectName("suggestions")
        self.suggestion_table.setHorizontalHeaderLabels(["document", "span", "score", "passage"])
        self.suggestion_table.horizontalHeader().setStretchLastSection(True)
        self.suggestion_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.suggestion_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.suggestion_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.suggestion_table.setWordWrap(True)
        self.suggestion_table.cellClicked.connect(self._suggestion_clicked)
        self.find_button = _button("Find candidate passages", "find_suggestions", self.find_suggestions)
        self.accept_button = _button("Accept as telling…", "accept_suggestion", self.accept_suggestion)
        self.reject_button = _button("Reject", "reject_suggestion", self.reject_suggestion)
        hint = QLabel("Passages that resemble the story's known tellings. Nothing is recorded until you accept one.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666")
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(_buttons(self.find_button, self.accept_button, self.reject_button))
        box.addWidget(self.suggestion_table, 1)
        box.addWidget(hint)
        return page

    # -- state -----------------------------------------------------------------------------------
    def set_selection(self, document: str | None, start: int = 0, end: int = 0) -> None:
        """The text selected in the document view (code points); an empty one clears it."""
        self.selection = (document, start, end) if document and end > start else None
        self._update_selection_label()

    def current_story_id(self) -> int | None:
        item = self.story_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_story(self, story_id: int) -> None:
        for row in range(self.story_list.count()):
            if self.story_list.item(row).data(Qt.ItemDataRole.UserRole) == story_id:
                self.story_list.setCurrentRow(row)
                return

    def refresh(self) -> None:
        """Reload the story list (keeping the current story) and redraw every view."""
        keep = self.current_story_id()
        self.story_list.blockSignals(True)
        self.story_list.clear()
        counts = {}
        for s in stories.list_stories(self.db):
            counts[s.id] = len(stories.tellings(self.db, s.id))
            item = QListWidgetItem(f"{s.title}  ({counts[s.id]})")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setToolTip(s.summary or s.title)
            self.story_list.addItem(item)
        if keep in counts:
            self.select_story(keep)
        elif self.story_list.count():
            self.story_list.setCurrentRow(0)
        self.story_list.blockSignals(False)
        self._load_story()
        self.stories_changed.emit()

    def _load_story(self) -> None:
        sid = self.current_story_id()
        if self.story is None or self.story["id"] != sid:  # the inbox belongs to one story
            self.suggestion_table.setRowCount(0)
            self.suggestions = []
        self.story = lineage.story_lineage(self.db, sid) if sid is not None else None
        self._fill_details()
        self.variant_model.set_story(self.story)
        self.variant_view.resizeRowsToContents()
        title = escape(self.story["title"]) if self.story else "no story"
        self.variant_title.setText(f"<b>{title}</b> — rows: elements; columns: tellings; tinted cells differ "
                                   "from the reference")
        build_lanes(self.lanes_scene, self.story)
        self.graph_scene.set_story(self.story)
        self._update_selection_label()

    def _fill_details(self) -> None:
        self.details.clear()
        self.summary_label.setText(self.story.get("summary") or "" if self.story else "")
        if not self.story:
            return
        elements = QTreeWidgetItem([f"Elements ({len(self.story['elements'])})"])
        for e in self.story["elements"]:
            item = QTreeWidgetItem([f"{e['ordinal']}. {e['label']} ({e['kind']})"])
            item.setToolTip(0, e["label"])
            elements.addChild(item)
        tellings = QTreeWidgetItem([f"Tellings ({len(self.story['tellings'])})"])
        for t in self.story["tellings"]:
            gen = "?" if t["generation"] is None else str(t["generation"])
            item = QTreeWidgetItem([f"#{t['id']} {t['teller']}", t["role"], gen,
                                    f"{t['document']} [{t['start']}, {t['end']})"])
            item.setData(0, Qt.ItemDataRole.UserRole, t["id"])
            tellings.addChild(item)
        self.details.addTopLevelItems([elements, tellings])
        self.details.expandAll()
        for item in (elements, tellings, *(elements.child(i) for i in range(elements.childCount()))):
            item.setFirstColumnSpanned(True)
        for col in (1, 2, 3):
            self.details.resizeColumnToContents(col)

    def _update_selection_label(self) -> None:
        if self.selection:
            doc, start, end = self.selection
            self.selection_label.setText(f"Selection: {doc} [{start}, {end}) — {end - start} characters")
        else:
            self.selection_label.setText("Select a passage in a document to mark it as a telling.")
        self.tell_button.setEnabled(self.selection is not None and self.story is not None)

    def _show_error(self, message: str) -> None:
        self.message.setText(message)

    # -- jumping ---------------------------------------------------------------------------------
    def _telling(self, telling_id: int) -> dict | None:
        return next((t for t in (self.story or {}).get("tellings", ()) if t["id"] == telling_id), None)

    def _jump_to_telling(self, telling_id: int) -> None:
        t = self._telling(telling_id)
        if t:
            self.jump_requested.emit(t["document"], t["start"], t["end"])

    def _detail_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        telling_id = item.data(0, Qt.ItemDataRole.UserRole)
        if telling_id is not None:
            self._jump_to_telling(telling_id)

    def _cell_clicked(self, index) -> None:
        self.jump_requested.emit(*self.variant_model.passage(index))

    # -- edits -----------------------------------------------------------------------------------
    def _open(self, dialog, on_accept) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: on_accept(dialog.values()))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def _push(self, command) -> bool:
        self.message.clear()
        return self.ctx.push(command)

    def new_story(self) -> None:
        def create(values: dict) -> None:
            command = AddStory(self.ctx, values["title"], values["summary"])
            if self._push(command):
                self.select_story(command.story_id)
        self._open(StoryDialog(self), create)

    def add_element(self) -> None:
        sid = self.current_story_id()
        if sid is None:
            return self._show_error("Create or pick a story first.")
        self._open(ElementDialog(self), lambda v: self._push(AddElement(self.ctx, sid, v["label"], v["kind"])))

    def _tell_dialog(self, passage: str) -> TellDialog:
        known = [(c.name, c.kind) for c in cases.list_cases(self.db)]
        tellings = [(t["id"], t["teller"]) for t in self.story["tellings"]]
        return TellDialog(passage, known, tellings, self)

    def mark_telling(self) -> None:
        if self.story is None or self.selection is None:
            return self._show_error("Pick a story and select the passage in a document first.")
        sid, (doc, start, end) = self.story["id"], self.selection
        self._open(self._tell_dialog(f"{doc} [{start}, {end})"),
                   lambda v: self._push(Tell(self.ctx, sid, doc, start, end, **v)))

    def remove_telling(self) -> None:
        item = self.details.currentItem()
        telling_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if telling_id is None:
            return self._show_error("Pick a telling in the list first.")
        self._push(RemoveTelling(self.ctx, telling_id))

    def delete_story(self) -> None:
        sid = self.current_story_id()
        if sid is None:
            return self._show_error("Pick a story first.")
        self.menus.delete_story(sid)

    def edit_realization(self, index) -> None:
        if not index.isValid():
            return
        t, e = self.variant_model.telling(index.column()), self.variant_model.element(index.row())
        current = next((r for r in t["realizations"] if r["element"] == e["id"]), None)
        span = None
        if self.selection and self.selection[0] == t["document"]:
            _, start, end = self.selection
            if t["start"] <= start and end <= t["end"]:
                span = (start, end)
        dialog = RealizationDialog(f"#{t['id']} {t['teller']}: {e['label'][:50]}", current, span, self)
        self._open(dialog, lambda v: self._push(Realize(self.ctx, t["id"], e["id"], **v)))

    # -- graph export ----------------------------------------------------------------------------
    def export_svg(self, path: str | Path) -> None:
        self.graph_scene.export_svg(path, f"Lineage of {self.story['title']}" if self.story else "lineage")

    def export_png(self, path: str | Path) -> bool:
        return self.graph_scene.export_png(path)

    def _export(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, f"Export the lineage graph as {kind.upper()}",
                                              f"lineage.{kind}", f"{kind.upper()} (*.{kind})")
        if path:
            self.export_svg(path) if kind == "svg" else self.export_png(path)

    # -- suggestions -----------------------------------------------------------------------------
    def find_suggestions(self) -> None:
        """Rank candidate passages in a worker, on a read-only connection of its own."""
        if self.story is None or self._worker is not None:
            return
        path, sid = self.db.path, self.story["id"]

        def job(_progress):
            db = project.open_project(path, readonly=True)
            try:
                return sid, story_suggest.suggest(db, sid, TOP_SUGGESTIONS)
            finally:
                db.close()

        self._worker = Worker(job)
        self._worker.signals.finished.connect(self._show_suggestions)
        self._worker.signals.failed.connect(self._suggestions_failed)
        self.find_button.setEnabled(False)
        self.find_button.setText("Searching…")
        QThreadPool.globalInstance().start(self._worker)

    def _suggestions_done(self) -> None:
        self._worker = None
        self.find_button.setEnabled(True)
        self.find_button.setText("Find candidate passages")

    def _suggestions_failed(self, message: str) -> None:
        self._suggestions_done()
        self._show_error(message)

    def _show_suggestions(self, result) -> None:
        self._suggestions_done()
        sid, found = result
        if not self.story or self.story["id"] != sid:
            return  # the story changed while searching
        self.suggestions = list(found)
        self.suggestion_table.setRowCount(len(found))
        for row, s in enumerate(found):
            excerpt = " ".join(s.text.split())
            cells = [s.document, f"[{s.start}, {s.end})", f"{s.score:.1f}", excerpt[:300]]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(s.text if col == 3 else text)
                self.suggestion_table.setItem(row, col, item)
        self.suggestion_table.resizeColumnsToContents()
        self.suggestion_table.horizontalHeader().setStretchLastSection(True)
        self.suggestions_ready.emit(len(found))

    def _chosen_suggestion(self) -> int | None:
        rows = self.suggestion_table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _suggestion_clicked(self, row: int, _column: int) -> None:
        s = self.suggestions[row]
        self.jump_requested.emit(s.document, s.start, s.end)

    def _drop_suggestion(self, decided: story_suggest.Suggestion) -> None:
        """A decided passage leaves the inbox; the others stay (Find again to refill it)."""
        if decided in self.suggestions:
            row = self.suggestions.index(decided)
            del self.suggestions[row]
            self.suggestion_table.removeRow(row)

    def accept_suggestion(self) -> None:
        row = self._chosen_suggestion()
        if row is None or self.story is None:
            return self._show_error("Pick a suggested passage first.")
        s, sid = self.suggestions[row], self.story["id"]

        def accept(values: dict) -> None:
            if self._push(Tell(self.ctx, sid, s.document, s.start, s.end, **values)):
                self._drop_suggestion(s)

        self._open(self._tell_dialog(f"{s.document} [{s.start}, {s.end})"), accept)

    def reject_suggestion(self) -> None:
        row = self._chosen_suggestion()
        if row is None or self.story is None:
            return self._show_error("Pick a suggested passage first.")
        s = self.suggestions[row]
        if self._push(RejectPassage(self.ctx, self.story["id"], s.document, s.start, s.end)):
            self._drop_suggestion(s)
