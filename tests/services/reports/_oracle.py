"""Expected report values computed straight from the sample's input files (codings CSVs,
cases.csv, codebook.csv), independently of the report code."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_transcripts"


def _rows(name: str) -> list[dict]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def codings() -> list[dict]:
    out = []
    for f in sorted(SAMPLE.glob("codings_*.csv")):
        for r in _rows(f.name):
            out.append({**r, "start": int(r["start"]), "end": int(r["end"])})
    return out


def code_paths() -> list[str]:
    return [r["path"] for r in _rows("codebook.csv")]


def cases() -> list[dict]:
    return _rows("cases.csv")


def document_case() -> dict[str, str]:
    """document -> the case whose ``documents`` column names it."""
    return {d.strip(): c["case"] for c in cases() for d in c["documents"].split(";") if d.strip()}


def case_attribute(name: str) -> dict[str, str]:
    return {c["case"]: c[name] for c in cases()}


def descendants_or_self(path: str, paths: list[str]) -> set[str]:
    return {p for p in paths if p == path or p.startswith(path + "/")}


def tally(rows: list[dict]) -> dict:
    """{"codings": n, "documents": distinct documents}."""
    return {"codings": len(rows), "documents": len({r["document"] for r in rows})}


def group(rows: list[dict], key) -> dict:
    out = defaultdict(list)
    for r in rows:
        out[key(r)].append(r)
    return out
