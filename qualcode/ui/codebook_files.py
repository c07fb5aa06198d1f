"""File › Import codebook… and File › Export codebook…: a file dialog around the codebook
services (.qdc, .csv, .md in; .qdc, .docx, .csv, .md out).

An import is not an undo step (it can touch every code); the tree refreshes through
``Session.codes_changed()`` and a refused file is reported in the service's words with the
codebook unchanged. Codebook files are small, so both run on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import QualCodeError
from ..services import codebook
from .session import Session

IMPORT_FILTER = "Codebooks (*.qdc *.csv *.md);;REFI-QDA codebook (*.qdc);;CSV (*.csv);;Markdown (*.md)"
EXPORT_FILTER = ("REFI-QDA codebook (*.qdc);;Word document (*.docx);;CSV (*.csv);;Markdown (*.md)")


def import_codebook(parent: QWidget | None, session: Session, path: str | Path | None = None) -> dict | None:
    """Import ``path`` (asked for when None); returns the service's counts, or None."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, "Import codebook", "", IMPORT_FILTER)
        if not path:
            return None
    try:
        result = codebook.import_file(session.db, path)
    except QualCodeError as exc:
        session.report(exc)
        return None
    session.codes_changed()
    return result


def export_codebook(parent: QWidget | None, session: Session, path: str | Path | None = None,
                    with_counts: bool = False, with_examples: bool = False) -> int | None:
    """Write the codebook to ``path`` (asked for when None); returns how many codes, or None."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(parent, "Export codebook", "codebook.qdc", EXPORT_FILTER)
        if not path:
            return None
    try:
        return codebook.export_file(session.db, path, with_counts=with_counts, with_examples=with_examples)
    except QualCodeError as exc:
        session.report(exc)
        return None
