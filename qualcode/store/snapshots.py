"""Whole-file copies of a project: backups, and the copy a restore puts in place.

Copies go through SQLite's online backup, so they are consistent even while another process
writes (WAL), and are written under a temporary name that becomes the real one only when the
copy is complete: a crash never leaves half a backup that looks whole. A copy is a single file
(rollback journal, not WAL), so it can be moved, mailed or opened anywhere as it is.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import ProjectError


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def signature(conn: sqlite3.Connection) -> str | None:
    """What changes whenever the project's content does: every change is recorded in the
    audit table in its own transaction, an upgrade adds schema objects, and anything else
    that writes is likely to move the page or free-list count. Equal in a project and its
    copy (unlike the schema cookie, which the backup API resets); None when unreadable."""
    one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731 - local shorthand
    try:
        return ":".join(str(v) for v in (
            one("SELECT ifnull(max(id), 0) FROM audit"), one("SELECT count(*) FROM audit"),
            one("SELECT count(*) FROM sqlite_master"), one("PRAGMA page_count"), one("PRAGMA freelist_count")))
    except sqlite3.Error:
        return None


def signature_of(path: Path) -> str | None:
    """The :func:`signature` of the project file at ``path``."""
    try:
        conn = _readonly(path)
    except sqlite3.Error:
        return None
    try:
        return signature(conn)
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_from(conn: sqlite3.Connection, target: Path, replace: bool = False) -> Path:
    """Copy the open project ``conn`` to the new file ``target``, which must not exist
    unless ``replace``."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    tmp.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _fsync(tmp)
        if replace:
            os.replace(tmp, target)
        else:
            publish(tmp, target)
    except sqlite3.Error as exc:
        raise ProjectError(f"could not copy the project to {target}: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def copy_file(source: Path, target: Path) -> Path:
    """Copy the project file ``source`` (any schema version) to the new file ``target``."""
    try:
        conn = _readonly(source)
    except sqlite3.Error as exc:
        raise ProjectError(f"cannot read {source.name}: {exc}") from None
    try:
        return copy_from(conn, target)
    finally:
        conn.close()


def publish(tmp: Path, target: Path) -> None:
    """Give a finished file its name, never replacing a file that is there; ``tmp`` is gone
    afterwards unless the name was taken."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise ProjectError(f"{target} already exists; choose another name") from None
    except OSError:  # no hard links on this file system
        if target.exists():
            raise ProjectError(f"{target} already exists; choose another name") from None
        os.replace(tmp, target)
    else:
        tmp.unlink()


def remove_files(path: Path) -> None:
    """A project file and every sidecar SQLite or QualCode keeps beside it."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"), Path(f"{path}.lock")):
        p.unlink(missing_ok=True)


def quick_check(path: Path) -> list[str]:
    """SQLite's quick check of the file at ``path``: empty when it is sound."""
    try:
        conn = _readonly(path)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def note_restore(path: Path, source: str) -> None:
    """Record in the restored copy (not yet in place) where it came from."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("INSERT INTO audit(action, payload) VALUES ('project.restore', json_object('from', ?))",
                     (source,))
    finally:
        conn.close()
