"""Reports on the built project: the frequency table and the co-occurrence matrix, timed
through the service functions the CLI and the report panel call (queries included, writing
the output file not).

``report_frequency`` is ``qualcode report frequency PROJECT OUT`` (one total per code: codings
and distinct documents), the question the bare ``GROUP BY`` baseline answers without the
documents; ``report_frequency_by_document`` adds a column group per document (at L a
50 x 2,000 table). Both report their ratio to ``frequency_group_by_bare`` of the same run.
"""

from __future__ import annotations

from bench.harness import Report, time_per_op

from qualcode.services.reports.cooccurrence import cooccurrence
from qualcode.services.reports.frequency import frequency

REPEAT = 3  # repetitions after one warm-up


def bench_report_frequency(ctx, report: Report) -> None:
    from bench.run import target  # run.py registers this module; imported late to avoid a cycle

    for name, by in (("report_frequency", None), ("report_frequency_by_document", "document")):
        if frequency(ctx.db, by=by).total_codings.sum() != ctx.inputs.codings:
            raise RuntimeError(f"{name} does not count every generated coding")
        seconds = time_per_op(lambda _i: frequency(ctx.db, by=by), REPEAT, warmup=1)
        report.add(name, ctx.scale, seconds, target(name, ctx.scale), baseline="frequency_group_by_bare")


def bench_report_cooccurrence(ctx, report: Report) -> None:
    from bench.run import target

    if cooccurrence(ctx.db).counts.trace() != ctx.inputs.codings:
        raise RuntimeError("report_cooccurrence does not see every generated coding")
    seconds = time_per_op(lambda _i: cooccurrence(ctx.db), REPEAT, warmup=1)
    report.add("report_cooccurrence", ctx.scale, seconds, target("report_cooccurrence", ctx.scale))
