"""What the lineage views and exports show, computed once from one story's lineage JSON.

The report (HTML, SVG, DOT, GraphML, spreadsheets) and the GUI draw the same graph and the same
variant table; deriving both here, from the plain dict that ``services.lineage`` produces, keeps
them in agreement and testable without Qt or files.

- :func:`graph_of`: tellings as nodes, plus one node per source that is not a telling (a case,
  or a free-text description such as "everybody"), and transmissions as edges.
- :func:`layered_layout`: columns by distance from the roots (so a protagonist's chain reads
  left to right by generation), rows ordered to keep edges short.
- :func:`variant_table`: rows = elements, columns = tellings, each cell with the status,
  variant and the discrepancy types that make it differ from the reference.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Node colours by role (a colour-blind-safe qualitative palette), and for non-telling sources.
ROLE_COLORS = {"protagonist": "#d95f02", "eyewitness": "#1b9e77", "hearsay": "#7570b3"}
SOURCE_COLOR = "#9e9e9e"
#: Cell highlight per discrepancy type (light tints, so dark text stays readable).
DISCREPANCY_COLORS = {
    "omission": "#fde0dd",
    "addition": "#e5f5e0",
    "substitution": "#fff3c4",
    "contradiction": "#f4a3a3",
    "transposition": "#dbe9f6",
}


@dataclass(frozen=True)
class Node:
    """``kind`` is ``telling``, ``case`` or ``text``; ``telling`` is the telling id for tellings."""

    key: str
    kind: str
    label: str
    role: str | None = None
    generation: int | None = None
    telling: Any = None
    document: str | None = None

    @property
    def color(self) -> str:
        return ROLE_COLORS.get(self.role or "", SOURCE_COLOR)

    @property
    def caption(self) -> str:
        """The second line under the label: id, role and generation, or the kind of source."""
        if self.kind != "telling":
            return "case (no telling recorded)" if self.kind == "case" else "source (free text)"
        gen = "gen ?" if self.generation is None else f"gen {self.generation}"
        return f"#{self.telling} · {self.role} · {gen}"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    basis: str


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def node(self, key: str) -> Node:
        return next(n for n in self.nodes if n.key == key)


def telling_key(telling_id) -> str:
    return f"telling-{telling_id}"


def graph_of(story: Mapping[str, Any]) -> Graph:
    """The lineage graph of one story dict (``{"id", "tellings", "transmissions", ...}``).

    A transmission from a case or a free-text source gets a node of its own, one per distinct
    case or text within the story, keyed ``story-<id>-case-<n>`` / ``story-<id>-source-<n>``.
    """
    g = Graph()
    for t in story["tellings"]:
        g.nodes.append(Node(telling_key(t["id"]), "telling", t.get("teller") or "(unknown teller)", t["role"],
                            t.get("generation"), t["id"], t.get("document")))
    sources: dict[tuple[str, str], str] = {}
    for x in story["transmissions"]:
        if x.get("from") is not None:
            source = telling_key(x["from"])
        else:
            kind, label = ("case", x.get("from_case")) if x.get("from_case") else ("text", x.get("from_text") or "?")
            if (kind, label) not in sources:
                n = sum(1 for k, _ in sources if k == kind) + 1
                key = f"story-{story['id']}-{'case' if kind == 'case' else 'source'}-{n}"
                sources[kind, label] = key
                g.nodes.append(Node(key, kind, label))
            source = sources[kind, label]
        g.edges.append(Edge(source, telling_key(x["to"]), x["basis"]))
    return g


def layered_layout(graph: Graph) -> dict[str, tuple[int, float]]:
    """key -> (column, row). Columns are breadth-first distances from the nodes nobody told
    (a node inside a cycle no root reaches starts a column 0 of its own); rows follow the mean
    row of each node's tellers, so chains run straight. Rows are centred per column."""
    keys = [n.key for n in graph.nodes]
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        succ[e.source].append(e.target)
        pred[e.target].append(e.source)
    column: dict[str, int] = {}
    roots = [k for k in keys if not pred[k]]
    pending = deque(roots)
    for k in roots:
        column[k] = 0
    while True:
        while pending:
            k = pending.popleft()
            for nxt in succ[k]:
                if nxt not in column:
                    column[nxt] = column[k] + 1
                    pending.append(nxt)
        rest = [k for k in keys if k not in column]
        if not rest:
            break
        column[rest[0]] = 0
        pending.append(rest[0])
    order = {k: i for i, k in enumerate(keys)}
    by_column: dict[int, list[str]] = defaultdict(list)
    for k in keys:
        by_column[column[k]].append(k)
    row: dict[str, float] = {}
    for c in sorted(by_column):
        members = by_column[c]

        def weight(k: str) -> tuple[float, int]:
            placed = [row[p] for p in pred[k] if p in row]
            return (sum(placed) / len(placed) if placed else float("inf"), order[k])

        if c > 0:
            members.sort(key=weight)
        for i, k in enumerate(members):
            row[k] = i
    tallest = max((len(m) for m in by_column.values()), default=0)
    return {k: (column[k], row[k] + (tallest - len(by_column[column[k]])) / 2) for k in keys}


# -- the variant table (apparatus) -----------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    status: str
    variant: str | None
    position: int | None
    start: int | None
    end: int | None
    differences: tuple[str, ...]  # discrepancy types touching this element in this telling
    details: tuple[str, ...]

    @property
    def text(self) -> str:
        """``status`` and, when there is one, ``: variant`` (what a spreadsheet cell shows)."""
        return f"{self.status}: {self.variant}" if self.variant else self.status

    @property
    def color(self) -> str | None:
        """The highlight of the weightiest difference (a contradiction outranks an omission ...)."""
        for kind in ("contradiction", "omission", "substitution", "addition", "transposition"):
            if kind in self.differences:
                return DISCREPANCY_COLORS[kind]
        return None


def variant_table(story: Mapping[str, Any]) -> list[list[Cell]]:
    """One row per element (canonical order), one cell per telling (story order)."""
    rows = []
    for e in story["elements"]:
        row = []
        for t in story["tellings"]:
            r = next((r for r in t.get("realizations", ()) if r["element"] == e["id"]), None)
            found = [d for d in t["discrepancies"] if e["id"] in d["elements"]]
            if r is None:
                r = {"status": "absent", "variant": None, "position": None, "start": None, "end": None}
            row.append(Cell(r["status"], r.get("variant"), r.get("position"), r.get("start"), r.get("end"),
                            tuple(dict.fromkeys(d["type"] for d in found)), tuple(d["detail"] for d in found)))
        rows.append(row)
    return rows


def lane_order(story: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Tellings for the sequence lanes: the reference first, then by generation (unknown last)."""
    ref = story.get("reference_telling")
    tellings: Sequence[Mapping[str, Any]] = story["tellings"]
    return sorted(tellings, key=lambda t: (t["id"] != ref, t.get("generation") is None, t.get("generation") or 0))
