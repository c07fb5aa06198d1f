"""Help › Keyboard shortcuts: every action of the window that has a key, found by walking
the menus (so the list cannot drift from the real key bindings), plus the window's
menu-less actions and the fixed keys of the panels."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QMainWindow, QTreeWidget, QTreeWidgetItem, QVBoxLayout

# Keys handled inside widgets rather than by window actions.
PANEL_KEYS = [
    ("Code picker", "Up / Down, Enter, Esc", "Move, apply the highlighted code, close"),
    ("Codebook", "F2", "Rename the selected code in place"),
    ("Codebook", "Enter / double-click", "Apply the selected code to the text selection"),
    ("Memos", "Ctrl+Return", "Save the memo being edited"),
    ("Document", "Shift+arrows", "Extend the selection from the keyboard"),
]


# Actions whose text names the step they would undo or redo ("Undo Code “trust”"): listed by
# what they are, not by what they would do just now.
FIXED_LABELS = {"act_undo": "Undo", "act_redo": "Redo"}


def _label(action: QAction) -> str:
    if action.objectName() in FIXED_LABELS:
        return FIXED_LABELS[action.objectName()]
    return action.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip(".…")


def _keys(action: QAction) -> str:
    """The action's keys as shown on this platform, each once (a standard key such as Help
    contents may be the same key as one given explicitly)."""
    shown = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
    return ", ".join(dict.fromkeys(shown))


def window_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, keys, action) for every action with a shortcut, in menu order."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{title} › {_label(action)}")
                continue
            keys = _keys(action)
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((title, keys, _label(action)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _label(top))
    for action in window.actions():  # window-level actions that live in no menu
        keys = _keys(action)
        if keys and id(action) not in seen:
            seen.add(id(action))
            rows.append(("Window", keys, _label(action)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 620)
        self.table = QTreeWidget()
        self.table.setObjectName("shortcuts")
        self.table.setHeaderLabels(["Keys", "Action", "Where"])
        self.table.setRootIsDecorated(False)
        for where, keys, what in window_shortcuts(window) + [(w, k, a) for w, k, a in PANEL_KEYS]:
            self.table.addTopLevelItem(QTreeWidgetItem([keys, what, where]))
        for col in range(3):
            self.table.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def listed(self) -> list[tuple[str, str]]:
        """(keys, action) as shown."""
        return [(self.table.topLevelItem(i).text(0), self.table.topLevelItem(i).text(1))
                for i in range(self.table.topLevelItemCount())]
