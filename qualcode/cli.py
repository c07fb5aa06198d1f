"""The headless command line: ``qualcode COMMAND ...`` (contract in ../shared/design/CLI.md).

Each command is one service call with its errors turned into ``error: ...`` and exit 2.
Command groups live in :mod:`qualcode.commands`; services and anything heavy (pandas, Qt,
spaCy) are imported inside the handlers, so ``qualcode --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

from . import __version__
from .commands import MODULES
from .commands.common import EXIT_USER, Parser
from .errors import QualCodeError


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="qualcode", description="QualCode: qualitative coding and narrative analysis (headless commands).")
    p.add_argument("--version", action="version", version=f"qualcode {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback for errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in MODULES:
        importlib.import_module(f"qualcode.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.handler(args)
        return result if isinstance(result, int) else 0
    except QualCodeError as exc:
        if args.debug:
            raise
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USER
    except sqlite3.Error as exc:
        if args.debug:
            raise
        sys.stderr.write(f"error: the project file could not be used: {exc}\n")
        return EXIT_USER
    except OSError as exc:
        if args.debug:
            raise
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        sys.stderr.write(f"error: {exc.strerror or exc}{where}\n")
        return EXIT_USER
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
