"""What the user does to the text: apply a code to the selection (however it was chosen),
in-vivo coding, removing and re-fitting a coding, and the recent-codes list behind the quick
keys. Each action is one undo command (in-vivo: one macro of two).

Signals:
    recentChanged(): the recent codes list changed (quick-key labels need updating).
    message(str): a short status-bar note ("Select some text first").
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Signal

from .document_view import DocumentView
from .session import Session
from .undo_commands import ApplyCoding, CreateCode, Macro, RemoveCoding, ResizeCoding

RECENT = 9
IN_VIVO_MAX = 60
_EDGE = re.compile(r"^[\s\"'“”‘’«»()\[\].,;:!?…-]+|[\s\"'“”‘’«»()\[\].,;:!?…-]+$")


def in_vivo_name(text: str) -> str:
    """A code name from a quoted passage: one line, trimmed of quotes and punctuation at the
    ends, ``/`` (the path separator) replaced, cut at a word boundary."""
    name = _EDGE.sub("", " ".join(text.split())).replace("/", "-")
    if len(name) > IN_VIVO_MAX:
        cut = name.rfind(" ", 0, IN_VIVO_MAX)
        name = name[:cut if cut > IN_VIVO_MAX // 2 else IN_VIVO_MAX].rstrip() + "…"
    return name


class CodingActions(QObject):
    recentChanged = Signal()
    message = Signal(str)

    def __init__(self, view: DocumentView, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.s: Session | None = None
        self.recent: list[int] = []

    def set_session(self, session: Session | None, recent: list[int] | None = None) -> None:
        self.s = session
        self.recent = [c for c in (recent or []) if session and c in session.codes][:RECENT]
        self.recentChanged.emit()

    def _span(self) -> tuple[int, int] | None:
        if self.s is None or self.view.document_id is None:
            return None
        start, end = self.view.selection_span()
        if end <= start:
            self.message.emit("Select some text first")
            return None
        return start, end

    def _used(self, code_id: int) -> None:
        self.recent = [code_id] + [c for c in self.recent if c != code_id][:RECENT - 1]
        self.recentChanged.emit()

    def forget_missing(self) -> None:
        """Drop codes that no longer exist (deleted, or their creation undone)."""
        if self.s is not None:
            kept = [c for c in self.recent if c in self.s.codes]
            if kept != self.recent:
                self.recent = kept
                self.recentChanged.emit()

    def apply(self, code_id: int) -> bool:
        span = self._span()
        if span is None:
            return False
        ok = self.s.push(ApplyCoding(self.s, self.view.document_id, code_id, *span))
        if ok:
            self._used(code_id)
            self.message.emit(f"Coded {span[1] - span[0]} characters as {self.s.path(code_id)}")
        return ok

    def apply_recent(self, slot: int) -> bool:
        if slot >= len(self.recent):
            self.message.emit(f"No recent code {slot + 1} yet")
            return False
        return self.apply(self.recent[slot])

    def create_and_apply(self, name: str, text: str | None = None) -> bool:
        """A new top-level code named ``name`` applied to the selection, as one undo step;
        an existing top-level code of that name is applied instead."""
        span = self._span()
        if span is None:
            return False
        name = " ".join(name.split())
        existing = next((c.id for c in self.s.codes.values() if c.parent_id is None and c.name == name), None)
        if existing is not None:
            return self.apply(existing)
        doc_id = self.view.document_id
        holder: dict = {}

        def build(macro: Macro) -> None:
            created = macro.step(CreateCode(self.s, name))
            holder["code"] = created.code_id
            macro.step(ApplyCoding(self.s, doc_id, created.code_id, *span))

        ok = self.s.push(Macro(self.s, text or f"New code “{name}” on the selection", build))
        if ok:
            self._used(holder["code"])
        return ok

    def in_vivo(self) -> bool:
        if self._span() is None:
            return False
        name = in_vivo_name(self.view.selected_text())
        if not name:
            self.message.emit("The selection has no words to name a code after")
            return False
        return self.create_and_apply(name, f"In-vivo code “{name}”")

    def target_coding(self):
        """The coding an action on "the coding" means: the picked one, else the only one
        under the cursor or selection."""
        if self.view.current_coding is not None:
            return self.view.coding(self.view.current_coding)
        here = self.view.codings_in_selection()
        if len(here) == 1:
            return here[0]
        self.message.emit("Several codings here: pick one by clicking its stripe" if here
                          else "No coding here")
        return None

    def remove(self, coding_id: int | None = None) -> bool:
        c = self.view.coding(coding_id) if coding_id is not None else self.target_coding()
        if self.s is None or c is None:
            return False
        self.view.current_coding = None
        return self.s.push(RemoveCoding(self.s, c.id, c.document_id, c.code_id))

    def fit_to_selection(self) -> bool:
        """Move the picked coding's boundaries to the current selection."""
        if self.s is None or self.view.current_coding is None:
            self.message.emit("Pick a coding (click its stripe), select the new extent, then fit")
            return False
        c = self.view.coding(self.view.current_coding)
        span = self._span()
        if span is None or c is None:
            return False
        if span == (c.start, c.end):
            self.message.emit("The coding already covers exactly the selection")
            return False
        return self.s.push(ResizeCoding(self.s, c.id, c.document_id, c.code_id, *span))
