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


def _parse_span(span: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in span.split(":"))
    except ValueError:
        raise ValueError(f"--select needs START:END in characters, got {span!r}") from None
    return start, end


# Qt messages known to be harmless, dropped so that stderr carries only what matters (a
# screenshot of a bad project must print exactly its one ``error:`` line). The offscreen
# platform says this whenever a window is shown: it cannot resize windows to their size hints.
HARMLESS_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})
_filter_installed = False


def install_qt_message_filter() -> None:
    """Route Qt's messages through a handler that drops :data:`HARMLESS_QT_MESSAGES` and passes
    every other message on unchanged: to the handler installed before (pytest-qt's, say), else
    to stderr formatted as Qt's own handler formats it (``QT_MESSAGE_PATTERN``). Once per process."""
    global _filter_installed
    if _filter_installed:
        return
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    previous = None

    def handler(mode, context, message: str) -> None:
        if message in HARMLESS_QT_MESSAGES:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(qFormatLogMessage(mode, context, message) + "\n")
            sys.stderr.flush()

    previous = qInstallMessageHandler(handler)
    _filter_installed = True


def _open_for_screenshot(window, path: Path) -> None:
    """Writable when nobody else has the project open, so the window looks as it does in use
    (nothing is written); read-only otherwise."""
    from .errors import ProjectError

    try:
        window.open_project(path, ask_on_lock=False)
    except (ProjectError, OSError):
        window.open_project(path, readonly=True, ask_on_lock=False)


def run_gui(project: str | None = None, screenshot: str | None = None, document: str | None = None,
            size: str = "1400x900", select: str | None = None, search: str | None = None,
            picker: str | None = None, coder: str | None = None) -> int:
    """Open the main window (on PROJECT when given). With ``screenshot``: render offscreen if
    there is no display, save a PNG of the window and return without entering the event loop.
    ``select`` (START:END), ``search`` (a query) and ``picker`` (text typed into the code
    picker) set the scene for documentation screenshots; ``coder`` codes as that coder."""
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    install_qt_message_filter()
    from PySide6.QtWidgets import QApplication

    from .errors import QualCodeError
    from .ui.main_window import MainWindow, show_error
    from .ui.preferences import APPLICATION, ORGANISATION

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    window = MainWindow(restore_state=not screenshot)  # screenshots ignore the user's saved layout
    if screenshot:
        window.resize(*_parse_size(size))
    else:
        window.show()
    if project:
        try:
            if screenshot:
                _open_for_screenshot(window, Path(project))
                window.show()  # only once the project is open: an error leaves no window behind
            else:
                window.open_chosen(project)  # a damaged project: offers a backup
            if coder:
                window.set_coder(coder)
            if document:
                window.show_document(document)
            if select:
                window.show_span(*_parse_span(select))
            if search is not None:
                window.focus_search()
                window.search.run(search)
            if picker is not None:
                window.open_picker(picker)
        except (QualCodeError, ValueError) as exc:
            if screenshot:
                sys.stderr.write(f"error: {exc}\n")
                window.close_project()
                window.deleteLater()
                return 2
            show_error(window, str(exc))
    if screenshot:
        if not project:
            window.show()
        for _ in range(5):
            app.processEvents()
        saved = window.grab().save(screenshot)
        window.close_project()
        window.deleteLater()
        if not saved:
            sys.stderr.write(f"error: could not write {screenshot}\n")
            return 2
        return 0
    return app.exec()
