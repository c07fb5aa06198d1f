"""Reshaping the codebook from the window: a code dropped onto another asks whether to merge it
there (or make it a subcode), the codebook's context menu offers Properties…, Split…, Retire
(or Reactivate) and History…, and File › Import / Export codebook.

The dialogs only collect choices; every change is one command from :mod:`.codebook_commands`
pushed on the project's undo stack, so the tree, the counts and the stripes refresh as after
any edit. Dialogs open window-modal without blocking (``open()``), and act when accepted.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from ..services import codebook_edit
from .code_properties_dialog import CodePropertiesDialog
from .codebook_commands import EditCodeProperties, RetireCode, SplitCode, merge_dropped
from .codebook_files import export_codebook, import_codebook
from .codebook_history_dialog import CodebookHistoryDialog
from .document_view import CODE_MIME, decode_code_ids
from .split_dialog import SplitDialog

MERGE, NEST = "merge", "nest"


class CodebookTools(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        window.codebook.droppedOnCode.connect(self.dropped_on)

    @property
    def s(self):
        return self.w.session

    # -- drag and drop ---------------------------------------------------------------------------
    def dropped_on(self, mime: QMimeData, target_id: int) -> None:
        """Codes dropped onto ``target_id``: "Merge A into B?", with making them subcodes of B
        offered instead (what a drop onto a code did before merging existed)."""
        if self.s is None or target_id not in self.s.codes:
            return
        answer = []

        def confirm(_parent, question: str) -> bool:
            answer.append(self.ask_drop(question, target_id))
            return answer[0] == MERGE

        merge_dropped(self.w, self.s, mime, target_id, confirm=confirm)
        if answer == [NEST]:
            for code_id in decode_code_ids(bytes(mime.data(CODE_MIME))):
                if code_id != target_id and code_id in self.s.codes and self.s.codes[code_id].parent_id != target_id:
                    self.w.move_code(code_id, target_id)

    def ask_drop(self, question: str, target_id: int) -> str | None:
        """MERGE, NEST or None (cancelled): the user's answer to a drop onto a code."""
        box = QMessageBox(QMessageBox.Icon.Question, "Drop on a code",
                          f"{question}\n\nOr make the dropped code a subcode of “{self.s.path(target_id)}”.",
                          QMessageBox.StandardButton.Cancel, self.w)
        merge = box.addButton("Merge", QMessageBox.ButtonRole.AcceptRole)
        nest = box.addButton("Make subcode", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return {merge: MERGE, nest: NEST}.get(box.clickedButton())

    # -- the context menu ------------------------------------------------------------------------
    def add_to_menu(self, menu: QMenu, code_id: int) -> None:
        writable = not self.s.db.readonly
        retired = self.s.codes[code_id].status == "retired"
        menu.addSeparator()
        for text, slot, enabled in (("Properties…", self.properties, writable), ("Split…", self.split, writable),
                                    ("Reactivate" if retired else "Retire", self.retire, writable),
                                    ("History…", self.history, True)):
            menu.addAction(text, lambda slot=slot: slot(code_id)).setEnabled(enabled)

    def properties(self, code_id: int) -> QDialog:
        s = self.s
        dialog = CodePropertiesDialog(codebook_edit.code_details(s.db, code_id), s.path(code_id), self.w)

        def accepted() -> None:
            changes = dialog.changes()
            if changes:
                s.push(EditCodeProperties(s, code_id, **changes))

        return self._open(dialog, accepted)

    def split(self, code_id: int) -> QDialog:
        s = self.s
        dialog = SplitDialog(s.db, code_id, s.path(code_id), self.w)
        return self._open(dialog, lambda: s.push(SplitCode(s, code_id, dialog.chosen_ids(), dialog.name())))

    def retire(self, code_id: int) -> bool:
        return self.s.push(RetireCode(self.s, code_id, retire=self.s.codes[code_id].status != "retired"))

    def history(self, code_id: int | None = None) -> QDialog:
        s = self.s
        dialog = CodebookHistoryDialog(s.db, s.coder, s.path(code_id) if code_id is not None else None, self.w)
        return self._open(dialog, lambda: None)

    def _open(self, dialog: QDialog, on_accept) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accept)
        dialog.open()
        return dialog

    # -- File menu -------------------------------------------------------------------------------
    def import_codebook(self) -> None:
        if self.s is not None:
            done = import_codebook(self.w, self.s)
            if done is not None:
                self.w.statusBar().showMessage(
                    f"Codebook imported: {done.get('created', 0)} new code(s), {done.get('updated', 0)} updated", 10_000)

    def export_codebook(self) -> None:
        if self.s is not None:
            written = export_codebook(self.w, self.s)
            if written is not None:
                self.w.statusBar().showMessage(f"Codebook exported: {written} code(s)", 10_000)
