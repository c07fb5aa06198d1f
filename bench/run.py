"""The benchmark suite: ``python -m bench [--scales S,M,L] [--quick] [--keep]``.

For each scale it builds a fresh project from the cached synthetic inputs through the ordinary
services (codebook, documents, codings), timing the steps that have a target in
PERFORMANCE.md, then times operations on the built project. Bare-SQLite lower bounds are
measured in the same run, on the same file, and ratios are taken against them.

Adding an operation: write a function ``(ctx, report) -> None`` that calls ``report.add`` and
append it to ``ON_PROJECT`` (it then runs on the built project at every scale), using
:func:`target` for its target and a baseline name for its lower bound.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):  # run as ``python bench/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synth  # noqa: E402
from bench.agreement import bench_agreement_character  # noqa: E402
from bench.gui import bench_big_document, bench_window_shown  # noqa: E402
from bench.harness import Report, log, machine, table, time_once, time_per_op, write_json  # noqa: E402
from bench.lineage import bench_lineage_json  # noqa: E402
from bench.reports import bench_report_cooccurrence, bench_report_frequency  # noqa: E402

from qualcode.services import codebook, coding, documents, project  # noqa: E402
from qualcode.store.database import Database  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"

# (operation, scale) -> seconds, from PERFORMANCE.md; scale "*" applies at every scale.
TARGETS: dict[tuple[str, str], float] = {
    ("cli_help", "*"): 0.3,
    ("import_text", "M"): 3.0,
    ("import_codings_csv", "M"): 1.0,
    ("store_one_coding", "*"): 0.002,
    ("agreement_character", "M"): 1.0,
    ("lineage_json_50x30", "*"): 0.5,
    ("report_frequency", "L"): 2.0,
    ("report_frequency_by_document", "L"): 2.0,
    ("report_cooccurrence", "M"): 1.0,
}
STORE_CALLS = 200  # add_coding calls averaged for store_one_coding
REPEAT_QUERY = 5  # repetitions of a sub-second query (after one warm-up)


def target(name: str, scale: str | None) -> float | None:
    return TARGETS.get((name, scale or "*"), TARGETS.get((name, "*")))


@dataclass
class Ctx:
    """One scale's built project, open for writing, and what it was built from."""

    inputs: synth.Inputs
    path: Path
    db: Database

    @property
    def scale(self) -> str:
        return self.inputs.scale.name


# -- operations independent of any project --------------------------------------------------------

def _qualcode_command() -> list[str]:
    exe = Path(sys.executable).with_name("qualcode")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("qualcode")
    return [found] if found else [sys.executable, "-m", "qualcode"]


def bench_cli_help(report: Report) -> None:
    """``qualcode --help`` as a user runs it: a new process, interpreter start-up included."""
    cmd = _qualcode_command() + ["--help"]

    def run(_i: int) -> None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    report.add("cli_help", None, time_per_op(run, REPEAT_QUERY, warmup=1), target("cli_help", None))


# -- building the project (timed) -----------------------------------------------------------------

def bench_read_baseline(inputs: synth.Inputs, report: Report) -> None:
    """Lower bound for text import: read and decode the same files (after one warm read, so
    both this and the import find them in the OS cache)."""

    def read() -> int:
        return sum(len(p.read_bytes().decode("utf-8")) for p in inputs.doc_files)

    read()
    seconds, _ = time_once(read)
    report.add("read_text_files", inputs.scale.name, seconds)


def build_project(inputs: synth.Inputs, workdir: Path, report: Report) -> Ctx:
    scale = inputs.scale.name
    path = workdir / f"bench-{scale}.qualcode"
    db = project.new_project(path)
    codebook.import_file(db, inputs.codebook_csv)  # 58 codes: not timed

    seconds, rep = time_once(lambda: documents.import_files(db, [inputs.docs_dir]))
    if rep.skipped or len(rep.imported) != len(inputs.doc_files):
        raise RuntimeError(f"import skipped files: {rep.skipped[:3]}")
    report.add("import_text", scale, seconds, target("import_text", scale), baseline="read_text_files")

    total = 0.0
    added = 0
    for i, csv_path in enumerate(inputs.codings_csvs):
        seconds, n = time_once(lambda: coding.import_csv(db, csv_path))
        total += seconds
        added += n
        if len(inputs.codings_csvs) > 1:
            log(f"    {csv_path.name}: {n} codings in {seconds:.2f} s ({i + 1}/{len(inputs.codings_csvs)})")
    if added != inputs.codings:
        raise RuntimeError(f"imported {added} codings, expected {inputs.codings}")
    # At L this is 1M codings in 100k-row files, one service call per file.
    report.add("import_codings_csv", scale, total, target("import_codings_csv", scale))
    return Ctx(inputs, path, db)


