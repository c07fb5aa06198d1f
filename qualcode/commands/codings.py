"""code, codings import / export."""

from __future__ import annotations

from .common import add, group, open_project, print_json

EVIDENCE = ["witnessed", "own experience", "hearsay", "unknown"]


def cmd_code(a) -> None:
    from ..services.coding import add_coding

    with open_project(a.project) as db:
        coding_id = add_coding(db, a.document, a.code, a.start, a.end, a.coder, memo=a.memo, evidence=a.evidence)
    if a.json:
        print_json({"id": coding_id})
    else:
        print(coding_id)


def cmd_codings_import(a) -> None:
    from ..services.coding import import_csv

    with open_project(a.project) as db:
        n = import_csv(db, a.file, coder=a.coder)
    print(f"imported {n} coding(s)")


def cmd_codings_export(a) -> None:
    from ..services.coding import export_csv

    with open_project(a.project, readonly=True) as db:
        n = export_csv(db, a.out, coders=a.coder, pseudonym_map=a.pseudonymise, with_evidence=a.with_evidence)
    print(f"wrote {n} coding(s) to {a.out}")


def register(sub) -> None:
    s = add(sub, "code", cmd_code, "apply a code to a span of a document")
    s.add_argument("project")
    s.add_argument("--document", required=True, help="document name")
    s.add_argument("--code", required=True, help="code path (or a unique code name)")
    s.add_argument("--start", required=True, type=int, help="first character (code points, from 0)")
    s.add_argument("--end", required=True, type=int, help="one past the last character")
    s.add_argument("--coder", required=True, help="who codes")
    s.add_argument("--memo", help="a note on this coding")
    s.add_argument("--evidence", choices=EVIDENCE, help="how the speaker knows what the passage claims")
    s.add_argument("--json", action="store_true", help='print {"id": N}')

    cd = group(sub, "codings", "import and export codings as CSV")
    s = add(cd, "import", cmd_codings_import, "import codings: document,code,coder,start,end,text,memo")
    s.add_argument("project")
    s.add_argument("file")
    s.add_argument("--coder", help="import every row as this coder")
    s = add(cd, "export", cmd_codings_export, "export codings: document,code,coder,start,end,text,memo")
    s.add_argument("project")
    s.add_argument("out")
    s.add_argument("--coder", action="append", help="only this coder's codings (repeatable)")
    s.add_argument("--with-evidence", action="store_true",
                   help="add an evidence column (witnessed / own experience / hearsay / unknown)")
    s.add_argument("--pseudonymise", metavar="MAP.csv",
                   help="replace names in the text and memos: a CSV original,pseudonym (longest first, whole words)")
