"""The window's actions, menus and tool bars, with their keys.

Kept apart from the window's wiring so the key map reads as one list. Help › Keyboard
shortcuts walks these menus, so whatever is bound here is also documented there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QToolBar

from .code_colors import code_color
from .code_picker import swatch


def _action(window: QMainWindow, text: str, slot, keys=(), name: str = "", tip: str = "") -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    if name:
        action.setObjectName(name)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # active even when its menu is closed or its tool bar hidden
    return action


def build(w) -> None:
    """Create ``w.act[...]``, the menus and the tool bars of MainWindow ``w``."""
    a = w.act = {}
    mb = w.menuBar()

    file_menu = mb.addMenu("&File")
    a["new"] = _action(w, "&New project…", w.choose_new_project, [QKeySequence.StandardKey.New], "act_new")
    a["open"] = _action(w, "&Open project…", w.choose_project, [QKeySequence.StandardKey.Open], "act_open")
    file_menu.addAction(a["new"])
    file_menu.addAction(a["open"])
    w.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    a["import"] = _action(w, "&Import documents…", w.choose_import, ["Ctrl+Shift+I"], "act_import",
                          "Import text files into the project (runs in the background)")
    file_menu.addAction(a["import"])
    a["import_codebook"] = _action(w, "Import code&book…", w.codebook_tools.import_codebook, [], "act_import_codebook",
                                   "Add codes from a REFI-QDA codebook (.qdc), CSV or Markdown file")
    a["export_codebook"] = _action(w, "E&xport codebook…", w.codebook_tools.export_codebook, [], "act_export_codebook",
                                   "Write the codebook as .qdc, .docx, .csv or .md")
    file_menu.addAction(a["import_codebook"])
    file_menu.addAction(a["export_codebook"])
    file_menu.addSeparator()
    file_menu.addAction(w.refi.import_action)
    file_menu.addAction(w.refi.export_action)
    file_menu.addSeparator()
    a["prefs"] = _action(w, "&Preferences…", w.edit_preferences, [QKeySequence.StandardKey.Preferences, "Ctrl+,"],
                         "act_prefs")
    file_menu.addAction(a["prefs"])
    a["quit"] = _action(w, "&Quit", w.close, [QKeySequence.StandardKey.Quit], "act_quit")
    file_menu.addAction(a["quit"])

    edit_menu = mb.addMenu("&Edit")
    a["undo"] = w.undo_group.createUndoAction(w, "&Undo")
    a["undo"].setShortcuts([QKeySequence("Ctrl+Z")])
    a["redo"] = w.undo_group.createRedoAction(w, "&Redo")
    a["redo"].setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for key in ("undo", "redo"):
        a[key].setObjectName(f"act_{key}")
        w.addAction(a[key])
        edit_menu.addAction(a[key])
    edit_menu.addSeparator()
    a["search"] = _action(w, "&Search all documents…", w.focus_search, ["Ctrl+Shift+F"], "act_search")
    edit_menu.addAction(a["search"])

    code_menu = mb.addMenu("&Code")
    a["pick"] = _action(w, "&Code selection…", w.open_picker, ["Ctrl+K"], "act_pick",
                        "Choose a code by typing its name and apply it to the selected text")
    a["invivo"] = _action(w, "&In-vivo code", w.coding_actions.in_vivo, ["Ctrl+I"], "act_invivo",
                          "Make a new code named after the selected words and apply it")
    a["remove"] = _action(w, "&Remove coding", w.coding_actions.remove, [QKeySequence.StandardKey.Delete],
                          "act_remove", "Remove the picked coding (or the only one under the cursor)")
    a["fit"] = _action(w, "&Fit coding to selection", w.coding_actions.fit_to_selection, ["Ctrl+R"], "act_fit",
                       "Move the picked coding's boundaries to the selected text")
    for key in ("pick", "invivo", "remove", "fit"):
        code_menu.addAction(a[key])
    w.recent_codes_menu = code_menu.addMenu("Recent &codes")
    w.recent_actions = []
    for slot in range(9):
        act = _action(w, f"Recent code {slot + 1}", lambda s=slot: w.coding_actions.apply_recent(s),
                      [f"Ctrl+{slot + 1}"], f"act_recent_{slot + 1}")
        w.recent_actions.append(act)
        w.recent_codes_menu.addAction(act)
    code_menu.addSeparator()
    a["next_coding"] = _action(w, "Ne&xt coding", lambda: w.step_coding(1), ["F8"], "act_next_coding")
    a["prev_coding"] = _action(w, "Pre&vious coding", lambda: w.step_coding(-1), ["Shift+F8"], "act_prev_coding")
    code_menu.addAction(a["next_coding"])
    code_menu.addAction(a["prev_coding"])
    code_menu.addSeparator()
    a["new_code"] = _action(w, "&New code…", lambda: w.ask_new_code(None), ["Ctrl+Shift+N"], "act_new_code")
    a["new_subcode"] = _action(w, "New &subcode…", lambda: w.ask_new_code(w.codebook.current_code()),
                               ["Ctrl+Alt+N"], "act_new_subcode")
    a["rename_code"] = _action(w, "Re&name code", w.rename_current_code, ["F2"], "act_rename_code")
    a["color_code"] = _action(w, "C&hange code colour…", w.ask_code_colour, [], "act_color_code")
    a["delete_code"] = _action(w, "&Delete code", w.delete_current_code, [], "act_delete_code")
    for key in ("new_code", "new_subcode", "rename_code", "color_code", "delete_code"):
        code_menu.addAction(a[key])

    view_menu = mb.addMenu("&View")
    a["next_doc"] = _action(w, "&Next document", lambda: w.step_document(1), ["Alt+Down"], "act_next_doc")
    a["prev_doc"] = _action(w, "&Previous document", lambda: w.step_document(-1), ["Alt+Up"], "act_prev_doc")
    a["filter_docs"] = _action(w, "Filter &documents", lambda: _focus(w.documents.filter), ["Ctrl+Shift+L"],
                               "act_filter_docs")
    a["filter_codes"] = _action(w, "Filter &codes", lambda: _focus(w.codebook.filter), ["Ctrl+L"],
                                "act_filter_codes")
    a["focus_text"] = _action(w, "&Text", lambda: _focus(w.view), ["Ctrl+0"], "act_focus_text")
    for key in ("next_doc", "prev_doc", "filter_docs", "filter_codes", "focus_text"):
        view_menu.addAction(a[key])
    view_menu.addSeparator()
    w.panels_menu = view_menu.addMenu("&Panels")

    analysis_menu = mb.addMenu("&Analysis")
    an = w.analysis
    a["agreement"] = _action(w, "Inter-coder &agreement…", an.open_agreement, ["Ctrl+Shift+A"], "act_agreement",
                             "Compare coders, browse their disagreements and build a consensus coder")
    a["reports"] = _action(w, "&Reports", an.show_reports, ["Ctrl+Shift+R"], "act_reports",
                           "Code frequencies, co-occurrence, coded segments and crosstabs, with export")
    a["stories"] = _action(w, "&Stories", an.show_stories, ["Ctrl+Shift+T"], "act_stories",
                           "Stories, their tellings, variants and lineage")
    for key in ("agreement", "reports", "stories"):
        analysis_menu.addAction(a[key])

    tools_menu = mb.addMenu("&Tools")
    a["pseudonyms"] = _action(w, "Suggest &pseudonyms…", w.suggest_pseudonyms, [], "act_pseudonyms",
                              "Review the names in the documents and save a pseudonym map for exports")
    tools_menu.addAction(a["pseudonyms"])

    help_menu = mb.addMenu("&Help")
    a["shortcuts"] = _action(w, "&Keyboard shortcuts", w.show_shortcuts, [QKeySequence.StandardKey.HelpContents, "F1"],
                             "act_shortcuts")
    help_menu.addAction(a["shortcuts"])
    a["about"] = _action(w, "&About QualCode", w.show_about, [], "act_about")
    help_menu.addAction(a["about"])

    tools = QToolBar("Coding")
    tools.setObjectName("coding_toolbar")
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tools.addWidget(QLabel(" Coder "))
    w.coder_box = QComboBox()
    w.coder_box.setObjectName("coder_box")
    w.coder_box.setEditable(True)
    w.coder_box.setMinimumContentsLength(10)
    w.coder_box.setToolTip("Codings you make are stored under this coder")
    tools.addWidget(w.coder_box)
    tools.addWidget(QLabel("  Show "))
    w.filter_box = QComboBox()
    w.filter_box.setObjectName("coder_filter")
    w.filter_box.setMinimumContentsLength(10)
    w.filter_box.setToolTip("Show every coder's codings, or one coder's")
    tools.addWidget(w.filter_box)
    tools.addSeparator()
    for key in ("pick", "invivo", "remove", "fit"):
        tools.addAction(a[key])
    tools.addSeparator()
    tools.addAction(a["undo"])
    tools.addAction(a["redo"])
    w.addToolBar(tools)
    w.addToolBarBreak()
    w.recent_bar = QToolBar("Recent codes")
    w.recent_bar.setObjectName("recent_toolbar")
    w.recent_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    w.recent_label = QLabel()
    w.recent_bar.addWidget(w.recent_label)
    for act in w.recent_actions:
        w.recent_bar.addAction(act)
    w.addToolBar(w.recent_bar)


def _focus(widget) -> None:
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()


def label_recent(w) -> None:
    """Name the quick-key actions after the recent codes (hidden when the slot is empty)."""
    recent = w.coding_actions.recent
    s = w.session
    w.recent_label.setText(" Recent codes " if recent else " Recent codes appear here, on keys Ctrl+1 … Ctrl+9 ")
    for slot, act in enumerate(w.recent_actions):
        if s is not None and slot < len(recent) and recent[slot] in s.codes:
            code = s.codes[recent[slot]]
            act.setText(f"{slot + 1} {code.name}")
            act.setToolTip(f"{code.path}  (Ctrl+{slot + 1})")
            act.setIcon(swatch(code.color))
            act.setVisible(True)
        else:
            act.setText(f"Recent code {slot + 1}")
            act.setIcon(swatch(code_color(None, slot)))
            act.setVisible(False)
