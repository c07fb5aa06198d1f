"""The lineage graph of one story as SVG text, laid out by :func:`core.lineage_views.layered_layout`.

Written by hand (no Qt, no browser script) so the HTML report can inline it and open offline.
Every piece of text is escaped; marker ids carry the story id so several graphs can share a page.
"""

from __future__ import annotations

from html import escape
from typing import Any, Mapping

from ..core.lineage_views import ROLE_COLORS, SOURCE_COLOR, graph_of, layered_layout

NODE_W, NODE_H = 210, 46
GAP_X, GAP_Y = 80, 18
MARGIN = 16
LEGEND_H = 30
LABEL_CHARS = 28  # what fits on one line of a node at 12 px
# Presentation attributes rather than CSS, which some SVG renderers (Qt's, editors') ignore.
NAME_TEXT = ' font-family="sans-serif" font-size="12" font-weight="bold" fill="#ffffff"'
CAPTION_TEXT = ' font-family="sans-serif" font-size="11" fill="#ffffff"'
LEGEND_TEXT = ' font-family="sans-serif" font-size="11" fill="#333333"'


def _fit(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _legend(y: int, sid: object) -> tuple[list[str], int]:
    """The legend's elements and the x where it ends."""
    out, x = [], MARGIN
    for role, color in (*ROLE_COLORS.items(), ("other source", SOURCE_COLOR)):
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" rx="3" fill="{color}"/>'
                   f'<text x="{x + 20}" y="{y + 11}"{LEGEND_TEXT}>{escape(role)}</text>')
        x += 40 + 7 * len(role)
    for label, dash in (("stated", ""), ("inferred", ' stroke-dasharray="6 4"')):
        out.append(f'<line x1="{x}" y1="{y + 7}" x2="{x + 34}" y2="{y + 7}" stroke="#444" stroke-width="1.6"{dash} '
                   f'marker-end="url(#arrow-{_attr(sid)})"/><text x="{x + 42}" y="{y + 11}"{LEGEND_TEXT}>{label}</text>')
        x += 60 + 7 * len(label)
    return out, x


def story_svg(story: Mapping[str, Any], standalone: bool = False) -> str:
    """``<svg>`` for one story dict of the lineage JSON. ``standalone`` adds the XML namespace a
    separate .svg file needs (inline SVG in HTML5 needs none, and has no external reference)."""
    graph = graph_of(story)
    pos = layered_layout(graph)
    columns = max((c for c, _ in pos.values()), default=0) + 1
    rows = max((r for _, r in pos.values()), default=0) + 1
    height = int(2 * MARGIN + rows * NODE_H + (rows - 1) * GAP_Y + LEGEND_H)
    sid = story.get("id", "x")
    legend, legend_end = _legend(height - LEGEND_H + 8, sid)
    width = max(2 * MARGIN + columns * NODE_W + (columns - 1) * GAP_X, legend_end + MARGIN)

    def box(key: str) -> tuple[float, float]:
        c, r = pos[key]
        return MARGIN + c * (NODE_W + GAP_X), MARGIN + r * (NODE_H + GAP_Y)

    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="lineage" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr("Lineage of " + str(story.get("title", "")))}">',
        f'<defs><marker id="arrow-{_attr(sid)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    for e in graph.edges:
        (x1, y1), (x2, y2) = box(e.source), box(e.target)
        dash = ' stroke-dasharray="6 4"' if e.basis == "inferred" else ""
        if x2 > x1:  # forward: right edge of the teller to the left edge of the hearer
            sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
            mid = (sx + tx) / 2
            d = f"M{sx:.1f},{sy:.1f} C{mid:.1f},{sy:.1f} {mid:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"
        else:  # same column or backwards (a cycle): arc out above the boxes
            sx, sy, tx, ty = x1 + NODE_W / 2, y1, x2 + NODE_W / 2, y2
            lift = min(sy, ty) - 30 - abs(x1 - x2) / 6
            d = f"M{sx:.1f},{sy:.1f} C{sx + 40:.1f},{lift:.1f} {tx - 40:.1f},{lift:.1f} {tx:.1f},{ty:.1f}"
        out.append(f'<path d="{d}" fill="none" stroke="#444" stroke-width="1.6"{dash} '
                   f'marker-end="url(#arrow-{_attr(sid)})"><title>{escape(e.basis)}</title></path>')
    for n in graph.nodes:
        x, y = box(n.key)
        tip = n.label if n.kind == "telling" else f"{n.caption}: {n.label}"
        outline = "" if n.kind == "telling" else ' stroke="#666" stroke-dasharray="3 3"'
        out.append(
            f'<g class="node {escape(n.kind)}"><title>{escape(tip)}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="{n.color}"{outline}/>'
            f'<text x="{x + 10:.1f}" y="{y + 19:.1f}"{NAME_TEXT}>{escape(_fit(n.label))}</text>'
            f'<text x="{x + 10:.1f}" y="{y + 36:.1f}"{CAPTION_TEXT}>{escape(_fit(n.caption, 34))}</text></g>'
        )
    out += legend
    out.append("</svg>")
    return "\n".join(out)
