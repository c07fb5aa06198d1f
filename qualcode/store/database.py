"""Opening, creating and upgrading a project file; transactions.

A project is one SQLite file. Opening it checks, in this order, that it exists, that it is
SQLite, that it is a QualCode project, and that this version can read its schema — each with
a message a researcher can act on. Writers take the sidecar lock; readers do not, so
``qualcode info`` works while the GUI has the project open.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import sqlite3
import uuid
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import ProjectError
from . import snapshots
from .lock import ProjectLock
from .migrations import MIGRATIONS, SCHEMA_VERSION

APPLICATION = "qualcode"
APPLICATION_ID = 0x51436F64  # "QCod": lets `file(1)`-style tools recognise the format
SQLITE_MAGIC = b"SQLite format 3\x00"


class Database:
    """One open project file. Use :meth:`transaction` around every user action."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool, lock: ProjectLock | None):
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self._lock = lock
        self._depth = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing. Nested calls become savepoints of the outer transaction."""
        if self.readonly:
            raise ProjectError(f"{self.path.name} is open read-only; nothing can be changed")
        conn = self.conn
        if self._depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{self._depth}")
                conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE sp{self._depth}")

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _configure_writer(conn: sqlite3.Connection) -> None:
    """WAL is stored in the file itself, so only ever set it on a file known to be ours."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')"))
    except sqlite3.OperationalError as exc:  # no meta table, or one of another shape
        if not str(exc).startswith("no such"):
            raise
        rows = {}
    if rows.get("application") != APPLICATION:
        raise ProjectError(f"{path.name} is an SQLite database but not a QualCode project")
    try:
        return int(rows["schema_version"])
    except (KeyError, ValueError):
        raise ProjectError(f"{path.name} is a damaged QualCode project (no schema version)") from None


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ProjectError(f"no project at {path} (create one with: qualcode new {path})")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from None
    if head != SQLITE_MAGIC:
        raise ProjectError(f"{path.name} is not a QualCode project (not an SQLite database)")


def probe(path: Path) -> int:
    """The schema version of the project at ``path``, refused as :func:`open_db` refuses it,
    but without a lock or an upgrade: for backups and restores of any version."""
    path = Path(path)
    _check_file(path)
    conn = None
    try:
        conn = _connect(path, readonly=True)
        return _schema_version(conn, path)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path.name} cannot be opened as a project: {exc}") from None
    finally:
        if conn is not None:
            conn.close()


def backup_copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent single-file copy through SQLite's online backup (safe with WAL and open
    readers), complete under its name or not there at all (see :mod:`.snapshots`)."""
    return snapshots.copy_from(conn, target, replace=True)


def _migrate(db: Database, current: int) -> None:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup_copy(db.conn, db.path.with_name(f"{db.path.name}.v{current}-{stamp}.bak"))
    # One transaction for the whole upgrade: a project is either at its old version or at the
    # newest, never stranded in between.
    with db.transaction() as conn:
        for number, name, migrate in MIGRATIONS:
            if number <= current:
                continue
            migrate(conn)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(number),))
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute(
                "INSERT INTO audit(action, payload) VALUES ('schema.migrate', json_object('to', ?, 'name', ?))",
                (number, name),
            )


def create(path: Path) -> Database:
    """A new, empty project. Refuses to overwrite anything."""
    path = Path(path)
    if path.exists():
        raise ProjectError(f"{path} already exists; choose another name")
    if not path.parent.exists():
        raise ProjectError(f"folder {path.parent} does not exist")
    lock = ProjectLock(path)
    lock.acquire()
    conn = None
    try:
        conn = _connect(path, readonly=False)
        _configure_writer(conn)
        db = Database(path, conn, readonly=False, lock=lock)
        with db.transaction() as c:
            c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            c.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            c.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [
                    ("application", APPLICATION),
                    ("schema_version", "0"),
                    ("project_uuid", str(uuid.uuid4())),
                    ("created_with", __version__),
                    ("created_at", _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")),
                ],
            )
        for number, name, migrate in MIGRATIONS:
            with db.transaction() as c:
                migrate(c)
                c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(number),))
                c.execute(f"PRAGMA user_version = {number}")
        return db
    except BaseException:
        if conn is not None:
            conn.close()
        lock.release()
        raise


def open_db(path: Path, readonly: bool = False) -> Database:
    """Open an existing project, upgrading an older schema (after a backup) when writable."""
    path = Path(path)
    _check_file(path)
    lock = None
    if not readonly:
        lock = ProjectLock(path)
        lock.acquire()
    try:
        conn = None
        try:
            conn = _connect(path, readonly)
            version = _schema_version(conn, path)
            if not readonly and version <= SCHEMA_VERSION:
                _configure_writer(conn)
        except (sqlite3.DatabaseError, ProjectError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, ProjectError):
                raise
            raise ProjectError(f"{path.name} cannot be opened as a project: {exc}") from None
        db = Database(path, conn, readonly, lock)
        if version > SCHEMA_VERSION:
            db.close()
            raise ProjectError(
                f"{path.name} was saved by a newer QualCode (schema {version}; this version reads up to "
                f"{SCHEMA_VERSION}); install the newer QualCode to open it"
            )
        if version < SCHEMA_VERSION:
            if readonly:
                db.close()
                raise ProjectError(
                    f"{path.name} uses an older schema ({version}); open it once for writing to upgrade it"
                )
            try:
                _migrate(db, version)
            except BaseException:
                db.close()
                raise
        return db
    except BaseException:
        if lock is not None:
            lock.release()
        raise
