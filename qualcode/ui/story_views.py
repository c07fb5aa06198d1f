"""The story panel's views of one story's lineage dict: the variant table model, the sequence
lanes and the lineage graph. They read what :mod:`qualcode.core.lineage_views` derives, so the
window shows exactly what the exports write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
)

from ..core.lineage_views import Graph, graph_of, lane_order, layered_layout, variant_table

Story = dict[str, Any]


# -- variant table ---------------------------------------------------------------------------------

class VariantModel(QAbstractTableModel):
    """Rows = elements, columns = tellings; a cell shows status and variant, tinted where the
    telling differs from the reference (tooltip: the discrepancies)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.story: Story | None = None
        self.cells: list = []

    def set_story(self, story: Story | None) -> None:
        self.beginResetModel()
        self.story = story
        self.cells = variant_table(story) if story else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or not self.story else len(self.story["elements"])

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or not self.story else len(self.story["tellings"])

    def telling(self, column: int) -> dict:
        return self.story["tellings"][column]

    def element(self, row: int) -> dict:
        return self.story["elements"][row]

    def passage(self, index: QModelIndex) -> tuple[str, int, int]:
        """(document, start, end) a click jumps to: the words that render the element, else the
        whole telling."""
        t, cell = self.telling(index.column()), self.cells[index.row()][index.column()]
        if cell.start is not None:
            return t["document"], cell.start, cell.end
        return t["document"], t["start"], t["end"]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cell = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole and cell.color:
            return QBrush(QColor(cell.color))
        if role == Qt.ItemDataRole.ForegroundRole and cell.status == "absent" and not cell.color:
            return QBrush(QColor("#999999"))
        if role == Qt.ItemDataRole.ToolTipRole:
            told = f"told as #{cell.position}" if cell.position else "position not known"
            return "\n".join([f"{cell.status} ({told})", *(cell.details or ("as in the reference",))])
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if not self.story or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            t = self.telling(section)
            ref = " (ref)" if t["id"] == self.story["reference_telling"] else ""
            gen = "?" if t["generation"] is None else t["generation"]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"telling #{t['id']} in {t['document']} [{t['start']}, {t['end']})"
            return f"#{t['id']} {t['teller']}{ref}\n{t['role']} · gen {gen}"
        e = self.element(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e['label']} ({e['kind']})"
        return f"{e['ordinal']}. {e['label'][:40]}{'…' if len(e['label']) > 40 else ''}"


# -- sequence lanes --------------------------------------------------------------------------------

LANE_H, LANE_LABEL_W, SLOT_W, BOX = 42, 190, 56, 30


def build_lanes(scene: QGraphicsScene, story: Story | None) -> None:
    """One lane per telling (reference first), elements as numbered boxes in told order; a line
    joins an element's boxes in neighbouring lanes, so a transposition shows as a crossing."""
    scene.clear()
    if not story:
        return
    labels = {e["id"]: e for e in story["elements"]}
    centres: list[dict] = []
    for lane, t in enumerate(lane_order(story)):
        y = lane * LANE_H
        status = {r["element"]: r["status"] for r in t.get("realizations", ())}
        caption = scene.addSimpleText(f"#{t['id']} {t['teller']}"[:26])
        caption.setPos(0, y + 6)
        sub = scene.addSimpleText(f"{t['role']} · gen {'?' if t['generation'] is None else t['generation']}")
        sub.setBrush(QColor("#777777"))
        sub.setScale(0.85)
        sub.setPos(0, y + 22)
        here = {}
        for slot, element_id in enumerate(t["sequence"]):
            e = labels[element_id]
            x = LANE_LABEL_W + slot * SLOT_W
            core = e["kind"] == "core"
            box = scene.addRect(QRectF(x, y + 6, BOX, BOX), QPen(QColor("#c62828"), 2.5)
                                if status.get(element_id) == "contradicted" else QPen(QColor("#555555")),
                                QBrush(QColor("#3f5e8c" if core else "#b7c9e2")))
            box.setToolTip(f"{e['ordinal']}. {e['label']} ({status.get(element_id)})")
            box.setZValue(2)
            number = scene.addSimpleText(str(e["ordinal"]))
            number.setBrush(QColor("white" if core else "#1d2b40"))
            number.setPos(x + BOX / 2 - number.boundingRect().width() / 2, y + 6 + BOX / 2 - 8)
            number.setZValue(3)
            here[element_id] = QPointF(x + BOX / 2, y + 6 + BOX / 2)
        centres.append(here)
    pen = QPen(QColor(70, 70, 70, 170), 1.5)
    for upper, lower in zip(centres, centres[1:]):
        for element_id, a in upper.items():
            if element_id in lower:
                b = lower[element_id]
                path = QPainterPath(QPointF(a.x(), a.y() + BOX / 2))
                path.lineTo(b.x(), b.y() - BOX / 2)
                scene.addPath(path, pen).setZValue(1)


# -- lineage graph ---------------------------------------------------------------------------------

NODE_W, NODE_H, GAP_X, GAP_Y = 200, 46, 80, 18


