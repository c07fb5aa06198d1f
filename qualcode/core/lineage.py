"""Story lineage: derived measures over the tellings of one story.

Pure functions over small frozen dataclasses, so the store converts its rows once and every
measure can be tested on hand-made stories (no Qt, no SQL; networkx for the transmission graph). The vocabulary is
borrowed from textual criticism (see STORY_LINEAGE.md): a *reference* telling plays the part of
the archetype, each :class:`Discrepancy` is one entry of the critical apparatus, and tellings that
share a discrepancy the reference lacks (a *shared innovation*) are suggested as related.

Entry points: :func:`told_sequence`, :func:`kendall_tau`, :func:`discrepancies`,
:func:`choose_reference`, :func:`generations`, :func:`drift`, :func:`shared_innovations` and
:func:`analyse_story`, which bundles them into the JSON shape of one story's tellings.

Bad input (unknown statuses, realizations of elements outside the story, transmissions between
unknown tellings) raises :class:`ValueError`: the store guarantees these, so seeing one is a bug.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

__all__ = [
    "DISCREPANCY_TYPES",
    "MAX_CYCLES",
    "Discrepancy",
    "Drift",
    "Element",
    "LineageGraph",
    "Realization",
    "SuggestedRelation",
    "Telling",
    "Transmission",
    "analyse_story",
    "choose_reference",
    "discrepancies",
    "drift",
    "generations",
    "kendall_tau",
    "normalise_text",
    "shared_innovations",
    "told_sequence",
]

ElementId = Hashable
TellingId = Hashable

ELEMENT_KINDS = frozenset({"core", "detail"})
STATUSES = frozenset({"present", "absent", "implied", "contradicted"})
ROLES = frozenset({"protagonist", "eyewitness", "hearsay"})
BASES = frozenset({"stated", "inferred"})
DISCREPANCY_TYPES = ("omission", "addition", "substitution", "contradiction", "transposition")
_DISCREPANCY_TYPE_SET = frozenset(DISCREPANCY_TYPES)

#: Statuses under which an element counts as kept (rendered) by a telling.
KEPT = frozenset({"present", "implied"})
#: Statuses that can carry a told position (an absent element has no place in the telling).
SEQUENCED = frozenset({"present", "implied", "contradicted"})
#: Cap on reported transmission cycles: enumeration is exponential in the worst case, and a
#: researcher fixes circular claims a few at a time anyway.
MAX_CYCLES = 100


def _check(what: str, value: object, allowed: frozenset[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {sorted(allowed)}, not {value!r}")


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Element:
    """A beat of the story; ``ordinal`` is its place in the canonical order."""

    id: ElementId
    ordinal: int
    label: str
    kind: str

    def __post_init__(self) -> None:
        _check("element kind", self.kind, ELEMENT_KINDS)


@dataclass(frozen=True)
class Realization:
    """How one telling renders one element.

    ``position`` is the place in this telling's order (None when the order is unknown, so the
    element is left out of sequence measures); ``variant`` is the wording used, if transcribed.
    """

    element_id: ElementId
    status: str
    position: int | None = None
    variant: str | None = None

    def __post_init__(self) -> None:
        _check("realization status", self.status, STATUSES)


@dataclass(frozen=True)
class Telling:
    """One version of the story. Elements without a realization count as absent."""

    id: TellingId
    teller: Any
    role: str
    realizations: tuple[Realization, ...] = ()
    _by_element: dict[ElementId, Realization] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        _check("telling role", self.role, ROLES)
        realizations = tuple(self.realizations)
        by_element: dict[ElementId, Realization] = {}
        for r in realizations:
            if r.element_id in by_element:
                raise ValueError(f"telling {self.id!r} realizes element {r.element_id!r} twice")
            by_element[r.element_id] = r
        object.__setattr__(self, "realizations", realizations)
        object.__setattr__(self, "_by_element", by_element)

    def status(self, element_id: ElementId) -> str:
        r = self._by_element.get(element_id)
        return "absent" if r is None else r.status

    def variant(self, element_id: ElementId) -> str | None:
        r = self._by_element.get(element_id)
        return None if r is None else r.variant


@dataclass(frozen=True)
class Transmission:
    """``target`` heard the story from ``source`` (None when only a case or free text is known)."""

    source: TellingId | None
    target: TellingId
    basis: str

    def __post_init__(self) -> None:
        _check("transmission basis", self.basis, BASES)


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Discrepancy:
    """One apparatus entry: how a telling differs from the reference.

    ``elements`` holds one element id, or two for a transposition (in reference order).
    """

    type: str
    elements: tuple[ElementId, ...]
    detail: str

    def __post_init__(self) -> None:
        _check("discrepancy type", self.type, _DISCREPANCY_TYPE_SET)


@dataclass(frozen=True)
class LineageGraph:
    """Generations from the protagonist, and the cycles that make some of them suspect.

    ``generation`` maps every telling id to its number of transmission steps from a protagonist
    telling (0 for the protagonist), or None when no chain of known transmissions reaches it.
    ``cycles`` lists elementary cycles of the transmission graph, each starting at its earliest
    telling (input order), at most :data:`MAX_CYCLES` of them.
    """

    generation: dict[TellingId, int | None]
    cycles: list[list[TellingId]]


@dataclass(frozen=True)
class Drift:
    """Core elements kept per telling, and their mean per generation (None = unknown)."""

    core_kept: dict[TellingId, float | None]
    by_generation: dict[int | None, float]
    tellings_by_generation: dict[int | None, int]


class SuggestedRelation(NamedTuple):
    """Two tellings with no known transmission path that share innovations (descriptions)."""

    telling_a: TellingId
    telling_b: TellingId
    shared: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# Helpers


def normalise_text(text: str | None) -> str:
    """Fold Unicode width, case, punctuation and spacing, so only wording counts as a variant."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.split())


