"""check, backup, restore: keeping a project sound and safe.

``qualcode check`` exits 0 when the project is sound, 1 when it found problems (listed, and
still there after ``--repair`` if that could not fix them), 2 on a user error such as a
missing file or a project open elsewhere (``--repair`` needs the project to itself).
"""

from __future__ import annotations

from .common import add, open_project, print_json, progress

EXIT_PROBLEMS = 1


def _opened(a):
    """The project, or an error that points at its newest backup when it cannot be opened."""
    from ..errors import ProjectError, ProjectLocked
    from ..services.backup import list_backups

    try:
        return open_project(a.project, readonly=not a.repair)
    except ProjectLocked:
        raise
    except ProjectError as exc:
        found = list_backups(a.project)
        if not found:
            raise
        raise ProjectError(f"{exc}; its newest backup is {found[0].path} "
                           f"(qualcode restore {found[0].path} {a.project})") from None


def cmd_check(a) -> int:
    from ..services.check import check

    with _opened(a) as db:
        report = check(db, repair=a.repair, progress=progress())
    if a.json:
        print_json(report.as_dict())
    else:
        for r in report.repaired:
            print(f"repaired  {r.check}: {r.message}")
        for p in report.problems:
            print(f"{p.severity:8}  {p.check}: {p.message}")
        if report.ok:
            print(f"{a.project}: sound")
        else:
            hint = "" if a.repair else f"; `qualcode check {a.project} --repair` fixes what is safe to fix"
            print(f"{a.project}: {len(report.problems)} problem(s){hint}")
    return 0 if report.ok else EXIT_PROBLEMS


def cmd_backup(a) -> None:
    from ..services import backup

    if a.list:
        if a.out:
            from ..errors import InvalidInput

            raise InvalidInput("--list takes no OUT file")
        found = backup.list_backups(a.project)
        if a.json:
            print_json([b.as_dict() for b in found])
            return
        for b in found:
            print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.kind:14}  {b.size:>12,}  {b.path}")
        if not found:
            print(f"no backups of {a.project}")
        return
    made = backup.backup(a.project, a.out)
    if a.json:
        print_json({"backup": str(made)})
    else:
        print(f"backed up {a.project} to {made}")


def cmd_restore(a) -> None:
    from ..services.backup import restore

    report = restore(a.backup, a.project)
    if a.json:
        print_json(report.as_dict())
        return
    print(f"restored {a.project} from {a.backup}")
    if report.replaced_copy:
        print(f"the replaced project was kept as {report.replaced_copy}")


def register(sub) -> None:
    s = add(sub, "check", cmd_check,
            "check the project's integrity and invariants (exit 0: sound, 1: problems found, 2: error)")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help='print {"ok", "problems", "repaired"}')
    s.add_argument("--repair", action="store_true",
                   help="fix what is safe to fix (orphan rows, derived data), in one transaction, and say what")

    s = add(sub, "backup", cmd_backup,
            "copy the project (safe while it is open); without OUT, into the rotating NAME.qualcode-backups/")
    s.add_argument("project")
    s.add_argument("out", nargs="?", metavar="OUT", help="the copy to write (must not exist)")
    s.add_argument("--list", action="store_true", help="list the project's backups, newest first")
    s.add_argument("--json", action="store_true", help="print one JSON document")

    s = add(sub, "restore", cmd_restore,
            "replace PROJECT with a backup (the replaced file is kept in the backups folder)")
    s.add_argument("backup", metavar="BACKUP", help="a backup (see: qualcode backup PROJECT --list)")
    s.add_argument("project", metavar="PROJECT", help="the project to replace (or to create)")
    s.add_argument("--json", action="store_true", help="print what was done as JSON")
