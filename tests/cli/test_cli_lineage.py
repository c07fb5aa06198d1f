"""`qualcode lineage` on the sample project, checked against the annotation of the transcripts.

``sample_transcripts/stories.json`` records, for each story, every telling (span, teller, role),
what each telling says about each element (status, order of mention, variant) and who says they
heard it from whom. The expected generations, told orders, Kendall's tau and discrepancies are
derived here from that file alone, by the definitions of STORY_LINEAGE.md, and compared with
what the command writes.
"""

from __future__ import annotations

import json
from collections import deque

import pytest

from ._helpers import SAMPLE_DIR, run

KEPT = {"present", "implied"}
ANNOTATION = json.loads((SAMPLE_DIR / "stories.json").read_text(encoding="utf-8"))["stories"]


@pytest.fixture(scope="module")
def lineage(sample_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("lineage") / "out.json"
    rc, stdout, err = run("lineage", sample_file, out)
    assert rc == 0, err
    assert "3 stories" in stdout
    return {s["title"]: s for s in json.loads(out.read_text(encoding="utf-8"))["stories"]}


def by_key(story: dict, exported: dict) -> dict[str, dict]:
    """annotation telling key -> exported telling, matched on document and span."""
    spans = {(t["document"], t["start"], t["end"]): t for t in exported["tellings"]}
    return {t["key"]: spans[(t["document"], t["start"], t["end"])] for t in story["tellings"]}


def element_keys(story: dict, exported: dict) -> dict[int, str]:
    labels = {e["label"]: e["key"] for e in story["elements"]}
    return {e["id"]: labels[e["label"]] for e in exported["elements"]}


def realized(telling: dict) -> dict[str, dict]:
    return {r["element"]: r for r in telling["realizations"]}


def told_order(telling: dict, canonical: list[str]) -> list[str]:
    told = [r for r in telling["realizations"] if r["status"] != "absent" and r["position"] is not None]
    return [r["element"] for r in sorted(told, key=lambda r: (r["position"], canonical.index(r["element"])))]


def expected_generations(story: dict) -> dict[str, int | None]:
    # first-hand tellings (protagonist, eyewitnesses) are generation 0
    gen = {t["key"]: (0 if t["role"] in ("protagonist", "eyewitness") else None) for t in story["tellings"]}
    heard = {}
    for x in story["transmissions"]:
        if isinstance(x["from"], str):
            heard.setdefault(x["from"], []).append(x["to"])
    queue = deque(k for k, g in gen.items() if g == 0)
    while queue:
        k = queue.popleft()
        for nxt in heard.get(k, []):
            if gen[nxt] is None:
                gen[nxt] = gen[k] + 1
                queue.append(nxt)
    return gen


def expected_apparatus(telling: dict, ref: dict | None, story: dict) -> tuple[list, float | None]:
    """(discrepancies as (type, element keys), Kendall tau) of a telling against the reference:
    the protagonist's telling, or (no protagonist) the canonical story — every element in
    ordinal order, the core ones present, no wording of its own."""
    canonical = [e["key"] for e in story["elements"]]
    labels = {e["key"]: e["label"] for e in story["elements"]}
    here = realized(telling)

    def status(side: dict | None, key: str) -> str:
        if side is None:
            return "present" if next(e for e in story["elements"] if e["key"] == key)["kind"] == "core" else "absent"
        r = realized(side).get(key)
        return r["status"] if r else "absent"

    def wording(side: dict, key: str) -> str:
        return " ".join((realized(side)[key]["variant"] or labels[key]).casefold().split())

    found = []
    for key in canonical:
        h, r = status(telling, key), status(ref, key)
        if (h == "contradicted") != (r == "contradicted"):
            found.append(("contradiction", [key]))
        elif r in KEPT and h == "absent":
            found.append(("omission", [key]))
        elif h in KEPT and r == "absent":
            found.append(("addition", [key]))
        elif ref is not None and key in here and (
                (h in KEPT and r in KEPT) or h == r == "contradicted") and wording(telling, key) != wording(ref, key):
            found.append(("substitution", [key]))
    mine = told_order(telling, canonical)
    theirs = canonical if ref is None else told_order(ref, canonical)
    rank = {k: i for i, k in enumerate(mine)}
    common = [k for k in theirs if k in rank]
    swapped = [(a, b) for i, a in enumerate(common) for b in common[i + 1:] if rank[b] < rank[a]]
    found += [("transposition", [a, b]) for a, b in swapped]
    pairs = len(common) * (len(common) - 1) // 2
    return found, ((pairs - 2 * len(swapped)) / pairs if pairs else None)


@pytest.mark.parametrize("story", ANNOTATION, ids=[s["title"] for s in ANNOTATION])
def test_every_telling_with_role_generation_sequence_and_discrepancies(lineage, story):
    exported = lineage[story["title"]]
    assert [e["label"] for e in exported["elements"]] == [e["label"] for e in story["elements"]]
    assert [e["kind"] for e in exported["elements"]] == [e["kind"] for e in story["elements"]]
    assert len(exported["tellings"]) == len(story["tellings"])
    tellings = by_key(story, exported)
    keys = element_keys(story, exported)
    canonical = [e["key"] for e in story["elements"]]
    protagonists = [t for t in story["tellings"] if t["role"] == "protagonist"]
    ref = protagonists[0] if protagonists else None
    assert exported["reference_telling"] == (tellings[ref["key"]]["id"] if ref else None)
    generations = expected_generations(story)
    for t in story["tellings"]:
        got = tellings[t["key"]]
        assert (got["teller"], got["role"], got["told_on"]) == (t["teller"], t["role"], t["told_on"]), t["key"]
        assert got["generation"] == generations[t["key"]], t["key"]
        assert [keys[e] for e in got["sequence"]] == told_order(t, canonical), t["key"]
        discrepancies, tau = expected_apparatus(t, ref, story)
        assert [(d["type"], [keys[e] for e in d["elements"]]) for d in got["discrepancies"]] == discrepancies, t["key"]
        assert got["kendall_tau"] == pytest.approx(tau) if tau is not None else got["kendall_tau"] is None
        assert {keys[r["element"]]: (r["status"], r["position"], r["start"], r["end"], r["variant"])
                for r in got["realizations"]} == {
            r["element"]: (r["status"], r["position"], r["start"], r["end"], r["variant"]) for r in t["realizations"]}


@pytest.mark.parametrize("story", ANNOTATION, ids=[s["title"] for s in ANNOTATION])
def test_transmissions_as_annotated(lineage, story):
    exported = lineage[story["title"]]
    tellings = by_key(story, exported)
    expected = []
    for x in story["transmissions"]:
        src = x["from"]
        source = (tellings[src]["id"], None, None) if isinstance(src, str) else (None, src.get("case"), src.get("text"))
        ev = x["evidence"]
        expected.append((*source, tellings[x["to"]]["id"], x["basis"], (ev["document"], ev["start"], ev["end"])))
    got = [(x["from"], x["from_case"], x["from_text"], x["to"], x["basis"],
            (x["evidence"]["document"], x["evidence"]["start"], x["evidence"]["end"]))
           for x in exported["transmissions"]]
    assert got == expected
    assert exported["cycles"] == []


def test_the_sample_shows_drift_and_retold_variants(lineage):
    """Spot checks a reader of the transcripts can verify by eye."""
    flood = lineage["The Halden flood"]
    by_teller = {t["teller"]: t for t in flood["tellings"]}
    label = {e["id"]: e["label"] for e in flood["elements"]}
    ander = [d for d in by_teller["Joaquim Ander"]["discrepancies"] if d["type"] == "substitution"]
    assert any("a fire, not a flood" in d["detail"] for d in ander)
    lenz = by_teller["Kasimir Lenz"]["discrepancies"]
    assert any(d["type"] == "contradiction" and "advance" in label[d["elements"][0]] for d in lenz)
    assert by_teller["Anton Mayer"]["generation"] == 2  # Halden -> Quell -> Mayer
    drift = {d["generation"]: d for d in flood["drift_by_generation"]}
    story = next(s for s in ANNOTATION if s["title"] == "The Halden flood")
    core = [e["key"] for e in story["elements"] if e["kind"] == "core"]
    gens = expected_generations(story)
    for g in (0, 1, 2):
        kept = [sum(realized(t)[k]["status"] in ("present", "implied") for k in core) / len(core)
                for t in story["tellings"] if gens[t["key"]] == g]
        assert drift[g]["tellings"] == len(kept)
        assert drift[g]["core_kept"] == pytest.approx(sum(kept) / len(kept))


def test_one_story_by_title_and_unknown_story(sample_file, tmp_path):
    out = tmp_path / "one.json"
    rc, _, err = run("lineage", sample_file, out, "--story", "Varga's cells")
    assert rc == 0, err
    assert [s["title"] for s in json.loads(out.read_text())["stories"]] == ["Varga's cells"]
    rc, out_, err = run("lineage", sample_file, tmp_path / "x.json", "--story", "The missing story")
    assert rc == 2 and err.startswith("error: no story") and len(err.splitlines()) == 1
    assert not (tmp_path / "x.json").exists()