def _ordered_elements(elements: Iterable[Element]) -> list[Element]:
    """Elements in canonical order (stable for equal ordinals); ids must be unique."""
    ordered = sorted(elements, key=lambda e: e.ordinal)
    ids = [e.id for e in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("element ids must be unique within a story")
    return ordered


def _check_realized(telling: Telling, known: Mapping[ElementId, Any]) -> None:
    for r in telling.realizations:
        if r.element_id not in known:
            raise ValueError(
                f"telling {telling.id!r} realizes element {r.element_id!r}, "
                "which is not an element of this story"
            )


@dataclass(frozen=True)
class _Witness:
    """What a comparison needs from a telling, or from the canonical story (telling=None)."""

    name: str
    telling: Telling | None
    core: frozenset[ElementId]
    sequence: list[ElementId]

    def status(self, element_id: ElementId) -> str:
        if self.telling is None:  # the canonical story: all core elements present
            return "present" if element_id in self.core else "absent"
        return self.telling.status(element_id)

    def variant(self, element_id: ElementId) -> str | None:
        return None if self.telling is None else self.telling.variant(element_id)


def _witness(telling: Telling | None, ordered: Sequence[Element]) -> _Witness:
    core = frozenset(e.id for e in ordered if e.kind == "core")
    if telling is None:
        return _Witness("the canonical story", None, core, [e.id for e in ordered])
    return _Witness(f"telling {telling.id}", telling, core, _told_sequence(telling, ordered))


def _told_sequence(telling: Telling, ordered: Sequence[Element]) -> list[ElementId]:
    rank = {e.id: i for i, e in enumerate(ordered)}
    _check_realized(telling, rank)
    told = [
        (r.position, rank[r.element_id], r.element_id)
        for r in telling.realizations
        if r.status in SEQUENCED and r.position is not None
    ]
    told.sort(key=lambda item: (item[0], item[1]))
    return [element_id for _, _, element_id in told]


# --------------------------------------------------------------------------------------------
# Sequence


def told_sequence(telling: Telling, elements: Iterable[Element]) -> list[ElementId]:
    """Element ids in the order this telling tells them.

    Present, implied and contradicted elements with a position count (a contradicted beat is
    still told, just differently); ties in position fall back to canonical order.
    """
    return _told_sequence(telling, _ordered_elements(elements))


def kendall_tau(
    sequence: Iterable[ElementId], reference_sequence: Iterable[ElementId]
) -> tuple[float | None, list[tuple[ElementId, ElementId]]]:
    """Order agreement over the elements common to both sequences.

    Returns Kendall's tau-a, (concordant - discordant) / pairs, which equals tau-b here because
    a sequence cannot tie (each element has one place), and the discordant ("swapped") pairs as
    ``(a, b)`` with ``a`` before ``b`` in the reference, listed in reference order. Tau is None
    when fewer than two elements are shared: no pair, no evidence about order.
    """
    seq, ref = list(sequence), list(reference_sequence)
    for name, items in (("sequence", seq), ("reference sequence", ref)):
        if len(set(items)) != len(items):
            raise ValueError(f"{name} repeats an element: {items!r}")
    rank = {element_id: i for i, element_id in enumerate(seq)}
    common = [element_id for element_id in ref if element_id in rank]
    n = len(common)
    if n < 2:
        return None, []
    swapped = [
        (a, b)
        for i, a in enumerate(common)
        for b in common[i + 1 :]
        if rank[b] < rank[a]
    ]
    pairs = n * (n - 1) // 2
    return (pairs - 2 * len(swapped)) / pairs, swapped


# --------------------------------------------------------------------------------------------
# Discrepancies


def _quote(labels: Mapping[ElementId, str], element_id: ElementId) -> str:
    return f"'{labels[element_id]}'"


def _status_discrepancies(
    here: _Witness, ref: _Witness, ordered: Sequence[Element]
) -> list[Discrepancy]:
    labels = {e.id: e.label for e in ordered}
    found = []
    for e in ordered:
        h, r = here.status(e.id), ref.status(e.id)
        name, where = _quote(labels, e.id), ref.name
        if (h == "contradicted") != (r == "contradicted"):
            found.append(Discrepancy("contradiction", (e.id,), f"{name}: {h} here, {r} in {where}"))
        elif r in KEPT and h == "absent":
            found.append(Discrepancy("omission", (e.id,), f"{name}: {r} in {where}, absent here"))
        elif h in KEPT and r == "absent":
            found.append(Discrepancy("addition", (e.id,), f"{name}: {h} here, absent in {where}"))
        elif (h in KEPT and r in KEPT) or h == r == "contradicted":
            hv, rv = here.variant(e.id), ref.variant(e.id)
            hn, rn = normalise_text(hv), normalise_text(rv)
            # A missing variant means "not transcribed", which is no evidence of a change.
            if hn and rn and hn != rn:
                detail = f"{name}: '{hv}' here, '{rv}' in {where}"
                found.append(Discrepancy("substitution", (e.id,), detail))
    return found


def _transpositions(
    swapped: Iterable[tuple[ElementId, ElementId]], ref: _Witness, ordered: Sequence[Element]
) -> list[Discrepancy]:
    labels = {e.id: e.label for e in ordered}
    return [
        Discrepancy(
            "transposition",
            (a, b),
            f"{_quote(labels, b)} told before {_quote(labels, a)}, the reverse of {ref.name}",
        )
        for a, b in swapped
    ]


def discrepancies(
    telling: Telling, reference: Telling | None, elements: Iterable[Element]
) -> list[Discrepancy]:
    """The apparatus entries of ``telling`` against ``reference``.

    Per element, in canonical order: a contradiction when exactly one side contradicts it; else an
    omission (kept in the reference, absent here), an addition (kept here, absent in the
    reference) or a substitution (kept, or contradicted, on both sides with different normalised
    variant text). Then one transposition per swapped pair. With ``reference=None`` the reference
    is the canonical story: every element in ordinal order, all core elements present and nothing
    else, so a told detail reads as an addition (an embellishment of the core).
    """
    ordered = _ordered_elements(elements)
    here, ref = _witness(telling, ordered), _witness(reference, ordered)
    _, swapped = kendall_tau(here.sequence, ref.sequence)
    return _status_discrepancies(here, ref, ordered) + _transpositions(swapped, ref, ordered)


def choose_reference(tellings: Iterable[Telling]) -> Telling | None:
    """The protagonist's own telling (smallest id if several), the natural archetype; else None."""
    protagonists = [t for t in tellings if t.role == "protagonist"]
    return min(protagonists, key=lambda t: t.id) if protagonists else None


# --------------------------------------------------------------------------------------------
# Transmission graph


def _successors(
    tellings: Sequence[Telling], transmissions: Iterable[Transmission]
) -> dict[TellingId, list[TellingId]]:
    """Who-told-whom adjacency between known tellings, deduplicated, in first-seen order."""
    succ: dict[TellingId, list[TellingId]] = {}
    for t in tellings:
        if t.id in succ:
            raise ValueError(f"telling id {t.id!r} occurs twice")
        succ[t.id] = []
    for tr in transmissions:
        for end in (tr.source, tr.target):
            if end is not None and end not in succ:
                raise ValueError(f"transmission {tr!r} refers to unknown telling {end!r}")
        if tr.source is not None and tr.target not in succ[tr.source]:
            succ[tr.source].append(tr.target)
    return succ


def _graph(succ: Mapping[TellingId, Sequence[TellingId]]) -> "nx.DiGraph":
    graph = nx.DiGraph()
    graph.add_nodes_from(succ)
    graph.add_edges_from((a, b) for a, targets in succ.items() for b in targets)
    return graph


def _cycles(graph: "nx.DiGraph", limit: int) -> list[list[TellingId]]:
    """Elementary cycles (networkx's Johnson algorithm, bounded), each starting at its earliest
    telling, shortest first."""
    position = {node: i for i, node in enumerate(graph)}
    cycles = []
    for cycle in itertools.islice(nx.simple_cycles(graph), limit):
        first = min(range(len(cycle)), key=lambda i: position[cycle[i]])
        cycles.append(cycle[first:] + cycle[:first])
    cycles.sort(key=lambda c: (len(c), [position[n] for n in c]))
    return cycles


FIRST_HAND = ("protagonist", "eyewitness")


def generations(tellings: Iterable[Telling], transmissions: Iterable[Transmission]) -> LineageGraph:
    """Transmission steps from first-hand knowledge, plus the cycles in the transmission graph.

    Generation 0 is every first-hand telling: the protagonist's and the eyewitnesses' (they
    took part or saw it; nobody told it to them). Then shortest path over transmissions (stated
    and inferred alike: both are the researcher's best account), breadth first. Cycles ("A heard
    it from B, who heard it from A") are contradictory claims the researcher should see; they
    never stall the search, and a cycle no first-hand telling reaches has generation None, as
    has hearsay whose source is unknown.
    """
    tellings = list(tellings)
    graph = _graph(_successors(tellings, transmissions))
    generation: dict[TellingId, int | None] = {t.id: None for t in tellings}
    sources = [t.id for t in tellings if t.role in FIRST_HAND]
    if sources:
        generation.update(nx.multi_source_dijkstra_path_length(graph, sources))
    return LineageGraph(generation, _cycles(graph, MAX_CYCLES))


# --------------------------------------------------------------------------------------------
# Drift


def _core_kept(telling: Telling, core: Sequence[ElementId]) -> float | None:
    if not core:
        return None
    return sum(telling.status(e) in KEPT for e in core) / len(core)


def _generation_order(g: int | None) -> tuple[bool, int]:
    return (g is None, g or 0)


def drift(
    tellings: Iterable[Telling],
    elements: Iterable[Element],
    generation_map: Mapping[TellingId, int | None],
) -> Drift:
    """Share of core elements kept (present or implied) per telling, and mean per generation.

    The per-generation means show what each retelling loses. Tellings of unknown generation are
    pooled under None; a story without core elements has no shares (None) and no means.
    """
    ordered = _ordered_elements(elements)
    known = {e.id: e for e in ordered}
    core = [e.id for e in ordered if e.kind == "core"]
    core_kept: dict[TellingId, float | None] = {}
    pooled: dict[int | None, list[float]] = defaultdict(list)
    for t in tellings:
        _check_realized(t, known)
        share = core_kept[t.id] = _core_kept(t, core)
        if share is not None:
            pooled[generation_map.get(t.id)].append(share)
    order = sorted(pooled, key=_generation_order)
    return Drift(
        core_kept,
        {g: sum(pooled[g]) / len(pooled[g]) for g in order},
        {g: len(pooled[g]) for g in order},
    )


# --------------------------------------------------------------------------------------------
# Shared innovations


def _innovation_key(d: Discrepancy, telling: Telling) -> tuple:
    """What two tellings must both have to share a discrepancy.

    Same type and elements; for a substitution also the same (normalised) wording, and for a
    contradiction the same side (both contradicting, or both not).
    """
    if d.type == "substitution":
        return (d.type, d.elements, normalise_text(telling.variant(d.elements[0])))
    if d.type == "contradiction":
        return (d.type, d.elements, telling.status(d.elements[0]) == "contradicted")
    return (d.type, d.elements, None)


def _innovation_text(d: Discrepancy, telling: Telling, labels: Mapping[ElementId, str]) -> str:
    names = " / ".join(_quote(labels, e) for e in d.elements)
    if d.type == "substitution":
        return f"substitution of {names} by '{telling.variant(d.elements[0])}'"
    if d.type == "contradiction":
        contradicted = telling.status(d.elements[0]) == "contradicted"
        return f"contradiction: {names} {'contradicted' if contradicted else 'not contradicted'}"
    return f"{d.type} of {names}"


def _suggest(
    tellings: Sequence[Telling],
    found: Mapping[TellingId, Sequence[Discrepancy]],
    succ: Mapping[TellingId, Sequence[TellingId]],
    ordered: Sequence[Element],
) -> list[SuggestedRelation]:
    labels = {e.id: e.label for e in ordered}
    # Innovation keys coded as small ints, so the pairwise set algebra hashes ints, not tuples;
    # per telling, code -> the discrepancy's rank in its apparatus (which orders the texts).
    codes: dict[tuple, int] = {}
    innovations: dict[TellingId, dict[int, int]] = {
        t.id: {
            codes.setdefault(_innovation_key(d, t), len(codes)): rank
            for rank, d in enumerate(found[t.id])
        }
        for t in tellings
    }
    coded = {tid: frozenset(by_code) for tid, by_code in innovations.items()}
    graph = _graph(succ)
    reach = {t.id: nx.descendants(graph, t.id) for t in tellings}
    ancestors = {t.id: nx.ancestors(graph, t.id) for t in tellings}
    position = {t.id: i for i, t in enumerate(tellings)}
    texts: dict[TellingId, list[str]] = {}  # written once per telling that gets suggested
    suggestions = []
    for i, a in enumerate(tellings):
        codes_a = coded[a.id]
        if not codes_a:
            continue
        for b in tellings[i + 1 :]:
            if b.id in reach[a.id] or a.id in reach[b.id]:
                continue  # a known path already explains what they share
            shared = codes_a & coded[b.id]
            if not shared:
                continue
            # An innovation a common known source also has is explained by that source.
            for common in ancestors[a.id] & ancestors[b.id]:
                shared -= coded[common]
            if shared:
                if a.id not in texts:
                    texts[a.id] = [_innovation_text(d, a, labels) for d in found[a.id]]
                rank_a, texts_a = innovations[a.id], texts[a.id]
                ranks = sorted(rank_a[code] for code in shared)
                suggestions.append(SuggestedRelation(a.id, b.id, tuple(texts_a[r] for r in ranks)))
    suggestions.sort(key=lambda s: (-len(s.shared), position[s.telling_a], position[s.telling_b]))
    return suggestions


def shared_innovations(
    tellings: Iterable[Telling],
    reference: Telling | None,
    elements: Iterable[Element],
    transmissions: Iterable[Transmission],
) -> list[SuggestedRelation]:
    """Pairs of tellings that may be related although no transmission says so.

    Two tellings with no directed transmission path between them (either way) that share a
    discrepancy the reference lacks probably share a source (the stemmatic "shared innovation").
    Innovations also carried by a known common source of both are discounted, being already
    explained. Ranked by the number shared, most first, then input order; a suggestion for the
    researcher to confirm, never a transmission.
    """
    tellings = list(tellings)
    ordered = _ordered_elements(elements)
    succ = _successors(tellings, transmissions)
    found = {t.id: discrepancies(t, reference, ordered) for t in tellings}
    return _suggest(tellings, found, succ, ordered)


# --------------------------------------------------------------------------------------------
# One story


def analyse_story(
    elements: Iterable[Element],
    tellings: Iterable[Telling],
    transmissions: Iterable[Transmission],
    reference_id: TellingId | None = None,
) -> dict[str, Any]:
    """Every derived measure for one story, JSON-ready (lists, str/number/None leaves).

    Returns the ``tellings`` part of a story in STORY_LINEAGE.md's lineage JSON, each telling
    with ``id, teller, role, generation, sequence, kendall_tau, swapped_pairs, discrepancies,
    core_kept``, plus ``reference_telling`` (None = the canonical story), ``cycles``,
    ``drift_by_generation`` as ``[{"generation", "tellings", "core_kept"}]`` in generation order
    (unknown last; a list because JSON object keys would turn the generations into strings) and
    ``suggested_relations`` as ``[{"tellings": [a, b], "shared": [...]}]``. Document, span and
    story fields are the service's to add.
    """
    ordered = _ordered_elements(elements)
    tellings = list(tellings)
    transmissions = list(transmissions)
    if reference_id is None:
        reference = choose_reference(tellings)
    else:
        reference = next((t for t in tellings if t.id == reference_id), None)
        if reference is None:
            raise ValueError(f"reference telling {reference_id!r} is not a telling of this story")
    graph = generations(tellings, transmissions)
    ref = _witness(reference, ordered)
    core = [e.id for e in ordered if e.kind == "core"]

    rows, found = [], {}
    for t in tellings:
        here = _witness(t, ordered)
        tau, swapped = kendall_tau(here.sequence, ref.sequence)
        found[t.id] = _status_discrepancies(here, ref, ordered)
        found[t.id] += _transpositions(swapped, ref, ordered)
        rows.append(
            {
                "id": t.id,
                "teller": t.teller,
                "role": t.role,
                "generation": graph.generation[t.id],
                "sequence": list(here.sequence),
                "kendall_tau": tau,
                "swapped_pairs": [list(pair) for pair in swapped],
                "discrepancies": [
                    {"type": d.type, "elements": list(d.elements), "detail": d.detail}
                    for d in found[t.id]
                ],
                "core_kept": _core_kept(t, core),
            }
        )
    story_drift = drift(tellings, ordered, graph.generation)
    suggestions = _suggest(tellings, found, _successors(tellings, transmissions), ordered)
    return {
        "tellings": rows,
        "reference_telling": None if reference is None else reference.id,
        "cycles": [list(c) for c in graph.cycles],
        "drift_by_generation": [
            {"generation": g, "tellings": story_drift.tellings_by_generation[g], "core_kept": mean}
            for g, mean in story_drift.by_generation.items()
        ],
        "suggested_relations": [
            {"tellings": [s.telling_a, s.telling_b], "shared": list(s.shared)} for s in suggestions
        ],
    }
