"""The transcript with its codings: coloured highlights under the text, coding stripes in the
right margin (:mod:`.stripes`), speaker turns marked in the left margin.

Everything painting needs is computed once when a document or its codings are loaded
(:class:`Painted`: UTF-16 span arrays, colours, lanes); ``paintEvent`` only walks the blocks
on screen, picks their codings with numpy and fills rectangles. It never touches the
database. Offsets arrive in code points and are converted to Qt's UTF-16 here, through
:class:`~qualcode.core.spans.Utf16Map`, and nowhere else.

Signals:
    selectionSpanChanged(int, int): the selection as a code-point span (equal ends: none).
    codingClicked(int): a coding was picked (its stripe clicked); the id.
    codeDropped(int): a code was dropped onto the selection; the code id.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from ..core import stripes as layout_math
from ..core.spans import Utf16Map
from ..store.models import Coding, Span
from .code_colors import blend
from .stripes import StripeMargin

CODE_MIME = "application/x-qualcode-code-ids"
TURN_GUTTER = 14  # px left of the text: the speaker-turn rule
HIGHLIGHT_ALPHA = 95  # of 255: a tint that keeps dark text readable on a light base
HIGHLIGHT_ALPHA_DARK = 70  # the same for light text on a dark base
INTERVIEWER = ("interviewer", "int", "i", "q", "moderator", "facilitator")


@dataclass
class Turn:
    start: int  # UTF-16
    end: int
    label_end: int  # end of "Label:" at the start of the turn
    interviewer: bool


@dataclass
class Painted:
    """One document's codings, ready to paint: arrays in UTF-16 units, in text order."""

    codings: list[Coding] = field(default_factory=list)
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    colors: list[QColor] = field(default_factory=list)
    lanes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lane_count: int = 0
    index: dict[int, int] = field(default_factory=dict)  # coding id -> position in the lists


