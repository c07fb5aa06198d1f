"""Backups: a rotating copy when a project is opened for writing, copies on demand, restores.

Automatic backups live beside the project in ``NAME.qualcode-backups/`` as
``STEM-YYYYMMDD-HHMMSS.qualcode``; the newest ``QUALCODE_BACKUPS`` of them are kept (5 unless
set; 0 turns them off). One is made at most once per project per process (a GUI session,
one command), and only when the project changed since the newest backup, so opening an
unchanged project costs one small read. A backup that SQLite's quick check finds damaged is
thrown away rather than allowed to push a sound one out of the rotation.

A restore replaces a project with a backup. It validates the backup first (a QualCode
project this version can open, not damaged), refuses while the project is open anywhere,
keeps the replaced file in the backups folder (``STEM-replaced-...``), and swaps the files
so that a crash leaves either the old or the new project, never a mixture.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, NotFound, ProjectError, ProjectLocked, QualCodeError
from ..store import database, snapshots
from ..store.database import Database
from ..store.lock import ProjectLock, read_owner
from ..store.migrations import SCHEMA_VERSION

ENV = "QUALCODE_BACKUPS"
DEFAULT_KEEP = 5
AUTOMATIC, REPLACED, UPGRADE = "automatic", "before restore", "before upgrade"
_STAMP = "%Y%m%d-%H%M%S"
_log = logging.getLogger(__name__)
_BACKED_UP: set[str] = set()  # projects this process has already backed up (or found unchanged)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    kind: str  # AUTOMATIC, REPLACED or UPGRADE
    size: int

    def as_dict(self) -> dict:
        return {"path": str(self.path), "created": self.created.isoformat(timespec="seconds"), "kind": self.kind,
                "size": self.size}


@dataclass(frozen=True)
class RestoreReport:
    project: str
    restored_from: str
    replaced_copy: str | None
    schema_version: int

    def as_dict(self) -> dict:
        return {"project": self.project, "restored_from": self.restored_from, "replaced_copy": self.replaced_copy,
                "schema_version": self.schema_version}


def folder(project: str | Path) -> Path:
    """Where the backups of ``project`` live: ``NAME.qualcode-backups`` beside it."""
    project = Path(project)
    return project.with_name(project.name + "-backups")


def backups_to_keep() -> int:
    """How many automatic backups to keep: ``$QUALCODE_BACKUPS``, else 5; 0 turns them off."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_KEEP
    try:
        keep = int(raw)
    except ValueError:
        keep = -1
    if keep < 0:
        raise InvalidInput(f"{ENV} must be a whole number of backups to keep (0 turns them off), not {raw!r}")
    return keep


def _parse(name: str, pattern: re.Pattern) -> tuple[dt.datetime, int] | None:
    m = pattern.match(name)
    if m is None:
        return None
    try:
        when = dt.datetime.strptime(m.group("stamp"), _STAMP)
    except ValueError:
        return None
    return when, int(m.group("n") or 1)


def _patterns(project: Path) -> dict[str, re.Pattern]:
    stem, tail = re.escape(project.stem), r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?"
    return {AUTOMATIC: re.compile(rf"^{stem}-{tail}\.qualcode$"),
            REPLACED: re.compile(rf"^{stem}-replaced-{tail}\.qualcode$"),
            UPGRADE: re.compile(rf"^{re.escape(project.name)}\.v\d+-{tail}\.bak$")}


def list_backups(project: str | Path) -> list[BackupInfo]:
    """Every backup of ``project``, newest first: the automatic ones and the copies kept by
    restores (in the backups folder), and the copies made before schema upgrades (beside it)."""
    project = Path(project)
    patterns = _patterns(project)
    found: list[tuple[tuple[dt.datetime, int], BackupInfo]] = []
    for where, kinds in ((folder(project), (AUTOMATIC, REPLACED)), (project.parent, (UPGRADE,))):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            for kind in kinds:
                parsed = _parse(entry.name, patterns[kind])
                if parsed is not None and entry.is_file():
                    found.append((parsed, BackupInfo(Path(entry.path), parsed[0], kind, entry.stat().st_size)))
    found.sort(key=lambda f: f[0], reverse=True)
    return [info for _, info in found]


def _new_name(project: Path, kind: str = AUTOMATIC) -> Path:
    where = folder(project)
    where.mkdir(exist_ok=True)
    middle = "-replaced" if kind == REPLACED else ""
    base = f"{project.stem}{middle}-{dt.datetime.now().strftime(_STAMP)}"
    # Within one second, number on from the highest number used, never reuse a rotated-out
    # name: a reused name would sort as older than the backups made before it.
    same = re.compile(rf"^{re.escape(base)}(?:-(\d+))?\.qualcode$")
    used = [int(m.group(1) or 1) for m in map(same.match, os.listdir(where)) if m]
    return where / (f"{base}-{max(used) + 1}.qualcode" if used else f"{base}.qualcode")


