"""Right-click menus of the story panel: the edits that start from something already shown.

Lineage tab: a telling node -> "Heard from…" (a transmission from another telling, recorded
after the fact) and "Remove telling"; an arrow -> "Remove transmission". Stories tab: a story
-> "Delete story"; a telling -> "Heard from…" and "Remove telling". Variants tab: an element's
row -> "Rename element…" and "Delete element". Every entry pushes one undoable command.

The ``*_menu`` builders return the menu without showing it, so the popups and the tests share
the same hit testing and actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu, QWidget

from ..services import stories
from .story_commands import (
    AddTransmission,
    RemoveElement,
    RemoveStory,
    RemoveTelling,
    RemoveTransmission,
    RenameElement,
)
from .story_dialogs import RenameDialog, TransmissionDialog
from .story_views import EdgeItem, NodeItem

if TYPE_CHECKING:
    from .story_panel import StoryPanel


def _menu(parent: QWidget, entries: list[tuple[str, object]]) -> QMenu:
    menu = QMenu(parent)
    for text, slot in entries:
        menu.addAction(text).triggered.connect(lambda _checked=False, slot=slot: slot())
    return menu


def _custom(widget: QWidget, handler) -> None:
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    widget.customContextMenuRequested.connect(handler)


class StoryMenus(QObject):
    def __init__(self, panel: "StoryPanel"):
        super().__init__(panel)
        self.panel = panel
        view = panel.variant_view
        for widget, builder in ((panel.graph_view, self.graph_menu), (panel.story_list, self.story_menu),
                                (panel.details, self.details_menu),
                                (view, lambda pos: self.element_menu(view.indexAt(pos).row())),
                                (view.verticalHeader(), lambda pos: self.element_menu(
                                    view.verticalHeader().logicalIndexAt(pos)))):
            _custom(widget, lambda pos, widget=widget, builder=builder: self._popup(widget, builder(pos), pos))

    @staticmethod
    def _popup(widget, menu: QMenu | None, pos: QPoint) -> None:
        if menu is not None:
            menu.exec(widget.viewport().mapToGlobal(pos))

    # -- builders (positions in viewport coordinates, as customContextMenuRequested gives them) --
    def graph_menu(self, pos: QPoint) -> QMenu | None:
        view = self.panel.graph_view
        item = self.panel.graph_scene.item_at(view.mapToScene(pos), view.transform())
        if isinstance(item, EdgeItem) and item.transmission is not None:
            return _menu(view, [("Remove transmission", lambda x=item.transmission: self.remove_transmission(x))])
        if isinstance(item, NodeItem) and item.telling is not None:
            return _menu(view, self._telling_entries(item.telling["id"]))
        return None

    def story_menu(self, pos: QPoint) -> QMenu | None:
        item = self.panel.story_list.itemAt(pos)
        if item is None:
            return None
        sid = item.data(Qt.ItemDataRole.UserRole)
        return _menu(self.panel.story_list, [("Delete story", lambda: self.delete_story(sid))])

    def details_menu(self, pos: QPoint) -> QMenu | None:
        item = self.panel.details.itemAt(pos)
        telling_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return None if telling_id is None else _menu(self.panel.details, self._telling_entries(telling_id))

    def element_menu(self, row: int) -> QMenu | None:
        """The element of a row of the variant table (right-click on a cell or on its header)."""
        if row < 0 or self.panel.story is None:
            return None
        element = self.panel.variant_model.element(row)
        return _menu(self.panel.variant_view, [("Rename element…", lambda: self.rename_element(element)),
                                               ("Delete element", lambda: self.delete_element(element))])

    def _telling_entries(self, telling_id: int) -> list[tuple[str, object]]:
        return [("Heard from…", lambda: self.heard_from(telling_id)),
                ("Remove telling", lambda: self.panel._push(RemoveTelling(self.panel.ctx, telling_id)))]

    # -- actions ---------------------------------------------------------------------------------
    def heard_from(self, telling_id: int) -> None:
        panel = self.panel
        target = panel._telling(telling_id)
        others = [(t["id"], t["teller"]) for t in panel.story["tellings"] if t["id"] != telling_id]
        if target is None or not others:
            return panel._show_error("The story needs another telling to have been heard from.")
        dialog = TransmissionDialog(f"#{telling_id} {target['teller']}", others, panel)
        panel._open(dialog, lambda v: panel._push(AddTransmission(panel.ctx, telling_id, **v)))

    def remove_transmission(self, transmission_id: int) -> None:
        self.panel._push(RemoveTransmission(self.panel.ctx, transmission_id))

    def rename_element(self, element: dict) -> None:
        panel = self.panel
        dialog = RenameDialog("Rename element", element["label"], panel)
        panel._open(dialog, lambda v: panel._push(RenameElement(panel.ctx, element["id"], v["label"])))

    def delete_element(self, element: dict) -> None:
        self.panel._push(RemoveElement(self.panel.ctx, element["id"], element["label"]))

    def delete_story(self, story_id: int) -> None:
        self.panel._push(RemoveStory(self.panel.ctx, story_id, stories.get_story(self.panel.db, story_id).title))
