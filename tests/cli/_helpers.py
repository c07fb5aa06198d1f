"""Helpers for the end-to-end CLI tests: run the installed console script, and fingerprint a
project file through plain sqlite3 so a test can prove a failed command changed nothing."""

from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_transcripts"
QUALCODE = Path(sys.executable).with_name("qualcode")  # the console script of this venv


def run(*args, cwd: Path | None = None, timeout: float = 60) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``qualcode ARGS...`` (stderr is not a terminal, so no bar)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QUALCODE_SAMPLE_DIR=str(SAMPLE_DIR))
    proc = subprocess.run([str(QUALCODE), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout, proc.stderr


def assert_user_error(rc: int, out: str, err: str, *needles: str) -> str:
    """Exit 2, exactly one stderr line ``error: ...``, no traceback; returns that line."""
    assert rc == 2, (rc, out, err)
    assert "Traceback" not in err and "Traceback" not in out, err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got: {err!r}"
    assert lines[0].startswith("error: "), lines[0]
    for needle in needles:
        assert needle.lower() in lines[0].lower(), f"{needle!r} not in {lines[0]!r}"
    return lines[0]


def table_checksums(path: Path) -> dict[str, str]:
    """table name -> sha256 of all its rows (sorted), read without changing the file."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name")]
        out = {}
        for t in tables:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{t}"'))
            out[t] = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        out["#schema"] = hashlib.sha256(repr(sorted(conn.execute(
            "SELECT type, name, sql FROM sqlite_master"), key=repr)).encode()).hexdigest()
        return out
    finally:
        conn.close()


def query(path: Path, sql: str, args=()) -> list[tuple]:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


def lock_file(project: Path) -> Path:
    return project.with_name(project.name + ".lock")


def transcripts() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("[0-9][0-9]_*.txt"))


def stored_text(raw: bytes) -> str:
    """What the project should store for a UTF-8 file: BOM dropped, LF line ends, NFC."""
    text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if any((v or "").strip() for v in r.values())]


def sample_codings_files() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("codings_*.csv"))


def sample_codings_rows() -> list[dict[str, str]]:
    return [r for f in sample_codings_files() for r in read_csv(f)]


def unguard(cell: str) -> str:
    """Undo the export's formula guard (a leading apostrophe before = + - @ tab CR)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r" else cell


def expected_code_paths() -> set[str]:
    """Every code path the sample should hold, derived from codebook.csv and codings_*.csv:
    each path with all its ancestors; a codings reference that is neither a known path nor a
    unique leaf name is a new path (the import creates it)."""
    paths: set[str] = set()

    def add(p: str) -> None:
        parts = [x.strip() for x in p.split("/")]
        for i in range(1, len(parts) + 1):
            paths.add("/".join(parts[:i]))

    for r in read_csv(SAMPLE_DIR / "codebook.csv"):
        add(unguard(r["path"]))
    for f in sample_codings_files():  # imported one file after the other
        known = set(paths)
        for r in read_csv(f):
            ref = unguard(r["code"]).strip()
            leaves = [p for p in known if p.rsplit("/", 1)[-1] == ref]
            if ref in known or len(leaves) == 1:
                continue
            add(ref)
    return paths
