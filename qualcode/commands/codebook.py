"""codebook import / export."""

from __future__ import annotations

from .common import add, group, open_project


def cmd_codebook_import(a) -> None:
    from ..services.codebook import import_file

    with open_project(a.project) as db:
        result = import_file(db, a.file)
    print(f"codebook: {result['created']} code(s) created, {result['updated']} updated")


def cmd_codebook_export(a) -> None:
    from ..services.codebook import export_file

    with open_project(a.project, readonly=True) as db:
        n = export_file(db, a.out)
    print(f"wrote {n} code(s) to {a.out}")


def register(sub) -> None:
    cb = group(sub, "codebook", "import and export the codebook")
    s = add(cb, "import", cmd_codebook_import, "import codes from .csv (path,definition,...) or .md")
    s.add_argument("project")
    s.add_argument("file")
    s = add(cb, "export", cmd_codebook_export, "export the codebook as .csv or .md")
    s.add_argument("project")
    s.add_argument("out")
