"""Importing documents and reading them back.

Files are read and validated before anything is written; each document is then stored, with
its segments and speaker turns, in a transaction of its own, so a cancelled or failed batch
keeps what was finished and never leaves half a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core import segmentation, text as textcore
from ..errors import InvalidInput, NotFound
from ..store import audit, cases as case_store, documents as doc_store
from ..store.database import Database
from ..store.models import DocumentInfo, Span
from .progress import SILENT, Progress

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    cancelled: bool = False

    def as_dict(self) -> dict:
        return {"imported": self.imported, "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
                "cancelled": self.cancelled}


@dataclass
class _Prepared:
    path: Path
    name: str
    text: str
    sha256: str
    encoding: str


def _collect(paths: list[Path], recursive: bool, report: ImportReport) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            pattern = "**/*" if recursive else "*"
            for f in sorted(p.glob(pattern)):
                if f.is_file() and not f.name.startswith("."):
                    if f.suffix.lower() in TEXT_SUFFIXES:
                        files.append(f)
                    else:
                        report.skipped.append((str(f), f"{f.suffix or 'no extension'}: not a supported format"))
        elif p.is_file():
            if p.suffix.lower() not in TEXT_SUFFIXES:
                raise InvalidInput(f"{p.name}: {p.suffix or 'files without an extension'} cannot be imported "
                                   f"(supported: {', '.join(sorted(TEXT_SUFFIXES))})")
            files.append(p)
        else:
            raise InvalidInput(f"no such file or folder: {p}")
    return files


def read_text_file(path: Path) -> tuple[str, str]:
    """(normalised text, detected encoding) or InvalidInput."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is {size // (1024 * 1024)} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    raw, encoding = textcore.decode(data, path.name)
    return textcore.normalise(raw, path.name), encoding


def store_document(db: Database, *, name: str, text: str, source: str | None = None, case: str | None = None,
                   attributes: dict[str, str] | None = None, **fields) -> int:
    """One document with its paragraphs, sentences and speaker turns, in one transaction."""
    sha = textcore.sha256(text)
    paras = segmentation.paragraphs(text)
    sents = segmentation.sentences(text, paras)
    turns = segmentation.speaker_turns(text)
    with db.transaction() as conn:
        if doc_store.id_by_name(conn, name) is not None:
            raise InvalidInput(f"a document named {name!r} already exists; choose another name")
        doc_id = doc_store.insert(conn, name=name, text=text, sha256=sha, source=source, **fields)
        doc_store.insert_segments(conn, doc_id, "paragraph", paras)
        doc_store.insert_segments(conn, doc_id, "sentence", sents)
        doc_store.insert_turns(conn, doc_id, [Span(s, e, label) for s, e, label in turns])
        if case:
            case_id = case_store.id_by_name(conn, case) or case_store.upsert(conn, case, "other")
            doc_store.link_case(conn, doc_id, case_id)
        for key, value in (attributes or {}).items():
            attr = case_store.ensure_attribute(conn, key, "document")
            case_store.set_value(conn, attr, doc_id, value)
        audit.record(conn, "document.import", name=name, chars=len(text), sha256=sha, source=source)
    return doc_id


def import_files(db: Database, paths: list[str | Path], *, case: str | None = None,
                 attributes: dict[str, str] | None = None, name: str | None = None, recursive: bool = False,
                 progress: Progress = SILENT) -> ImportReport:
    report = ImportReport()
    files = _collect([Path(p) for p in paths], recursive, report)
    if name and len(files) != 1:
        raise InvalidInput("--name needs exactly one file to import")
    explicit = {Path(p) for p in paths if Path(p).is_file()}
    prepared: list[_Prepared] = []
    for f in files:  # validate first: an explicit bad file stops the batch before any write
        try:
            text, enc = read_text_file(f)
        except InvalidInput as exc:
            if f in explicit:
                raise
            report.skipped.append((str(f), str(exc)))
            continue
        prepared.append(_Prepared(f, name or f.stem, text, textcore.sha256(text), enc))
    for i, item in enumerate(prepared):
        if progress.cancelled:
            report.cancelled = True
            break
        progress.report(i, len(prepared), item.name)
        dup = doc_store.name_by_sha256(db.conn, item.sha256)
        if dup is not None:
            report.skipped.append((str(item.path), f"same text as document {dup!r} already in the project"))
            continue
        if doc_store.id_by_name(db.conn, item.name) is not None:
            report.skipped.append((str(item.path), f"a different document named {item.name!r} exists; "
                                                   "import it with --name"))
            continue
        store_document(db, name=item.name, text=item.text, source=str(item.path), case=case, attributes=attributes)
        report.imported.append(item.name)
    progress.report(len(prepared), len(prepared), "done")
    return report


def list_documents(db: Database) -> list[DocumentInfo]:
    return doc_store.list_info(db.conn)


def document_id(db: Database, name: str) -> int:
    found = doc_store.id_by_name(db.conn, name)
    if found is None:
        raise NotFound(f"no document {name!r} in the project")
    return found


def document_text(db: Database, name_or_id: str | int) -> str:
    doc_id = name_or_id if isinstance(name_or_id, int) else document_id(db, name_or_id)
    return doc_store.text(db.conn, doc_id)


def speaker_turns(db: Database, document_id: int) -> list[Span]:
    """The document's speaker turns in text order (label = the speaker as written)."""
    return doc_store.turns(db.conn, document_id)
