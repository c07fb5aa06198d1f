"""The GUI entry point: ``qualcode gui`` and ``python main.py`` come here.

Kept apart from ``cli.py`` so that only this path imports Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _parse_size(size: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in size.lower().split("x"))
        return max(w, 200), max(h, 200)
    except ValueError:
        return 1400, 900


def run_gui(project: str | None = None, screenshot: str | None = None, document: str | None = None,
            size: str = "1400x900") -> int:
    """Open the main window (on PROJECT when given). With ``screenshot``: render offscreen if
    there is no display, save a PNG of the window and return without entering the event loop."""
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from .errors import QualCodeError
    from .ui.main_window import MainWindow, show_error

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("QualCode")
    app.setOrganizationName("QualCode")
    window = MainWindow()
    if screenshot:
        window.resize(*_parse_size(size))
    if project:
        try:
            window.open_project(Path(project), readonly=bool(screenshot), ask_on_lock=not screenshot)
            if document:
                window.show_document(document)
        except QualCodeError as exc:
            if screenshot:
                sys.stderr.write(f"error: {exc}\n")
                return 2
            show_error(window, str(exc))
    window.show()
    if screenshot:
        for _ in range(5):
            app.processEvents()
        if not window.grab().save(screenshot):
            sys.stderr.write(f"error: could not write {screenshot}\n")
            return 2
        window.close_project()
        return 0
    return app.exec()
