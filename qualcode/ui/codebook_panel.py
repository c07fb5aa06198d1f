"""The codebook tree: colours, coding counts, a filter box, drag a code onto the text to apply
it or onto another code to merge or nest it there, rename in place (F2).

The model reads the session's code cache and never writes: renames and moves come out as
signals, the window turns them into undo commands, and the tree rebuilds from
``Session.codesChanged`` like any other view (keeping what was expanded and selected).

Signals (CodebookPanel):
    codeActivated(int): a code was double-clicked or Enter was pressed on it (apply it).
    currentCodeChanged(object): the selected code id, or None.
    renameRequested(int, str), moveRequested(int, object): edits to turn into commands.
    droppedOnCode(QMimeData, int): codes were dropped onto this code id (merge or nest?).
    contextMenuRequested(object, QPoint): right click on a code id (None: empty space).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from .document_view import CODE_MIME, decode_code_ids, encode_code_ids
from .session import Session

ROOT = 0
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CodebookModel(QAbstractItemModel):
    renameRequested = Signal(int, str)
    moveRequested = Signal(int, object)
    droppedOnCode = Signal(object, int)

    def __init__(self, session: Session):
        super().__init__()
        self.s = session
        self.counts: dict[int, int] = {}
        self._children: dict[int, list[int]] = {}
        self._parent: dict[int, int] = {}
        self._row: dict[int, int] = {}
        self.rebuild()

    def rebuild(self) -> None:
        self.beginResetModel()
        self._children = {ROOT: []}
        self._parent, self._row = {}, {}
        for code in self.s.codes.values():  # tree order: parents before children
            parent = code.parent_id if code.parent_id in self.s.codes else ROOT
            self._children.setdefault(code.id, [])
            siblings = self._children.setdefault(parent, [])
            self._row[code.id] = len(siblings)
            siblings.append(code.id)
            self._parent[code.id] = parent
        self.endResetModel()

    def set_counts(self, counts: dict[int, int]) -> None:
        changed = {c for c in set(counts) | set(self.counts) if counts.get(c) != self.counts.get(c)}
        self.counts = counts
        for code_id in changed:
            index = self.index_of(code_id, 1)
            if index.isValid():
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def index_of(self, code_id: int, column: int = 0) -> QModelIndex:
        if code_id not in self._row:
            return QModelIndex()
        return self.createIndex(self._row[code_id], column, code_id)

    # -- structure ---------------------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):
        pid = parent.internalId() if parent.isValid() else ROOT
        kids = self._children.get(pid, [])
        if 0 <= row < len(kids) and 0 <= column < 2:
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index):
        if not index.isValid():
            return QModelIndex()
        pid = self._parent.get(index.internalId(), ROOT)
        return self.index_of(pid) if pid != ROOT else QModelIndex()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else ROOT, []))

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Code", "Codings")[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        code = self.s.codes.get(index.internalId())
        if code is None:
            return None
        col = index.column()
        if role == CODE_ID_ROLE:
            return code.id
        if col == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return code.name
            if role == Qt.ItemDataRole.DecorationRole:
                return code.color
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = code.path + (f"\n\n{code.definition}" if code.definition else "")
                return tip + ("" if code.status == "active" else f"\n\n({code.status})")
        elif col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.counts.get(code.id) or ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and code.status != "active":
            return QBrush(QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled \
            | Qt.ItemFlag.ItemIsDropEnabled
        if index.column() == 0:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 0:
            return False
        name = " ".join(str(value).split())
        code_id = index.internalId()
        if name and name != self.s.codes[code_id].name:
            # after the editor has closed: the command rebuilds this model
            QTimer.singleShot(0, lambda: self.renameRequested.emit(code_id, name))
        return False

    # -- drag and drop -----------------------------------------------------------------------
    def mimeTypes(self):  # noqa: N802 - Qt API
        return [CODE_MIME]

    def mimeData(self, indexes):  # noqa: N802 - Qt API
        ids = list(dict.fromkeys(i.internalId() for i in indexes if i.isValid()))
        mime = QMimeData()
        mime.setData(CODE_MIME, encode_code_ids(ids))
        mime.setText("\n".join(self.s.path(i) for i in ids))
        return mime

    def supportedDragActions(self):  # noqa: N802 - Qt API
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self):  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802 - Qt API
        return data.hasFormat(CODE_MIME)

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802 - Qt API
        """Dropping codes on another code is reported (``droppedOnCode``: the window asks
        whether to merge them into it or make them its subcodes); between a code's children
        they become its subcodes; on empty space or between top codes, top-level codes.
        Returns False: the tree changes through the command."""
        ids = decode_code_ids(bytes(data.data(CODE_MIME)))
        if not ids:
            return False
        if row < 0 and parent.isValid():
            payload, target = QMimeData(), parent.internalId()  # the drag's own data dies with the drag
            payload.setData(CODE_MIME, data.data(CODE_MIME))
            QTimer.singleShot(0, lambda: self.droppedOnCode.emit(payload, target))
            return False
        target = parent.internalId() if parent.isValid() else None
        if row >= 0 and parent.isValid():  # dropped between children: same parent as they have
            target = parent.internalId()
        for code_id in ids:
            if code_id != target and self.s.codes.get(code_id) and self.s.codes[code_id].parent_id != target:
                QTimer.singleShot(0, lambda c=code_id, t=target: self.moveRequested.emit(c, t))
        return False


class CodebookPanel(QWidget):
    codeActivated = Signal(int)
    currentCodeChanged = Signal(object)
    renameRequested = Signal(int, str)
    moveRequested = Signal(int, object)
    droppedOnCode = Signal(object, int)
    contextMenuRequested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codebook_panel")
        self.filter = QLineEdit()
        self.filter.setObjectName("codebook_filter")
        self.filter.setPlaceholderText("Filter codes")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeView()
        self.tree.setObjectName("codebook")
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.doubleClicked.connect(self._activated)
        self.tree.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.model: CodebookModel | None = None
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setDynamicSortFilter(False)  # a changed count must not re-filter the tree
        self.filter.textChanged.connect(self._filter)
        self._expanded: set[int] = set()
        self._known: set[int] = set()
        self._current: int | None = None

    def set_session(self, session: Session | None) -> None:
        self.model = CodebookModel(session) if session is not None else None
        self.proxy.setSourceModel(self.model)
        self.tree.setModel(self.proxy if self.model else None)
        if self.model is None:
            return
        self.model.renameRequested.connect(self.renameRequested)
        self.model.moveRequested.connect(self.moveRequested)
        self.model.droppedOnCode.connect(self.droppedOnCode)
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.expandAll()
        self._known = set(session.codes)

    def rebuild(self) -> None:
        if self.model is not None:
            self.model.rebuild()

    def set_counts(self, counts: dict[int, int]) -> None:
        if self.model is not None:
            self.model.set_counts(counts)

    def current_code(self) -> int | None:
        index = self.tree.currentIndex()
        return index.data(CODE_ID_ROLE) if index.isValid() else None

    def select_code(self, code_id: int) -> None:
        if self.model is None:
            return
        index = self.proxy.mapFromSource(self.model.index_of(code_id))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def edit_code(self, code_id: int) -> None:
        """Open the in-place name editor on a code (F2 does the same)."""
        self.select_code(code_id)
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(0))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        """Enter on a code applies it (double-click does too; a single click only selects)."""
        if obj is self.tree and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.tree.state() != QAbstractItemView.State.EditingState:
            self._activated(self.tree.currentIndex())
            return True
        return super().eventFilter(obj, event)

    def _activated(self, index) -> None:
        if index.isValid():
            self.codeActivated.emit(index.data(CODE_ID_ROLE))

    def _current_changed(self, current, _previous) -> None:
        self.currentCodeChanged.emit(current.data(CODE_ID_ROLE) if current.isValid() else None)

    def _context_menu(self, pos) -> None:
        index = self.tree.indexAt(pos)
        self.contextMenuRequested.emit(index.data(CODE_ID_ROLE) if index.isValid() else None,
                                       self.tree.viewport().mapToGlobal(pos))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()

    def _remember(self) -> None:
        self._current = self.current_code()
        self._expanded = set()
        for code_id in self.model.s.codes:
            index = self.proxy.mapFromSource(self.model.index_of(code_id))
            if index.isValid() and self.tree.isExpanded(index):
                self._expanded.add(code_id)

    def _restore(self) -> None:
        codes = self.model.s.codes
        opened = set(self._expanded)
        for code_id in set(codes) - self._known:  # a new code: open its parents so it shows
            parent = codes[code_id].parent_id
            while parent is not None and parent in codes:
                opened.add(parent)
                parent = codes[parent].parent_id
        for code_id in opened:
            index = self.proxy.mapFromSource(self.model.index_of(code_id))
            if index.isValid():
                self.tree.expand(index)
        self._known = set(codes)
        if self._current is not None:
            self.select_code(self._current)
