"""Writing report tables as .csv .xlsx .html .md .json (and .graphml for graphs).

Every report hands over plain tables (a title, column names, rows of str/int/float/None) and
its JSON document; the output file's extension picks the format. What leaves the program is
safe to open: spreadsheet cells that could run as formulas are neutralised
(:func:`qualcode.core.cells.guard`), and HTML and Markdown escape every piece of text, so a
transcript that contains ``<script>`` shows it instead of running it. Files are written to a
temporary name and moved into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...core.cells import guard
from ...errors import InvalidInput
from ...io.atomic import write_atomically

FORMATS = (".csv", ".xlsx", ".html", ".md", ".json")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 (and so .xlsx) cannot hold; they never belong in a transcript anyway.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    wrap: set[str] = field(default_factory=set)  # columns of running text (wrapped, wide)
    highlight: str | None = None  # the column a reader looks for first (the coded text)


def check_target(out: str | Path, extra: tuple[str, ...] = ()) -> Path:
    """The output path, or InvalidInput before any work is done when it cannot be written."""
    out = Path(out)
    allowed = FORMATS + extra
    if out.suffix.lower() not in allowed:
        raise InvalidInput(f"{out.name}: this report is written as {' '.join(allowed)} (chosen by the extension)")
    if not out.parent.is_dir():
        raise InvalidInput(f"folder {out.parent} does not exist")
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name")
    return out


def write(out: str | Path, tables: list[Table], doc: dict, title: str, graph=None) -> Path:
    """Write the report to ``out`` in the format its extension names. ``.csv`` holds the first
    table (reports put their main table first); ``.graphml`` needs ``graph`` (networkx)."""
    out = check_target(out, (".graphml",) if graph is not None else ())
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_atomically(out, lambda p: _csv(p, tables[0]))
    elif suffix == ".xlsx":
        write_atomically(out, lambda p: _xlsx(p, tables))
    elif suffix == ".html":
        write_atomically(out, lambda p: p.write_text(html_page(title, tables), encoding="utf-8"))
    elif suffix == ".md":
        write_atomically(out, lambda p: p.write_text(markdown(title, tables), encoding="utf-8"))
    elif suffix == ".json":
        text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        write_atomically(out, lambda p: p.write_text(text, encoding="utf-8"))
    else:
        import networkx as nx

        write_atomically(out, lambda p: nx.write_graphml(graph, p, encoding="utf-8"))
    return out


def _csv(path: Path, table: Table) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([guard(c) for c in table.columns])
        for row in table.rows:
            w.writerow(["" if v is None else guard(v) for v in row])


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:31] or "table"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _xlsx_value(value):
    if isinstance(value, str):
        return guard(_XML_ILLEGAL.sub(" ", value))
    return value


def _xlsx(path: Path, tables: list[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    used: set[str] = set()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table.title, used))
        ws.freeze_panes = "B2"  # header row and the first (label) column stay in view
        for i, col in enumerate(table.columns, start=1):
            sample = [col] + [r[i - 1] for r in table.rows[:500]]
            longest = max(len(str(v)) if v is not None else 0 for v in sample)
            low, high = (30, 80) if col in table.wrap else (8, 45)
            ws.column_dimensions[get_column_letter(i)].width = max(low, min(high, longest + 2))
        if table.rows and table.columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, value=_xlsx_value(col))
            cell.font, cell.fill = bold, fill
            header.append(cell)
        ws.append(header)
        wrap_cols = {i for i, c in enumerate(table.columns) if c in table.wrap}
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            cells = []
            for i, v in enumerate(row):
                cell = WriteOnlyCell(ws, value=_xlsx_value(v))
                if isinstance(v, float):
                    cell.number_format = "0.00"
                if i in wrap_cols:
                    cell.alignment = wrap
                cells.append(cell)
            ws.append(cells)
    if not tables:
        wb.create_sheet("empty")
    wb.save(path)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #1d232b; }
h1 { font-size: 1.4em; margin: 0 0 .2em; } h2 { font-size: 1.1em; margin: 1.6em 0 .5em; }
p.meta { color: #5b6675; margin: 0 0 1em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d4dae3; padding: .3em .6em; vertical-align: top; text-align: left; }
thead th { background: #e8edf4; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #f7f9fc; }
td.n { text-align: right; white-space: nowrap; }
td.w { white-space: pre-wrap; min-width: 22em; max-width: 48em; }
td.hl { background: #fff3c4; }
"""


def html_page(title: str, tables: list[Table], meta: str = "") -> str:
    """A self-contained page: inline style, no scripts, no external resources (the
    Content-Security-Policy forbids them even if some text slipped through)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    if meta:
        parts.append(f'<p class="meta">{e(meta)}</p>')
    for t in tables:
        if len(tables) > 1:
            parts.append(f"<h2>{e(t.title)}</h2>")
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in t.columns) + "</tr></thead><tbody>")
        classes = ["w hl" if c == t.highlight else "w" if c in t.wrap else "" for c in t.columns]
        for row in t.rows:
            cells = []
            for cls, v in zip(classes, row):
                cls = "n" if _is_number(v) else cls
                cells.append(f'<td class="{cls}">{e(_fmt(v))}</td>' if cls else f"<td>{e(_fmt(v))}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _md_cell(v) -> str:
    text = html.escape(_fmt(v), quote=False).replace("|", "\\|")
    return " ".join(text.split("\n")) if "\n" in text else text


def markdown(title: str, tables: list[Table]) -> str:
    """Pipe tables; text is HTML-escaped too, since Markdown renderers pass raw HTML through."""
    lines = [f"# {_md_cell(title)}", ""]
    for t in tables:
        if len(tables) > 1:
            lines += [f"## {_md_cell(t.title)}", ""]
        numeric = [bool(t.rows) and all(_is_number(r[i]) or r[i] is None for r in t.rows) for i in range(len(t.columns))]
        lines.append("| " + " | ".join(_md_cell(c) for c in t.columns) + " |")
        lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in t.rows:
            lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
        lines.append("")
    return "\n".join(lines)
