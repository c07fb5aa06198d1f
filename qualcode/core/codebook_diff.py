"""What changed between two snapshots of a codebook, matched by GUID.

A snapshot is a list of code records (dicts) in tree order, each with ``guid``, ``path``,
``name``, ``parent`` (the parent's GUID or None), ``status``, ``merged_into`` (a GUID or
None) and the descriptive fields. Matching by GUID rather than by path is what makes the
answer exact: a renamed parent changes the paths of all its subcodes, yet only the parent was
renamed; a code renamed to a name another code once had is still the same code.
"""

from __future__ import annotations

FIELDS = ("color", "definition", "inclusion", "exclusion", "example", "memo")
KINDS = ("added", "removed", "renamed", "moved", "merged", "status", "fields")


def _value(code: dict, key: str):
    """Empty text and missing values are the same thing to a reader of the codebook."""
    v = code.get(key)
    if isinstance(v, str):
        v = v.strip()
        if key == "color":
            v = v.lower()
    return v or None


def diff(old: list[dict], new: list[dict]) -> dict[str, list[dict]]:
    """The changes that turn ``old`` into ``new``, by kind (see :data:`KINDS`).

    Every entry names the code by GUID and by its path in ``new`` (in ``old`` for a removed
    code). A code that became ``merged`` is listed under ``merged`` only; any other change of
    status (retired, unretired, unmerged) under ``status``.
    """
    before = {c["guid"]: c for c in old}
    after = {c["guid"]: c for c in new}
    path_before = {g: c["path"] for g, c in before.items()}
    path_after = {g: c["path"] for g, c in after.items()}
    out: dict[str, list[dict]] = {k: [] for k in KINDS}
    for c in new:
        g = c["guid"]
        if g not in before:
            out["added"].append({"guid": g, "path": c["path"]})
            continue
        o = before[g]
        here = {"guid": g, "path": c["path"]}
        if o["name"] != c["name"]:
            out["renamed"].append({**here, "old_name": o["name"], "new_name": c["name"]})
        if o.get("parent") != c.get("parent"):
            out["moved"].append({**here, "old_parent": path_before.get(o.get("parent")),
                                 "new_parent": path_after.get(c.get("parent"))})
        old_status, new_status = o.get("status", "active"), c.get("status", "active")
        if new_status == "merged" and (old_status != "merged" or o.get("merged_into") != c.get("merged_into")):
            target = c.get("merged_into")
            out["merged"].append({**here, "into": path_after.get(target, path_before.get(target))})
        elif old_status != new_status:
            out["status"].append({**here, "old": old_status, "new": new_status})
        for f in FIELDS:
            a, b = _value(o, f), _value(c, f)
            if a != b:
                out["fields"].append({**here, "field": f, "old": a, "new": b})
    out["removed"] = [{"guid": c["guid"], "path": c["path"]} for c in old if c["guid"] not in after]
    return out


def count(changes: dict[str, list[dict]]) -> int:
    return sum(len(v) for v in changes.values())


def lines(changes: dict[str, list[dict]]) -> list[str]:
    """One readable line per change, for the terminal and the history dialog."""
    out = []
    for c in changes["added"]:
        out.append(f"added    {c['path']}")
    for c in changes["removed"]:
        out.append(f"removed  {c['path']}")
    for c in changes["renamed"]:
        out.append(f"renamed  {c['path']} (was {c['old_name']!r})")
    for c in changes["moved"]:
        out.append(f"moved    {c['path']} (from {c['old_parent'] or 'the top level'} "
                   f"to {c['new_parent'] or 'the top level'})")
    for c in changes["merged"]:
        out.append(f"merged   {c['path']} into {c['into']}")
    for c in changes["status"]:
        out.append(f"status   {c['path']}: {c['old']} -> {c['new']}")
    for c in changes["fields"]:
        out.append(f"changed  {c['path']}: {c['field']}")
    return out