# -- operations on the built project ---------------------------------------------------------------

def bench_store_one_coding(ctx: Ctx, report: Report) -> None:
    """add_coding as the CLI calls it (document name, code path, coder name): one transaction
    with its audit entry, averaged over STORE_CALLS calls on the full project."""
    rng = random.Random(f"{synth.SEED}-store-{ctx.scale}")
    docs = [(d.name, d.chars) for d in documents.list_documents(ctx.db)]
    paths = synth.code_paths()
    coder = ctx.inputs.coders[0]
    calls = []
    for _ in range(STORE_CALLS + 5):
        name, chars = rng.choice(docs)
        start = rng.randrange(0, chars - 300)
        calls.append((name, rng.choice(paths), start, start + rng.randint(20, 300)))

    def store(i: int) -> None:
        name, code, start, end = calls[i]
        coding.add_coding(ctx.db, name, code, start, end, coder)

    report.add("store_one_coding", ctx.scale, time_per_op(store, STORE_CALLS, warmup=5),
               target("store_one_coding", ctx.scale))


def _bare_query(ctx: Ctx, sql: str) -> float:
    """Mean seconds of ``sql`` (all rows fetched) on its own read-only connection to the
    project file, after one warm-up. Direct SQL belongs here only: it is the lower bound."""
    conn = sqlite3.connect(f"{ctx.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return time_per_op(lambda _i: conn.execute(sql).fetchall(), REPEAT_QUERY, warmup=1)
    finally:
        conn.close()


def bench_frequency_bare(ctx: Ctx, report: Report) -> None:
    """The lower bound for the frequency report (the baseline later entries compare to)."""
    report.add("frequency_group_by_bare", ctx.scale,
               _bare_query(ctx, "SELECT code_id, count(*) FROM coding GROUP BY code_id"))


# Run in this order on the built project at every scale. Writers (store_one_coding) come
# after the readers so the readers see exactly the generated data.
ON_PROJECT: list[Callable[[Ctx, Report], None]] = [
    bench_frequency_bare,
    bench_report_frequency,
    bench_report_cooccurrence,
    bench_agreement_character,
    bench_window_shown,
    bench_store_one_coding,
]


def check_file_size(ctx: Ctx, report: Report) -> None:
    """project file size ≤ 2 × raw text + 150 bytes per coding (PERFORMANCE.md), measured after
    closing, when SQLite has checkpointed the write-ahead log into the file."""
    codings = project.info(ctx.db)["codings"]
    ctx.db.close()
    size = sum(p.stat().st_size for p in (ctx.path, Path(f"{ctx.path}-wal")) if p.exists())
    report.check("project_file_size", ctx.scale, size, 2 * ctx.inputs.raw_bytes + 150 * codings)


# -- main ---------------------------------------------------------------------------------------

def run_scale(scale: str, workdir: Path, report: Report) -> None:
    inputs = synth.generate(scale, log=log)
    log(f"scale {scale}: {len(inputs.doc_files)} documents ({inputs.raw_bytes / 1e6:.1f} MB), "
        f"{inputs.codings} codings, {len(inputs.coders)} coders")
    bench_read_baseline(inputs, report)
    ctx = build_project(inputs, workdir, report)
    try:
        for op in ON_PROJECT:
            op(ctx, report)
        check_file_size(ctx, report)
    finally:
        ctx.db.close()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="QualCode benchmark suite (docs: bench/README.md)")
    p.add_argument("--scales", default="S,M,L", help="comma-separated scales to run (default S,M,L)")
    p.add_argument("--quick", action="store_true", help="scale S only: a smoke run for CI")
    p.add_argument("--keep", action="store_true", help="keep the built project files (path is printed)")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    a = p.parse_args(argv)
    a.scales = ["S"] if a.quick else [s.strip().upper() for s in a.scales.split(",") if s.strip()]
    bad = [s for s in a.scales if s not in synth.SCALES]
    if bad or not a.scales:
        p.error(f"unknown scale(s) {', '.join(bad) or '(none)'}; choose from {', '.join(synth.SCALES)}")
    return a


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    report = Report()
    workdir = Path(tempfile.mkdtemp(prefix="qualcode-bench-run-"))
    try:
        log("cli")
        bench_cli_help(report)
        log("lineage")
        bench_lineage_json(report, workdir)
        log("gui")
        bench_big_document(report, workdir)
        for scale in args.scales:
            run_scale(scale, workdir, report)
    finally:
        if args.keep:
            log(f"projects kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(report))
    write_json(report, args.out, info)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
