"""The open project as the window sees it: database, current coder, coder filter, the codebook
cache that painting reads, the undo stack, and the signals every view refreshes from.

Views never reload on their own initiative after an edit: an undo command calls one service
function and then one of the ``*_changed`` methods here, so a direct edit, an undo and a redo
all refresh the same way.

Signals:
    codesChanged(): codes were created, renamed, recoloured, moved or deleted.
    codingsChanged(int, object): codings of that document changed (added, removed, resized,
        memo); the second argument lists the coding ids concerned, or is None for "any".
    memosChanged(str, object): memos of (target type, target id or None) changed.
    documentsChanged(): documents were imported.
    coderChanged(str): the current coder is now this name.
    filterChanged(): the coder whose codings are shown changed (None: all coders).
    errorRaised(str): a user-level problem to show in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack

from ..errors import QualCodeError
from ..services import codebook, coding
from ..store.database import Database
from .code_colors import code_color


@dataclass(frozen=True)
class CodeInfo:
    id: int
    path: str
    name: str
    parent_id: int | None
    color: QColor
    status: str
    definition: str | None


class Session(QObject):
    codesChanged = Signal()
    codingsChanged = Signal(int, object)
    memosChanged = Signal(str, object)
    documentsChanged = Signal()
    coderChanged = Signal(str)
    filterChanged = Signal()
    errorRaised = Signal(str)

    def __init__(self, db: Database, coder: str, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.coder = coder
        self.coder_filter: int | None = None
        self.undo_stack = QUndoStack(self)
        self.codes: dict[int, CodeInfo] = {}
        self.coders: dict[int, str] = {}
        self.reload_codes()
        self.reload_coders()

    # -- caches ------------------------------------------------------------------------------
    def reload_codes(self) -> None:
        self.codes = {c.id: CodeInfo(c.id, path, c.name, c.parent_id, code_color(c.color, c.id), c.status,
                                     c.definition)
                      for path, c in codebook.list_codes(self.db)}

    def reload_coders(self) -> None:
        self.coders = {c.id: c.name for c in coding.list_coders(self.db)}

    def color(self, code_id: int) -> QColor:
        info = self.codes.get(code_id)
        return info.color if info else code_color(None, code_id)

    def path(self, code_id: int) -> str:
        info = self.codes.get(code_id)
        return info.path if info else f"code {code_id}"

    # -- state changes -----------------------------------------------------------------------
    def set_coder(self, name: str) -> None:
        name = " ".join(name.split())
        if name and name != self.coder:
            self.coder = name
            self.coderChanged.emit(name)

    def set_coder_filter(self, coder_id: int | None) -> None:
        if coder_id != self.coder_filter:
            self.coder_filter = coder_id
            self.filterChanged.emit()

    def codes_changed(self) -> None:
        self.reload_codes()
        self.codesChanged.emit()

    def codings_changed(self, document_id: int, coding_ids: list[int] | None = None) -> None:
        self.reload_coders()  # a coder's first coding adds them
        self.codingsChanged.emit(document_id, coding_ids)

    def memos_changed(self, target_type: str, target_id: int | None) -> None:
        self.memosChanged.emit(target_type, target_id)

    def documents_changed(self) -> None:
        self.documentsChanged.emit()

    # -- edits -------------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> bool:
        """Do ``command`` once and put it on the undo stack; a user-level problem is reported
        and nothing is pushed (the service left the project unchanged)."""
        try:
            changed = command.first()
        except QualCodeError as exc:
            self.errorRaised.emit(str(exc))
            return False
        if changed is False:
            return False
        self.undo_stack.push(command)
        return True

    def report(self, exc: QualCodeError) -> None:
        self.errorRaised.emit(str(exc))
