"""Documents, grouped under their cases (cluster › organisation › informant) or as a flat list,
with coding counts, a filter box and the selected document's attributes.

Signals (DocumentsPanel):
    documentActivated(int): the user picked a document (its id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QStyle,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..store.models import Case, DocumentInfo

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class _Node:
    kind: str  # "case" or "document"
    ref: int
    name: str
    parent: int  # node number; 0 is the invisible root
    children: list[int] = field(default_factory=list)


class DocumentsModel(QAbstractItemModel):
    def __init__(self):
        super().__init__()
        self.docs: dict[int, DocumentInfo] = {}
        self.counts: dict[int, int] = {}
        self.nodes: list[_Node] = [_Node("root", 0, "", 0)]
        self.grouped = True
        self._cases: list[Case] = []
        self._row: dict[int, int] = {}

    def load(self, docs: list[DocumentInfo], cases: list[Case], counts: dict[int, int], grouped: bool) -> None:
        self.beginResetModel()
        self.docs = {d.id: d for d in docs}
        self._cases, self.counts, self.grouped = cases, counts, grouped
        self.nodes = [_Node("root", 0, "", 0)]
        if grouped:
            self._build_grouped(docs, cases)
        else:
            for d in docs:
                self._add("document", d.id, d.name, 0)
        self._row = {}
        for node in self.nodes:
            for row, child in enumerate(node.children):
                self._row[child] = row
        self.endResetModel()

    def _add(self, kind: str, ref: int, name: str, parent: int) -> int:
        self.nodes.append(_Node(kind, ref, name, parent))
        self.nodes[parent].children.append(len(self.nodes) - 1)
        return len(self.nodes) - 1

    def _build_grouped(self, docs: list[DocumentInfo], cases: list[Case]) -> None:
        by_name = {c.name: c for c in cases}
        by_id = {c.id: c for c in cases}
        kids: dict[int | None, list[Case]] = {}
        for c in cases:
            kids.setdefault(c.parent_id if c.parent_id in by_id else None, []).append(c)
        docs_of: dict[int, list[DocumentInfo]] = {}
        loose = []
        for d in docs:
            linked = [by_name[n] for n in d.cases if n in by_name]
            for c in linked:
                docs_of.setdefault(c.id, []).append(d)
            if not linked:
                loose.append(d)
        has_docs: dict[int, bool] = {}

        def holds(case_id: int) -> bool:  # this case or one below it has documents
            if case_id not in has_docs:
                has_docs[case_id] = bool(docs_of.get(case_id)) or any(holds(k.id) for k in kids.get(case_id, []))
            return has_docs[case_id]

        def add_case(case: Case, parent: int) -> None:
            sub = [c for c in sorted(kids.get(case.id, []), key=lambda c: c.name.lower()) if holds(c.id)]
            own = docs_of.get(case.id, [])
            if not sub and len(own) == 1 and parent != 0:  # an informant with one interview: one row
                self._add("document", own[0].id, f"{own[0].name} · {case.name}", parent)
                return
            node = self._add("case", case.id, case.name, parent)
            for child in sub:
                add_case(child, node)
            for d in own:
                self._add("document", d.id, d.name, node)

        for top in sorted(kids.get(None, []), key=lambda c: c.name.lower()):
            if holds(top.id):
                add_case(top, 0)
        for d in loose:
            self._add("document", d.id, d.name, 0)

    def set_counts(self, counts: dict[int, int]) -> None:
        self.counts = counts
        for n, node in enumerate(self.nodes):
            if node.children:
                parent = QModelIndex() if n == 0 else self.createIndex(self._row[n], 0, n)
                self.dataChanged.emit(self.index(0, 1, parent), self.index(len(node.children) - 1, 1, parent))

    def _count(self, n: int) -> int:
        node = self.nodes[n]
        if node.kind == "document":
            return self.counts.get(node.ref, 0)
        seen: set[int] = set()
        stack = list(node.children)
        while stack:
            child = self.nodes[stack.pop()]
            if child.kind == "document":
                seen.add(child.ref)
            stack.extend(child.children)
        return sum(self.counts.get(d, 0) for d in seen)

    def document_index(self, doc_id: int) -> QModelIndex:
        for n, node in enumerate(self.nodes):
            if node.kind == "document" and node.ref == doc_id:
                return self.createIndex(self._row[n], 0, n)
        return QModelIndex()

    # -- QAbstractItemModel -------------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):
        pn = parent.internalId() if parent.isValid() else 0
        kids = self.nodes[pn].children
        if 0 <= row < len(kids) and 0 <= column < 2:
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index):
        if not index.isValid():
            return QModelIndex()
        pn = self.nodes[index.internalId()].parent
        return QModelIndex() if pn == 0 else self.createIndex(self._row[pn], 0, pn)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.nodes[parent.internalId() if parent.isValid() else 0].children)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Document", "Codings")[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self.nodes[index.internalId()]
        if role == DOC_ID_ROLE:
            return node.ref if node.kind == "document" else None
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return node.name
            if role == Qt.ItemDataRole.DecorationRole:
                icon = QStyle.StandardPixmap.SP_FileIcon if node.kind == "document" else QStyle.StandardPixmap.SP_DirIcon
                return QApplication.style().standardIcon(icon)
            if role == Qt.ItemDataRole.ToolTipRole and node.kind == "document":
                d = self.docs[node.ref]
                tip = f"{d.name}\n{d.chars:,} characters"
                return tip + (f"\ncase: {', '.join(d.cases)}" if d.cases else "")
        elif index.column() == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._count(index.internalId()) or ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DocumentsPanel(QWidget):
    documentActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documents_panel")
        self.filter = QLineEdit()
        self.filter.setObjectName("documents_filter")
        self.filter.setPlaceholderText("Filter documents and cases")
        self.filter.setClearButtonEnabled(True)
        self.group = QCheckBox("By case")
        self.group.setChecked(True)
        self.group.setToolTip("Group documents under their cases")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter, 1)
        top.addWidget(self.group)
        self.model = DocumentsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setDynamicSortFilter(False)  # a changed count must not re-filter the tree
        self.tree = QTreeView()
        self.tree.setObjectName("documents")
        self.tree.setUniformRowHeights(True)
        self.tree.setModel(self.proxy)
        self.tree.setIndentation(14)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.attributes = QTreeWidget()
        self.attributes.setObjectName("document_attributes")
        self.attributes.setHeaderLabels(["Attribute", "Value"])
        self.attributes.setRootIsDecorated(False)
        self.attributes.setIndentation(0)
        self.attributes.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.attributes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.filter.textChanged.connect(self._filter)
        self.group.toggled.connect(lambda _on: self._reload())
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._data: tuple = ([], [], {}, {}, {})
        self._shown: int | None = None

    def load(self, docs: list[DocumentInfo], cases: list[Case], counts: dict[int, int],
             doc_attributes: dict[int, dict], case_attributes: dict[int, dict]) -> None:
        self._data = (docs, cases, counts, doc_attributes, case_attributes)
        self._reload()

    def _reload(self) -> None:
        docs, cases, counts, _, _ = self._data
        self.model.load(docs, cases, counts, self.group.isChecked())
        self.tree.expandAll()
        if self._shown is not None:
            self.show_current(self._shown)

    def set_counts(self, counts: dict[int, int]) -> None:
        self._data = (*self._data[:2], counts, *self._data[3:])
        self.model.set_counts(counts)

    def first_document(self) -> int | None:
        docs = self._data[0]
        return docs[0].id if docs else None

    def show_current(self, doc_id: int) -> None:
        """Mark the open document in the tree and show its attributes (no signal)."""
        self._shown = doc_id
        index = self.proxy.mapFromSource(self.model.document_index(doc_id))
        if index.isValid():
            self.tree.selectionModel().blockSignals(True)
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().blockSignals(False)
            self.tree.scrollTo(index)
        self._show_attributes(doc_id)

    def _current_changed(self, current, _previous) -> None:
        doc_id = current.data(DOC_ID_ROLE) if current.isValid() else None
        if doc_id is not None:
            self.documentActivated.emit(doc_id)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.tree.expandAll()

    def _show_attributes(self, doc_id: int) -> None:
        docs, cases, _, doc_attrs, case_attrs = self._data
        self.attributes.clear()
        d = next((x for x in docs if x.id == doc_id), None)
        if d is None:
            return
        rows = [("Characters", f"{d.chars:,}"), ("Kind", d.kind)]
        rows += [(label, value) for label, value in (("Interview date", d.interview_date),
                                                       ("Period discussed", d.period_discussed),
                                                       ("Language", d.language)) if value]
        rows += [(k, v) for k, v in doc_attrs.get(doc_id, {}).items() if v]
        by_name = {c.name: c for c in cases}
        for name in d.cases:
            c = by_name.get(name)
            rows.append(("Case", f"{name} ({c.kind})" if c else name))
            if c is not None:
                rows += [(f"  {k}", v) for k, v in case_attrs.get(c.id, {}).items() if v]
        for label, value in rows:
            item = QTreeWidgetItem([label, str(value)])
            item.setToolTip(1, str(value))
            self.attributes.addTopLevelItem(item)
