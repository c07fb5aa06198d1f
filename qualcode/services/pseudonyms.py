"""Pseudonymisation: suggesting the names in the transcripts, and the map exports apply.

Suggestions come from the entity recogniser of the configured spaCy model (people,
organisations, places). Without a model that recognises entities (none is installed by
default) they come from :func:`qualcode.core.pseudonyms.capitalised_names`, a crude
capitalisation rule whose kind is ``name``. Either way they are offered for review: only
the map a person writes, ``original,pseudonym`` per row, is ever applied.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core import csvrows, segmentation
from ..core.cells import guard, unguard
from ..core.pseudonyms import capitalised_names, replacer
from ..errors import InvalidInput
from ..store import documents as doc_store
from ..store.database import Database
from .progress import SILENT, Progress

MAP_COLUMNS = ["original", "pseudonym"]
_PREFIX = {"person": "Person", "organisation": "Organisation", "place": "Place", "name": "Name"}


@dataclass
class NameSuggestion:
    original: str
    kind: str  # person, organisation, place; "name" from the capitalisation rule
    count: int = 0
    documents: list[str] = field(default_factory=list)


def suggest(db: Database, nlp=None, documents: list[str] | None = None,
            progress: Progress = SILENT) -> list[NameSuggestion]:
    """Names found in the documents (all, or those named), most frequent first. ``nlp`` is a
    spaCy pipeline; by default the configured model when it has an entity recogniser."""
    if nlp is None:
        nlp = _configured_ner()
    infos = {d.name: d.id for d in doc_store.list_info(db.conn)}
    names = documents if documents is not None else sorted(infos)
    missing = [n for n in names if n not in infos]
    if missing:
        raise InvalidInput(f"no document {missing[0]!r} in the project")
    found: dict[str, NameSuggestion] = {}
    for i, name in enumerate(names):
        if progress.cancelled:
            break
        progress.report(i, len(names), name)
        text = doc_store.text(db.conn, infos[name])
        for original, kind, count in _names(nlp, text):
            s = found.setdefault(original, NameSuggestion(original, kind))
            s.count += count
            s.documents.append(name)
    progress.report(len(names), len(names), "done")
    return sorted(found.values(), key=lambda s: (-s.count, s.original))


def _configured_ner():
    from ..nlp import entities, pipeline

    if pipeline.configured_model() is None:
        return None  # do not import spaCy just to learn there is nothing to load
    nlp = pipeline.full_model()
    return nlp if nlp is not None and entities.has_ner(nlp) else None


def _names(nlp, text: str) -> list[tuple[str, str, int]]:
    """(name, kind, occurrences) in one text."""
    if nlp is None:
        return [(n, "name", c) for n, c in capitalised_names(text).items()]
    from ..nlp import entities

    counts: dict[tuple[str, str], int] = {}
    for _, _, name, kind in entities.names(nlp, text, segmentation.paragraphs(text)):
        counts[(name, kind)] = counts.get((name, kind), 0) + 1
    return [(n, k, c) for (n, k), c in counts.items()]


def placeholders(suggestions: list[NameSuggestion]) -> list[tuple[str, str]]:
    """(original, placeholder pseudonym) per suggestion: ``Person 1``, ``Place 1``, ..."""
    numbers: dict[str, int] = {}
    rows = []
    for s in suggestions:
        numbers[s.kind] = numbers.get(s.kind, 0) + 1
        rows.append((s.original, f"{_PREFIX.get(s.kind, 'Name')} {numbers[s.kind]}"))
    return rows


def write_map(suggestions: list[NameSuggestion], out: str | Path) -> int:
    """A map to edit: each suggestion with a placeholder pseudonym (``Person 1``, ...)."""
    return save_map(placeholders(suggestions), out)


def save_map(rows: list[tuple[str, str]], out: str | Path) -> int:
    """Write ``original,pseudonym`` rows (a map reviewed by a person) as :func:`load_map` reads it."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise InvalidInput(f"{out.name}: a pseudonym map is a .csv file")
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(MAP_COLUMNS)
        for original, pseudonym in rows:
            w.writerow([guard(original), guard(pseudonym)])
    return len(rows)


def load_map(path: str | Path) -> dict[str, str]:
    """original -> pseudonym from a CSV with the columns ``original,pseudonym``."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read the pseudonym map {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text") from None
    rows = list(csvrows.rows(raw, path.name))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != MAP_COLUMNS:
        raise InvalidInput(f"{path.name}: the first row must be the header original,pseudonym")
    mapping: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not unguard(row[0]).strip() or not unguard(row[1]).strip():
            raise InvalidInput(f"{path.name} line {line}: needs a name and its pseudonym")
        original = unicodedata.normalize("NFC", unguard(row[0]).strip())
        pseudonym = unguard(row[1]).strip()
        if mapping.get(original, pseudonym) != pseudonym:
            raise InvalidInput(f"{path.name} line {line}: {original!r} already has the pseudonym "
                               f"{mapping[original]!r}")
        mapping[original] = pseudonym
    if not mapping:
        raise InvalidInput(f"{path.name} maps no names")
    return mapping


def pseudonymiser(path: str | Path | None) -> Callable[[str], str]:
    """The text filter an export applies: the map at ``path``, or no change when None."""
    if path is None:
        return lambda text: text
    return replacer(load_map(path))
