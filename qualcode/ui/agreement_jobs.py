"""What the agreement dialog runs in a worker: comparing coders, and accepting every agreement
into the consensus coder. Each job opens a connection of its own (read-only for comparing) and
reports progress; Cancel is honoured between steps, and a cancelled accept rolls back whole.

Also here: the coders-versus-consensus figures, which both jobs measure at the end (so the
dialog shows them without measuring on the GUI thread) and the dialog measures again, for
one code, after each decision.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import QualCodeError
from ..services import adjudicate, agreement, disagreements, project
from ..services.progress import Progress
from .workers import all_or_nothing


def versus_consensus(db, res: agreement.Agreement, consensus: str, known: dict | None = None,
                     code: str | None = None) -> dict[str, agreement.Agreement | None]:
    """Alpha between each compared coder and the consensus coder, per code and overall, on
    the same unit, codes and documents as ``res`` (None for a coder while there is no
    consensus coder). With ``code`` and the ``known`` figures, only that code is measured
    again and the overall figure pooled anew."""
    paths = list(res.per_code)
    docs = list(res.selection.doc_names) or None
    out: dict[str, agreement.Agreement | None] = {}
    for coder in res.selection.coders:
        pair = [coder, consensus]
        try:
            before = (known or {}).get(coder)
            if code is not None and before is not None:
                out[coder] = before.updated(agreement.measure(db, pair, res.unit, [code], docs))
            else:
                out[coder] = agreement.measure(db, pair, res.unit, paths or None, docs)
        except QualCodeError:  # no consensus coder yet
            out[coder] = None
    return out


def compare_job(path: Path, coders: list[str], unit: str, consensus: str):
    """(agreement, disagreements, versus-consensus figures), or None when cancelled."""
    def job(progress: Progress):
        with project.open_project(path, readonly=True) as db:
            progress.report(0, 3, "measuring agreement")
            result = agreement.measure(db, coders, unit)
            if progress.cancelled:
                return None
            progress.report(1, 3, "finding disagreements")
            items = disagreements.find(db, result.selection.coders, selection=result.selection)
            if progress.cancelled:
                return None
            progress.report(2, 3, "measuring against the consensus")
            return result, items, versus_consensus(db, result, consensus)
    return job


def accept_job(path: Path, readonly: bool, res: agreement.Agreement, args: tuple):
    """(``adjudicate.AgreementsAccepted``, versus-consensus figures), or None when cancelled
    (nothing written). ``args``: coders, consensus coder, codes, documents."""
    def job(progress: Progress):
        with project.open_project(path, readonly=readonly, backups=0) as db:  # the window made the backup
            progress.report(0, 2, "copying the agreed stretches")
            done = all_or_nothing(db, progress, lambda: adjudicate.accept_agreements(db, *args))
            if done is None:
                return None
            progress.report(1, 2, "measuring against the consensus")
            return done, versus_consensus(db, res, args[1])
    return job
