"""The codebook: import, export and lookup of codes by path.

Imports validate the whole file before writing and then write in one transaction: a bad
row leaves the codebook exactly as it was. Existing codes (same path) are updated, not
duplicated, so re-importing an edited codebook is safe.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..core import codepaths, csvrows
from ..core.cells import guard, unguard
from ..errors import InvalidInput, NotFound
from ..store import audit, coders as coder_store, codes as code_store
from ..store.database import Database
from ..store.models import Code

CSV_COLUMNS = ["path", "definition", "inclusion", "exclusion", "example", "color"]
FIELDS = ["definition", "inclusion", "exclusion", "example", "color"]
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MD_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*$")
_MD_FIELD = re.compile(r"^(Definition|Inclusion|Exclusion|Example|Colou?r):\s*(.*)$", re.IGNORECASE)


@dataclass
class CodeSpec:
    path: str
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    color: str = ""
    line: int = 0


def _paths(conn) -> dict[int, str]:
    return codepaths.build((c.id, c.parent_id, c.name) for c in code_store.list_all(conn))


def paths(db: Database) -> dict[int, str]:
    """code id -> full path, for every code including merged and retired ones."""
    return _paths(db.conn)


def index(db: Database) -> codepaths.CodeIndex:
    return codepaths.CodeIndex(paths(db))


def list_codes(db: Database, include_merged: bool = False) -> list[tuple[str, Code]]:
    """(path, code) in tree order: parents before children, siblings in creation order."""
    all_codes = code_store.list_all(db.conn)
    p = codepaths.build((c.id, c.parent_id, c.name) for c in all_codes)
    rank = {c.id: i for i, c in enumerate(all_codes)}
    parent = {c.id: c.parent_id for c in all_codes}

    def lineage(code_id: int) -> list[int]:
        chain = []
        for _ in range(len(p)):  # bounded: build() already refused cycles
            chain.append(rank[code_id])
            code_id = parent[code_id]
            if code_id is None:
                break
        return chain[::-1]

    rows = [(p[c.id], c) for c in all_codes if include_merged or c.status != "merged"]
    return sorted(rows, key=lambda r: lineage(r[1].id))


def ensure_path(conn, path: str, idx: dict[str, int], coder_id: int | None = None, **fields) -> int:
    """The id of the code at ``path``, creating missing ancestors; ``idx`` (path -> id) is
    kept up to date so a batch can call this row after row."""
    parts = codepaths.split(path)
    parent = None
    for depth in range(1, len(parts) + 1):
        sub = "/".join(parts[:depth])
        if sub in idx:
            parent = idx[sub]
            continue
        last = depth == len(parts)
        parent = code_store.insert(conn, parts[depth - 1], parent, **(fields if last else {}))
        idx[sub] = parent
        audit.record(conn, "code.create", coder_id, code=parent, path=sub)
    return parent  # type: ignore[return-value]


def _validate(specs: list[CodeSpec], source: str) -> None:
    seen: dict[str, int] = {}
    for s in specs:
        where = f"{source} line {s.line}"
        try:
            s.path = "/".join(codepaths.split(s.path))
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc}") from None
        if s.path in seen:
            raise InvalidInput(f"{where}: code {s.path!r} appears twice (first on line {seen[s.path]})")
        seen[s.path] = s.line
        if s.color and not _COLOR.match(s.color):
            raise InvalidInput(f"{where}: colour {s.color!r} is not of the form #rrggbb")


def _apply(db: Database, specs: list[CodeSpec], source: str) -> dict:
    created = updated = 0
    with db.transaction() as conn:
        idx = {p: i for i, p in _paths(conn).items()}
        for s in specs:
            fields = {f: getattr(s, f) or None for f in FIELDS}
            if s.path in idx:
                changes = {k: v for k, v in fields.items() if v}
                code_store.update(conn, idx[s.path], **changes)
                updated += 1
            else:
                known = len(idx)
                ensure_path(conn, s.path, idx, **fields)
                created += len(idx) - known  # the code and any missing ancestors
        audit.record(conn, "codebook.import", source=source, created=created, updated=updated)
    return {"created": created, "updated": updated}


def import_csv(db: Database, path: Path) -> dict:
    text = _read(path)
    reader = csvrows.rows(text, path.name)
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{path.name} is empty")
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if "path" not in header:
        raise InvalidInput(f"{path.name}: needs a 'path' column (columns: {', '.join(CSV_COLUMNS)})")
    if unknown:
        raise InvalidInput(f"{path.name}: unknown column(s) {', '.join(unknown)} (allowed: {', '.join(CSV_COLUMNS)})")
    specs = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InvalidInput(f"{path.name} line {line}: {len(row)} cells, expected {len(header)}")
        values = {h: unguard(v.strip()) for h, v in zip(header, row)}
        specs.append(CodeSpec(line=line, **values))
    _validate(specs, path.name)
    return _apply(db, specs, path.name)


def import_markdown(db: Database, path: Path) -> dict:
    specs: list[CodeSpec] = []
    current: CodeSpec | None = None
    for line, raw in enumerate(_read(path).splitlines(), start=1):
        m = _MD_HEADING.match(raw)
        if m:
            current = CodeSpec(path=m.group(2), line=line)
            specs.append(current)
            continue
        f = _MD_FIELD.match(raw.strip())
        if current is not None and f:
            key = f.group(1).lower().replace("colour", "color")
            setattr(current, key, f.group(2).strip())
        elif current is not None and raw.strip() and not current.definition:
            current.definition = raw.strip()
    if not specs:
        raise InvalidInput(f"{path.name}: no codes found (each code is a '## path' heading)")
    _validate(specs, path.name)
    return _apply(db, specs, path.name)


def import_file(db: Database, path: str | Path) -> dict:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return import_csv(db, path)
    if suffix in (".md", ".markdown"):
        return import_markdown(db, path)
    if suffix == ".qdc":
        from .codebook_exchange import import_qdc

        return import_qdc(db, path)
    raise InvalidInput(f"{path.name}: codebooks can be imported from .qdc, .csv or .md")


def export_file(db: Database, out: str | Path, with_counts: bool = False, with_examples: bool = False) -> int:
    """Write the codebook as the extension of ``out`` says; counts and one coded example per
    code go into a .docx only."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix in (".qdc", ".docx"):
        from . import codebook_exchange

        if suffix == ".qdc":
            return codebook_exchange.export_qdc(db, out)
        return codebook_exchange.export_docx(db, out, with_counts, with_examples)
    rows = list_codes(db)
    if suffix == ".csv":
        with _open_out(out) as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(CSV_COLUMNS)
            for p, c in rows:
                w.writerow([guard(v or "") for v in (p, c.definition, c.inclusion, c.exclusion, c.example, c.color)])
    elif suffix in (".md", ".markdown"):
        lines = ["# Codebook", ""]
        for p, c in rows:
            lines.append(f"{'#' * min(p.count('/') + 2, 6)} {p}")
            lines.append("")
            for label, value in (("Definition", c.definition), ("Inclusion", c.inclusion),
                                 ("Exclusion", c.exclusion), ("Example", c.example), ("Color", c.color)):
                if value:
                    lines.append(f"{label}: {' '.join(value.split())}")
            lines.append("")
        with _open_out(out) as fh:
            fh.write("\n".join(lines))
    else:
        raise InvalidInput(f"{out.name}: codebooks can be exported as .qdc, .docx, .csv or .md")
    return len(rows)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text") from None


