"""Reshaping a codebook as the material demands: describe, merge, split and retire codes.

Creating, renaming, recolouring and moving a code live in :mod:`.codebook` (``create_code``,
``edit_code``); this module adds the edits that change what codes mean or hold. Each function
is one transaction with an audit row naming the coder, and returns what its inverse needs, so
undo is exact: after ``unmerge_codes(db, merge_codes(db, a, b))`` every coding, id, GUID, memo
and telling is where it was.

Merging A into B:

- every coding of A moves to B. A coding of A with the same document, span and coder as a
  coding B already has (or as an earlier coding of A) would be counted twice, so it is
  removed; memos and tellings that pointed at it now point at the coding that stays. The
  result lists both, so nothing disappears unreported;
- A stays in the codebook with status ``merged`` and ``merged_into`` = B: older versions,
  reports of history and the audit trail still resolve it, but it is hidden from coding and
  from the tree;
- A's subcodes move under B (subcodes merged earlier stay with A, as history). When one of
  them has the name of a code already under B the merge is refused (rename or merge that
  subcode first): two codes with one path would make every path-based exchange ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InvalidInput, NotFound
from ..store import audit, codebook_edits, coders as coder_store, codes as code_store, codings as coding_store
from ..store.database import Database
from ..store.models import Code, Coding
from . import codebook

DESCRIPTION = ("definition", "inclusion", "exclusion", "example", "memo")
_STRUCTURE = ("name", "color", "parent_id")
_SAME = object()


@dataclass(frozen=True)
class MergeResult:
    """What :func:`merge_codes` did, and all :func:`unmerge_codes` needs to take it back."""

    source: int
    target: int
    moved: tuple[int, ...]  # codings of the source now under the target
    collapsed: tuple[tuple[Coding, int], ...]  # (duplicate removed, id of the coding kept)
    subcodes: tuple[int, ...]  # moved from under the source to under the target
    old_status: str
    memos: tuple[tuple[int, int, int], ...] = ()  # (memo, from coding, to coding)
    tellings: tuple[tuple[int, int, int], ...] = ()

    def summary(self) -> dict:
        return {"moved": len(self.moved), "collapsed": len(self.collapsed), "subcodes": len(self.subcodes)}


@dataclass(frozen=True)
class SplitResult:
    """The new code (as created, for redo) and the codings moved to it."""

    source: int
    code: Code
    coding_ids: tuple[int, ...]


def _get(conn, code_id: int) -> Code:
    c = code_store.get(conn, code_id)
    if c is None:
        raise NotFound(f"no code with id {code_id}")
    return c


def code_details(db: Database, code_id: int) -> Code:
    """One code with all its fields, for a properties dialog."""
    return _get(db.conn, code_id)


def _who(tx, coder: str | None) -> tuple[int | None, dict]:
    """The audit row's coder id, and the name in the payload too: a coder who has not coded
    anything yet has no id, but the trail should still say who did it."""
    name = " ".join((coder or "").split())
    return coder_store.acting(tx, name), ({"by": name} if name else {})


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# -- descriptions --------------------------------------------------------------------------------

def describe_code(db: Database, code_id: int, *, coder: str | None = None, **fields) -> dict:
    """Set a code's definition, inclusion and exclusion criteria, typical example and/or memo.
    Returns the old values of exactly the fields that changed: ``describe_code(db, id, **old)``
    undoes it. Blank text clears a field."""
    bad = sorted(set(fields) - set(DESCRIPTION))
    if bad:
        raise TypeError(f"not a description field: {bad}")
    old = _get(db.conn, code_id)
    changes = {k: _clean(v) for k, v in fields.items() if _clean(v) != getattr(old, k)}
    if not changes:
        return {}
    with db.transaction() as tx:
        code_store.update(tx, code_id, **changes)
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.describe", coder_id, code=code_id, **changes, **by)
    return {k: getattr(old, k) for k in changes}


def set_code_properties(db: Database, code_id: int, *, coder: str | None = None, **changes) -> dict:
    """Name, colour, parent and description fields together, as the properties dialog edits
    them: one transaction, so a refused name leaves the description unchanged too. Returns the
    old values of what changed; calling it again with them undoes it."""
    bad = sorted(set(changes) - set(_STRUCTURE) - set(DESCRIPTION))
    if bad:
        raise TypeError(f"not a code property: {bad}")
    structure = {k: changes[k] for k in _STRUCTURE if k in changes}
    described = {k: changes[k] for k in DESCRIPTION if k in changes}
    with db.transaction():
        old = codebook.edit_code(db, code_id, coder=coder, **structure) if structure else {}
        if described:
            old.update(describe_code(db, code_id, coder=coder, **described))
    return old


# -- merge ---------------------------------------------------------------------------------------

def _below(conn, code_id: int, ancestor: int) -> bool:
    node = _get(conn, code_id).parent_id
    while node is not None:
        if node == ancestor:
            return True
        node = _get(conn, node).parent_id
    return False


def merge_codes(db: Database, source_id: int, target_id: int, coder: str | None = None) -> MergeResult:
    """Merge code ``source_id`` into ``target_id`` (see the module docstring for the rules)."""
    conn = db.conn
    a, b = _get(conn, source_id), _get(conn, target_id)
    paths = codebook.paths(db)
    pa, pb = paths[a.id], paths[b.id]
    if a.id == b.id:
        raise InvalidInput(f"cannot merge code {pa!r} into itself")
    if a.status == "merged":
        raise InvalidInput(f"code {pa!r} is already merged into {paths.get(a.merged_into, '?')!r}")
    if b.status != "active":
        raise InvalidInput(f"code {pb!r} is {b.status}; merge into an active code")
    if _below(conn, b.id, a.id):
        raise InvalidInput(f"cannot merge {pa!r} into its own subcode {pb!r}; move that subcode out first")
    # merged subcodes are history and stay where they were merged; the living ones move
    subcodes = [i for i in codebook_edits.child_ids(conn, a.id) if _get(conn, i).status != "merged"]
    under_b = {c.name for c in code_store.list_all(conn) if c.parent_id == b.id}
    for child in subcodes:
        name = _get(conn, child).name
        if name in under_b:
            raise InvalidInput(f"{pa!r} and {pb!r} both have a subcode {name!r}; rename or merge "
                               f"{pa + '/' + name!r} first")
    kept: dict[tuple, int] = {}
    for c in codebook_edits.for_code(conn, b.id):
        kept.setdefault((c.document_id, c.coder_id, c.start, c.end), c.id)
    moved, collapsed = [], []
    for c in codebook_edits.for_code(conn, a.id):
        key = (c.document_id, c.coder_id, c.start, c.end)
        if key in kept:
            collapsed.append((c, kept[key]))
        else:
            kept[key] = c.id
            moved.append(c.id)
    with db.transaction() as tx:
        memos, tellings = codebook_edits.retarget(tx, [(c.id, keep) for c, keep in collapsed])
        for c, _keep in collapsed:
            coding_store.delete(tx, c.id)
        codebook_edits.move_codings(tx, moved, b.id)
        codebook_edits.set_parent(tx, subcodes, b.id)
        code_store.update(tx, a.id, status="merged", merged_into=b.id)
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.merge", coder_id, code=a.id, into=b.id, path=pa, into_path=pb, moved=len(moved),
                     collapsed=len(collapsed), subcodes=len(subcodes), **by)
    return MergeResult(a.id, b.id, tuple(moved), tuple(collapsed), tuple(subcodes), a.status,
                       tuple(memos), tuple(tellings))


def unmerge_codes(db: Database, merged: MergeResult, coder: str | None = None) -> None:
    """Take a merge back exactly: codings, removed duplicates (same ids and GUIDs), their memos
    and tellings, subcodes and the source's status. Refused when the project has changed under
    the merge since (a moved coding deleted, a subcode moved elsewhere)."""
    conn = db.conn
    a = _get(conn, merged.source)
    paths = codebook.paths(db)
    if a.status != "merged" or a.merged_into != merged.target:
        raise InvalidInput(f"code {paths[a.id]!r} is no longer merged into {paths.get(merged.target, '?')!r}; "
                           "the merge cannot be undone")
    held = {c.id for c in codebook_edits.for_code(conn, merged.target)}
    gone = [i for i in merged.moved if i not in held]
    if gone:
        raise InvalidInput(f"{len(gone)} coding(s) moved by the merge have changed since; the merge cannot be undone")
    strays = [i for i in merged.subcodes if _get(conn, i).parent_id != merged.target]
    if strays:
        raise InvalidInput(f"subcode {paths[strays[0]]!r} has moved since the merge; the merge cannot be undone")
    with db.transaction() as tx:
        codebook_edits.move_codings(tx, merged.moved, merged.source)
        for c, _keep in merged.collapsed:
            coding_store.reinsert(tx, c)
        codebook_edits.restore_targets(tx, merged.memos, merged.tellings)
        codebook_edits.set_parent(tx, merged.subcodes, merged.source)
        code_store.update(tx, merged.source, status=merged.old_status, merged_into=None)
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.unmerge", coder_id, code=merged.source, into=merged.target, **merged.summary(), **by)


# -- split ---------------------------------------------------------------------------------------

def split_selection(db: Database, code_id: int, coding_ids=(), documents=(), coders=()) -> list[int]:
    """The codings of a code a split should move: the ids given, or else those in any of
    ``documents`` (names) made by any of ``coders`` (names); one empty filter matches all."""
    from . import coding

    path = codebook.paths(db)[code_id]
    if not (coding_ids or documents or coders):
        raise InvalidInput(f"choose the codings of {path!r} to move: by id, document or coder")
    rows = coding.codings_for_codes(db, [code_id])
    if coding_ids:
        if documents or coders:
            raise InvalidInput("choose codings either by id or by document and coder, not both")
        return [int(i) for i in coding_ids]
    for names, known, what in ((documents, {r.document for r in rows}, "in document"),
                               (coders, {r.coder for r in rows}, "by coder")):
        missing = [n for n in names if n not in known]
        if missing:
            raise NotFound(f"code {path!r} has no codings {what} {missing[0]!r}")
    chosen = [r.id for r in rows if (not documents or r.document in documents) and (not coders or r.coder in coders)]
    if not chosen:
        raise InvalidInput(f"no coding of {path!r} matches; nothing to split off")
    return chosen


def split_code(db: Database, code_id: int, coding_ids, name: str | None = None, *, parent_id=_SAME,
               color: str | None = None, coder: str | None = None, reuse: Code | None = None,
               **fields) -> SplitResult:
    """Move some codings of a code to a new code ``name`` (a sibling unless ``parent_id`` says
    otherwise). ``reuse`` is the code a previous split created, for redo after undo: it comes
    back with its id and GUID instead of a new code being made."""
    conn = db.conn
    source = _get(conn, code_id)
    path = codebook.paths(db)[code_id]
    if source.status == "merged":
        raise InvalidInput(f"code {path!r} is merged; split the code it was merged into")
    ids = tuple(dict.fromkeys(int(i) for i in coding_ids))
    if not ids:
        raise InvalidInput(f"choose at least one coding of {path!r} to move to the new code")
    own = {c.id for c in codebook_edits.for_code(conn, code_id)}
    stray = [i for i in ids if i not in own]
    if stray:
        raise InvalidInput(f"coding {stray[0]} is not a coding of {path!r}")
    if reuse is None and not (name or "").strip():
        raise InvalidInput("the new code needs a name")
    parent = source.parent_id if parent_id is _SAME else parent_id
    with db.transaction() as tx:
        if reuse is None:
            new_id = codebook.create_code(db, name or "", parent, color, coder=coder, **fields)
        else:
            new_id = codebook.restore_code(db, reuse, coder=coder)
        codebook_edits.move_codings(tx, ids, new_id)
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.split", coder_id, code=code_id, new=new_id, path=path,
                     new_path=codebook.paths(db)[new_id], moved=len(ids), **by)
        created = _get(tx, new_id)
    return SplitResult(code_id, created, ids)


def unsplit_code(db: Database, split: SplitResult, coder: str | None = None) -> Code:
    """Move the codings back and delete the new code; returns it as it was, for redo."""
    conn = db.conn
    new = code_store.get(conn, split.code.id)
    if new is None:
        raise InvalidInput(f"the code {split.code.name!r} made by the split is gone; the split cannot be undone")
    held = {c.id for c in codebook_edits.for_code(conn, new.id)}
    if held != set(split.coding_ids):
        raise InvalidInput(f"the codings of {split.code.name!r} have changed since the split; "
                           "the split cannot be undone")
    _get(conn, split.source)
    with db.transaction() as tx:
        codebook_edits.move_codings(tx, split.coding_ids, split.source)
        removed = codebook.delete_code(db, new.id, coder=coder)
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.unsplit", coder_id, code=split.source, new=new.id, moved=len(split.coding_ids), **by)
    return removed


# -- retire --------------------------------------------------------------------------------------

def retire_code(db: Database, code_id: int, coder: str | None = None) -> str:
    """Keep a code for history but take it out of use: ``services.coding.add_coding`` refuses
    it, and the GUI shows it greyed. Its codings stay. Subcodes are not retired with it.
    Returns the old status (undo: :func:`unretire_code`)."""
    c = _get(db.conn, code_id)
    path = codebook.paths(db)[code_id]
    if c.status != "active":
        raise InvalidInput(f"code {path!r} is already {c.status}")
    with db.transaction() as tx:
        code_store.update(tx, code_id, status="retired")
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.retire", coder_id, code=code_id, path=path, **by)
    return c.status


def unretire_code(db: Database, code_id: int, coder: str | None = None) -> None:
    c = _get(db.conn, code_id)
    path = codebook.paths(db)[code_id]
    if c.status != "retired":
        raise InvalidInput(f"code {path!r} is {c.status}, not retired")
    with db.transaction() as tx:
        code_store.update(tx, code_id, status="active")
        coder_id, by = _who(tx, coder)
        audit.record(tx, "code.unretire", coder_id, code=code_id, path=path, **by)
