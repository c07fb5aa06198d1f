"""gui: the only command that loads Qt, and only when it runs."""

from __future__ import annotations

from .common import add


def cmd_gui(a) -> int:
    from ..app import run_gui

    return run_gui(a.project, screenshot=a.screenshot, document=a.document, size=a.size)


def register(sub) -> None:
    s = add(sub, "gui", cmd_gui, "open the desktop window")
    s.add_argument("project", nargs="?")
    s.add_argument("--screenshot", metavar="OUT.png", help="save a PNG of the window and exit")
    s.add_argument("--document", help="show this document first")
    s.add_argument("--size", default="1400x900", help="window size for --screenshot (default 1400x900)")
