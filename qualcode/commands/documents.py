"""import, documents, cases import."""

from __future__ import annotations

import argparse

from .common import add, group, key_values, open_project, print_json, progress, table


def _megabytes(value: str) -> int:
    try:
        mb = float(value)
    except ValueError:
        mb = 0
    if mb <= 0:
        raise argparse.ArgumentTypeError(f"a size in megabytes, such as 50 (got {value!r})")
    return int(mb * 1024 * 1024)


def cmd_import(a) -> None:
    from ..services.documents import import_files

    attributes, speakers = key_values(a.attr, "--attr"), key_values(a.speaker, "--speaker")
    with open_project(a.project) as db:
        report = import_files(db, a.paths, case=a.case, attributes=attributes, name=a.name, recursive=a.recursive,
                              speakers=speakers, language=a.language, max_bytes=a.max_size, progress=progress())
    if a.json:
        print_json(report.as_dict())
        return
    print(f"imported {len(report.imported)} document(s)" + (f": {', '.join(report.imported)}" if report.imported else ""))
    for f, reason in report.skipped:
        print(f"skipped {f}: {reason}")
    for f, warning in report.warnings:
        print(f"warning: {warning}")


def cmd_documents(a) -> None:
    from ..services.documents import list_documents

    with open_project(a.project, readonly=True) as db:
        docs = list_documents(db)
    rows = [{"name": d.name, "chars": d.chars, "sha256": d.sha256, "codings": d.codings,
             "case": d.cases[0] if d.cases else None} for d in docs]
    if a.json:
        print_json(rows)
        return
    table([[r["name"], r["chars"], r["codings"], r["case"] or "", r["sha256"][:12]] for r in rows],
          ["name", "chars", "codings", "case", "sha256"])


def cmd_cases_import(a) -> None:
    from ..services.cases import import_cases

    with open_project(a.project) as db:
        result = import_cases(db, a.file)
    print(f"imported {result['cases']} case(s) with attributes: {', '.join(result['attributes']) or 'none'}")


def register(sub) -> None:
    s = add(sub, "import", cmd_import, "import transcripts (.txt .md .docx .pdf .odt .html .vtt .srt) into a project")
    s.add_argument("project")
    s.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    s.add_argument("--case", help="link the imported documents to this case")
    s.add_argument("--attr", action="append", metavar="KEY=VALUE", help="a document attribute (repeatable)")
    s.add_argument("--recursive", action="store_true", help="descend into sub-folders")
    s.add_argument("--name", help="document name (one file only; default: the file stem)")
    s.add_argument("--speaker", action="append", metavar="LABEL=CASE",
                   help="attribute the turns of speaker LABEL to case CASE, created as an informant if new "
                        "(repeatable)")
    s.add_argument("--language", metavar="CODE", help="language of the documents (ISO code such as en, de)")
    s.add_argument("--max-size", type=_megabytes, metavar="MB",
                   help="refuse files larger than this (default 50, or $QUALCODE_MAX_IMPORT_MB)")
    s.add_argument("--json", action="store_true", help="print what was imported and skipped as JSON")

    s = add(sub, "documents", cmd_documents, "list the documents of a project")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="print one JSON document")

    cases = group(sub, "cases", "cases and their attributes")
    s = add(cases, "import", cmd_cases_import,
            "import cases from .csv or .xlsx: case, parent, kind, one column per attribute, documents")
    s.add_argument("project")
    s.add_argument("file")
