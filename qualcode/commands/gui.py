"""gui: the only command that loads Qt, and only when it runs."""

from __future__ import annotations

from .common import add


def cmd_gui(a) -> int:
    from ..app import run_gui

    return run_gui(a.project, screenshot=a.screenshot, document=a.document, size=a.size, select=a.select,
                   search=a.search, picker=a.picker, coder=a.coder)


def register(sub) -> None:
    s = add(sub, "gui", cmd_gui, "open the desktop window")
    s.add_argument("project", nargs="?")
    s.add_argument("--screenshot", metavar="OUT.png", help="save a PNG of the window and exit")
    s.add_argument("--document", help="show this document first")
    s.add_argument("--size", default="1400x900", help="window size for --screenshot (default 1400x900)")
    s.add_argument("--select", metavar="START:END", help="select these characters of the document (picks a coding "
                   "with exactly this span)")
    s.add_argument("--search", metavar="QUERY", help="run this search in the search panel")
    s.add_argument("--picker", metavar="TEXT", help="open the code picker with this text typed")
    s.add_argument("--coder", metavar="NAME", help="code as this coder (default: the name in Preferences)")
