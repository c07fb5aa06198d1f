"""Labelled snapshots of the codebook, the differences between any two, and one code's history.

A version is a JSON snapshot of every code (merged and retired ones included) with its GUID,
path, parent GUID, fields, status and ``merged_into`` GUID, so it stays readable whatever
happens to the live codebook later. The label ``current`` always means the live codebook.
Differences are computed by GUID (:mod:`qualcode.core.codebook_diff`).
"""

from __future__ import annotations

import json

from ..core import codebook_diff, guids
from ..errors import InvalidInput, NotFound
from ..store import audit, code_history as history_store, codes as code_store, coders as coder_store
from ..store.database import Database
from . import codebook

CURRENT = "current"
FORMAT = 1
_FIELDS = ("name", "color", "definition", "inclusion", "exclusion", "example", "memo", "status")


def live_snapshot(db: Database) -> list[dict]:
    """The codebook as it is now, in tree order, in the snapshot form."""
    rows = codebook.list_codes(db, include_merged=True)
    guid = {c.id: c.guid for _p, c in rows}
    return [{"guid": c.guid, "path": p, "parent": guid.get(c.parent_id), "merged_into": guid.get(c.merged_into),
             **{f: getattr(c, f) for f in _FIELDS}} for p, c in rows]


def save_version(db: Database, label: str, coder: str | None = None) -> dict:
    """Snapshot the live codebook under ``label``; returns {"label", "codes"}."""
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput("a codebook version needs a label (--label L)")
    if label.lower() == CURRENT:
        raise InvalidInput(f"{CURRENT!r} always means the live codebook; choose another label")
    if history_store.version(db.conn, label) is not None:
        raise InvalidInput(f"there is already a codebook version {label!r}; choose another label")
    codes = live_snapshot(db)
    with db.transaction() as tx:
        coder_id = coder_store.acting(tx, coder)
        history_store.insert_version(tx, label, coder_id, json.dumps({"format": FORMAT, "codes": codes},
                                                                   ensure_ascii=False))
        audit.record(tx, "codebook.version", coder_id, label=label, codes=len(codes),
                     **({"by": coder.strip()} if coder and coder.strip() else {}))
    return {"label": label, "codes": len(codes)}


def list_versions(db: Database) -> list[dict]:
    return [{"label": label, "created_at": ts, "coder": who, "codes": n}
            for _id, label, ts, who, n in history_store.versions(db.conn)]


def snapshot(db: Database, label: str | None) -> list[dict]:
    """The codes of version ``label``; None or ``current`` is the live codebook."""
    if label is None or label.strip().lower() == CURRENT:
        return live_snapshot(db)
    found = history_store.version(db.conn, label.strip())
    if found is None:
        known = ", ".join(v["label"] for v in list_versions(db)) or "none saved yet"
        raise NotFound(f"no codebook version {label.strip()!r} (versions: {known}; or {CURRENT!r})")
    return json.loads(found[4])["codes"]


def _dashed(changes: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {kind: [{**c, "guid": guids.dashed(c["guid"])} for c in entries] for kind, entries in changes.items()}


def diff_versions(db: Database, old: str, new: str | None = None) -> dict:
    """``{"from", "to", "added", "removed", "renamed", "moved", "merged", "status", "fields"}``:
    what changed from version ``old`` to version ``new`` (default: the live codebook). GUIDs
    in the exchange form (8-4-4-4-12); see docs/codebook.md for each entry's keys."""
    changes = codebook_diff.diff(snapshot(db, old), snapshot(db, new))
    return {"from": old.strip(), "to": (new or CURRENT).strip(), **_dashed(changes)}


def code_history(db: Database, ref: str) -> dict:
    """One code's story: the audit entries that name it, and its state in each saved version
    with what changed there since the version before (or since it first appeared)."""
    code_id = codebook.index(db).resolve(ref)
    code = code_store.get(db.conn, code_id)
    path = codebook.paths(db)[code_id]
    events = [{"ts": ts, "coder": who or payload.get("by"), "action": action,
               "details": {k: v for k, v in payload.items() if k not in ("code", "by")}}
              for ts, who, action, payload in history_store.events(db.conn, code_id)]
    versions, previous = [], None
    labelled = [(v["label"], v["created_at"]) for v in list_versions(db)] + [(CURRENT, None)]
    for label, ts in labelled:
        codes = snapshot(db, label)
        mine = next((c for c in codes if c["guid"] == code.guid), None)
        entry = {"label": label, "created_at": ts, "path": mine and mine["path"],
                 "status": mine and mine["status"], "changes": []}
        if mine is not None and previous is None:
            entry["changes"] = ["first appears"]
        elif previous is not None:
            changes = codebook_diff.diff(previous, codes)
            entry["changes"] = codebook_diff.lines(
                {kind: [c for c in found if c["guid"] == code.guid] for kind, found in changes.items()})
        versions.append(entry)
        if mine is not None or previous is not None:
            previous = codes
    return {"code": {"guid": guids.dashed(code.guid), "path": path, "status": code.status},
            "events": events, "versions": versions}
