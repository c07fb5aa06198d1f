"""Starter codebooks: ready-made codebooks a new project can begin with.

They are ordinary codebook files (.csv, .md or .qdc) in ``resources/codebooks/``; an optional
``starters.json`` there maps a starter's name (its file stem) to a one-line description. The
folder is ``$QUALCODE_RESOURCES/codebooks`` when that variable is set, else the one beside the
package (a source checkout).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFound
from ..store.database import Database
from . import codebook, project

SUFFIXES = (".csv", ".md", ".qdc")


@dataclass(frozen=True)
class Starter:
    name: str
    path: Path
    description: str


def folder() -> Path:
    env = os.environ.get("QUALCODE_RESOURCES")
    return (Path(env) if env else Path(__file__).resolve().parents[2] / "resources") / "codebooks"


def list_starters() -> list[Starter]:
    """Every starter codebook, by name."""
    here = folder()
    if not here.is_dir():
        return []
    try:
        about = json.loads((here / "starters.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        about = {}
    return [Starter(p.stem, p, str(about.get(p.stem, ""))) for p in sorted(here.iterdir())
            if p.suffix.lower() in SUFFIXES and p.is_file()]


def resolve(ref: str) -> Path:
    """A starter's name, or the path of any codebook file."""
    for s in list_starters():
        if s.name == ref:
            return s.path
    candidate = Path(ref)
    if candidate.suffix.lower() in SUFFIXES and candidate.is_file():
        return candidate
    names = ", ".join(s.name for s in list_starters()) or "none installed"
    raise NotFound(f"no starter codebook {ref!r} (starters: {names}; or give the path of a .csv, .md or .qdc file)")


def new_project(path: str | Path, codebook_ref: str | None = None) -> Database:
    """A new project, with the codebook ``codebook_ref`` (a starter's name or a file) when given.
    If the codebook cannot be imported, no project file is left behind."""
    source = resolve(codebook_ref) if codebook_ref else None
    db = project.new_project(path)
    if source is None:
        return db
    try:
        codebook.import_file(db, source)
    except BaseException:
        db.close()
        for leftover in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return db


def describe(starter: Starter) -> dict:
    return {"name": starter.name, "path": str(starter.path), "description": starter.description}

