"""Timing, the results table and ``bench/results.json``; nothing here knows QualCode.

Every figure is wall time from :func:`time.perf_counter`. An operation that takes well under a
millisecond is timed as N repetitions and reported per operation, so timer resolution and
scheduling noise do not dominate it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class Result:
    name: str
    scale: str | None  # None: the operation does not depend on the project (e.g. cli_help)
    seconds: float
    target_seconds: float | None = None
    ratio_to_baseline: float | None = None


@dataclass
class Check:
    """A bound on something other than time (file size, memory): value against limit."""

    name: str
    scale: str | None
    value: float
    limit: float
    ok: bool


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # (name, scale) -> seconds, for ratios measured in the same run
    _seconds: dict[tuple[str, str | None], float] = field(default_factory=dict)

    def add(self, name: str, scale: str | None, seconds: float, target: float | None = None,
            baseline: str | None = None) -> Result:
        """Record a timing; ``baseline`` names an entry of the same scale already recorded in
        this run, and the ratio is ``seconds / baseline seconds``."""
        ratio = None
        if baseline is not None:
            base = self._seconds.get((baseline, scale))
            if base is None:
                raise KeyError(f"baseline {baseline!r} at scale {scale} must be measured before {name!r}")
            ratio = seconds / base if base > 0 else None
        r = Result(name, scale, seconds, target, ratio)
        self.results.append(r)
        self._seconds[(name, scale)] = seconds
        log(f"  {name:28} {_fmt_s(seconds):>10}" + (f"  (target {_fmt_s(target)})" if target else "")
            + (f"  ×{ratio:.1f} {baseline}" if ratio is not None else ""))
        return r

    def check(self, name: str, scale: str | None, value: float, limit: float) -> Check:
        c = Check(name, scale, value, limit, value <= limit)
        self.checks.append(c)
        log(f"  {name:28} {value:,.0f} of {limit:,.0f} {'ok' if c.ok else 'OVER'}")
        return c


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the table."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# -- timing --------------------------------------------------------------------------------------

def time_once(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def time_per_op(fn: Callable[[int], object], n: int, warmup: int = 1) -> float:
    """Mean seconds per call of ``fn(i)`` over ``n`` calls, after ``warmup`` untimed calls
    (which fill caches, compile regexes, open files: costs a user pays once, not per action)."""
    for i in range(warmup):
        fn(-1 - i)
    t = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - t) / n


# -- output --------------------------------------------------------------------------------------

def machine() -> dict:
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "sqlite_version": sqlite3.sqlite_version,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 0.01:
        return f"{seconds * 1000:.3f} ms"
    return f"{seconds:.3f} s"


def table(report: Report) -> str:
    header = ["name", "scale", "time", "target", "vs target", "vs baseline"]
    rows = []
    for r in report.results:
        vs_target = "-"
        if r.target_seconds:
            frac = r.seconds / r.target_seconds
            vs_target = f"{frac:.2f}" + ("" if frac <= 1 else "  MISS")
        rows.append([r.name, r.scale or "-", _fmt_s(r.seconds), _fmt_s(r.target_seconds), vs_target,
                     "-" if r.ratio_to_baseline is None else f"×{r.ratio_to_baseline:.1f}"])
    out = _grid(header, rows)
    if report.checks:
        rows = [[c.name, c.scale or "-", f"{c.value:,.0f}", f"{c.limit:,.0f}", "ok" if c.ok else "OVER"]
                for c in report.checks]
        out += "\n\n" + _grid(["check", "scale", "value", "limit", ""], rows)
    return out


def _grid(header: list[str], rows: list[list[str]]) -> str:
    cells = [header] + rows
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(report: Report, path: Path, machine_info: dict) -> None:
    doc = {
        "machine": machine_info,
        "results": [asdict(r) for r in report.results],
        "checks": [asdict(c) for c in report.checks],
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
