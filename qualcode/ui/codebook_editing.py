"""The window's code edits: create, rename, recolour, move, delete, each an undo command, and
the codebook's context menu. A mixin of :class:`~qualcode.ui.main_window.MainWindow`, kept
apart so the window module stays an assembly."""

from __future__ import annotations

from PySide6.QtWidgets import QColorDialog, QInputDialog, QMenu

from .undo_commands import CreateCode, DeleteCode, EditCode


class CodebookEditing:
    def create_code(self, name: str, parent_id: int | None = None, color: str | None = None) -> int | None:
        command = CreateCode(self.session, name, parent_id, color)
        if self.session.push(command):
            self.codebook.select_code(command.code_id)
            return command.code_id
        return None

    def edit_code(self, code_id: int, text: str, **changes) -> bool:
        return self.session.push(EditCode(self.session, code_id, text, **changes))

    def move_code(self, code_id: int, parent_id) -> bool:
        where = self.session.path(parent_id) if parent_id is not None else "the top level"
        return self.edit_code(code_id, f"Move “{self.session.codes[code_id].name}” to {where}", parent_id=parent_id)

    def ask_new_code(self, parent_id: int | None) -> None:
        if self.session is None:
            return
        where = f" under “{self.session.path(parent_id)}”" if parent_id is not None else ""
        name, ok = QInputDialog.getText(self, "New code", f"Name of the new code{where}:")
        if ok and name.strip():
            self.create_code(name, parent_id)

    def rename_current_code(self) -> None:
        code_id = self.codebook.current_code()
        if code_id is not None:
            self.codebook.edit_code(code_id)

    def ask_code_colour(self, code_id: int | None = None) -> None:
        code_id = code_id if code_id is not None else self.codebook.current_code()
        if self.session is None or code_id is None:
            return
        color = QColorDialog.getColor(self.session.color(code_id), self, "Code colour")
        if color.isValid():
            self.edit_code(code_id, f"Recolour “{self.session.codes[code_id].name}”", color=color.name())

    def delete_current_code(self, code_id: int | None = None) -> None:
        code_id = code_id if code_id is not None else self.codebook.current_code()
        if self.session is not None and code_id is not None:
            self.session.push(DeleteCode(self.session, code_id))

    def _code_menu(self, code_id, global_pos) -> None:
        if self.session is None:
            return
        menu = QMenu(self)
        if code_id is not None:
            menu.addAction("Apply to selection", lambda: self.coding_actions.apply(code_id))
            menu.addSeparator()
        menu.addAction(self.act["new_code"])
        if code_id is not None:
            menu.addAction("New subcode…", lambda: self.ask_new_code(code_id))
            menu.addAction(self.act["rename_code"])
            menu.addAction("Change colour…", lambda: self.ask_code_colour(code_id))
            if self.session.codes[code_id].parent_id is not None:
                menu.addAction("Move to top level", lambda: self.move_code(code_id, None))
            menu.addAction("Delete", lambda: self.delete_current_code(code_id))
            self.codebook_tools.add_to_menu(menu, code_id)  # properties, split, retire, history
        menu.exec(global_pos)
