"""Every change the window makes, as a QUndoCommand.

Each command's ``redo`` and ``undo`` call exactly one service function (one transaction with
its audit row) and then tell the session what changed. The first ``redo`` happens in
:meth:`Command.first`, before the command reaches the stack, so a refused edit (bad span,
duplicate name, read-only project) is reported and never pushed. Ids stay valid across undo
and redo because the services restore deleted rows under their old ids.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..errors import QualCodeError
from ..services import codebook, coding, memos
from .session import Session


class Command(QUndoCommand):
    def __init__(self, session: Session, text: str):
        super().__init__(text)
        self.s = session
        self._skip_redo = False

    # subclasses implement: do() (first time), again() (redo after undo), back() (undo)
    def do(self):
        raise NotImplementedError

    def again(self) -> None:
        self.do()

    def back(self) -> None:
        raise NotImplementedError

    def changed(self) -> None:
        """Tell the session what changed, after do/again/back."""

    def first(self) -> bool:
        result = self.do()
        self._skip_redo = True
        self.changed()
        return result is not False

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.again)

    def undo(self) -> None:
        self._guard(self.back)

    def _guard(self, step) -> None:
        try:
            step()
        except QualCodeError as exc:  # the project changed under us: drop the step, say why
            self.setObsolete(True)
            self.s.report(exc)
            return
        self.changed()


class Macro(QUndoCommand):
    """Several commands as one undo step (in-vivo coding: create a code, then apply it).

    ``build(macro)`` creates the steps and runs each through :meth:`step`; if one is refused,
    the finished ones are reversed and nothing is pushed. Redo replays the steps in order,
    undo in reverse, and each step still calls one service function. (The steps are kept
    here rather than as Qt child commands, whose ownership the bindings do not track.)
    """

    def __init__(self, session: Session, text: str, build):
        super().__init__(text)
        self.s = session
        self.build = build
        self.steps: list[Command] = []
        self._skip_redo = False

    def step(self, child: Command) -> Command:
        child.first()
        self.steps.append(child)
        return child

    def first(self) -> bool:
        try:
            self.build(self)
        except QualCodeError:
            for child in reversed(self.steps):
                child.back()
                child.changed()
            raise
        self._skip_redo = True
        return bool(self.steps)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        for child in self.steps:
            child._guard(child.again)

    def undo(self) -> None:
        for child in reversed(self.steps):
            child._guard(child.back)


# -- codings --------------------------------------------------------------------------------------

class ApplyCoding(Command):
    def __init__(self, session: Session, document_id: int, code_id: int, start: int, end: int):
        super().__init__(session, f"Code “{session.path(code_id)}”")
        self.document_id, self.code_id, self.start, self.end = document_id, code_id, start, end
        self.coding_id: int | None = None
        self.removed = None

    def do(self):
        self.coding_id = coding.add_coding(self.s.db, self.document_id, self.code_id, self.start, self.end,
                                           self.s.coder)

    def again(self) -> None:
        self.coding_id = coding.restore_coding(self.s.db, self.removed)

    def back(self) -> None:
        self.removed = coding.remove_coding(self.s.db, self.coding_id)

    def changed(self) -> None:
        self.s.codings_changed(self.document_id, [self.coding_id])


class RemoveCoding(Command):
    def __init__(self, session: Session, coding_id: int, document_id: int, code_id: int):
        super().__init__(session, f"Remove coding “{session.path(code_id)}”")
        self.coding_id, self.document_id = coding_id, document_id
        self.removed = None

    def do(self):
        self.removed = coding.remove_coding(self.s.db, self.coding_id)

    def back(self) -> None:
        self.coding_id = coding.restore_coding(self.s.db, self.removed)

    def changed(self) -> None:
        self.s.codings_changed(self.document_id, [self.coding_id])


class ResizeCoding(Command):
    def __init__(self, session: Session, coding_id: int, document_id: int, code_id: int, start: int, end: int):
        super().__init__(session, f"Adjust coding “{session.path(code_id)}”")
        self.coding_id, self.document_id, self.new = coding_id, document_id, (start, end)
        self.old: tuple[int, int] | None = None

    def do(self):
        self.old = coding.update_coding_span(self.s.db, self.coding_id, *self.new, coder=self.s.coder)
        return self.old != self.new

    def back(self) -> None:
        coding.update_coding_span(self.s.db, self.coding_id, *self.old, coder=self.s.coder)

    def changed(self) -> None:
        self.s.codings_changed(self.document_id, [self.coding_id])


class EditCoding(Command):
    """Memo and/or evidence basis of one coding."""

    def __init__(self, session: Session, coding_id: int, document_id: int, text: str, **fields):
        super().__init__(session, text)
        self.coding_id, self.document_id, self.new = coding_id, document_id, fields
        self.old: dict = {}

    def do(self):
        before = coding.update_coding(self.s.db, self.coding_id, coder=self.s.coder, **self.new)
        self.old = {k: getattr(before, k) for k in self.new}
        return self.old != self.new

    def back(self) -> None:
        coding.update_coding(self.s.db, self.coding_id, coder=self.s.coder, **self.old)

    def changed(self) -> None:
        self.s.codings_changed(self.document_id, [self.coding_id])


# -- codes ------------------------------------------------------------------------------------------

class CreateCode(Command):
    def __init__(self, session: Session, name: str, parent_id: int | None = None, color: str | None = None):
        super().__init__(session, f"New code “{' '.join(name.split())}”")
        self.name, self.parent_id, self.color = name, parent_id, color
        self.code_id: int | None = None
        self.deleted = None

    def do(self):
        self.code_id = codebook.create_code(self.s.db, self.name, self.parent_id, self.color, coder=self.s.coder)

    def again(self) -> None:
        self.code_id = codebook.restore_code(self.s.db, self.deleted, coder=self.s.coder)

    def back(self) -> None:
        self.deleted = codebook.delete_code(self.s.db, self.code_id, coder=self.s.coder)

    def changed(self) -> None:
        self.s.codes_changed()


class EditCode(Command):
    """Rename, recolour or move (``parent_id``) a code."""

    def __init__(self, session: Session, code_id: int, text: str, **changes):
        super().__init__(session, text)
        self.code_id, self.new = code_id, changes
        self.old: dict = {}

    def do(self):
        self.old = codebook.edit_code(self.s.db, self.code_id, coder=self.s.coder, **self.new)
        return bool(self.old)

    def again(self) -> None:
        codebook.edit_code(self.s.db, self.code_id, coder=self.s.coder, **self.new)

    def back(self) -> None:
        codebook.edit_code(self.s.db, self.code_id, coder=self.s.coder, **self.old)

    def changed(self) -> None:
        self.s.codes_changed()


class DeleteCode(Command):
    def __init__(self, session: Session, code_id: int):
        super().__init__(session, f"Delete code “{session.path(code_id)}”")
        self.code_id = code_id
        self.deleted = None

    def do(self):
        self.deleted = codebook.delete_code(self.s.db, self.code_id, coder=self.s.coder)

    def back(self) -> None:
        self.code_id = codebook.restore_code(self.s.db, self.deleted, coder=self.s.coder)

    def changed(self) -> None:
        self.s.codes_changed()


# -- memos ------------------------------------------------------------------------------------------

class AddMemo(Command):
    def __init__(self, session: Session, target_type: str, target_id: int | None, text: str):
        super().__init__(session, "New memo")
        self.target, self.text_ = (target_type, target_id), text
        self.memo_id: int | None = None
        self.deleted = None

    def do(self):
        self.memo_id = memos.add_memo(self.s.db, *self.target, self.text_, self.s.coder)

    def again(self) -> None:
        self.memo_id = memos.restore_memo(self.s.db, self.deleted)

    def back(self) -> None:
        self.deleted = memos.delete_memo(self.s.db, self.memo_id, self.s.coder)

    def changed(self) -> None:
        self.s.memos_changed(*self.target)


class EditMemo(Command):
    def __init__(self, session: Session, memo_id: int, target: tuple[str, int | None], text: str):
        super().__init__(session, "Edit memo")
        self.memo_id, self.target, self.new = memo_id, target, text
        self.old: str | None = None

    def do(self):
        self.old = memos.update_memo(self.s.db, self.memo_id, self.new, self.s.coder)
        return self.old != self.new.strip()

    def back(self) -> None:
        memos.update_memo(self.s.db, self.memo_id, self.old, self.s.coder)

    def again(self) -> None:
        memos.update_memo(self.s.db, self.memo_id, self.new, self.s.coder)

    def changed(self) -> None:
        self.s.memos_changed(*self.target)


class DeleteMemo(Command):
    def __init__(self, session: Session, memo_id: int, target: tuple[str, int | None]):
        super().__init__(session, "Delete memo")
        self.memo_id, self.target = memo_id, target
        self.deleted = None

    def do(self):
        self.deleted = memos.delete_memo(self.s.db, self.memo_id, self.s.coder)

    def back(self) -> None:
        self.memo_id = memos.restore_memo(self.s.db, self.deleted)

    def changed(self) -> None:
        self.s.memos_changed(*self.target)
