"""A second process on a project another one is writing to.

It may open the project read-only and read while the first writes: every read sees whole
transactions (a coding never without its audit entry). Opening it for writing is refused
with a message that names the holder and offers read-only, and nothing changes.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from qualcode.errors import ProjectLocked
from qualcode.services.project import open_project
from tests.cli._helpers import assert_user_error, run, table_checksums

WRITES = 400

WRITER = textwrap.dedent(f"""
    import sys
    from qualcode.services import coding
    from qualcode.services.project import open_project
    db = open_project(sys.argv[1])
    for i in range({WRITES}):
        coding.add_coding(db, "01_halden", "lock-in", i, i + 5, "Writer")
        if i == 20:
            print("writing", flush=True)
    print("done", flush=True)
    sys.stdin.readline()
    db.close()
""")

SEEN = """SELECT (SELECT count(*) FROM coding c JOIN coder k ON k.id = c.coder_id WHERE k.name = 'Writer'),
                  (SELECT count(*) FROM audit a JOIN coder k ON k.id = a.coder_id
                   WHERE k.name = 'Writer' AND a.action = 'coding.add')"""


@pytest.fixture
def writer(sample_copy):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(sample_copy)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing", proc.stderr.read()
    yield proc
    if proc.poll() is None:
        proc.communicate("\n", timeout=30)


def test_readers_read_whole_transactions_while_another_process_writes(sample_copy, writer):
    seen = []
    while True:
        with open_project(sample_copy, readonly=True) as db:
            codings, audited = db.conn.execute(SEEN).fetchone()
        assert codings == audited  # never a coding without its audit row, or the reverse
        seen.append(codings)
        if codings == WRITES:
            break
    assert writer.stdout.readline().strip() == "done"
    assert seen == sorted(seen) and seen[0] > 0
    assert len(set(seen)) > 2  # the reads really happened while the writes went on
    rc, out, err = run("info", sample_copy, "--json")
    assert rc == 0 and '"Writer"' in out, err


def test_a_second_writer_gets_a_clear_choice_and_changes_nothing(sample_copy, writer):
    assert writer.stdout.readline().strip() == "done"
    before = table_checksums(sample_copy)
    with pytest.raises(ProjectLocked, match=rf"open in another QualCode process \(pid {writer.pid} .*read-only"):
        open_project(sample_copy)
    rc, out, err = run("code", sample_copy, "--document", "01_halden", "--code", "lock-in", "--start", "0",
                       "--end", "3", "--coder", "Second")
    assert_user_error(rc, out, err, "open in another QualCode process", "read-only")
    rc, out, err = run("check", sample_copy, "--repair")
    assert_user_error(rc, out, err, "open in another QualCode process")
    rc, out, err = run("check", sample_copy)  # checking needs no lock
    assert rc == 0 and "sound" in out, err
    assert table_checksums(sample_copy) == before
