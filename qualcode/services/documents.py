"""Importing documents and reading them back.

Every explicitly named file is read and validated (by its importer, see
:mod:`qualcode.io.importers`) before anything is written, so a bad file named on the command
line stops the batch with nothing imported. Files found in folders are read as the batch
reaches them, and a bad one is skipped with its reason. Each document is stored with its
paragraphs, sentences, speaker turns and full-text index entries in a transaction of its
own, so a cancelled or failed batch keeps what was finished and never leaves half a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core import segmentation, text as textcore
from ..errors import InvalidInput, NotFound
from ..io import importers
from ..store import audit, cases as case_store, documents as doc_store
from ..store.database import Database
from ..store.models import DocumentInfo, Span
from .progress import SILENT, Progress


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    cancelled: bool = False
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what to check)

    def as_dict(self) -> dict:
        """The ``--json`` shape; ``warnings`` appears only when there are some."""
        out = {"imported": self.imported, "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
               "cancelled": self.cancelled}
        if self.warnings:
            out["warnings"] = [{"file": f or None, "warning": w} for f, w in self.warnings]
        return out


@dataclass(frozen=True)
class SpeakerLabel:
    """A speaker label found in the files to import, for a mapping step before the import."""

    label: str
    turns: int
    files: tuple[str, ...]
    suggested_case: str | None  # an existing case of that name (or whose surname it is)


def _collect(paths: list[Path], recursive: bool, report: ImportReport) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every file to import; unsupported files in folders are
    reported as skipped, an unsupported or missing named file stops everything."""
    files: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            pattern = "**/*" if recursive else "*"
            for f in sorted(p.glob(pattern)):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    if f.suffix.lower() in importers.SUFFIXES:
                        files.append((f, False))
                    else:
                        report.skipped.append((str(f), f"{f.suffix or 'no extension'}: not a supported format"))
        elif p.is_file():
            if p.suffix.lower() not in importers.SUFFIXES:
                raise InvalidInput(f"{p.name}: {p.suffix or 'files without an extension'} cannot be imported "
                                   f"(supported: {', '.join(sorted(importers.SUFFIXES))})")
            files.append((p, True))
        else:
            raise InvalidInput(f"no such file or folder: {p}")
    return files


def read_text_file(path: Path) -> tuple[str, str | None]:
    """(normalised text, detected encoding) of any importable file, or InvalidInput."""
    result = importers.read_file(path)
    return result.text, result.encoding


def _sentences(text: str, paras: list[tuple[int, int]], language: str | None,
               model: str | None = None) -> list[tuple[int, int]]:
    """Rule-based sentences, unless a full spaCy model (``model``, else the configured one) is
    installed for the document's language, or the language needs a pipeline to find sentences
    at all (qualcode.nlp.sentences)."""
    from ..nlp.pipeline import configured_model
    from ..nlp.sentences import UNSPACED

    model = model or configured_model()
    code = (language or "").split("-")[0].lower()
    if model is None and code not in UNSPACED:
        return segmentation.sentences(text, paras)  # the default: spaCy is not even imported
    from ..nlp import pipeline, sentences

    nlp = pipeline.full_model(model, language=language)
    if nlp is None and code in UNSPACED:
        nlp = pipeline.load(language=code)
    return sentences.sentences(nlp, text, paras) if nlp is not None else segmentation.sentences(text, paras)


def _check_speakers(speakers: dict[str, str] | None) -> dict[str, str]:
    out = {}
    for label, case in (speakers or {}).items():
        if not label.strip() or not case.strip():
            raise InvalidInput(f"a speaker mapping needs a label and a case, got {label!r}={case!r}")
        out[label.strip()] = case.strip()
    return out


def store_document(db: Database, *, name: str, text: str, source: str | None = None, case: str | None = None,
                   attributes: dict[str, str] | None = None, turns: list[tuple[int, int, str]] | None = None,
                   speakers: dict[str, str] | None = None, model: str | None = None, **fields) -> int:
    """One document with its paragraphs, sentences and speaker turns, in one transaction.

    ``turns`` default to the rule-based ones; ``speakers`` maps turn labels to cases (created
    as informants when missing), which are also linked to the document. ``model`` names the
    spaCy pipeline for sentences (None: ``$QUALCODE_SPACY_MODEL``, see qualcode.nlp.pipeline)."""
    sha = textcore.sha256(text)
    paras = segmentation.paragraphs(text)
    sents = _sentences(text, paras, fields.get("language"), model)
    if turns is None:
        turns = segmentation.speaker_turns(text, paras)
    speakers = _check_speakers(speakers)
    with db.transaction() as conn:
        if doc_store.id_by_name(conn, name) is not None:
            raise InvalidInput(f"a document named {name!r} already exists; choose another name")
        doc_id = doc_store.insert(conn, name=name, text=text, sha256=sha, source=source, **fields)
        doc_store.insert_segments(conn, doc_id, "paragraph", paras, text)
        doc_store.insert_segments(conn, doc_id, "sentence", sents)
        spoken = {label for _, _, label in turns}
        case_ids = {}
        for label, case_name in speakers.items():
            if label in spoken:
                case_ids[label] = case_store.id_by_name(conn, case_name) or case_store.upsert(conn, case_name,
                                                                                               "informant")
                doc_store.link_case(conn, doc_id, case_ids[label])
        doc_store.insert_turns(conn, doc_id, [Span(s, e, label, case_ids.get(label)) for s, e, label in turns])
        if case:
            case_id = case_store.id_by_name(conn, case) or case_store.upsert(conn, case, "other")
            doc_store.link_case(conn, doc_id, case_id)
        for key, value in (attributes or {}).items():
            attr = case_store.ensure_attribute(conn, key, "document")
            case_store.set_value(conn, attr, doc_id, value)
        audit.record(conn, "document.import", name=name, chars=len(text), sha256=sha, source=source,
                     speakers={label: speakers[label] for label in case_ids})
    return doc_id