class EdgeItem(QGraphicsPathItem):
    def __init__(self, source: "NodeItem", target: "NodeItem", basis: str):
        super().__init__()
        self.source, self.target, self.basis = source, target, basis
        self.transmission: int | None = None  # the id of the transmission drawn
        pen = QPen(QColor("#444444"), 1.6)
        if basis == "inferred":
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(0)
        self.setToolTip(basis)
        self.head = QGraphicsPathItem(self)
        self.head.setBrush(QColor("#444444"))
        self.head.setPen(QPen(Qt.PenStyle.NoPen))
        source.edges.append(self)
        target.edges.append(self)
        self.adjust()

    def adjust(self) -> None:
        a, b = self.source.sceneBoundingRect(), self.target.sceneBoundingRect()
        if b.left() > a.right():
            start, end = QPointF(a.right(), a.center().y()), QPointF(b.left(), b.center().y())
            mid = (start.x() + end.x()) / 2
            path = QPainterPath(start)
            path.cubicTo(QPointF(mid, start.y()), QPointF(mid, end.y()), end)
            tangent = QPointF(1, 0)
        else:  # same column or backwards: arc over the top
            start, end = QPointF(a.center().x(), a.top()), QPointF(b.center().x(), b.top())
            lift = min(start.y(), end.y()) - 40
            path = QPainterPath(start)
            path.cubicTo(QPointF(start.x() + 40, lift), QPointF(end.x() - 40, lift), end)
            tangent = QPointF(0, 1)
        self.setPath(path)
        back = QPointF(-tangent.x() * 10, -tangent.y() * 10)
        side = QPointF(-tangent.y() * 5, tangent.x() * 5)
        head = QPainterPath()
        head.addPolygon(QPolygonF([end, end + back + side, end + back - side, end]))
        self.head.setPath(head)


class NodeItem(QGraphicsRectItem):
    def __init__(self, key: str, label: str, caption: str, color: str, telling: dict | None):
        super().__init__(0, 0, NODE_W, NODE_H)
        self.key, self.telling = key, telling
        self.edges: list[EdgeItem] = []
        self.setBrush(QColor(color))
        pen = QPen(QColor("#666666") if telling is None else QColor(color).darker(130), 1.2)
        if telling is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(2)
        self.setToolTip(label if telling else f"{caption}: {label}")
        bold = QFont()
        bold.setBold(True)
        for text, y, font in ((label, 6, bold), (caption, 25, QFont())):
            item = QGraphicsSimpleTextItem(self._fit(text, font), self)
            item.setFont(font)
            item.setBrush(QColor("white"))
            item.setPos(9, y)

    @staticmethod
    def _fit(text: str, font: QFont) -> str:
        return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, NODE_W - 16)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawRoundedRect(self.rect(), 8, 8)
        if self.isSelected():
            painter.setPen(QPen(QColor("#222222"), 2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.rect().adjusted(-3, -3, 3, 3), 10, 10)

    def itemChange(self, change, value):  # noqa: N802 - Qt API
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)


class GraphScene(QGraphicsScene):
    """Tellings as draggable boxes coloured by role, sources that are not tellings as dashed grey
    boxes, transmissions as arrows (solid stated, dashed inferred). Double-clicking a telling
    asks to show its passage.

    Signals:
        telling_activated(int): the telling id of a double-clicked node.
    """

    telling_activated = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self.graph = Graph()

    def set_story(self, story: Story | None) -> None:
        self.clear()
        self.nodes, self.edges = {}, []
        if not story:
            return
        self.graph = graph_of(story)
        tellings = {t["id"]: t for t in story["tellings"]}
        for key, (column, row) in layered_layout(self.graph).items():
            n = self.graph.node(key)
            item = NodeItem(key, n.label, n.caption, n.color, tellings.get(n.telling) if n.kind == "telling" else None)
            item.setPos(column * (NODE_W + GAP_X), row * (NODE_H + GAP_Y))
            self.addItem(item)
            self.nodes[key] = item
        # graph_of draws one edge per transmission, in the story's order
        for e, x in zip(self.graph.edges, story["transmissions"], strict=True):
            edge = EdgeItem(self.nodes[e.source], self.nodes[e.target], e.basis)
            edge.transmission = x["id"]
            self.addItem(edge)
            self.edges.append(edge)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -50, 20, 20))

    def item_at(self, pos: QPointF, transform=None) -> "NodeItem | EdgeItem | None":
        """The node or edge (arrow head included) at a scene point, if any."""
        if transform is None and self.views():
            transform = self.views()[0].transform()
        item = self.itemAt(pos, transform) if transform is not None else None
        while item is not None and not isinstance(item, (NodeItem, EdgeItem)):
            item = item.parentItem()
        return item

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        item = self.item_at(event.scenePos())
        if isinstance(item, NodeItem) and item.telling is not None:
            self.telling_activated.emit(item.telling["id"])
        super().mouseDoubleClickEvent(event)

    def _area(self) -> QRectF:
        return self.itemsBoundingRect().adjusted(-20, -50, 20, 20)

    def export_svg(self, path: str | Path, title: str = "lineage") -> None:
        area = self._area()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(int(area.width()), int(area.height())))
        generator.setViewBox(QRectF(0, 0, area.width(), area.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        self.render(painter, QRectF(0, 0, area.width(), area.height()), area)
        painter.end()

    def export_png(self, path: str | Path, scale: float = 2.0) -> bool:
        area = self._area()
        image = QImage(int(area.width() * scale), int(area.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.render(painter, QRectF(0, 0, image.width(), image.height()), area)
        painter.end()
        return image.save(str(path))
