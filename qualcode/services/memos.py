"""Memos on the project, a document, a case, a code or a coding.

A memo is the researcher's running commentary; each add, edit and delete is one
transaction with its audit entry and returns what an undo needs to reverse it.
"""

from __future__ import annotations

from ..errors import InvalidInput, NotFound
from ..store import audit, coders as coder_store, memos as memo_store
from ..store.database import Database
from ..store.models import Memo

TARGETS = memo_store.TARGETS


def _check_target(db: Database, target_type: str, target_id: int | None) -> None:
    if target_type not in TARGETS:
        raise InvalidInput(f"a memo belongs to one of: {', '.join(TARGETS)} (got {target_type!r})")
    if not memo_store.target_exists(db.conn, target_type, target_id):
        what = "the project memo takes no id" if target_type == "project" else f"no {target_type} with id {target_id}"
        raise NotFound(what)


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("a memo needs some text (delete it instead of leaving it empty)")
    return text


def _memo(db: Database, memo_id: int) -> Memo:
    found = memo_store.get(db.conn, memo_id)
    if found is None:
        raise NotFound(f"no memo with id {memo_id}")
    return found


def list_memos(db: Database, target_type: str, target_id: int | None = None) -> list[Memo]:
    """The memos of one target, oldest first."""
    _check_target(db, target_type, target_id)
    return memo_store.for_target(db.conn, target_type, target_id)


def memo_counts(db: Database, target_type: str) -> dict[int, int]:
    """target id -> number of memos, so lists can mark the items that have some."""
    return memo_store.counts(db.conn, target_type)


def add_memo(db: Database, target_type: str, target_id: int | None, text: str, coder: str | None = None) -> int:
    _check_target(db, target_type, target_id)
    text = _text(text)
    with db.transaction() as tx:
        coder_id = coder_store.ensure(tx, coder.strip()) if coder and coder.strip() else None
        memo_id = memo_store.insert(tx, target_type, target_id, text, coder_id)
        audit.record(tx, "memo.add", coder_id, memo=memo_id, target_type=target_type, target_id=target_id)
    return memo_id


def update_memo(db: Database, memo_id: int, text: str, coder: str | None = None) -> str:
    """Replace a memo's text; returns the old text for undo."""
    old = _memo(db, memo_id)
    text = _text(text)
    with db.transaction() as tx:
        memo_store.update_text(tx, memo_id, text)
        audit.record(tx, "memo.edit", coder_store.acting(tx, coder), memo=memo_id)
    return old.text


def delete_memo(db: Database, memo_id: int, coder: str | None = None) -> Memo:
    """Delete a memo; returns it so an undo can put it back."""
    old = _memo(db, memo_id)
    with db.transaction() as tx:
        memo_store.delete(tx, memo_id)
        audit.record(tx, "memo.delete", coder_store.acting(tx, coder), memo=memo_id, guid=old.guid)
    return old


def restore_memo(db: Database, old: Memo) -> int:
    """Put a deleted memo back as it was (same GUID, and id while free), for undo."""
    with db.transaction() as tx:
        memo_id = memo_store.reinsert(tx, old)
        audit.record(tx, "memo.restore", old.coder_id, memo=memo_id, guid=old.guid)
    return memo_id
