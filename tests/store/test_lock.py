"""The sidecar writer lock, exercised across real processes."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qualcode.errors import ProjectError, ProjectLocked
from qualcode.services.project import open_project
from qualcode.store import lock as lockmod
from qualcode.store.database import create, open_db
from qualcode.store.lock import ProjectLock, lock_path, read_owner

HOST = socket.gethostname()

# Opens the project the way the CLI does and reports, as one JSON line, what happened.
TRY_OPEN = textwrap.dedent("""
    import json, sys
    from qualcode.errors import ProjectLocked, QualCodeError
    from qualcode.services.project import open_project
    try:
        db = open_project(sys.argv[1], readonly=sys.argv[2] == "ro")
    except ProjectLocked as exc:
        print(json.dumps({"result": "locked", "message": str(exc), "owner": exc.owner}))
    except QualCodeError as exc:
        print(json.dumps({"result": type(exc).__name__, "message": str(exc)}))
    else:
        n = db.conn.execute("SELECT count(*) FROM coder").fetchone()[0]
        db.close()
        print(json.dumps({"result": "open", "coders": n}))
""")

# Holds the project open for writing until told to stop on stdin.
HOLD = textwrap.dedent("""
    import sys
    from qualcode.services.project import open_project
    db = open_project(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    db.close()
    print("closed", flush=True)
""")


def try_open(path, mode="rw") -> dict:
    proc = subprocess.run([sys.executable, "-c", TRY_OPEN, str(path), mode],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "locked.qualcode"
    create(path).close()
    return path


def write_lock(path, body):
    lock_path(path).write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")


# -- another process ---------------------------------------------------------------------------

def test_a_second_writer_in_another_process_is_refused_with_pid_and_host(project):
    with open_project(project) as db:
        owner = read_owner(project)
        assert owner["pid"] == os.getpid() and owner["host"] == HOST
        out = try_open(project)
        assert out["result"] == "locked"
        assert str(os.getpid()) in out["message"] and HOST in out["message"]
        assert "read-only" in out["message"]
        assert out["owner"]["pid"] == os.getpid() and out["owner"]["host"] == HOST
        # The refused process left our lock alone, and we can still write.
        assert read_owner(project)["pid"] == os.getpid()
        with db.transaction() as conn:
            conn.execute("INSERT INTO coder(name) VALUES ('ana')")
    assert not lock_path(project).exists()


def test_a_reader_in_another_process_opens_while_the_writer_holds_the_lock(project):
    with open_project(project) as db:
        with db.transaction() as conn:
            conn.execute("INSERT INTO coder(name) VALUES ('ana')")
        assert try_open(project, "ro") == {"result": "open", "coders": 1}
        assert read_owner(project)["pid"] == os.getpid()


def test_after_close_another_process_may_write(project):
    open_project(project).close()
    assert try_open(project) == {"result": "open", "coders": 0}
    assert not lock_path(project).exists(), "the other process removed its lock on close"


def test_a_lock_held_by_another_live_process_refuses_us(project):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
        with pytest.raises(ProjectLocked) as info:
            open_project(project)
        assert info.value.owner["pid"] == holder.pid
        assert f"pid {holder.pid} on {HOST}" in str(info.value)
        assert read_owner(project)["pid"] == holder.pid, "a refused writer must not touch the lock"
        with open_project(project, readonly=True) as reader:
            assert reader.readonly
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert not lock_path(project).exists()
    with open_project(project) as db:
        assert read_owner(project)["pid"] == os.getpid()


# -- stale and broken locks --------------------------------------------------------------------

def test_a_stale_lock_from_a_dead_process_on_this_host_is_taken_over(project):
    pid = dead_pid()
    write_lock(project, {"pid": pid, "host": HOST, "since": 0})
    assert lockmod.is_stale(read_owner(project))
    with open_db(project) as db:
        assert read_owner(project)["pid"] == os.getpid()
    assert not lock_path(project).exists()


def test_another_process_also_takes_over_a_stale_lock(project):
    write_lock(project, {"pid": dead_pid(), "host": HOST, "since": 0})
    assert try_open(project) == {"result": "open", "coders": 0}
    assert not lock_path(project).exists()


GARBAGE = {
    "empty": "", "not-json": "garbage{", "control-bytes": "\x00\x01\x02", "null": "null", "empty-object": "{}",
    "list": "[1, 2]", "string": '"text"', "number": "42", "bool": "true",
    "no-pid": json.dumps({"host": HOST}),
    "pid-text": json.dumps({"pid": "abc", "host": HOST}),
    "pid-null": json.dumps({"pid": None, "host": HOST}),
    "pid-huge": json.dumps({"pid": 1.5e300, "host": HOST}),
    "pid-overflow": json.dumps({"pid": 2 ** 80, "host": HOST}),
    "pid-zero": json.dumps({"pid": 0, "host": HOST}),  # kill(0, 0) would "succeed": the process group
    "pid-negative": json.dumps({"pid": -1, "host": HOST}),
    "pid-bool": json.dumps({"pid": True, "host": HOST}),
}


@pytest.mark.parametrize("body", list(GARBAGE.values()), ids=list(GARBAGE))
def test_a_lock_with_a_garbage_body_is_treated_as_stale(project, body):
    write_lock(project, body)
    with open_db(project) as db:
        owner = read_owner(project)
        assert owner["pid"] == os.getpid() and owner["host"] == HOST
    assert not lock_path(project).exists()


def test_a_lock_from_another_host_is_respected(project):
    owner = {"pid": 4242, "host": "some-other-machine", "since": 0}
    write_lock(project, owner)
    with pytest.raises(ProjectLocked, match="pid 4242 on some-other-machine") as info:
        open_db(project)
    assert info.value.owner == owner
    assert read_owner(project) == owner
    with open_db(project, readonly=True):
        pass


# -- release -----------------------------------------------------------------------------------

def test_the_lock_file_is_removed_on_close(project):
    db = open_db(project)
    assert lock_path(project).exists()
    db.close()
    assert not lock_path(project).exists()
    with open_db(project):
        assert lock_path(project).exists()
    assert not lock_path(project).exists()


def test_readers_take_no_lock(project):
    with open_db(project, readonly=True):
        assert not lock_path(project).exists()


def test_a_failed_open_releases_the_lock(project):
    conn = sqlite3.connect(project)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer"):
        open_db(project)
    assert not lock_path(project).exists()


def test_release_leaves_a_lock_that_someone_else_now_holds(project):
    db = open_db(project)
    other = {"pid": 4242, "host": "elsewhere", "since": 0}
    write_lock(project, other)  # e.g. taken over after this process was judged dead
    db.close()
    assert read_owner(project) == other


def test_two_handles_in_one_process_keep_the_lock_until_both_close(project):
    """Re-entrant within a process: closing one handle must not unlock the other."""
    first = open_db(project)
    second = open_db(project)
    first.close()
    assert lock_path(project).exists(), "the second handle is still open for writing"
    assert try_open(project)["result"] == "locked"
    with second.transaction() as conn:
        conn.execute("INSERT INTO coder(name) VALUES ('ana')")
    second.close()
    assert not lock_path(project).exists()


def test_a_lock_left_by_a_dead_run_with_our_own_pid_is_not_mistaken_for_ours(project):
    """Pids repeat (containers start every run at the same pid): a leftover lock naming our
    pid that no open handle of ours holds is stale, and is cleaned up on close."""
    write_lock(project, {"pid": os.getpid(), "host": HOST, "since": 0})
    with open_db(project):
        assert read_owner(project)["pid"] == os.getpid()
    assert not lock_path(project).exists()


def test_project_lock_acquire_and_release_directly(project):
    lock = ProjectLock(project)
    lock.acquire()
    assert lock.held and read_owner(project)["pid"] == os.getpid()
    lock.release()
    assert not lock.held and not lock_path(project).exists()
    lock.release()  # twice is harmless
    assert lock_path(project).name == project.name + ".lock"


def test_a_lock_left_by_a_writer_killed_with_sigkill_is_recovered(project):
    """kill -9 gives the writer no chance to remove its lock: the next writer, in this
    process or another, sees that the holder is gone and takes the project over."""
    import signal

    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    assert read_owner(project)["pid"] == holder.pid
    assert try_open(project)["result"] == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    assert read_owner(project)["pid"] == holder.pid  # left behind
    assert try_open(project) == {"result": "open", "coders": 0}
    with open_project(project) as db:
        assert read_owner(project)["pid"] == os.getpid()
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not lock_path(project).exists()
