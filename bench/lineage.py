"""Lineage JSON for one story of 50 tellings × 30 elements (PERFORMANCE.md: ≤ 0.5 s).

The story is built through the ordinary services (untimed) in a project of its own: one long
interview, 50 informants, 30 elements (a third of them details), every telling realizing every
element with a shuffled told order, some absent or contradicted beats and variant wordings, and
a transmission tree (each hearsay telling heard from an earlier telling, a few inferred) plus
one cycle. Timed is what ``qualcode lineage PROJECT OUT.json`` computes: the lineage dict of
the project through the service, serialised to JSON.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.harness import Report, log, time_per_op

from qualcode.services import cases, documents, lineage, project, stories, transmissions

TELLINGS, ELEMENTS = 50, 30
REPEAT = 5
SEED = "lineage-50x30"
PASSAGE = 400  # characters per telling in the synthetic interview


def build_story(path: Path) -> tuple:
    rng = random.Random(SEED)
    db = project.new_project(path)
    text = "".join(f"Speaker {i}: " + "We heard the story of the flood and the nights. " * 9 + "\n\n"
                   for i in range(TELLINGS))
    documents.store_document(db, name="interviews", text=text)
    sheet = path.with_name("informants.csv")
    sheet.write_text("case,kind\n" + "".join(f"Informant {i},informant\n" for i in range(TELLINGS)), encoding="utf-8")
    cases.import_cases(db, sheet)
    with db.transaction():
        sid = stories.add_story(db, "Synthetic flood")
        elements = [stories.add_element(db, sid, f"beat {k}", "detail" if k % 3 == 2 else "core")
                    for k in range(ELEMENTS)]
        tellings, heard_from = [], {}
        for i in range(TELLINGS):
            role = "protagonist" if i == 0 else rng.choice(["eyewitness", "hearsay", "hearsay", "hearsay"])
            heard = rng.choice(tellings) if tellings and role == "hearsay" else None
            tid = stories.tell(db, sid, "interviews", i * PASSAGE, (i + 1) * PASSAGE, f"Informant {i}", role,
                               heard_from=heard, basis=rng.choice(["stated", "stated", "inferred"]))
            tellings.append(tid)
            if heard is not None:
                heard_from[tid] = heard
            order = list(range(ELEMENTS))
            for _ in range(i % 6):  # later tellings drift further from the canonical order
                a, b = rng.randrange(ELEMENTS), rng.randrange(ELEMENTS)
                order[a], order[b] = order[b], order[a]
            for position, k in enumerate(order, start=1):
                status = rng.choices(["present", "absent", "implied", "contradicted"], [70, 15, 10, 5])[0]
                variant = rng.choice([None, None, None, f"variant {rng.randrange(4)}"])
                stories.realize(db, tid, elements[k], status, None if status == "absent" else position,
                                variant=variant)
        hearer, source = max(heard_from.items())  # and a claim back the other way: a cycle
        transmissions.add_transmission(db, source, from_telling=hearer, basis="inferred")
    return db, sid


def bench_lineage_json(report: Report, workdir: Path) -> None:
    from bench.run import target  # run.py registers this module; imported late to avoid a cycle

    db, sid = build_story(workdir / "lineage-50x30.qualcode")
    try:
        doc = lineage.lineage(db)
        story = doc["stories"][0]
        if len(story["tellings"]) != TELLINGS or len(story["elements"]) != ELEMENTS:
            raise RuntimeError("the synthetic story was not built as intended")
        log(f"  lineage: {sum(len(t['discrepancies']) for t in story['tellings'])} discrepancies, "
            f"{len(story['suggested_relations'])} suggested relations, {len(story['cycles'])} cycles")
        seconds = time_per_op(lambda _i: json.dumps(lineage.lineage(db)), REPEAT, warmup=1)
        report.add("lineage_json_50x30", None, seconds, target("lineage_json_50x30", None))
    finally:
        db.close()
