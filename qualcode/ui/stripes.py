"""The coding-stripe margin: one bar per coding in its code's colour and lane, and beside the
bars a column of labels naming each coding's code (as in MAXQDA and NVivo).

Lanes come precomputed from :mod:`qualcode.core.stripes`; painting asks the view where the
lines on screen are and draws only the codings that reach them. Labels sit level with the top
of their bar; when several codings start close together the labels stack downwards and a thin
leader joins each displaced label to its bar. A label sticks to the top of the view while its
coding runs on above it, so a long coding stays named while scrolling.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ..core import stripes as layout_math
from .code_colors import text_on

LANE = 7  # px per lane when there is room
MAX_LANES_WIDTH = 84  # more lanes than fit here are squeezed rather than widening the margin
MIN_LANES = 2  # the margin keeps at least this width, so the first coding does not reflow text
LABELS = 140  # width of the label column
PAD = 5


class StripeMargin(QWidget):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.setObjectName("coding_stripes")
        self.setMouseTracking(True)
        self.label_font = QFont(self.font())
        self.label_font.setPointSizeF(max(7.5, self.font().pointSizeF() * 0.9))
        self.hits: list[tuple[QRectF, int]] = []  # painted bar or label, coding id (hover, clicks)

    @staticmethod
    def lanes_width(lane_count: int) -> int:
        return min(MAX_LANES_WIDTH, max(lane_count, MIN_LANES) * LANE)

    @classmethod
    def width_for(cls, lane_count: int) -> int:
        return PAD + cls.lanes_width(lane_count) + PAD + LABELS + PAD

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Midlight), 1))
        painter.drawLine(0, 0, 0, self.height())
        self.hits = []
        view, p = self.view, self.view.painted
        lo, hi = view.visible_range()
        on_screen = layout_math.overlapping(p.starts, p.ends, lo, hi).tolist()
        if not on_screen:
            return
        lanes_w = self.lanes_width(p.lane_count)
        lane_w = min(float(LANE), lanes_w / max(p.lane_count, 1))
        bar_w = max(2.0, lane_w - 2)
        height = self.height()
        bars = []
        for i in on_screen:
            s, e = int(p.starts[i]), int(p.ends[i])
            top = view.line_span_y(s, True) if s >= lo else -4.0
            bottom = view.line_span_y(max(s, e - 1), False) if e <= hi else height + 4.0
            if bottom >= 0 and top <= height:
                bars.append((top, int(p.lanes[i]), bottom, i))
        bars.sort()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_pen = pal.color(QPalette.ColorRole.Text)
        for top, lane, bottom, i in bars:
            rect = QRectF(PAD + lane * lane_w, top + 1.5, bar_w, max(3.0, bottom - top - 3))
            current = p.codings[i].id == view.current_coding
            painter.setPen(QPen(text_pen, 1.5) if current else Qt.PenStyle.NoPen)
            painter.setBrush(p.colors[i])
            painter.drawRoundedRect(rect, 1.5, 1.5)
            self.hits.append((rect.adjusted(-1, 0, 1, 0), p.codings[i].id))
        self._labels(painter, bars, PAD + lanes_w + PAD)

    def _labels(self, painter: QPainter, bars, x0: float) -> None:
        view, p = self.view, self.view.painted
        fm = QFontMetricsF(self.label_font)
        painter.setFont(self.label_font)
        h = fm.height() + 2
        width = self.width() - x0 - PAD
        lane_w = min(float(LANE), self.lanes_width(p.lane_count) / max(p.lane_count, 1))
        next_free = -1e9
        for top, lane, bottom, i in bars:
            want = max(top + 1.5, 1.0)
            y = max(want, next_free)
            if y > self.height():
                break
            next_free = y + h + 1
            coding = p.codings[i]
            color = p.colors[i]
            text = fm.elidedText(view.label_of(coding), Qt.TextElideMode.ElideRight, width - 8)
            chip = QRectF(x0, y, min(width, fm.horizontalAdvance(text) + 8), h)
            bar_x = PAD + lane * lane_w + max(2.0, lane_w - 2)
            anchor = min(want + h / 2, max(bottom - 2, want + 1))  # level with the label when it can be
            painter.setPen(QPen(color, 1))
            painter.drawLine(QPointF(bar_x, anchor), QPointF(x0, y + h / 2))
            current = coding.id == view.current_coding
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 1.5) if current else Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(chip, 3, 3)
            painter.setPen(text_on(color))
            painter.drawText(chip.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            self.hits.append((chip, coding.id))

    def bar_at(self, pos) -> int | None:
        point = QPointF(pos)
        for rect, coding_id in reversed(self.hits):
            if rect.contains(point):
                return coding_id
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        coding_id = self.bar_at(event.position().toPoint())
        if coding_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.view.codingClicked.emit(coding_id)
            event.accept()
        else:
            super().mousePressEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            coding_id = self.bar_at(event.pos())
            coding = self.view.coding(coding_id) if coding_id is not None else None
            if coding is not None:
                QToolTip.showText(event.globalPos(), self.view.describe(coding), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        over = self.bar_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)
