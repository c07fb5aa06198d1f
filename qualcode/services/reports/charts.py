"""Charts of reports as matplotlib figures: a bar chart of code frequencies and a heat map
of co-occurrence.

Figures are built with the object API (``matplotlib.figure.Figure``), never ``pyplot``, so no
global backend is chosen: the CLI saves them as PNG/SVG (Agg renders PNG; SVG has its own
writer) and the GUI puts the same figure on a Qt canvas. matplotlib is imported only when a
chart is drawn, so nothing else pays for it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import InvalidInput
from .cooccurrence import Cooccurrence
from .frequency import FrequencyTable

CHART_FORMATS = (".png", ".svg")
KINDS = ("bar", "heatmap")
_INK, _MUTED, _GRID = "#1d232b", "#5b6675", "#e3e8ef"
_MAX_LEGEND = 24


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_MUTED)
    ax.tick_params(colors=_INK, labelsize=8.5)
    ax.set_axisbelow(True)


def _palette(n: int) -> list:
    """``n`` distinct colours: tab10, then tab20 with its strong shades before the pale ones."""
    from matplotlib import colormaps

    if n <= 10:
        return [colormaps["tab10"](i) for i in range(n)]
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    return [colormaps["tab20"](order[i % 20]) for i in range(n)]


def _label(path: str, limit: int = 48) -> str:
    return path if len(path) <= limit else "…" + path[-(limit - 1):]


def bar_chart(table: FrequencyTable, title: str | None = None):
    """Horizontal bars of codings per code (codes with codings, in codebook order); with
    column groups, each bar is split by group."""
    keep = [i for i in range(len(table.codes)) if table.total_codings[i] > 0]
    labels = [_label(table.codes[i]) for i in keep]
    n = max(len(keep), 1)
    grouped = bool(table.columns)
    fig = _figure(11 if grouped and len(table.columns) <= _MAX_LEGEND else 9.5, 1.4 + 0.24 * n)
    ax = fig.add_subplot()
    if not keep:
        ax.axis("off")
        ax.text(0.5, 0.5, "no codings to chart", ha="center", va="center", color=_MUTED, transform=ax.transAxes)
        return fig
    _style(ax)
    y = np.arange(len(keep))
    if grouped:
        colors = _palette(len(table.columns))
        left = np.zeros(len(keep))
        for j, col in enumerate(table.columns):
            values = table.codings[keep, j].astype(float)
            ax.barh(y, values, left=left, height=0.72, color=colors[j], label=str(col), linewidth=0)
            left += values
        if len(table.columns) <= _MAX_LEGEND:
            ax.legend(title=table.by, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8,
                      title_fontsize=9)
    else:
        totals = table.total_codings[keep].astype(float)
        tops = [table.codes[i].split("/", 1)[0] for i in keep]
        palette = _palette(len(set(tops)))
        family = {t: palette[n] for n, t in enumerate(dict.fromkeys(tops))}
        bars = ax.barh(y, totals, height=0.72, color=[family[t] for t in tops], linewidth=0)
        ax.bar_label(bars, labels=[str(int(v)) for v in totals], padding=3, fontsize=7.5, color=_MUTED)
    ax.set_yticks(y, labels)
    paths = [table.codes[i] for i in keep]
    for tick, path in zip(ax.get_yticklabels(), paths):
        if any(p.startswith(path + "/") for p in paths):
            tick.set_fontweight("bold")  # a parent among its children (roll-up)
    ax.invert_yaxis()
    ax.set_ylim(len(keep) - 0.5, -0.5)
    ax.xaxis.grid(True, color=_GRID, linewidth=0.8)
    ax.set_xlabel("codings", color=_INK)
    default = "Codings per code" + (f" by {table.by}" if table.by else "") + (" (rolled up)" if table.rollup else "")
    ax.set_title(title or default, loc="left", fontsize=12, color=_INK, pad=10)
    return fig


def heatmap(result: Cooccurrence, measure: str = "count", title: str | None = None):
    """The lower triangle of the codes x codes matrix (it is symmetric; the diagonal, a
    code's own total, would swamp the scale). Pairs that never co-occur stay white; colour
    runs on a square-root scale so a few frequent pairs do not wash out the rest. Values are
    written in the cells while the matrix is small enough to read them."""
    from matplotlib import colormaps
    from matplotlib.colors import PowerNorm
    from matplotlib.ticker import MaxNLocator

    k = len(result.codes)
    values = (result.jaccard if measure == "jaccard" else result.counts).astype(float)
    # rows 2..k against columns 1..k-1: the part below the diagonal, without its empty edges
    below = np.where(np.tril(np.ones((k, k), dtype=bool), -1), values, np.nan)[1:, :-1]
    side = min(max(4.5, 0.27 * k + 3.4), 26.0)
    fig = _figure(side + 1.0, side)
    ax = fig.add_subplot()
    if k < 2:
        ax.axis("off")
        ax.text(0.5, 0.5, "co-occurrence needs at least two codes with codings", ha="center", va="center",
                color=_MUTED, transform=ax.transAxes)
        return fig
    finite = below[np.isfinite(below)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    floor = 1e-9 if measure == "jaccard" else 0.5  # below it (no co-occurrence): light grey
    cmap = colormaps["YlGnBu"].with_extremes(bad="white", under="#eef1f5")
    image = ax.imshow(np.ma.masked_invalid(below), cmap=cmap,
                      norm=PowerNorm(0.5, vmin=floor, vmax=max(top, floor * 2)), aspect="equal",
                      interpolation="nearest")
    labels = [_label(c, 40) for c in result.codes]
    size = 8 if k <= 30 else 7
    ax.set_xticks(range(k - 1), labels[:-1], rotation=60, ha="right", rotation_mode="anchor", fontsize=size)
    ax.set_yticks(range(k - 1), labels[1:], fontsize=size)
    ax.tick_params(length=0, colors=_INK)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, k - 1, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, k - 1, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    if k <= 30:
        for i, j in zip(*np.nonzero(np.nan_to_num(below) > 0)):
            v = below[i, j]
            text = f"{v:.2f}".removeprefix("0") if measure == "jaccard" else str(int(v))
            dark = (v / top) ** 0.5 > 0.6
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if dark else _INK)
    bar = fig.colorbar(image, ax=ax, shrink=0.5, pad=0.02)
    bar.locator = MaxNLocator(nbins=5, integer=measure != "jaccard")
    bar.update_ticks()
    bar.outline.set_visible(False)
    bar.ax.tick_params(labelsize=8, colors=_MUTED)
    if measure == "jaccard":
        what = "Jaccard (coded characters)" if result.unit == "overlap" else f"Jaccard ({result.unit}s)"
    else:
        what = "overlapping coding pairs" if result.unit == "overlap" else f"{result.unit}s with both codes"
    bar.set_label(what, color=_INK, fontsize=9)
    default = f"Code co-occurrence ({result.unit}" + (", same coder" if result.same_coder else "") + ")"
    ax.set_title(title or default, loc="left", fontsize=12, color=_INK, pad=10)
    return fig


def check_chart_target(out: str | Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in CHART_FORMATS:
        raise InvalidInput(f"{out.name}: charts are written as .png or .svg (chosen by the extension)")
    if not out.parent.is_dir():
        raise InvalidInput(f"folder {out.parent} does not exist")
    return out


def save(fig, out: str | Path) -> Path:
    """PNG at 150 dpi or SVG, by extension; written to a temporary name, then moved."""
    out = check_chart_target(out)
    tmp = out.with_name(f".{out.name}.tmp{out.suffix}")
    try:
        fig.savefig(tmp, dpi=150, facecolor="white", format=out.suffix.lower()[1:])
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
