"""Codebook reshaping as QUndoCommands: merge, split, retire and the properties dialog's edits.

Built on :class:`~qualcode.ui.undo_commands.Command`: ``do`` (first time), ``back`` (undo) and
``again`` (redo after undo) each call one service function of
:mod:`qualcode.services.codebook_edit`, and then ``Session.codes_changed()`` so the tree, the
counts and the open document's stripes refresh the same way after an edit, an undo or a redo.
The services return what their inverse needs (a merge's moved and collapsed codings, a split's
new code), and restore removed rows under their old ids, so later steps on the stack stay valid.

:func:`merge_dropped` is what a drop of codes onto a code calls when it means "merge": it asks
"Merge A into B?" and pushes one :class:`MergeCodes` per dragged code (as one undo step).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QMessageBox, QWidget

from ..services import codebook_edit
from .document_view import CODE_MIME, decode_code_ids
from .session import Session
from .undo_commands import Command, Macro


class _CodeCommand(Command):
    def changed(self) -> None:
        self.s.codes_changed()


class MergeCodes(_CodeCommand):
    """Merge ``source_id`` into ``target_id`` (codings move, duplicates collapse)."""

    def __init__(self, session: Session, source_id: int, target_id: int):
        super().__init__(session, f"Merge “{session.path(source_id)}” into “{session.path(target_id)}”")
        self.source_id, self.target_id = source_id, target_id
        self.result: codebook_edit.MergeResult | None = None

    def do(self):
        self.result = codebook_edit.merge_codes(self.s.db, self.source_id, self.target_id, coder=self.s.coder)

    def back(self) -> None:
        codebook_edit.unmerge_codes(self.s.db, self.result, coder=self.s.coder)


class SplitCode(_CodeCommand):
    """Move some codings of ``code_id`` to a new code ``name``."""

    def __init__(self, session: Session, code_id: int, coding_ids, name: str, **options):
        super().__init__(session, f"Split “{' '.join(name.split())}” off “{session.path(code_id)}”")
        self.code_id, self.coding_ids, self.name, self.options = code_id, list(coding_ids), name, options
        self.result: codebook_edit.SplitResult | None = None
        self.removed = None

    @property
    def new_code_id(self) -> int | None:
        return self.result.code.id if self.result else None

    def do(self):
        self.result = codebook_edit.split_code(self.s.db, self.code_id, self.coding_ids, self.name,
                                               coder=self.s.coder, **self.options)

    def again(self) -> None:
        self.result = codebook_edit.split_code(self.s.db, self.code_id, self.coding_ids, coder=self.s.coder,
                                               reuse=self.removed)

    def back(self) -> None:
        self.removed = codebook_edit.unsplit_code(self.s.db, self.result, coder=self.s.coder)


class RetireCode(_CodeCommand):
    """Retire a code (``retire=False``: make a retired code active again)."""

    def __init__(self, session: Session, code_id: int, retire: bool = True):
        verb = "Retire" if retire else "Reactivate"
        super().__init__(session, f"{verb} “{session.path(code_id)}”")
        self.code_id, self.retire = code_id, retire

    def _set(self, retired: bool) -> None:
        step = codebook_edit.retire_code if retired else codebook_edit.unretire_code
        step(self.s.db, self.code_id, coder=self.s.coder)

    def do(self):
        self._set(self.retire)

    def back(self) -> None:
        self._set(not self.retire)


class EditCodeProperties(_CodeCommand):
    """Name, colour and description fields of one code, as the properties dialog returns them."""

    def __init__(self, session: Session, code_id: int, **changes):
        super().__init__(session, f"Edit “{session.path(code_id)}”")
        self.code_id, self.new = code_id, changes
        self.old: dict = {}

    def do(self):
        self.old = codebook_edit.set_code_properties(self.s.db, self.code_id, coder=self.s.coder, **self.new)
        return bool(self.old)

    def again(self) -> None:
        codebook_edit.set_code_properties(self.s.db, self.code_id, coder=self.s.coder, **self.new)

    def back(self) -> None:
        codebook_edit.set_code_properties(self.s.db, self.code_id, coder=self.s.coder, **self.old)


def _confirm(parent: QWidget | None, question: str) -> bool:
    answer = QMessageBox.question(parent, "Merge codes", question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def merge_dropped(parent: QWidget | None, session: Session, mime: QMimeData, target_id: int,
                  confirm: Callable[[QWidget | None, str], bool] = _confirm) -> bool:
    """Codes dragged (``mime`` as the codebook tree makes it) and dropped on ``target_id``:
    ask "Merge A into B?" and merge them, one undo step. False when refused or cancelled."""
    sources = [i for i in decode_code_ids(bytes(mime.data(CODE_MIME))) if i != target_id and i in session.codes]
    if not sources:
        return False
    names = ", ".join(f"“{session.path(i)}”" for i in sources)
    question = (f"Merge {names} into “{session.path(target_id)}”?\n\nThe codings move there (duplicates of the "
                "same passage by the same coder are collapsed); the merged code is kept for history only.")
    if not confirm(parent, question):
        return False
    if len(sources) == 1:
        return session.push(MergeCodes(session, sources[0], target_id))
    label = f"Merge {len(sources)} codes into “{session.path(target_id)}”"
    return session.push(Macro(session, label, lambda m: [m.step(MergeCodes(session, i, target_id)) for i in sources]))
