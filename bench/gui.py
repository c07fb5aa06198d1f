"""GUI timings, offscreen: the window shown with a project open (at every scale), and on one
1 MB transcript with 5,000 codings the first paint, applying a coding and undoing it.

"Shown" and "painted" mean the event queue has been drained and the window (or the document
view and its stripe margin) repainted synchronously, so the figures include layout and
painting, not only the data loading.
"""

from __future__ import annotations

import csv
import os
import random
import time
from pathlib import Path

from bench import synth
from bench.harness import Report, log

from qualcode.services import codebook, coding, documents, project

TARGETS = {
    "gui_window_shown": 1.5,
    "gui_first_paint_1mb_5000": 0.5,
    "gui_apply_coding": 0.05,
    "gui_undo_coding": 0.05,
}
BIG_CHARS = 1_000_000
BIG_CODINGS = 5_000
EDITS = 20  # apply (then undo) this many codings and report the mean
SEED = 4


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["qualcode-bench"])


def _window():
    from qualcode.ui.main_window import MainWindow

    w = MainWindow(restore_state=False)
    w.resize(1400, 900)
    return w


def _paint_view(app, w) -> None:
    app.processEvents()
    w.view.viewport().repaint()
    w.view.margin.repaint()


def bench_window_shown(ctx, report: Report) -> None:
    """From creating the window to the first full paint with ``ctx``'s project open."""
    app = _app()
    t = time.perf_counter()
    w = _window()
    w.show()
    w.open_project(ctx.path)
    app.processEvents()
    w.repaint()
    seconds = time.perf_counter() - t
    w.close_project()
    w.close()
    w.deleteLater()
    app.processEvents()
    report.add("gui_window_shown", ctx.scale, seconds, TARGETS["gui_window_shown"])


def _build_big(workdir: Path) -> tuple[Path, str, list[str]]:
    """A project with a short document (opened first) and the 1 MB one with its codings."""
    rng = random.Random(SEED)
    path = workdir / "bench-gui-1mb.qualcode"
    db = project.new_project(path)
    try:
        book = workdir / "gui-codebook.csv"
        with open(book, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["path"])
            w.writerows([p] for p in synth.code_paths())
        codebook.import_file(db, book)
        documents.store_document(db, name="a_short", text=synth.document_text(rng, 2_000))
        text = synth.document_text(rng, BIG_CHARS)
        documents.store_document(db, name="big", text=text)
        paths = synth.code_paths()
        rows = []
        for _ in range(BIG_CODINGS):
            length = min(int(rng.lognormvariate(5.0, 0.7)) + 15, 2000)
            start = rng.randrange(0, len(text) - length)
            rows.append(["big", rng.choice(paths), rng.choice(synth.CODERS[:2]), start, start + length, "", ""])
        codings_csv = workdir / "gui-codings.csv"
        with open(codings_csv, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["document", "code", "coder", "start", "end", "text", "memo"])
            w.writerows(rows)
        coding.import_csv(db, codings_csv)
    finally:
        db.close()
    return path, text, paths


def bench_big_document(report: Report, workdir: Path) -> None:
    path, text, paths = _build_big(workdir)
    log(f"gui: 1 document of {len(text):,} characters with {BIG_CODINGS:,} codings")
    app = _app()
    w = _window()
    w.show()
    w.open_project(path)
    app.processEvents()
    big = next(d.id for d in documents.list_documents(w.session.db) if d.name == "big")

    t = time.perf_counter()
    w.open_document(big)
    _paint_view(app, w)
    report.add("gui_first_paint_1mb_5000", None, time.perf_counter() - t, TARGETS["gui_first_paint_1mb_5000"])
    log(f"  stripe lanes: {w.view.painted.lane_count}")

    rng = random.Random(SEED + 1)
    code_ids = [codebook.index(w.session.db).resolve(p) for p in paths]
    spans = []
    for _ in range(EDITS):
        start = rng.randrange(0, len(text) - 400)
        spans.append((start, start + rng.randint(30, 300)))
    applied = 0.0
    for start, end in spans:
        w.view.select_span(start, end)
        _paint_view(app, w)
        t = time.perf_counter()
        assert w.coding_actions.apply(rng.choice(code_ids))
        _paint_view(app, w)
        applied += time.perf_counter() - t
    report.add("gui_apply_coding", None, applied / EDITS, TARGETS["gui_apply_coding"])
    undone = 0.0
    for _ in spans:
        t = time.perf_counter()
        w.session.undo_stack.undo()
        _paint_view(app, w)
        undone += time.perf_counter() - t
    report.add("gui_undo_coding", None, undone / EDITS, TARGETS["gui_undo_coding"])
    w.close_project()
    w.close()
    w.deleteLater()
    app.processEvents()
