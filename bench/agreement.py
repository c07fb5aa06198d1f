"""Character-level agreement (``qualcode agreement PROJECT --coders A,B``) on the built project.

At M this is 2 coders, 50 codes and 10 M characters: 500 million (code, character) units.
Timed through the service the CLI calls, including the query that loads the codings.
"""

from __future__ import annotations

from bench.harness import Report, time_per_op

from qualcode.services import agreement

REPEAT = 3  # repetitions after one warm-up


def bench_agreement_character(ctx, report: Report) -> None:
    from bench.run import target  # run.py registers this module; imported late to avoid a cycle

    coders = ctx.inputs.coders[:2]
    doc = agreement.compute(ctx.db, coders)
    if doc["documents"] == 0 or not doc["per_code"]:
        raise RuntimeError(f"agreement found nothing to compare for {coders}")
    seconds = time_per_op(lambda _i: agreement.compute(ctx.db, coders), REPEAT, warmup=0)
    report.add("agreement_character", ctx.scale, seconds, target("agreement_character", ctx.scale))
