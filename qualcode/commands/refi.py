"""refi export / import: REFI-QDA projects (.qdpx) to and from other QDA tools."""

from __future__ import annotations

from .common import add, group, open_project, print_json, progress


def cmd_refi_export(a) -> None:
    from ..services.refi import export_qdpx

    with open_project(a.project, readonly=True) as db:
        report = export_qdpx(db, a.out, progress=progress())
    if a.json:
        print_json(report.as_dict())
        return
    if report.cancelled:
        print("export cancelled; nothing written")
        return
    print(f"wrote {a.out}: " + ", ".join(f"{n} {what}" for what, n in report.counts.items()))
    if report.not_carried:
        print("not carried (REFI-QDA has no place for them): "
              + ", ".join(f"{n} {what}" for what, n in report.not_carried.items()))


def cmd_refi_import(a) -> None:
    from ..services.refi import import_qdpx

    report = import_qdpx(a.source, a.project, progress=progress())
    if a.json:
        print_json(report.as_dict())
        return
    if report.cancelled:
        print("import cancelled; no project written")
        return
    origin = f" (written by {report.origin})" if report.origin else ""
    print(f"created {a.project} from {a.source}{origin}: "
          + ", ".join(f"{n} {what}" for what, n in report.imported.items()))
    for what, why in report.skipped:
        print(f"skipped {what}: {why}")
    for path, n in report.unknown.items():
        print(f"unknown element {path} ({n}x) ignored")
    for warning in report.warnings:
        print(f"warning: {warning}")


def register(sub) -> None:
    refi = group(sub, "refi", "exchange whole projects with other QDA tools (REFI-QDA .qdpx)")
    s = add(refi, "export", cmd_refi_export,
            "write the project as a REFI-QDA package: texts, codebook, coders, codings, cases, variables, memos")
    s.add_argument("project")
    s.add_argument("out", metavar="OUT.qdpx")
    s.add_argument("--json", action="store_true", help="print what was written as JSON")
    s = add(refi, "import", cmd_refi_import,
            "create a new project from a REFI-QDA package written by QualCode, NVivo, ATLAS.ti, MAXQDA, ...")
    s.add_argument("source", metavar="IN.qdpx")
    s.add_argument("project", metavar="PROJECT", help="the project to create (never overwritten)")
    s.add_argument("--json", action="store_true", help="print what was imported and skipped as JSON")
