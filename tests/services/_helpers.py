"""Small helpers shared by the service tests."""

from __future__ import annotations

import csv
from pathlib import Path

from qualcode.services import codebook, documents

from ..cli._helpers import table_checksums  # noqa: F401 - re-exported


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def add_document(db, tmp_path: Path, name: str, text: str) -> int:
    f = tmp_path / f"{name}.txt"
    f.write_text(text, encoding="utf-8", newline="")
    report = documents.import_files(db, [f])
    assert report.imported == [name], report
    return documents.document_id(db, name)


def add_codes(db, tmp_path: Path, *paths: str) -> dict[str, int]:
    f = write_csv(tmp_path / "codes.csv", ["path"], [[p] for p in paths])
    codebook.import_file(db, f)
    return {p: i for i, p in codebook.paths(db).items()}


def checksum(db) -> dict[str, str]:
    """Fingerprint of every table through a separate read-only connection (sees committed data)."""
    return table_checksums(db.path)
