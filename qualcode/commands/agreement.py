"""agreement, merge, adjudicate: the team workflow."""

from __future__ import annotations

from .common import add, open_project, print_json, progress, table

UNITS = ["character", "sentence", "paragraph", "document", "unitized"]


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _fmt(value, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value}{suffix}"


def cmd_agreement(a) -> None:
    from ..services import agreement, agreement_report

    with open_project(a.project, readonly=True) as db:
        if a.out:
            doc = agreement_report.write_report(db, a.out, _names(a.coders), a.unit, a.code, a.document)
        else:
            doc = agreement.compute(db, _names(a.coders), a.unit, a.code, a.document)
    if a.json:
        print_json(doc)
        return
    print(f"unit: {doc['unit']}; coders: {', '.join(doc['coders'])}; documents: {doc['documents']}")
    o = doc["overall"]
    rows = [["(overall)", "", _fmt(o["percent"], "%"), _fmt(o["cohen_kappa"]), _fmt(o["fleiss_kappa"]),
             _fmt(o["krippendorff_alpha"])]]
    rows += [[path, s["units"], _fmt(s["percent"], "%"), _fmt(s["cohen_kappa"]), _fmt(s["fleiss_kappa"]),
              _fmt(s["krippendorff_alpha"])] for path, s in doc["per_code"].items()]
    table(rows, ["code", "units", "percent", "cohen", "fleiss", "alpha"])
    if a.out:
        print(f"wrote the report to {a.out}")


def cmd_merge(a) -> None:
    from ..services.merge import merge_projects

    report = merge_projects(a.out_project, a.projects, progress=progress()).as_dict()
    if a.json:
        print_json(report)
        return
    t = report["totals"]
    print(f"merged {len(report['inputs'])} projects into {a.out_project}: {t['documents']} documents, "
          f"{t['codes']} codes, {t['codings']} codings by {', '.join(t['coders']) or 'no coders'}")
    for inp in report["inputs"]:
        parts = [f"{name} {s['total']} ({s['added']} added, {s['duplicates']} duplicate)"
                 for name, s in inp.items() if name != "project" and s["total"]]
        print(f"  {inp['project']}: " + "; ".join(parts))
    print(f"conflicts: {len(report['conflicts'])}")
    for c in report["conflicts"]:
        print(f"  [{c['kind']}] {c['message']}")
    for n in report["not_carried"]:
        print(f"not carried over from {n['project']}: {n['rows']} row(s) of {n['table']} ({n['reason']})")


def cmd_adjudicate(a) -> None:
    from ..errors import InvalidInput
    from ..services.adjudicate import accept_agreements

    if not a.accept_agreements:
        raise InvalidInput("nothing to do: pass --accept-agreements (disagreements are resolved in the window)")
    with open_project(a.project) as db:
        result = accept_agreements(db, _names(a.from_coders), a.into, a.code, a.document).as_dict()
    if a.json:
        print_json(result)
        return
    print(f"{result['into']}: {result['stretches']} agreed stretch(es) of {', '.join(result['from'])} "
          f"in {result['codes']} code(s), {result['characters']} characters; "
          f"{result['created']} coding(s) created, {result['replaced']} replaced")


def register(sub) -> None:
    s = add(sub, "agreement", cmd_agreement, "inter-coder agreement per code and overall")
    s.add_argument("project")
    s.add_argument("--coders", required=True, metavar="A,B[,C...]", help="two or more coder names, comma-separated")
    s.add_argument("--unit", choices=UNITS, default="character", help="unit of analysis (default character)")
    s.add_argument("--code", action="append", metavar="PATH",
                   help="only this code (repeatable; default: every code the coders used)")
    s.add_argument("--document", action="append", metavar="DOC",
                   help="only this document (repeatable; default: every document the coders coded)")
    s.add_argument("--json", action="store_true", help="print one JSON document")
    s.add_argument("--out", metavar="OUT", help="also write a report: .html, .xlsx or .csv")

    s = add(sub, "merge", cmd_merge, "fold coders' copies into a new project and report conflicts")
    s.add_argument("out_project", metavar="OUT_PROJECT", help="the new project (must not exist)")
    s.add_argument("projects", nargs="+", metavar="PROJECT", help="two or more copies to merge")
    s.add_argument("--json", action="store_true", help="print the merge report as JSON")

    s = add(sub, "adjudicate", cmd_adjudicate, "build a consensus coder from agreed codings")
    s.add_argument("project")
    s.add_argument("--from", dest="from_coders", required=True, metavar="A,B", help="the coders compared")
    s.add_argument("--into", required=True, metavar="CONSENSUS", help="the consensus coder (created if new)")
    s.add_argument("--accept-agreements", action="store_true",
                   help="copy every stretch all --from coders coded with the same code")
    s.add_argument("--code", action="append", metavar="PATH", help="only this code (repeatable)")
    s.add_argument("--document", action="append", metavar="DOC", help="only this document (repeatable)")
    s.add_argument("--json", action="store_true", help="print what was done as JSON")