def _open_out(out: Path):
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    try:
        return open(out, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None


def coding_counts(db: Database) -> dict[int, int]:
    """code id -> number of codings (all coders)."""
    return code_store.coding_counts(db.conn)


# -- editing codes one at a time (the workbench; each call one transaction, undoable) -------------

_KEEP = object()


def _get(conn, code_id: int) -> Code:
    c = code_store.get(conn, code_id)
    if c is None:
        raise NotFound(f"no code with id {code_id}")
    return c


def _check_name(conn, name: str, parent_id: int | None, code_id: int | None = None) -> str:
    """A name that can stand as one path part, free among its future siblings."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a code needs a name")
    if codepaths.SEP in name:
        raise InvalidInput(f"a code name cannot contain {codepaths.SEP!r} (it separates levels): {name!r}")
    other = code_store.sibling_id(conn, parent_id, name)
    if other is not None and other != code_id:
        where = f"under {_paths(conn)[parent_id]!r}" if parent_id is not None else "at the top level"
        raise InvalidInput(f"there is already a code {name!r} {where}; choose another name")
    return name


def _check_color(color: str | None) -> str | None:
    if color and not _COLOR.match(color):
        raise InvalidInput(f"colour {color!r} is not of the form #rrggbb")
    return color.lower() if color else None


def create_code(db: Database, name: str, parent_id: int | None = None, color: str | None = None,
                coder: str | None = None, **fields) -> int:
    """A new code under ``parent_id`` (None: top level); returns its id."""
    conn = db.conn
    if parent_id is not None:
        _get(conn, parent_id)
    name = _check_name(conn, name, parent_id)
    color = _check_color(color)
    with db.transaction() as tx:
        code_id = code_store.insert(tx, name, parent_id, color=color, **fields)
        audit.record(tx, "code.create", coder_store.acting(tx, coder), code=code_id, path=_paths(tx)[code_id])
    return code_id


def edit_code(db: Database, code_id: int, *, name=_KEEP, color=_KEEP, parent_id=_KEEP, coder: str | None = None) -> dict:
    """Rename, recolour and/or move a code (``parent_id`` None: to the top level). Returns the
    old values of exactly the fields given, so ``edit_code(db, id, **old)`` undoes it."""
    conn = db.conn
    old = _get(conn, code_id)
    changes: dict = {}
    new_parent = old.parent_id if parent_id is _KEEP else parent_id
    if parent_id is not _KEEP and parent_id != old.parent_id:
        if parent_id is not None:
            _get(conn, parent_id)
            node = parent_id
            while node is not None:  # the new parent may not sit below the code itself
                if node == code_id:
                    raise InvalidInput(f"cannot move code {old.name!r} under itself or one of its subcodes")
                node = code_store.get(conn, node).parent_id
        changes["parent_id"] = parent_id
    if name is not _KEEP or "parent_id" in changes:
        checked = _check_name(conn, old.name if name is _KEEP else name, new_parent, code_id)
        if checked != old.name:
            changes["name"] = checked
    if color is not _KEEP:
        checked_color = _check_color(color)
        if checked_color != (old.color.lower() if old.color else None):
            changes["color"] = checked_color
    if not changes:
        return {}
    with db.transaction() as tx:
        code_store.update(tx, code_id, **changes)
        audit.record(tx, "code.edit", coder_store.acting(tx, coder), code=code_id, **changes)
    return {k: getattr(old, k) for k in changes}


def delete_code(db: Database, code_id: int, coder: str | None = None) -> Code:
    """Delete a code nothing depends on (no subcodes, codings or merged codes); returns it so
    an undo can put it back. A used code is merged or retired instead."""
    conn = db.conn
    old = _get(conn, code_id)
    if code_store.child_count(conn, code_id):
        raise InvalidInput(f"code {old.name!r} has subcodes; move or delete them first")
    used = code_store.use_count(conn, code_id)
    if used:
        raise InvalidInput(f"code {old.name!r} is used by {used} coding(s); remove them, or merge or retire the code")
    path = _paths(conn)[code_id]
    with db.transaction() as tx:
        code_store.delete(tx, code_id)
        audit.record(tx, "code.delete", coder_store.acting(tx, coder), code=code_id, path=path, guid=old.guid)
    return old


def restore_code(db: Database, old: Code, coder: str | None = None) -> int:
    """Put a deleted code back as it was (same GUID, and id while free), for undo."""
    with db.transaction() as tx:
        code_id = code_store.reinsert(tx, old)
        audit.record(tx, "code.restore", coder_store.acting(tx, coder), code=code_id, guid=old.guid)
    return code_id