class DocumentView(QPlainTextEdit):
    selectionSpanChanged = Signal(int, int)
    codingClicked = Signal(int)
    codeDropped = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("document_view")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAcceptDrops(True)
        self.document().setDocumentMargin(8)
        self.document_id: int | None = None
        self.text = ""
        self._map = Utf16Map("")
        self._blocks = np.zeros(1, dtype=np.int64)
        self.turns: list[Turn] = []
        self.painted = Painted()
        self.current_coding: int | None = None
        self.describe = lambda coding: ""  # set by the window: coding -> "path · coder" tooltip line
        self.label_of = lambda coding: ""  # coding -> the name shown on its stripe
        self.margin = StripeMargin(self)
        self.selectionChanged.connect(self._emit_selection)
        self.updateRequest.connect(self._on_update_request)
        self._set_margins()

    # -- content ------------------------------------------------------------------------------------
    def show_text(self, document_id: int | None, text: str, turns: list[Span]) -> None:
        self.document_id = document_id
        self.text = text
        self._map = Utf16Map(text)
        self._blocks = layout_math.block_starts(text)
        self.current_coding = None
        self.painted = Painted()
        self.setPlainText(text)
        to16 = self._map.to_utf16
        self.turns = []
        for t in turns:
            colon = text.find(":", t.start, min(t.end, t.start + 80))
            label_end = colon + 1 if colon >= 0 else t.start
            self.turns.append(Turn(to16(t.start), to16(t.end), to16(label_end),
                                   t.label.strip().lower() in INTERVIEWER))
        self._set_margins()

    def show_codings(self, codings: list[Coding], color_of) -> None:
        """Load the codings to paint (a new list replaces the old); ``color_of(code_id)``."""
        starts = np.fromiter((c.start for c in codings), np.int64, len(codings))
        ends = np.fromiter((c.end for c in codings), np.int64, len(codings))
        lay = layout_math.layout(self._blocks, starts, ends)
        self.painted = Painted(
            codings=list(codings),
            starts=self._map.to_utf16_array(starts),
            ends=self._map.to_utf16_array(ends),
            colors=[color_of(c.code_id) for c in codings],
            lanes=lay.lanes, lane_count=lay.lane_count,
            index={c.id: i for i, c in enumerate(codings)},
        )
        if self.current_coding not in self.painted.index:
            self.current_coding = None
        self._set_margins()
        self.viewport().update()
        self.margin.update()

    def coding(self, coding_id: int) -> Coding | None:
        i = self.painted.index.get(coding_id)
        return self.painted.codings[i] if i is not None else None

    # -- spans (code points outside, UTF-16 inside) ------------------------------------------------
    def selection_span(self) -> tuple[int, int]:
        c = self.textCursor()
        return self._map.to_codepoint(c.selectionStart()), self._map.to_codepoint(c.selectionEnd())

    def selected_text(self) -> str:
        start, end = self.selection_span()
        return self.text[start:end]

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points) and scroll it into the middle of the view."""
        c = QTextCursor(self.document())
        c.setPosition(self._map.to_utf16(start))
        c.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.centerCursor()

    def set_current_coding(self, coding_id: int | None, select: bool = True) -> None:
        self.current_coding = coding_id
        c = self.coding(coding_id) if coding_id is not None else None
        if c is not None and select:
            self.select_span(c.start, c.end)
        self.margin.update()

    def codings_at(self, position: int) -> list[Coding]:
        """Codings covering a code-point position, shortest first."""
        pos16 = self._map.to_utf16(position)
        p = self.painted
        hits = np.flatnonzero((p.starts <= pos16) & (p.ends > pos16)).tolist()
        return sorted((p.codings[i] for i in hits), key=lambda c: (c.end - c.start, c.start))

    def codings_in_selection(self) -> list[Coding]:
        start, end = self.selection_span()
        if end <= start:
            return self.codings_at(start)
        p = self.painted
        hits = layout_math.overlapping(p.starts, p.ends, self._map.to_utf16(start), self._map.to_utf16(end))
        return sorted((p.codings[i] for i in hits.tolist()), key=lambda c: (c.end - c.start, c.start))

    def _emit_selection(self) -> None:
        self.selectionSpanChanged.emit(*self.selection_span())

    # -- geometry the margin asks for ------------------------------------------------------------
    def visible_blocks(self):
        """(block, top y) for every block at least partly on screen."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > height:
                break
            if block.isVisible():
                yield block, geo.top()
            block = block.next()

    def visible_range(self) -> tuple[int, int]:
        blocks = list(self.visible_blocks())
        if not blocks:
            return 0, 0
        last = blocks[-1][0]
        return blocks[0][0].position(), last.position() + last.length()

    def line_span_y(self, pos16: int, top: bool) -> float:
        """Top (or bottom) y of the visual line holding a UTF-16 position."""
        block = self.document().findBlock(pos16)
        geo = self.blockBoundingGeometry(block).translated(self.contentOffset())
        line = block.layout().lineForTextPosition(pos16 - block.position())
        if not line.isValid():
            return geo.top() if top else geo.bottom()
        return geo.top() + line.y() + (0 if top else line.height())

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self.viewport())
        try:
            self._paint_under_text(painter, event.rect())
        finally:
            painter.end()
        super().paintEvent(event)

    def _paint_under_text(self, painter: QPainter, clip) -> None:
        p = self.painted
        blocks = list(self.visible_blocks())
        if not blocks:
            return
        lo = blocks[0][0].position()
        hi = blocks[-1][0].position() + blocks[-1][0].length()
        self._paint_turns(painter, lo, hi)
        on_screen = layout_math.overlapping(p.starts, p.ends, lo, hi)
        if not len(on_screen):
            return
        painter.setPen(Qt.PenStyle.NoPen)
        # On a dark base the text is light: a lighter, denser tint would swallow it.
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        alpha, step = (HIGHLIGHT_ALPHA_DARK, 20) if dark else (HIGHLIGHT_ALPHA, 45)
        for block, top in blocks:
            bp = block.position()
            here = on_screen[(p.starts[on_screen] < bp + block.length()) & (p.ends[on_screen] > bp)]
            if not len(here):
                continue
            layout = block.layout()
            for a, b, members in layout_math.pieces(p.starts, p.ends, here, bp, bp + block.length() - 1):
                members = members.tolist()
                color = blend([p.colors[i] for i in members])
                color.setAlpha(min(255, alpha + step * (len(members) - 1)))
                bands = sorted(members, key=lambda i: p.lanes[i])[:3] if len(members) > 1 else []
                for rect in self._piece_rects(layout, top, a - bp, b - bp):
                    painter.fillRect(rect, color)
                    for k, i in enumerate(bands):  # overlaps: one thin band per code at the line foot
                        painter.fillRect(QRectF(rect.left(), rect.bottom() - 2 * (k + 1), rect.width(), 2),
                                         p.colors[i])

    def _piece_rects(self, layout, top: float, a: int, b: int):
        left = self.contentOffset().x()
        line = layout.lineForTextPosition(a)
        n = line.lineNumber() if line.isValid() else 0
        while n < layout.lineCount():
            line = layout.lineAt(n)
            ls = line.textStart()
            if ls >= b:
                break
            s, e = max(a, ls), min(b, ls + line.textLength())
            if e > s:
                x1 = line.cursorToX(s)[0]
                x2 = line.cursorToX(e)[0]
                yield QRectF(left + x1, top + line.y(), max(1.0, x2 - x1), line.height())
            n += 1

    def _paint_turns(self, painter: QPainter, lo: int, hi: int) -> None:
        """A rule down the left edge of each speaker turn (the interviewer's muted) and a tint
        behind the speaker's label."""
        pal = self.palette()
        label_bg = pal.color(QPalette.ColorRole.Highlight)
        label_bg.setAlpha(38)
        for t in self.turns:
            if t.end <= lo or t.start >= hi:
                continue
            role = QPalette.ColorRole.Mid if t.interviewer else QPalette.ColorRole.Highlight
            y0 = self.line_span_y(t.start, True) if t.start >= lo else -1.0
            y1 = self.line_span_y(max(t.start, t.end - 1), False) if t.end <= hi else self.viewport().height() + 1.0
            painter.fillRect(QRectF(3, y0 + 2, 3, max(2.0, y1 - y0 - 4)), pal.color(role))
            if t.label_end > t.start and t.start >= lo:
                block = self.document().findBlock(t.start)
                top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
                for rect in self._piece_rects(block.layout(), top, t.start - block.position(),
                                              t.label_end - block.position()):
                    painter.fillRect(rect.adjusted(-2, 1, 2, -1), label_bg)

    # -- margins ------------------------------------------------------------------------------------
    def _set_margins(self) -> None:
        width = self.margin.width_for(self.painted.lane_count)
        self.setViewportMargins(TURN_GUTTER - 8, 0, width, 0)
        self._place_margin()

    def _place_margin(self) -> None:
        """Right of the text, left of the scroll bar: the viewport margin reserved for it."""
        vp = self.viewport().geometry()
        self.margin.setGeometry(vp.right() + 1, vp.top(), self.margin.width_for(self.painted.lane_count), vp.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_margin()

    def _on_update_request(self, _rect, _dy: int) -> None:
        self.margin.update()  # labels stick to the top of the view, so redraw rather than scroll

    # -- hover, drops -------------------------------------------------------------------------------
    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ToolTip:
            pos16 = self.cursorForPosition(event.pos()).position()
            hits = self.codings_at(self._map.to_codepoint(pos16)) if self.painted.codings else []
            if hits:
                QToolTip.showText(event.globalPos(), "<br>".join(self.describe(c) for c in hits), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasFormat(CODE_MIME):
            event.setAccepted(self.textCursor().hasSelection())
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasFormat(CODE_MIME):
            event.setAccepted(self.textCursor().hasSelection())
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        mime = event.mimeData()
        if not mime.hasFormat(CODE_MIME):
            super().dropEvent(event)
            return
        ids = decode_code_ids(bytes(mime.data(CODE_MIME)))
        if ids and self.textCursor().hasSelection():
            event.acceptProposedAction()
            self.codeDropped.emit(ids[0])
        else:
            event.ignore()


def encode_code_ids(ids: list[int]) -> bytes:
    return ",".join(str(i) for i in ids).encode("ascii")


def decode_code_ids(data: bytes) -> list[int]:
    try:
        return [int(x) for x in data.decode("ascii").split(",") if x.strip()]
    except (UnicodeDecodeError, ValueError):
        return []


def tooltip_line(path: str, coder: str, memo: str | None, evidence: str) -> str:
    line = f"<b>{html.escape(path)}</b> · {html.escape(coder)}"
    if evidence and evidence != "unknown":
        line += f" · <i>{html.escape(evidence)}</i>"
    if memo:
        line += f"<br>&nbsp;&nbsp;{html.escape(memo[:300])}"
    return line
