"""Codebooks in and out: REFI-QDA ``.qdc`` (import and export) and a formatted ``.docx``.

A ``.qdc`` import is read and checked whole before anything is written, then applied in one
transaction, so a bad or hostile file leaves the codebook exactly as it was. Codes are
matched by GUID first (a code exported from this project and edited elsewhere comes back onto
itself, renamed or moved as the file says), then by path; everything else is created with the
file's GUID. As with CSV, an empty field in the file never wipes a field in the project.
``isCodable="false"`` (a category other tools do not let you code with) becomes a retired
code, and a retired code is exported as not codable; merged codes are history and are not
exported. Sets (groupings of codes) have no counterpart here and are reported as ignored.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from .. import __version__
from ..core import codebook_diff, codepaths
from ..errors import InvalidInput
from ..io import codebook_docx, qdc
from ..store import audit, codebook_edits, codes as code_store
from ..store.database import Database
from . import codebook, codebook_versions

MB = 1024 * 1024
DEFAULT_LIMIT_MB = 50
LIMIT_VARIABLE = "QUALCODE_MAX_CODEBOOK_MB"
_FIELDS = ("color", "definition", "inclusion", "exclusion", "example")


def size_limit() -> int:
    """Bytes a .qdc may have: ``$QUALCODE_MAX_CODEBOOK_MB`` megabytes, 50 unless set."""
    raw = os.environ.get(LIMIT_VARIABLE, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_LIMIT_MB
    except ValueError:
        raise InvalidInput(f"{LIMIT_VARIABLE} must be a number of megabytes, got {raw!r}") from None
    return int(mb * MB)


def _read_limited(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(f"{path.name} is {size / MB:.0f} MB, over the {limit / MB:.0f} MB limit for a "
                               f"codebook; not imported (set {LIMIT_VARIABLE} to allow more)")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > limit:  # grew while we looked
        raise InvalidInput(f"{path.name} is over the {limit / MB:.0f} MB limit for a codebook; not imported")
    if not data.strip():
        raise InvalidInput(f"{path.name} is empty")
    return data


# -- .qdc import ------------------------------------------------------------------------------------

def import_qdc(db: Database, path: str | Path, max_bytes: int | None = None) -> dict:
    """Import a REFI-QDA codebook; returns {"created", "updated", "unchanged", "ignored_sets"}."""
    path = Path(path)
    codes, sets = qdc.read(_read_limited(path, max_bytes or size_limit()), path.name)
    plan = _plan(db, codes, path.name)
    created = updated = 0
    with db.transaction() as tx:
        for code_id, (old, new) in plan.moves.items():  # park codes that change place first:
            code_store.update(tx, code_id, name=f"~{old.guid}")  # swaps never clash mid-way
        ids: dict[str, int] = {}
        for c in codes:
            key = plan.key[c.guid]
            parent = ids[c.parent] if c.parent else None
            if isinstance(key, int):
                ids[c.guid] = key
                continue
            fields = {f: getattr(c, f) for f in _FIELDS if getattr(c, f)}
            ids[c.guid] = code_store.insert(tx, c.name, parent, guid=c.guid, **fields)
            if not c.codable:
                code_store.update(tx, ids[c.guid], status="retired")
            created += 1
            audit.record(tx, "code.create", code=ids[c.guid], source=path.name)
        for c in codes:
            key = plan.key[c.guid]
            if not isinstance(key, int):
                continue
            old = plan.existing[key]
            changes = {f: getattr(c, f) for f in _FIELDS if getattr(c, f) and getattr(c, f) != getattr(old, f)}
            parent = ids[c.parent] if c.parent else None
            if key in plan.moves:
                changes["name"] = c.name
                if parent != old.parent_id:
                    changes["parent_id"] = parent
            if changes:
                code_store.update(tx, key, **changes)
                audit.record(tx, "code.edit", code=key, source=path.name,
                             **{k: v for k, v in changes.items() if k in ("name", "parent_id")})
                updated += 1
        audit.record(tx, "codebook.import", source=path.name, created=created, updated=updated, ignored_sets=sets)
    return {"created": created, "updated": updated, "unchanged": len(codes) - created - updated, "ignored_sets": sets}


class _Plan:
    def __init__(self):
        self.key: dict[str, object] = {}  # file GUID -> project code id, or ("new", guid)
        self.existing: dict[int, object] = {}
        self.moves: dict[int, tuple] = {}  # code id -> (old code, new (parent key, name))


def _plan(db: Database, codes: list[qdc.QdcCode], source: str) -> _Plan:
    """Where every code of the file lands, checked against the whole resulting codebook: no two
    codes at one path (merged and retired ones count, they keep their names), no cycle."""
    plan = _Plan()
    existing = code_store.list_all(db.conn)
    plan.existing = {c.id: c for c in existing}
    by_guid = {c.guid: c for c in existing}
    at = {(c.parent_id, c.name): c for c in existing if c.status != "merged"}  # merged: history, not a match
    in_file = {c.guid for c in codes}
    state: dict[object, tuple] = {c.id: (c.parent_id, c.name) for c in existing}
    claimed: set[int] = set()
    for c in codes:
        parent = plan.key[c.parent] if c.parent else None
        found = by_guid.get(c.guid)
        if found is None:
            candidate = at.get((parent, c.name)) if isinstance(parent, int) or parent is None else None
            if candidate is not None and candidate.guid not in in_file and candidate.id not in claimed:
                found = candidate
        key = found.id if found is not None else ("new", c.guid)
        if found is not None:
            claimed.add(found.id)
        plan.key[c.guid] = key
        state[key] = (parent, c.name)
        if found is not None and (found.parent_id, found.name) != (parent, c.name):
            plan.moves[found.id] = (found, (parent, c.name))
    numbered = {k: (k if isinstance(k, int) else -n) for n, k in enumerate(state, start=1)}
    paths = codepaths.build((numbered[k], numbered.get(p) if p is not None else None, name)
                            for k, (p, name) in state.items())
    seen: dict[str, object] = {}
    for k in state:
        p = paths[numbered[k]]
        if p in seen:
            raise InvalidInput(f"{source}: importing it would give two codes the path {p!r} (one of them already "
                               "in the project, perhaps merged or retired); rename one of them first")
        seen[p] = k
    return plan


# -- .qdc export ------------------------------------------------------------------------------------

def export_qdc(db: Database, out: Path) -> int:
    rows = codebook.list_codes(db)
    guid = {c.id: c.guid for _p, c in rows}
    codes = [qdc.QdcCode(c.guid, c.name, guid.get(c.parent_id), c.status == "active", c.color, c.definition,
                         c.inclusion, c.exclusion, c.example) for _p, c in rows]
    data = qdc.write(codes, origin=f"QualCode {__version__}")
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    return len(codes)


# -- .docx export -----------------------------------------------------------------------------------

def version_note(db: Database) -> str:
    """Which saved version the exported codebook is, so a printed appendix can be traced."""
    saved = codebook_versions.list_versions(db)
    if not saved:
        return "No codebook version has been saved (qualcode codebook version PROJECT --label L)."
    last = saved[-1]
    changes = codebook_diff.count(codebook_diff.diff(codebook_versions.snapshot(db, last["label"]),
                                                     codebook_versions.live_snapshot(db)))
    when = last["created_at"][:10]
    if not changes:
        return f"Codebook version {last['label']!r}, saved {when}."
    return f"{changes} change(s) since codebook version {last['label']!r}, saved {when}."


def export_docx(db: Database, out: Path, with_counts: bool = False, with_examples: bool = False) -> int:
    rows = codebook.list_codes(db)
    if not rows:
        raise InvalidInput("the codebook is empty; there is nothing to export")
    usage = codebook_edits.usage(db.conn) if with_counts else {}
    samples = codebook_edits.first_examples(db.conn) if with_examples else {}
    entries = [codebook_docx.Entry(p.count(codepaths.SEP), c.name, p, c.status, c.definition, c.inclusion,
                                   c.exclusion, c.example, usage.get(c.id, (0, 0)) if with_counts else None,
                                   samples.get(c.id)) for p, c in rows]
    today = _dt.date.today().isoformat()
    note = f"{len(entries)} codes, exported from {db.path.name} on {today}. {version_note(db)}"
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    codebook_docx.write(out, entries, f"Codebook: {db.path.stem}", note)
    return len(entries)
