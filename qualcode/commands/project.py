"""new, sample, info."""

from __future__ import annotations

from .common import add, open_project, print_json, progress


def cmd_new(a) -> None:
    from ..services.project import info
    from ..services.starters import new_project

    with new_project(a.project, a.codebook) as db:
        codes = info(db)["codes"]
    print(f"created {a.project}" + (f" with {codes} codes from {a.codebook}" if a.codebook else ""))


def cmd_sample(a) -> None:
    from ..services.project import info
    from ..services.sample import build_sample

    with build_sample(a.project, progress=progress()) as db:
        i = info(db)
    print(f"built {a.project}: {i['documents']} documents, {i['codes']} codes, {i['codings']} codings "
          f"by {', '.join(i['coders']) or 'no coders'}, {i['stories']} stories")


def cmd_info(a) -> None:
    from ..services.project import info

    with open_project(a.project, readonly=True) as db:
        i = info(db)
    if a.json:
        print_json(i)
        return
    for key, value in i.items():
        print(f"{key:15} {', '.join(value) if isinstance(value, list) else value}")


def register(sub) -> None:
    s = add(sub, "new", cmd_new, "create an empty project file")
    s.add_argument("project", help="the new .qualcode file")
    s.add_argument("--codebook", metavar="STARTER|FILE",
                   help="start with a codebook: a starter's name (qualcode codebook starters) or a .csv/.md/.qdc file")

    s = add(sub, "sample", cmd_sample, "build the demo project from sample_transcripts/")
    s.add_argument("project", help="the new .qualcode file")

    s = add(sub, "info", cmd_info, "counts of documents, cases, codes, codings, coders, stories")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="print one JSON document")
