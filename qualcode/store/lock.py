"""A sidecar lock file that tells a second writer who already has the project open.

SQLite's own locks only last for one transaction, so two windows could interleave edits and
each believe its view is current. The lock file (``PROJECT.lock``) names the holder's pid and
host; a lock left behind by a crashed process on this host (pid no longer alive) is stale and
is taken over silently, and so is a lock file whose body names no usable pid.

Within one process the lock is counted: each open writer handle holds it, and the file goes
only when the last of them closes.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

from ..errors import ProjectLocked


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + ".lock")


# Open writer handles per lock file in this process (see ProjectLock).
_HANDLES: dict[str, int] = {}
_GUARD = threading.Lock()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    except (OSError, OverflowError):
        return False
    return True


def _owner_pid(owner) -> int | None:
    """The pid a lock names, or None if it names none: 0 and negative pids address process
    groups in ``kill``, so they would always look alive."""
    pid = owner.get("pid") if isinstance(owner, dict) else None
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return None
    return pid


def read_owner(project: Path) -> dict | None:
    """The recorded holder of the lock, or None when there is no (readable) lock."""
    try:
        owner = json.loads(lock_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def is_stale(owner: dict) -> bool:
    """A lock is stale when its holder ran on this host and is gone, or is unreadable."""
    pid = _owner_pid(owner)
    if pid is None:
        return True
    if owner.get("host") != socket.gethostname():
        return False  # cannot tell from here: treat as live
    return not _pid_alive(pid)


class ProjectLock:
    """Held for as long as a process has the project open for writing.

    Re-entrant within one process (the CLI and tests may open the same file twice): handles
    are counted, and the lock file is removed when the last one is released. A different live
    process gets :class:`ProjectLocked`.
    """

    def __init__(self, project: Path):
        self.project = Path(project)
        self.path = lock_path(self.project)
        self._key = os.path.realpath(self.path)
        self.held = False

    def acquire(self) -> None:
        if self.held:
            return
        with _GUARD:
            if _HANDLES.get(self._key, 0) > 0:
                _HANDLES[self._key] += 1
                self.held = True
                return
            self._take_file()
            _HANDLES[self._key] = 1
            self.held = True

    def _take_file(self) -> None:
        me = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = read_owner(self.project)
                if owner is None and self.path.exists():
                    # A writer may be between create and write: give it a moment.
                    time.sleep(0.05)
                    owner = read_owner(self.project)
                # No handle of ours holds it (checked by the caller), so a lock naming our own
                # pid was left by an earlier run that had the same pid: stale too.
                mine = owner is not None and _owner_pid(owner) == me["pid"] and owner.get("host") == me["host"]
                if owner is None or mine or is_stale(owner):
                    try:
                        self.path.unlink()
                    except FileNotFoundError:
                        pass
                    continue
                raise ProjectLocked(
                    f"{self.project.name} is open in another QualCode process "
                    f"(pid {owner.get('pid')} on {owner.get('host')}); close it there, "
                    "or open this project read-only",
                    owner,
                )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
            return
        raise ProjectLocked(f"could not take the lock on {self.project.name}; try again")

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _GUARD:
            left = _HANDLES.get(self._key, 0) - 1
            if left > 0:
                _HANDLES[self._key] = left
                return
            _HANDLES.pop(self._key, None)
            owner = read_owner(self.project)
            if owner and _owner_pid(owner) == os.getpid() and owner.get("host") == socket.gethostname():
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