def _rotate(project: Path, keep: int) -> list[Path]:
    old = [b.path for b in list_backups(project) if b.kind == AUTOMATIC][keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _verified(made: Path, project: Path, keep: int) -> Path:
    """Keep a new automatic backup only if it is sound, then rotate."""
    damage = snapshots.quick_check(made)
    if damage:
        made.unlink(missing_ok=True)
        raise ProjectError(f"the project looks damaged ({damage[0]}), so no backup was kept; run: qualcode check "
                           f"{project}")
    _rotate(project, max(keep, 1))
    return made


def on_open(db: Database, keep: int | None = None) -> Path | None:
    """The automatic backup when ``db`` was just opened for writing; returns the new backup,
    or None when none was due. Never stops the open: a failure is logged as a warning."""
    keep = backups_to_keep() if keep is None else keep
    key = os.path.realpath(db.path)
    if keep <= 0 or db.readonly or key in _BACKED_UP:
        return None
    _BACKED_UP.add(key)
    try:
        newest = next((b for b in list_backups(db.path) if b.kind == AUTOMATIC), None)
        current = snapshots.signature(db.conn)
        if newest is not None and current is not None and snapshots.signature_of(newest.path) == current:
            return None
        return _verified(snapshots.copy_from(db.conn, _new_name(db.path)), db.path, keep)
    except (OSError, QualCodeError) as exc:
        _log.warning("warning: no backup of %s was made: %s", db.path.name, exc)
        return None


def backup(project: str | Path, out: str | Path | None = None) -> Path:
    """A copy of ``project`` (any schema version; it may be open elsewhere) at ``out``, or,
    without ``out``, a new automatic backup in the backups folder (rotated like the others)."""
    project = Path(project)
    database.probe(project)
    if out is None:
        return _verified(snapshots.copy_file(project, _new_name(project)), project, backups_to_keep())
    out = Path(out)
    if out.exists():
        raise ProjectError(f"{out} already exists; choose another name")
    if not out.parent.is_dir():
        raise ProjectError(f"folder {out.parent} does not exist")
    return snapshots.copy_file(project, out)


def _check_backup(source: Path) -> int:
    if not source.exists():
        raise NotFound(f"no backup at {source} (list them with: qualcode backup PROJECT --list)")
    version = database.probe(source)
    if version > SCHEMA_VERSION:
        raise ProjectError(f"{source.name} was saved by a newer QualCode (schema {version}; this version reads up "
                           f"to {SCHEMA_VERSION}); restore it with the newer QualCode")
    damage = snapshots.quick_check(source)
    if damage:
        raise ProjectError(f"{source.name} is damaged ({damage[0]}); choose another backup")
    return version


def _check_target(source: Path, project: Path) -> None:
    if not project.parent.is_dir():
        raise ProjectError(f"folder {project.parent} does not exist")
    if not project.exists():
        return
    if project.is_dir():
        raise ProjectError(f"{project} is a folder, not a project file")
    if os.path.samefile(source, project):
        raise InvalidInput(f"{source} is the project itself; name a backup to restore from")
    if project.suffix.lower() != ".qualcode" and not _is_sqlite(project):
        raise ProjectError(f"{project.name} is not a project file; refusing to replace it")
    owner = read_owner(project)
    if owner and owner.get("pid") == os.getpid() and owner.get("host") == socket.gethostname():
        raise ProjectLocked(f"{project.name} is open in this window; close it before restoring", owner)


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == database.SQLITE_MAGIC
    except OSError:
        return False


def _keep_replaced(project: Path) -> Path:
    """A byte copy of the project about to be replaced (with its write-ahead log, which may
    hold its latest transactions): a damaged file is copied as it is."""
    target = _new_name(project, REPLACED)
    shutil.copy2(project, target)
    wal = Path(f"{project}-wal")
    if wal.exists():
        shutil.copy2(wal, Path(f"{target}-wal"))
    return target


def restore(source: str | Path, project: str | Path) -> RestoreReport:
    """Replace ``project`` (which need not exist) with the backup ``source``."""
    source, project = Path(source), Path(project)
    version = _check_backup(source)
    _check_target(source, project)
    lock = ProjectLock(project)
    lock.acquire()  # ProjectLocked while another process has the project open
    tmp = project.with_name(f".{project.name}.{os.getpid()}.restoring")
    try:
        snapshots.remove_files(tmp)
        snapshots.copy_file(source, tmp)
        snapshots.note_restore(tmp, str(source))
        replaced = _keep_replaced(project) if project.exists() else None
        # The old log must go before the new file takes the name, or SQLite would replay it
        # into the restored project.
        for side in ("-wal", "-shm"):
            Path(f"{project}{side}").unlink(missing_ok=True)
        os.replace(tmp, project)
    finally:
        snapshots.remove_files(tmp)
        lock.release()
    _BACKED_UP.discard(os.path.realpath(project))
    return RestoreReport(str(project), str(source), str(replaced) if replaced else None, version)
