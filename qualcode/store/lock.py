"""A sidecar lock file that tells a second writer who already has the project open.

SQLite's own locks only last for one transaction, so two windows could interleave edits and
each believe its view is current. The lock file (``PROJECT.lock``) names the holder's pid and
host; a lock left behind by a crashed process on this host (pid no longer alive) is stale and
is taken over silently.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from ..errors import ProjectLocked


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + ".lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    except OSError:
        return False
    return True


def read_owner(project: Path) -> dict | None:
    """The recorded holder of the lock, or None when there is no (readable) lock."""
    try:
        return json.loads(lock_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_stale(owner: dict) -> bool:
    """A lock is stale when its holder ran on this host and is gone, or is unreadable."""
    if not isinstance(owner, dict) or "pid" not in owner:
        return True
    if owner.get("host") != socket.gethostname():
        return False  # cannot tell from here: treat as live
    return not _pid_alive(int(owner["pid"]))


class ProjectLock:
    """Held for as long as a process has the project open for writing.

    Re-entrant within one process (the CLI and tests may open the same file twice in turn);
    a different live process gets :class:`ProjectLocked`.
    """

    def __init__(self, project: Path):
        self.project = Path(project)
        self.path = lock_path(self.project)
        self.held = False

    def acquire(self) -> None:
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
                if owner and owner.get("pid") == me["pid"] and owner.get("host") == me["host"]:
                    self.held = False  # the other handle in this process owns the file
                    return
                if owner is None or is_stale(owner):
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
            self.held = True
            return
        raise ProjectLocked(f"could not take the lock on {self.project.name}; try again")

    def release(self) -> None:
        if self.held:
            try:
                owner = read_owner(self.project)
                if owner and owner.get("pid") == os.getpid():
                    self.path.unlink()
            except FileNotFoundError:
                pass
            self.held = False
