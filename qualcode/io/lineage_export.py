"""Lineage exports other than HTML: JSON, GraphML, Graphviz DOT, CSV and XLSX.

Each writer takes the lineage JSON dict (``services.lineage``) and a path.

- GraphML (networkx, for Gephi): one node per telling (id ``telling-<id>``), one per source
  that is not a telling (``story-<id>-case-<n>`` / ``story-<id>-source-<n>``, attribute
  ``kind`` = case / text), one edge per transmission with its ``basis``.
- DOT: one cluster per story; solid edges stated, dashed inferred; fill colour by role.
- CSV: one long table, one row per (story, element, telling) — the variant table in tidy form
  (pivot it on ``telling`` to get the apparatus), with the discrepancy types and details that
  touch that cell. A transposition touches both of its elements, so it shows on both rows.
- XLSX: sheet "Variants" (per story a block: elements down, tellings across, cells
  ``status: variant`` tinted by discrepancy) and sheet "Discrepancies" (one row each).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable, Mapping

from ..core.cells import guard
from ..core.lineage_views import DISCREPANCY_COLORS, graph_of, variant_table

Lineage = Mapping[str, Any]


def write_json(doc: Lineage, out: Path) -> None:
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def to_networkx(doc: Lineage):
    """A DiGraph of every story (stories are disjoint components); GraphML-safe attributes only
    (no None values: an unknown generation is simply not set)."""
    import networkx as nx

    g = nx.DiGraph()
    for story in doc["stories"]:
        graph = graph_of(story)
        tellings = {t["id"]: t for t in story["tellings"]}
        for n in graph.nodes:
            attrs: dict[str, Any] = {"kind": n.kind, "label": n.label, "story": story["id"],
                                     "story_title": story["title"]}
            if n.kind == "telling":
                t = tellings[n.telling]
                attrs.update(telling=t["id"], teller=n.label, role=t["role"], document=t["document"],
                             start=t["start"], end=t["end"], color=n.color,
                             sequence=" ".join(str(e) for e in t["sequence"]),
                             discrepancies=len(t["discrepancies"]))
                for key in ("generation", "kendall_tau", "core_kept", "told_on"):
                    if t.get(key) is not None:
                        attrs[key] = t[key]
            g.add_node(n.key, **attrs)
        for e, x in zip(graph.edges, story["transmissions"]):
            attrs = {"basis": e.basis, "story": story["id"]}
            if x.get("evidence"):
                attrs.update(evidence_document=x["evidence"]["document"] or "",
                             evidence_start=x["evidence"]["start"], evidence_end=x["evidence"]["end"])
            g.add_edge(e.source, e.target, **attrs)
    return g


def write_graphml(doc: Lineage, out: Path) -> None:
    import networkx as nx

    nx.write_graphml(to_networkx(doc), out, encoding="utf-8")


def _dot(text: object) -> str:
    """A DOT double-quoted string."""
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def write_dot(doc: Lineage, out: Path) -> None:
    lines = ["digraph lineage {", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontcolor="white"];',
             '  edge [color="#444444"];']
    for story in doc["stories"]:
        graph = graph_of(story)
        lines.append(f"  subgraph {_dot('cluster_story_' + str(story['id']))} {{")
        lines.append(f"    label={_dot(story['title'])};")
        for n in graph.nodes:
            extra = "" if n.kind == "telling" else ', style="rounded,filled,dashed"'
            lines.append(f"    {_dot(n.key)} [label={_dot(n.label + chr(10) + n.caption)}, "
                         f"fillcolor={_dot(n.color)}{extra}];")
        for e in graph.edges:
            style = "dashed" if e.basis == "inferred" else "solid"
            lines.append(f"    {_dot(e.source)} -> {_dot(e.target)} [style={style}, label={_dot(e.basis)}];")
        lines.append("  }")
    lines.append("}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


CSV_COLUMNS = ["story", "element_id", "ordinal", "element", "kind", "telling_id", "teller", "role", "generation",
               "reference", "document", "status", "position", "start", "end", "variant", "discrepancies", "details"]


def _cells(doc: Lineage):
    """(story, element, telling, cell) in story, element, telling order."""
    for story in doc["stories"]:
        for e, row in zip(story["elements"], variant_table(story)):
            for t, cell in zip(story["tellings"], row):
                yield story, e, t, cell


def write_csv(doc: Lineage, out: Path) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for story, e, t, c in _cells(doc):
            w.writerow([guard(v) for v in (
                story["title"], e["id"], e["ordinal"], e["label"], e["kind"], t["id"], t["teller"] or "", t["role"],
                "" if t["generation"] is None else t["generation"],
                "yes" if t["id"] == story["reference_telling"] else "", t["document"], c.status,
                "" if c.position is None else c.position, "" if c.start is None else c.start,
                "" if c.end is None else c.end, c.variant or "", "; ".join(c.differences), " | ".join(c.details))])


def _variants_sheet(ws, doc: Lineage) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    row = 1
    for story in doc["stories"]:
        ws.cell(row, 1, guard(story["title"])).font = Font(bold=True, size=13)
        row += 1
        ref = story["reference_telling"]
        heads = [("telling", lambda t: f"#{t['id']}{' (reference)' if t['id'] == ref else ''}"),
                 ("teller", lambda t: t["teller"] or ""), ("role", lambda t: t["role"]),
                 ("generation", lambda t: "?" if t["generation"] is None else t["generation"]),
                 ("kendall tau", lambda t: "" if t["kendall_tau"] is None else round(t["kendall_tau"], 3))]
        for label, value in heads:
            ws.cell(row, 1, label).font = bold
            for col, t in enumerate(story["tellings"], start=2):
                ws.cell(row, col, guard(value(t))).font = bold
            row += 1
        for e, cells in zip(story["elements"], variant_table(story)):
            ws.cell(row, 1, guard(f"{e['ordinal']}. {e['label']} ({e['kind']})")).alignment = wrap
            for col, c in enumerate(cells, start=2):
                cell = ws.cell(row, col, guard(c.text))
                cell.alignment = wrap
                if c.color:
                    cell.fill = PatternFill("solid", fgColor=c.color.lstrip("#").upper())
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 48
    for col in range(2, 2 + max((len(s["tellings"]) for s in doc["stories"]), default=0)):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = 30


def _discrepancies_sheet(ws, doc: Lineage) -> None:
    from openpyxl.styles import Font, PatternFill

    header = ["story", "telling", "teller", "role", "generation", "type", "elements", "detail"]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for story in doc["stories"]:
        labels = {e["id"]: e["label"] for e in story["elements"]}
        for t in story["tellings"]:
            for d in t["discrepancies"]:
                ws.append([guard(v) for v in (
                    story["title"], t["id"], t["teller"] or "", t["role"],
                    "" if t["generation"] is None else t["generation"], d["type"],
                    " / ".join(labels[e] for e in d["elements"]), d["detail"])])
                ws.cell(ws.max_row, 6).fill = PatternFill("solid", fgColor=DISCREPANCY_COLORS[d["type"]].lstrip("#"))
    for letter, width in zip("ABCDEFGH", (24, 8, 18, 12, 11, 14, 50, 80)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def write_xlsx(doc: Lineage, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    variants = wb.active
    variants.title = "Variants"
    _variants_sheet(variants, doc)
    _discrepancies_sheet(wb.create_sheet("Discrepancies"), doc)
    wb.save(out)


WRITERS: dict[str, Callable[[Lineage, Path], None]] = {
    ".json": write_json,
    ".graphml": write_graphml,
    ".dot": write_dot,
    ".csv": write_csv,
    ".xlsx": write_xlsx,
}
