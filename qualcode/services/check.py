"""``qualcode check``: is this project sound, and if not, what exactly is wrong?

The checks run from the bottom up: the file itself (SQLite's integrity check) first, since
nothing else can be trusted on a damaged file, then references between rows, then the
invariants of the data model (spans inside their documents, trees without loops), then
derived data (segments, the full-text index).

``repair`` fixes only what can be fixed without a judgement: it removes rows nobody can reach,
keeps the text of memos whose target is gone as project memos, makes derived data again, and
does what a foreign key's own ON DELETE rule would have done. It never moves or shortens a
span, never re-parents a code, and does nothing to a damaged file (the way out there is a
backup). All repairs are one transaction with one audit entry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..core import segmentation
from ..store import audit, documents as doc_store, integrity
from ..store.database import Database
from ..store.migrations import SCHEMA_VERSION
from .progress import SILENT, Progress

ERROR, WARNING = "error", "warning"

_NOUNS = {"coding": "coding", "code": "code", "coder": "coder", "document": "document", "case_": "case",
          "attribute": "attribute", "attribute_value": "attribute value", "document_case": "document-case link",
          "speaker_turn": "speaker turn", "segment": "segment", "memo": "memo", "story": "story",
          "story_element": "story element", "telling": "telling", "transmission": "transmission",
          "realization": "realization", "story_rejected_passage": "rejected story passage",
          "codebook_version": "codebook version", "audit": "change-log entry"}


def _n(count: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"
    return f"{count} {noun if count == 1 else plural}"


def _v(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _noun(table: str) -> str:
    return _NOUNS.get(table, table)


def _listed(names) -> str:
    names = list(names)
    more = len(names) - integrity.EXAMPLES
    shown = ", ".join(repr(n) for n in names[:integrity.EXAMPLES])
    return shown + (f" and {more} more" if more > 0 else "")


@dataclass
class Problem:
    check: str
    severity: str
    message: str
    count: int


@dataclass
class Repair:
    check: str
    message: str
    count: int


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    repaired: list[Repair] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        """The ``qualcode check --json`` document."""
        return {"ok": self.ok, "problems": [asdict(p) for p in self.problems],
                "repaired": [asdict(r) for r in self.repaired]}


def find_problems(db: Database, progress: Progress = SILENT) -> list[Problem]:
    """Everything wrong with the project, most serious first."""
    conn = db.conn
    out: list[Problem] = []

    def add(check: str, severity: str, count: int, message: str) -> None:
        out.append(Problem(check, severity, message, count))

    steps = 6
    progress.report(0, steps, "checking the file")
    damage = integrity.integrity_errors(conn)
    if damage:
        add("file", ERROR, len(damage), f"the project file is damaged ({'; '.join(damage[:3])}); nothing else was "
                                        "checked: restore it from a backup (qualcode restore BACKUP PROJECT)")
        return out
    stored, header = integrity.schema_versions(conn)
    if stored != str(header) or header != SCHEMA_VERSION:
        add("schema_version", ERROR, 1, f"the project records schema version {stored} in its meta table and "
                                        f"{header} in its header (this QualCode expects {SCHEMA_VERSION})")

    progress.report(1, steps, "checking references")
    for ref in integrity.broken_references(conn):
        n = ref.count
        add("references", ERROR, n, f"{_n(n, _noun(ref.table))} {_v(n, 'refers', 'refer')} to a "
                                    f"{_noun(ref.parent)} that does not exist ({ref.table}.{ref.column})")
    n = integrity.orphan_attribute_values(conn)
    if n:
        add("attribute_values", WARNING, n,
            f"{_n(n, 'attribute value')} {_v(n, 'belongs', 'belong')} to a document or case that no longer exists")
    for target, n in sorted(integrity.orphan_memos(conn).items()):
        where = "the project by id" if target == "project" else f"a {_noun(target)} that no longer exists"
        add("memos", WARNING, n, f"{_n(n, 'memo')} {_v(n, 'is', 'are')} attached to {where}")

    progress.report(2, steps, "checking spans")
    wrong = integrity.wrong_lengths(conn)
    if wrong:
        n = len(wrong)
        add("document_length", ERROR, n, f"{_n(n, 'document')} {_v(n, 'records', 'record')} a length that is not "
                                         f"the length of the text: {_listed(wrong)}")
    for what, n, docs in integrity.spans_outside(conn):
        add("spans", ERROR, n, f"{_n(n, what)} {_v(n, 'lies', 'lie')} outside the document or "
                               f"{_v(n, 'is', 'are')} empty (in {_listed(docs)}); correct or remove them by hand")
    titles = integrity.realizations_outside(conn)
    if titles:
        add("realizations", ERROR, len(titles), "realizations lie outside their telling, or belong to an element "
                                                f"of another story, in {_listed(titles)}")

    progress.report(3, steps, "checking the codebook")
    loops = integrity.code_cycles(conn)
    if loops:
        n = len(loops)
        add("code_tree", ERROR, n, f"{_n(n, 'code')} {_v(n, 'is its', 'are their')} own ancestor, so the top of "
                                   f"the codebook does not reach {_v(n, 'it', 'them')}: {_listed(loops)}; "
                                   "move one of them to another parent")
    merges = integrity.bad_merges(conn)
    if merges:
        n = len(merges)
        add("merged_codes", ERROR, n, f"{_n(n, 'merged code')} {_v(n, 'does', 'do')} not lead to a code in use: "
                                      f"{_listed(merges)}")

    progress.report(4, steps, "checking segments")
    reseg = integrity.documents_to_resegment(conn)
    if reseg:
        n = len(reseg)
        why = "; ".join(f"{name!r} {reason}" for _, name, reason in reseg[:integrity.EXAMPLES])
        add("segments", WARNING, n, f"{_n(n, 'document')} {_v(n, 'needs its', 'need their')} paragraphs and "
                                    f"sentences made again: {why}")

    progress.report(5, steps, "checking the search index")
    fts = _fts_problem(db)
    if fts:
        add("search_index", WARNING, 1, f"the search index does not match the text ({fts})")
    progress.report(steps, steps, "done")
    return out


def _fts_problem(db: Database) -> str | None:
    if not db.readonly:
        return integrity.fts_problem(db.conn)
    with integrity.scratch_connection(db.path) as conn:
        return integrity.fts_problem(conn)


def check(db: Database, repair: bool = False, progress: Progress = SILENT) -> CheckReport:
    """Check the project; with ``repair`` (the project open for writing) fix what is safe to
    fix, then check again: ``problems`` are what is still wrong afterwards."""
    problems = find_problems(db, progress)
    if not repair or not problems:
        return CheckReport(problems)
    if any(p.check == "file" for p in problems):
        return CheckReport(problems)  # writing to a damaged file can only make it worse
    repaired = _repair(db, {p.check for p in problems})
    return CheckReport(find_problems(db, progress), repaired)


def _repair(db: Database, checks: set[str]) -> list[Repair]:
    from .documents import _sentences  # the same sentence rules the import used

    done: list[Repair] = []
    with db.transaction() as conn:
        if "references" in checks:
            for ref in integrity.broken_references(conn):
                n = integrity.repair_reference(conn, ref)
                if n:
                    what = "deleted" if ref.action == "CASCADE" else f"cleared the {ref.column} of"
                    done.append(Repair("references", f"{what} {_n(n, _noun(ref.table))} whose {_noun(ref.parent)} "
                                                     "no longer exists", n))
        if "attribute_values" in checks:
            n = integrity.delete_orphan_attribute_values(conn)
            done.append(Repair("attribute_values", f"deleted {_n(n, 'attribute value')} of documents or cases "
                                                   "that no longer exist", n))
        if "memos" in checks:
            n = integrity.rehome_orphan_memos(conn)
            done.append(Repair("memos", f"kept {_n(n, 'memo')} whose target no longer exists as project memos", n))
        if "document_length" in checks:
            n = integrity.fix_lengths(conn)
            done.append(Repair("document_length", f"recorded the true length of {_n(n, 'document')}", n))
        resegmented = []
        if "segments" in checks:
            for doc_id, name, _why in integrity.documents_to_resegment(conn):
                text, language = integrity.document_for_segmenting(conn, doc_id)
                integrity.delete_segments(conn, doc_id)
                paras = segmentation.paragraphs(text)
                doc_store.insert_segments(conn, doc_id, "paragraph", paras, text)
                doc_store.insert_segments(conn, doc_id, "sentence", _sentences(text, paras, language))
                resegmented.append(name)
            done.append(Repair("segments", f"made the paragraphs and sentences of {_n(len(resegmented), 'document')} "
                                           f"again: {_listed(resegmented)}", len(resegmented)))
        if "search_index" in checks or resegmented:
            integrity.rebuild_fts(conn)
            done.append(Repair("search_index", "rebuilt the search index", 1))
        audit.record(conn, "project.repair", None, repairs=[asdict(r) for r in done])
    return done
