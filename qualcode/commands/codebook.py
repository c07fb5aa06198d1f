"""codebook import | export | version | versions | diff | merge | split | retire | unretire |
describe | history | starters (docs/codebook.md)."""

from __future__ import annotations

import argparse

from .common import add, group, open_project, print_json, table

_CODER_HELP = "who makes the change (recorded in the audit trail)"


def cmd_codebook_import(a) -> None:
    from ..services.codebook import import_file

    with open_project(a.project) as db:
        result = import_file(db, a.file)
    note = f", {result['unchanged']} unchanged" if result.get("unchanged") else ""
    note += f"; {result['ignored_sets']} set(s) ignored (QualCode has no code sets)" if result.get("ignored_sets") else ""
    print(f"codebook: {result['created']} code(s) created, {result['updated']} updated{note}")


def cmd_codebook_export(a) -> None:
    from pathlib import Path

    from ..errors import InvalidInput
    from ..services.codebook import export_file

    if (a.with_counts or a.with_examples) and Path(a.out).suffix.lower() != ".docx":
        raise InvalidInput("--with-counts and --with-examples apply to a .docx codebook only")
    with open_project(a.project, readonly=True) as db:
        n = export_file(db, a.out, with_counts=a.with_counts, with_examples=a.with_examples)
    print(f"wrote {n} code(s) to {a.out}")


def cmd_version(a) -> None:
    from ..services.codebook_versions import save_version

    with open_project(a.project) as db:
        saved = save_version(db, a.label, coder=a.coder)
    print(f"saved codebook version {saved['label']!r} ({saved['codes']} codes)")


def cmd_versions(a) -> None:
    from ..services.codebook_versions import list_versions

    with open_project(a.project, readonly=True) as db:
        found = list_versions(db)
    if a.json:
        print_json(found)
    elif not found:
        print("no codebook versions saved yet")
    else:
        table([[v["label"], v["created_at"], v["coder"] or "", v["codes"]] for v in found],
              ["label", "saved", "coder", "codes"])


def cmd_diff(a) -> None:
    from ..core.codebook_diff import count, lines
    from ..services.codebook_versions import diff_versions

    with open_project(a.project, readonly=True) as db:
        changes = diff_versions(db, a.old, a.new)
    if a.json:
        print_json(changes)
        return
    body = {k: v for k, v in changes.items() if k not in ("from", "to")}
    print(f"{changes['from']} -> {changes['to']}: {count(body)} change(s)")
    for line in lines(body):
        print(f"  {line}")


def _resolve(db, ref: str) -> int:
    from ..services.codebook import index

    return index(db).resolve(ref)


def cmd_merge(a) -> None:
    from ..services.codebook_edit import merge_codes

    with open_project(a.project) as db:
        source, target = _resolve(db, a.code), _resolve(db, a.into)
        result = merge_codes(db, source, target, coder=a.coder)
    summary = result.summary()
    if a.json:
        print_json({"code": a.code, "into": a.into, **summary})
        return
    print(f"merged {a.code!r} into {a.into!r}: {summary['moved']} coding(s) moved, "
          f"{summary['collapsed']} duplicate(s) collapsed, {summary['subcodes']} subcode(s) moved")


def cmd_split(a) -> None:
    from ..services.codebook import paths
    from ..services.codebook_edit import split_code, split_selection

    ids = [int(i) for chunk in a.coding or [] for i in chunk.split(",") if i.strip()]
    with open_project(a.project) as db:
        code_id = _resolve(db, a.code)
        parent = {} if a.parent is None else {"parent_id": None if a.parent == "" else _resolve(db, a.parent)}
        chosen = split_selection(db, code_id, ids, a.document or (), a.coded_by or ())
        result = split_code(db, code_id, chosen, a.name, coder=a.coder, **parent)
        new_path = paths(db)[result.code.id]
    print(f"split {len(result.coding_ids)} coding(s) of {a.code!r} into the new code {new_path!r}")


def _integer_list(text: str) -> str:
    if not all(part.strip().isdigit() for part in text.split(",") if part.strip()):
        raise argparse.ArgumentTypeError(f"coding ids are whole numbers, got {text!r}")
    return text


def cmd_retire(a) -> None:
    from ..services.codebook_edit import retire_code

    with open_project(a.project) as db:
        retire_code(db, _resolve(db, a.code), coder=a.coder)
    print(f"retired {a.code!r}: kept for history, no longer offered for coding")


def cmd_unretire(a) -> None:
    from ..services.codebook_edit import unretire_code

    with open_project(a.project) as db:
        unretire_code(db, _resolve(db, a.code), coder=a.coder)
    print(f"{a.code!r} is active again")


def cmd_describe(a) -> None:
    from ..errors import InvalidInput
    from ..services.codebook_edit import DESCRIPTION, describe_code

    fields = {f: getattr(a, f) for f in DESCRIPTION if getattr(a, f) is not None}
    if not fields:
        raise InvalidInput("give at least one of --definition --inclusion --exclusion --example --memo")
    with open_project(a.project) as db:
        old = describe_code(db, _resolve(db, a.code), coder=a.coder, **fields)
    print(f"{a.code!r}: {', '.join(sorted(old)) or 'nothing'} changed")


