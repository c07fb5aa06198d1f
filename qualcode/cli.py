"""The headless command line: ``qualcode COMMAND ...`` (contract in docs/CLI.md).

Each command is one service call with its errors turned into ``error: ...`` and exit 2.
Services and anything heavy (pandas, Qt, spaCy) are imported inside the handlers, so
``qualcode --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from . import __version__
from .errors import QualCodeError

EXIT_USER = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one ``error:`` line like every other user error."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"error: {message} (see: {self.prog} --help)\n")
        raise SystemExit(EXIT_USER)


# -- output helpers ------------------------------------------------------------------------------

def _print_json(doc) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _table(rows: list[list], header: list[str]) -> None:
    cells = [header] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for n, r in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _progress():
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    from .services.progress import Progress

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


def _open(path: str, readonly: bool = False):
    from .services.project import open_project

    return open_project(path, readonly=readonly)


def _key_values(pairs: list[str] | None, flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualCodeError(f"{flag} takes KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


# -- commands --------------------------------------------------------------------------------------

def cmd_new(a) -> None:
    from .services.project import new_project

    new_project(a.project).close()
    print(f"created {a.project}")


def cmd_sample(a) -> None:
    from .services.project import info
    from .services.sample import build_sample

    with build_sample(a.project, progress=_progress()) as db:
        i = info(db)
    print(f"built {a.project}: {i['documents']} documents, {i['codes']} codes, {i['codings']} codings "
          f"by {', '.join(i['coders']) or 'no coders'}")


def cmd_import(a) -> None:
    from .services.documents import import_files

    with _open(a.project) as db:
        report = import_files(db, a.paths, case=a.case, attributes=_key_values(a.attr, "--attr"), name=a.name,
                              recursive=a.recursive, progress=_progress())
    if a.json:
        _print_json(report.as_dict())
        return
    print(f"imported {len(report.imported)} document(s)" + (f": {', '.join(report.imported)}" if report.imported else ""))
    for f, reason in report.skipped:
        print(f"skipped {f}: {reason}")


def cmd_info(a) -> None:
    from .services.project import info

    with _open(a.project, readonly=True) as db:
        i = info(db)
    if a.json:
        _print_json(i)
        return
    for key, value in i.items():
        print(f"{key:15} {', '.join(value) if isinstance(value, list) else value}")


def cmd_documents(a) -> None:
    from .services.documents import list_documents

    with _open(a.project, readonly=True) as db:
        docs = list_documents(db)
    rows = [{"name": d.name, "chars": d.chars, "sha256": d.sha256, "codings": d.codings,
             "case": d.cases[0] if d.cases else None} for d in docs]
    if a.json:
        _print_json(rows)
        return
    _table([[r["name"], r["chars"], r["codings"], r["case"] or "", r["sha256"][:12]] for r in rows],
           ["name", "chars", "codings", "case", "sha256"])


def cmd_cases_import(a) -> None:
    from .services.cases import import_cases

    with _open(a.project) as db:
        result = import_cases(db, a.file)
    print(f"imported {result['cases']} case(s) with attributes: {', '.join(result['attributes']) or 'none'}")


def cmd_codebook_import(a) -> None:
    from .services.codebook import import_file

    with _open(a.project) as db:
        result = import_file(db, a.file)
    print(f"codebook: {result['created']} code(s) created, {result['updated']} updated")


def cmd_codebook_export(a) -> None:
    from .services.codebook import export_file

    with _open(a.project, readonly=True) as db:
        n = export_file(db, a.out)
    print(f"wrote {n} code(s) to {a.out}")


def cmd_code(a) -> None:
    from .services.coding import add_coding

    with _open(a.project) as db:
        coding_id = add_coding(db, a.document, a.code, a.start, a.end, a.coder, memo=a.memo, evidence=a.evidence)
    if a.json:
        _print_json({"id": coding_id})
    else:
        print(coding_id)


def cmd_codings_import(a) -> None:
    from .services.coding import import_csv

    with _open(a.project) as db:
        n = import_csv(db, a.file, coder=a.coder)
    print(f"imported {n} coding(s)")


def cmd_codings_export(a) -> None:
    from .services.coding import export_csv

    with _open(a.project, readonly=True) as db:
        n = export_csv(db, a.out, coders=a.coder)
    print(f"wrote {n} coding(s) to {a.out}")


def cmd_gui(a) -> int:
    from .app import run_gui

    return run_gui(a.project, screenshot=a.screenshot, document=a.document, size=a.size)


# -- parser ---------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="qualcode", description="QualCode: qualitative coding and narrative analysis (headless commands).")
    p.add_argument("--version", action="version", version=f"qualcode {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback for errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def add(name, handler, help_, parent=sub):
        sp = parent.add_parser(name, help=help_, description=help_)
        sp.set_defaults(handler=handler)
        return sp

    s = add("new", cmd_new, "create an empty project file")
    s.add_argument("project", help="the new .qualcode file")

    s = add("sample", cmd_sample, "build the demo project from sample_transcripts/")
    s.add_argument("project", help="the new .qualcode file")

    s = add("import", cmd_import, "import transcripts (.txt, .md) into a project")
    s.add_argument("project")
    s.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    s.add_argument("--case", help="link the imported documents to this case")
    s.add_argument("--attr", action="append", metavar="KEY=VALUE", help="a document attribute (repeatable)")
    s.add_argument("--recursive", action="store_true", help="descend into sub-folders")
    s.add_argument("--name", help="document name (one file only; default: the file stem)")
    s.add_argument("--json", action="store_true", help="print what was imported and skipped as JSON")

    s = add("info", cmd_info, "counts of documents, cases, codes, codings, coders, stories")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")

    s = add("documents", cmd_documents, "list the documents of a project")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")

    cases = add("cases", None, "cases and their attributes")
    cases_sub = cases.add_subparsers(dest="cases_command", metavar="COMMAND", parser_class=_Parser)
    cases_sub.required = True
    s = add("import", cmd_cases_import, "import cases from .csv or .xlsx: case, parent, kind, attributes...",
            cases_sub)
    s.add_argument("project")
    s.add_argument("file")

    cb = add("codebook", None, "import and export the codebook")
    cb_sub = cb.add_subparsers(dest="codebook_command", metavar="COMMAND", parser_class=_Parser)
    cb_sub.required = True
    s = add("import", cmd_codebook_import, "import codes from .csv (path,definition,...) or .md", cb_sub)
    s.add_argument("project")
    s.add_argument("file")
    s = add("export", cmd_codebook_export, "export the codebook as .csv or .md", cb_sub)
    s.add_argument("project")
    s.add_argument("out")

    s = add("code", cmd_code, "apply a code to a span of a document")
    s.add_argument("project")
    s.add_argument("--document", required=True, help="document name")
    s.add_argument("--code", required=True, help="code path (or a unique code name)")
    s.add_argument("--start", required=True, type=int, help="first character (code points, from 0)")
    s.add_argument("--end", required=True, type=int, help="one past the last character")
    s.add_argument("--coder", required=True, help="who codes")
    s.add_argument("--memo", help="a note on this coding")
    s.add_argument("--evidence", choices=["witnessed", "own experience", "hearsay", "unknown"],
                   help="how the speaker knows what the passage claims")
    s.add_argument("--json", action="store_true")

    cd = add("codings", None, "import and export codings as CSV")
    cd_sub = cd.add_subparsers(dest="codings_command", metavar="COMMAND", parser_class=_Parser)
    cd_sub.required = True
    s = add("import", cmd_codings_import, "import codings: document,code,coder,start,end,text,memo", cd_sub)
    s.add_argument("project")
    s.add_argument("file")
    s.add_argument("--coder", help="import every row as this coder")
    s = add("export", cmd_codings_export, "export codings: document,code,coder,start,end,text,memo", cd_sub)
    s.add_argument("project")
    s.add_argument("out")
    s.add_argument("--coder", action="append", help="only this coder's codings (repeatable)")

    s = add("gui", cmd_gui, "open the desktop window")
    s.add_argument("project", nargs="?")
    s.add_argument("--screenshot", metavar="OUT.png", help="save a PNG of the window and exit")
    s.add_argument("--document", help="show this document first")
    s.add_argument("--size", default="1400x900", help="window size for --screenshot (default 1400x900)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.handler is None:  # a group such as `qualcode codebook` without its sub-command
        parser.error(f"{args.command} needs a sub-command")
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
