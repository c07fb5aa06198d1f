"""Helpers shared by the command modules: output, progress, opening projects, sub-parsers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from ..errors import QualCodeError

EXIT_USER = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one ``error:`` line like every other user error."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"error: {message} (see: {self.prog} --help)\n")
        raise SystemExit(EXIT_USER)


def add(sub, name: str, handler: Callable | None, help_: str) -> argparse.ArgumentParser:
    """A sub-command with its help text (a test fails when a command has none)."""
    sp = sub.add_parser(name, help=help_, description=help_)
    sp.set_defaults(handler=handler)
    return sp


def group(sub, name: str, help_: str):
    """A command group such as ``qualcode codebook``; returns its own sub-parsers."""
    gp = add(sub, name, None, help_)
    inner = gp.add_subparsers(dest=f"{name}_command", metavar="COMMAND", parser_class=Parser)
    inner.required = True
    return inner


def print_json(doc) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def table(rows: list[list], header: list[str]) -> None:
    cells = [header] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for n, r in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def progress():
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    from ..services.progress import Progress

    if not sys.stderr.isatty():
        return Progress()

    def draw(done: int, total: int, message: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {message[:40]:<40}")
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return Progress(draw)


def open_project(path: str, readonly: bool = False):
    from ..services.project import open_project as _open

    return _open(path, readonly=readonly)


def key_values(pairs: list[str] | None, flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualCodeError(f"{flag} takes KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out
