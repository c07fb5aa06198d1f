"""Opening and creating projects; whole-project facts.

Every service function takes an open :class:`~qualcode.store.database.Database` and does one
user action in one transaction, so the CLI and the GUI share both behaviour and guarantees.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from ..store import database, project_counts
from ..store.database import Database


def new_project(path: str | Path) -> Database:
    return database.create(Path(path))


def open_project(path: str | Path, readonly: bool = False, backups: int | None = None) -> Database:
    """Open a project; opening it for writing also makes the rotating backup when one is due,
    keeping the newest ``backups`` (default: ``$QUALCODE_BACKUPS``, else 5; see
    :mod:`qualcode.services.backup`)."""
    if readonly:
        return database.open_db(Path(path), readonly=True)
    from . import backup

    keep = backup.backups_to_keep() if backups is None else backups  # a bad setting stops nothing half-done
    db = database.open_db(Path(path))
    backup.on_open(db, keep)
    return db


def info(db: Database) -> dict:
    """The `qualcode info --json` document."""
    return asdict(project_counts.counts(db.conn))
