"""Build the demo project from ``sample_transcripts/``.

The sample is ordinary input run through the ordinary services (codebook import, document
import, cases import, codings import, recorded stories), so building it also exercises the whole
import path.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InvalidInput
from ..store.database import Database
from . import cases, codebook, coding, documents, project, story_import
from .progress import SILENT, Progress


def sample_dir() -> Path:
    """The sample folder: $QUALCODE_SAMPLE_DIR, else the one beside the package (source checkout)."""
    env = os.environ.get("QUALCODE_SAMPLE_DIR")
    here = Path(env) if env else Path(__file__).resolve().parents[2] / "sample_transcripts"
    if not (here / "codebook.csv").is_file():
        raise InvalidInput(f"sample data not found in {here} (set QUALCODE_SAMPLE_DIR to the sample_transcripts folder)")
    return here


def build_sample(path: str | Path, source: Path | None = None, progress: Progress = SILENT) -> Database:
    src = source or sample_dir()
    transcripts = sorted(src.glob("[0-9][0-9]_*.txt"))
    db = project.new_project(path)
    try:
        steps = 5
        progress.report(0, steps, "codebook")
        codebook.import_file(db, src / "codebook.csv")
        progress.report(1, steps, "transcripts")
        report = documents.import_files(db, transcripts)
        if report.skipped:
            raise InvalidInput(f"sample transcript skipped: {report.skipped[0][0]}: {report.skipped[0][1]}")
        progress.report(2, steps, "cases")
        if (src / "cases.csv").is_file():
            cases.import_cases(db, src / "cases.csv")
        progress.report(3, steps, "codings")
        for f in sorted(src.glob("codings_*.csv")):
            coding.import_csv(db, f)
        progress.report(4, steps, "stories")
        if (src / "stories.json").is_file():
            story_import.import_stories(db, src / "stories.json")
        progress.report(steps, steps, "done")
    except BaseException:
        db.close()
        Path(path).unlink(missing_ok=True)
        for side in ("-wal", "-shm"):
            Path(str(path) + side).unlink(missing_ok=True)
        raise
    return db
