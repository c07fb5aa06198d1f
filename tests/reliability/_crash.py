"""Killing a real ``qualcode`` process with SIGKILL at a chosen point inside a transaction.

The child runs ``qualcode.cli.main(ARGS)`` with one hook installed: when the chosen store or
service function has done its work (rows written, transaction still open), the child writes a
marker file and stops dead; the test then kills it with SIGKILL. The page cache of the child
is made tiny, so SQLite spills the open transaction's pages into the write-ahead log before
the kill: the log the test leaves behind holds uncommitted frames that recovery must ignore.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path

    marker, hook, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

    def stop_here():
        marker.write_text(str(os.getpid()))
        while True:
            time.sleep(1)

    def after(owner, name, nth=1):
        original = getattr(owner, name)
        calls = [0]
        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            calls[0] += 1
            if calls[0] == nth:
                stop_here()
            return result
        setattr(owner, name, wrapper)

    from qualcode.store import database
    configure = database._configure_writer
    def tiny_cache(conn):
        configure(conn)
        conn.execute("PRAGMA cache_size = 8")  # spill the open transaction into the WAL
    database._configure_writer = tiny_cache

    kind, _, arg = hook.partition(":")
    if kind == "document":      # the Nth document: its rows and index entries are written
        from qualcode.store import documents
        after(documents, "insert_turns", int(arg))
    elif kind == "codings":     # every row of the codings import is written
        from qualcode.store import codings
        after(codings, "insert_many")
    elif kind == "merge":       # the Nth input project is folded into the output
        from qualcode.services import merge
        after(merge._Merger, "fold", int(arg))
    elif kind == "migration":   # the last migration has run, its transaction still open
        from qualcode.store import migrations
        number, name, fn = migrations.MIGRATIONS[-1]
        box = type("Box", (), {"fn": staticmethod(fn)})
        after(box, "fn")
        migrations.MIGRATIONS[-1] = (number, name, box.fn)
    elif kind != "none":
        raise SystemExit(f"unknown hook {hook}")

    from qualcode.cli import main
    sys.exit(main(argv))
""")


def start(tmp: Path, hook: str, *args) -> tuple[subprocess.Popen, Path]:
    marker = tmp / f"stopped-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), hook, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    return proc, marker


def kill_at_marker(proc: subprocess.Popen, marker: Path, timeout: float = 60) -> None:
    """Wait until the child stops at its hook, then SIGKILL it."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"the child ended (exit {proc.returncode}) before its hook:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the child never reached its hook")
        time.sleep(0.01)
    kill(proc)


def kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    """SIGKILL the child as soon as ``ready()`` is true (polled every few milliseconds)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"the child ended (exit {proc.returncode}) before it was killed:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the child never got there")
        time.sleep(0.005)
    kill(proc)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def uncommitted_frames(project: Path) -> int:
    """Frames in the project's write-ahead log after its last commit frame: pages of a
    transaction that was still open when the process died."""
    wal = Path(f"{project}-wal")
    if not wal.exists():
        return 0
    data = wal.read_bytes()
    if len(data) < 32:
        return 0
    page_size = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    frames, last_commit, pos = 0, 0, 32
    while pos + 24 + page_size <= len(data):
        header = data[pos:pos + 24]
        if header[8:16] != salts:
            break
        frames += 1
        if struct.unpack(">I", header[4:8])[0]:  # "database size after commit": a commit frame
            last_commit = frames
        pos += 24 + page_size
    return frames - last_commit


def count(project: Path, sql: str, args=()) -> int:
    """One number from the project, read through a connection of its own."""
    conn = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the table is not there yet
    finally:
        conn.close()
