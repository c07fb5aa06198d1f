"""The agreement report (``qualcode agreement ... --out OUT.html|.xlsx|.csv``).

It states what was compared (unit, coders, documents), the figures per code with their number
of units, how such figures are commonly read, and every disagreement with its text, so a
team can discuss the passages and not only the numbers. The same content goes to each
format: a self-contained HTML page (all text escaped), a workbook with one sheet per table
(frozen header row), or a CSV of titled sections separated by blank lines. Spreadsheet
cells are guarded against formula injection.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..core.cells import guard
from ..errors import InvalidInput
from ..store.database import Database
from . import agreement, disagreements
from .disagreements import Disagreement

FORMATS = (".html", ".htm", ".xlsx", ".csv")

UNIT_TEXT = {
    "character": "character: every character of every compared document is one unit per code, valued 1 "
                 "for a coder whose codings of that code cover it",
    "sentence": "sentence: every stored sentence is one unit per code, valued 1 for a coder whose coding "
                "of that code overlaps it by at least one character",
    "paragraph": "paragraph: every stored paragraph is one unit per code, valued 1 for a coder whose coding "
                 "of that code overlaps it by at least one character",
    "document": "document: every compared document is one unit per code, valued 1 for a coder who coded "
                "that code anywhere in it",
    "unitized": "unitized: Krippendorff's alpha-u over the coded spans of each code, per document and pooled "
                "(units = coded stretches of all coders); percent and kappa do not apply",
}

THRESHOLDS = [
    ("Cohen's / Fleiss' kappa (Landis & Koch 1977)", "below 0", "poor"),
    ("", "0.00 to 0.20", "slight"),
    ("", "above 0.20 to 0.40", "fair"),
    ("", "above 0.40 to 0.60", "moderate"),
    ("", "above 0.60 to 0.80", "substantial"),
    ("", "above 0.80", "almost perfect"),
    ("Krippendorff's alpha (Krippendorff 2004)", "0.800 and above", "reliable"),
    ("", "0.667 to below 0.800", "tentative conclusions only"),
    ("", "below 0.667", "not reliable"),
]


def kappa_reading(value: float | None) -> str:
    if value is None:
        return ""
    if value < 0:
        return "poor"
    for limit, label in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if value <= limit:
            return label
    return "almost perfect"


def alpha_reading(value: float | None) -> str:
    if value is None:
        return ""
    return "reliable" if value >= 0.8 else "tentative conclusions only" if value >= 0.667 else "not reliable"


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]
    widths: list[int]  # spreadsheet column widths, in characters


def build_tables(result: agreement.Agreement, items: list[Disagreement]) -> list[Table]:
    """The report's content, shared by every format: summary, statistics, thresholds, disagreements."""
    sel = result.selection
    summary = Table("Summary", ["item", "value"], [
        ["unit of analysis", UNIT_TEXT[result.unit]],
        ["coders", ", ".join(sel.coders)],
        ["documents", f"{len(sel.doc_names)}: {', '.join(sel.doc_names)}" if sel.doc_names else "0"],
        ["codes", str(len(result.per_code))],
        ["disagreements", str(len(items))],
        ["percent agreement", "percent of units on which all coders gave the same value (0-100)"],
    ], [22, 100])
    two = len(sel.coders) == 2
    header = ["code", "units", "percent agreement", "Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha",
              f"{'Cohen' if two else 'Fleiss'} kappa reading", "alpha reading"]
    rows = []
    for name, stats in [("(overall)", result.overall), *result.per_code.items()]:
        j = agreement.stats_json(stats)
        kappa = j["cohen_kappa"] if two else j["fleiss_kappa"]
        rows.append([name, j["units"], j["percent"], j["cohen_kappa"], j["fleiss_kappa"], j["krippendorff_alpha"],
                     kappa_reading(kappa), alpha_reading(j["krippendorff_alpha"])])
    stats_table = Table("Statistics", header, rows, [40, 12, 12, 12, 12, 14, 18, 24])
    thresholds = Table("Common readings", ["statistic", "value", "reading"], [list(t) for t in THRESHOLDS],
                       [44, 18, 28])
    dis_rows = [[d.code, d.document, d.start, d.end, d.text,
                 *["; ".join(f"{s}-{e}" for s, e in d.coverage[c]) for c in sel.coders]] for d in items]
    dis = Table("Disagreements", ["code", "document", "start", "end", "text",
                                  *[f"coded by {c}" for c in sel.coders]], dis_rows,
                [36, 16, 8, 8, 80, *[16] * len(sel.coders)])
    return [summary, stats_table, thresholds, dis]


def write_report(db: Database, out: str | Path, coders: Sequence[str] | str, unit: str = "character",
                 codes: Sequence[str] | None = None, documents: Sequence[str] | None = None) -> dict:
    """Write the report; returns the ``--json`` figures of the same comparison."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"{out.name}: the agreement report is written as .html, .xlsx or .csv")
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    result = agreement.measure(db, coders, unit, codes, documents)
    items = disagreements.find(db, coders, selection=result.selection)
    tables = build_tables(result, items)
    try:
        if suffix == ".xlsx":
            _write_xlsx(out, tables)
        elif suffix == ".csv":
            _write_csv(out, tables)
        else:
            out.write_text(_html(tables), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    return result.as_json()


def _cell(value):
    return "" if value is None else guard(value)


def _write_csv(out: Path, tables: list[Table]) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for n, t in enumerate(tables):
            if n:
                w.writerow([])
            w.writerow([t.title])
            w.writerow(t.header)
            w.writerows([_cell(v) for v in row] for row in t.rows)


def _write_xlsx(out: Path, tables: list[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(t.title[:31])
        ws.append(t.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        for i, width in enumerate(t.widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
            if width >= 60:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(out)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { max-width: 50em; white-space: pre-wrap; }
"""


def _html(tables: list[Table]) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Inter-coder agreement</title>", f"<style>{_STYLE}</style></head><body>",
             "<h1>Inter-coder agreement</h1>"]
    for t in tables:
        parts.append(f"<h2>{html.escape(t.title)}</h2><table><thead><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in t.header)
        parts.append("</tr></thead><tbody>")
        for row in t.rows:
            cells = []
            for h, v in zip(t.header, row):
                cls = "num" if isinstance(v, (int, float)) else "text" if h == "text" else ""
                shown = "n/a" if v is None and h != "text" else "" if v is None else str(v)
                cells.append(f'<td class="{cls}">{html.escape(shown)}</td>' if cls else f"<td>{html.escape(shown)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