def cmd_history(a) -> None:
    from ..services.codebook_versions import code_history

    with open_project(a.project, readonly=True) as db:
        h = code_history(db, a.code)
    if a.json:
        print_json(h)
        return
    code = h["code"]
    print(f"{code['path']} ({code['status']}, GUID {code['guid']})")
    print("changes:")
    for e in h["events"] or []:
        details = ", ".join(f"{k}={v}" for k, v in e["details"].items())
        print(f"  {e['ts'][:19]}  {e['coder'] or '-':10}  {e['action']:14}  {details}")
    if not h["events"]:
        print("  none recorded")
    print("versions:")
    for v in h["versions"]:
        state = f"{v['path']} ({v['status']})" if v["path"] else "not in this version"
        print(f"  {v['label']:12}  {state}{'  ' + '; '.join(v['changes']) if v['changes'] else ''}")


def cmd_starters(a) -> None:
    from ..services.starters import describe, list_starters

    found = [describe(s) for s in list_starters()]
    if a.json:
        print_json(found)
        return
    for s in found:
        print(f"{s['name']}: {s['description'] or s['path']}")


def register(sub) -> None:
    cb = group(sub, "codebook", "the codebook: exchange, versions, merge, split, retire, history")
    s = add(cb, "import", cmd_codebook_import, "import codes from .qdc (REFI-QDA), .csv (path,definition,...) or .md")
    s.add_argument("project")
    s.add_argument("file")
    s = add(cb, "export", cmd_codebook_export, "export the codebook as .qdc (REFI-QDA), .docx, .csv or .md")
    s.add_argument("project")
    s.add_argument("out")
    s.add_argument("--with-counts", action="store_true", help=".docx: how often each code was used")
    s.add_argument("--with-examples", action="store_true", help=".docx: one real coded passage per code")

    s = add(cb, "version", cmd_version, "save the codebook as it is now under a label")
    s.add_argument("project")
    s.add_argument("--label", required=True, help="the version's name, e.g. 'after pilot'")
    s.add_argument("--coder", help=_CODER_HELP)

    s = add(cb, "versions", cmd_versions, "list the saved codebook versions")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="print one JSON document")

    s = add(cb, "diff", cmd_diff, "what changed between two codebook versions ('current': the live codebook)")
    s.add_argument("project")
    s.add_argument("old", metavar="V1", help="a version label, or 'current'")
    s.add_argument("new", metavar="V2", nargs="?", default="current", help="a version label (default: current)")
    s.add_argument("--json", action="store_true", help="print one JSON document")

    s = add(cb, "merge", cmd_merge, "merge code CODE into another: its codings move, duplicates collapse")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE", help="the code that goes (path, or unique name)")
    s.add_argument("--into", required=True, metavar="CODE", help="the code that stays")
    s.add_argument("--coder", help=_CODER_HELP)
    s.add_argument("--json", action="store_true", help="print one JSON document")

    s = add(cb, "split", cmd_split, "move some codings of CODE to a new code")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE", help="the code to split (path, or unique name)")
    s.add_argument("--name", required=True, help="name of the new code")
    s.add_argument("--parent", metavar="CODE", help="put the new code under CODE ('' for the top level; "
                                                    "default: beside CODE)")
    s.add_argument("--coding", action="append", type=_integer_list, metavar="ID[,ID...]",
                   help="coding ids to move (see the coding_id column of 'qualcode report segments')")
    s.add_argument("--document", action="append", metavar="DOC", help="move the codings in this document")
    s.add_argument("--coded-by", action="append", metavar="NAME", help="move the codings of this coder")
    s.add_argument("--coder", help=_CODER_HELP)

    s = add(cb, "retire", cmd_retire, "keep a code for history but stop offering it for coding")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE")
    s.add_argument("--coder", help=_CODER_HELP)

    s = add(cb, "unretire", cmd_unretire, "make a retired code active again")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE")
    s.add_argument("--coder", help=_CODER_HELP)

    s = add(cb, "describe", cmd_describe, "set a code's definition, criteria, example or memo ('' clears one)")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE")
    for field in ("definition", "inclusion", "exclusion", "example", "memo"):
        s.add_argument(f"--{field}", metavar="TEXT")
    s.add_argument("--coder", help=_CODER_HELP)

    s = add(cb, "history", cmd_history, "one code's changes (audit trail) and its state in each version")
    s.add_argument("project")
    s.add_argument("code", metavar="CODE", help="path, or unique name (merged codes too)")
    s.add_argument("--json", action="store_true", help="print one JSON document")

    s = add(cb, "starters", cmd_starters, "list the starter codebooks 'qualcode new --codebook' can use")
    s.add_argument("--json", action="store_true", help="print one JSON document")