def _read(path: Path, max_bytes: int | None, report: ImportReport) -> importers.Imported:
    result = importers.read_file(path, max_bytes)
    report.warnings += [(str(path), w) for w in result.warnings]
    return result


def import_files(db: Database, paths: list[str | Path], *, case: str | None = None,
                 attributes: dict[str, str] | None = None, name: str | None = None, recursive: bool = False,
                 speakers: dict[str, str] | None = None, language: str | None = None,
                 max_bytes: int | None = None, model: str | None = None,
                 progress: Progress = SILENT) -> ImportReport:
    """Import files and folders (see the module docstring); ``speakers`` maps speaker labels
    to cases, ``language`` is stored with each document, ``max_bytes`` overrides the size
    limit, ``model`` names the spaCy pipeline for sentences (the GUI passes its preference; None:
    ``$QUALCODE_SPACY_MODEL``). ``progress`` counts files; cancelling keeps the documents already
    stored."""
    report = ImportReport()
    files = _collect([Path(p) for p in paths], recursive, report)
    if name and len(files) != 1:
        raise InvalidInput("--name needs exactly one file to import")
    speakers = _check_speakers(speakers)
    fields = {"language": language} if language else {}
    ready: dict[Path, importers.Imported] = {}
    for path, explicit in files:  # an explicitly named bad file stops the batch before any write
        if explicit:
            if progress.cancelled:
                report.cancelled = True
                return report
            progress.report(0, len(files), f"checking {path.name}")
            ready[path] = _read(path, max_bytes, report)
    for i, (path, _) in enumerate(files):
        if progress.cancelled:
            report.cancelled = True
            break
        doc_name = name or path.stem
        progress.report(i, len(files), doc_name)
        result = ready.pop(path, None)
        if result is None:
            try:
                result = _read(path, max_bytes, report)
            except InvalidInput as exc:
                report.skipped.append((str(path), str(exc)))
                continue
        dup = doc_store.name_by_sha256(db.conn, textcore.sha256(result.text))
        if dup is not None:
            report.skipped.append((str(path), f"same text as document {dup!r} already in the project"))
            continue
        if doc_store.id_by_name(db.conn, doc_name) is not None:
            report.skipped.append((str(path), f"a different document named {doc_name!r} exists; "
                                              "import it with --name"))
            continue
        store_document(db, name=doc_name, text=result.text, source=str(path), case=case, attributes=attributes,
                       turns=result.turns, speakers=speakers, model=model, **fields)
        report.imported.append(doc_name)
    if not report.cancelled:
        progress.report(len(files), len(files), "done")
    unused = sorted(set(speakers) - _labels_in(db, report.imported))
    if unused and report.imported:
        report.warnings.append(("", f"speaker label(s) not found in the imported documents: {', '.join(unused)}"))
    return report


def _labels_in(db: Database, names: list[str]) -> set[str]:
    return {t.label for n in names for t in doc_store.turns(db.conn, doc_store.id_by_name(db.conn, n))}


def preview_speakers(db: Database, paths: list[str | Path], *, recursive: bool = False,
                     max_bytes: int | None = None, progress: Progress = SILENT) -> list[SpeakerLabel]:
    """The speaker labels in the files an import would read, most turns first, each with
    the existing case it most likely belongs to: what an import dialog offers for mapping.
    Unreadable files are passed over here; the import itself reports them."""
    files = _collect([Path(p) for p in paths], recursive, ImportReport())
    turns: dict[str, int] = {}
    where: dict[str, list[str]] = {}
    for i, (path, _) in enumerate(files):
        if progress.cancelled:
            break
        progress.report(i, len(files), path.name)
        try:
            found = importers.read_file(path, max_bytes).speakers
        except InvalidInput:
            continue
        for label, n in found.items():
            turns[label] = turns.get(label, 0) + n
            where.setdefault(label, []).append(path.name)
    progress.report(len(files), len(files), "done")
    cases = [c.name for c in case_store.list_all(db.conn)]
    return [SpeakerLabel(label, turns[label], tuple(where[label]), _case_for(label, cases))
            for label in sorted(turns, key=lambda k: (-turns[k], k))]


def _case_for(label: str, cases: list[str]) -> str | None:
    """The case named ``label``, else the only case whose last word it is ("Halden" ->
    "Tomas Halden"), compared without regard to case."""
    low = label.casefold()
    exact = [c for c in cases if c.casefold() == low]
    if exact:
        return exact[0]
    by_surname = [c for c in cases if c.split()[-1].casefold() == low]
    return by_surname[0] if len(by_surname) == 1 else None


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
