"""qualcode.services.coding: one coding per transaction, undo by GUID, CSV exchange."""

from __future__ import annotations

import csv

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import coding, codebook, documents, project
from qualcode.store import audit, codes as code_store, coders as coder_store, codings as coding_store

from ._helpers import add_codes, add_document, checksum, write_csv

TEXT = ("Interviewer: How did the circles start?\n\n"
        "Halden: In 1998 \U0001F9F6 the association brought twelve owners together. Nobody trusted anybody.\n\n"
        "Interviewer: And then?\n")
HEADER = ["document", "code", "coder", "start", "end", "text", "memo"]


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "halden", TEXT)
    add_document(empty_project, tmp_path, "other", "Second document, short.\n")
    add_codes(empty_project, tmp_path, "trust", "trust/low", "circles/origin", "governance/low")
    return empty_project


def test_add_coding_stores_one_row_with_audit(db):
    start = TEXT.index("the association")
    end = start + len("the association")
    cid = coding.add_coding(db, "halden", "circles/origin", start, end, "ann", memo="origin story", evidence="hearsay")
    c = coding_store.get(db.conn, cid)
    assert (c.document_id, c.code_id, c.start, c.end, c.memo, c.evidence) == (
        documents.document_id(db, "halden"), codebook.index(db).resolve("circles/origin"), start, end,
        "origin story", "hearsay")
    assert c.coder_id == coder_store.id_by_name(db.conn, "ann")
    (row,) = coding.export_rows(db)
    assert row[0] == "circles/origin" and row[1].text == TEXT[start:end]
    (entry,) = audit.entries(db.conn, "coding.add")
    assert entry[3]["coding"] == cid and (entry[3]["start"], entry[3]["end"]) == (start, end)


def test_add_coding_by_ids_and_offsets_after_astral_characters(db):
    doc_id = documents.document_id(db, "halden")
    code_id = codebook.index(db).resolve("origin")  # a unique leaf name
    start = TEXT.index("twelve")
    cid = coding.add_coding(db, doc_id, code_id, start, start + 6, "ann")
    assert coding.export_rows(db)[0][1].text == "twelve"
    assert coding_store.get(db.conn, cid).evidence == "unknown"
    with pytest.raises(NotFound, match="no document with id"):
        coding.add_coding(db, doc_id + 99, code_id, 0, 1, "ann")
    with pytest.raises(NotFound, match="no code with id"):
        coding.add_coding(db, doc_id, code_id + 99, 0, 1, "ann")


def test_one_coder_row_per_name(db):
    for s in (0, 5, 10):
        coding.add_coding(db, "halden", "trust", s, s + 3, " ann ")
    assert [c.name for c in coder_store.list_all(db.conn)] == ["ann"]
    assert project.info(db)["codings"] == 3


@pytest.mark.parametrize("args,exc,needle", [
    (("halden", "trust", 0, len(TEXT) + 1, "ann"), InvalidInput, "after the end"),
    (("halden", "trust", 7, 7, "ann"), InvalidInput, "end must be greater"),
    (("halden", "trust", 8, 7, "ann"), InvalidInput, "end must be greater"),
    (("halden", "trust", -2, 7, "ann"), InvalidInput, "negative"),
    (("nobody", "trust", 0, 4, "ann"), NotFound, "no document"),
    (("halden", "mistrust", 0, 4, "ann"), NotFound, "no code"),
    (("halden", "low", 0, 4, "ann"), NotFound, "ambiguous"),
    (("halden", "trust", 0, 4, "  "), InvalidInput, "coder"),
])
def test_add_coding_refusals_write_nothing(db, args, exc, needle):
    before = checksum(db)
    with pytest.raises(exc, match=needle):
        coding.add_coding(db, *args)
    assert checksum(db) == before


def test_add_coding_bad_evidence_and_inactive_code(db):
    before = checksum(db)
    with pytest.raises(InvalidInput, match="evidence"):
        coding.add_coding(db, "halden", "trust", 0, 4, "ann", evidence="rumour")
    with db.transaction() as tx:
        code_store.update(tx, codebook.index(db).resolve("governance/low"), status="retired")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="retired"):
        coding.add_coding(db, "halden", "governance/low", 0, 4, "ann")
    assert checksum(db) == before


def test_remove_and_restore_keep_the_guid(db):
    cid = coding.add_coding(db, "halden", "trust", 3, 9, "ann", memo="m", evidence="witnessed")
    original = coding_store.get(db.conn, cid)
    removed = coding.remove_coding(db, cid)
    assert removed == original
    assert coding_store.get(db.conn, cid) is None
    assert project.info(db)["codings"] == 0
    new_id = coding.restore_coding(db, removed)
    back = coding_store.get(db.conn, new_id)
    assert back.guid == original.guid
    assert (back.document_id, back.code_id, back.coder_id, back.start, back.end, back.memo, back.evidence) == (
        original.document_id, original.code_id, original.coder_id, original.start, original.end, original.memo,
        original.evidence)
    actions = [a for _, _, a, _ in audit.entries(db.conn, "coding.")]
    assert actions == ["coding.add", "coding.remove", "coding.restore"]
    with pytest.raises(NotFound):
        coding.remove_coding(db, 10_000)


def test_restore_twice_is_refused_by_the_guid(db):
    cid = coding.add_coding(db, "halden", "trust", 3, 9, "ann")
    removed = coding.remove_coding(db, cid)
    coding.restore_coding(db, removed)
    before = checksum(db)
    with pytest.raises(Exception):
        coding.restore_coding(db, removed)  # the GUID is unique: no silent duplicate
    assert checksum(db) == before


# -- CSV import ----------------------------------------------------------------------------------

def _good(n=len(TEXT)):
    return [["halden", "trust", "ann", 0, 11, "", ""], ["halden", "trust/low", "ben", 13, 20, "", "memo"],
            ["other", "brand/new-code", "ann", 0, 6, "ignored", ""]]


def test_import_csv_creates_codes_and_coders(db, tmp_path):
    codes_before = len(codebook.paths(db))
    f = write_csv(tmp_path / "c.csv", HEADER, _good())
    assert coding.import_csv(db, f) == 3
    info = project.info(db)
    assert info["codings"] == 3 and info["coders"] == ["ann", "ben"]
    assert set(codebook.paths(db).values()) >= {"brand", "brand/new-code"}
    assert len(codebook.paths(db)) == codes_before + 2
    rows = {(p, r.document, r.coder, r.start, r.end, r.memo) for p, r in coding.export_rows(db)}
    assert rows == {("trust", "halden", "ann", 0, 11, None), ("trust/low", "halden", "ben", 13, 20, "memo"),
                    ("brand/new-code", "other", "ann", 0, 6, None)}


def test_import_csv_resolves_unique_leaf_names(db, tmp_path):
    f = write_csv(tmp_path / "c.csv", HEADER, [["halden", "origin", "ann", 0, 5, "", ""]])
    n = len(codebook.paths(db))
    coding.import_csv(db, f)
    assert len(codebook.paths(db)) == n
    assert coding.export_rows(db)[0][0] == "circles/origin"


def test_import_csv_coder_override_and_optional_columns(db, tmp_path):
    f = write_csv(tmp_path / "c.csv", ["document", "code", "start", "end", "evidence"],
                  [["halden", "trust", 0, 4, "Hearsay"], ["halden", "trust", 4, 8, ""]])
    assert coding.import_csv(db, f, coder="Dora") == 2
    assert [(r.coder, r.evidence) for _, r in coding.export_rows(db)] == [("Dora", "hearsay"), ("Dora", "unknown")]


def test_import_csv_skips_blank_rows_and_rows_of_empty_cells(db, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("document,code,coder,start,end,text,memo\nhalden,trust,ann,0,4,,\n\n,,,,,,\n , ,,,,,\n",
                 encoding="utf-8")
    assert coding.import_csv(db, f) == 1


@pytest.mark.parametrize("bad,needle", [
    (["halden", "trust", "ann", 0, len(TEXT) + 1, "", ""], "after the end"),
    (["halden", "trust", "ann", 5, 5, "", ""], "end must be greater"),
    (["halden", "trust", "ann", "1.5", 9, "", ""], "whole numbers"),
    (["ghost", "trust", "ann", 0, 4, "", ""], "no document"),
    (["halden", "a//b", "ann", 0, 4, "", ""], "bad code path"),
    (["halden", "low", "ann", 0, 4, "", ""], "ambiguous"),
    (["halden", "trust", "", 0, 4, "", ""], "coder"),
    (["halden", "trust", "ann", 0, 4, ""], "cells"),
    (["halden", "trust", "ann", 0, 4, "", "", "extra"], "cells"),
])
def test_import_csv_one_bad_row_writes_nothing(db, tmp_path, bad, needle):
    rows = _good()
    rows.insert(1, bad)  # header is line 1, the bad row is line 3
    f = write_csv(tmp_path / "c.csv", HEADER, rows)
    before = checksum(db)
    with pytest.raises(InvalidInput, match=needle) as exc:
        coding.import_csv(db, f)
    assert "line 3" in str(exc.value)
    assert checksum(db) == before


@pytest.mark.parametrize("header,needle", [
    (["document", "code", "coder", "start"], "missing column"),
    (["document", "code", "start", "end"], "missing column"),
    (["document", "code", "coder", "start", "end", "weight"], "unknown column"),
])
def test_import_csv_bad_header(db, tmp_path, header, needle):
    f = write_csv(tmp_path / "c.csv", header, [["halden"] + ["x"] * (len(header) - 1)])
    before = checksum(db)
    with pytest.raises(InvalidInput, match=needle):
        coding.import_csv(db, f)
    assert checksum(db) == before


def test_import_csv_empty_and_not_utf8(db, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput, match="empty"):
        coding.import_csv(db, empty)
    latin = tmp_path / "l.csv"
    latin.write_bytes("document,code,coder,start,end\nhalden,caf\u00e9,ann,0,4\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        coding.import_csv(db, latin)


# -- CSV export ----------------------------------------------------------------------------------

MEMOS = ["=cmd()", "+1", "-minus", "@mention", "multi\nline, with \"quotes\"", "plain"]


def _fresh_copy_of_documents(db, tmp_path):
    """A new project holding the same documents (same names, same stored text)."""
    other = project.new_project(tmp_path / "copy.qualcode")
    folder = tmp_path / "docs"
    folder.mkdir()
    for d in documents.list_documents(db):
        add_document(other, folder, d.name, documents.document_text(db, d.name))
    return other


def test_export_import_round_trip_with_guarded_memos(db, tmp_path):
    for i, memo in enumerate(MEMOS):
        coding.add_coding(db, "halden", "trust/low", i, i + 5, ["ann", "ben"][i % 2], memo=memo,
                          evidence=["witnessed", "hearsay"][i % 2])
    out = tmp_path / "out.csv"
    assert coding.export_csv(db, out, with_evidence=True) == len(MEMOS)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["memo"] for r in rows] == ["'" + m if m[0] in "=+-@" else m for m in MEMOS]
    other = _fresh_copy_of_documents(db, tmp_path)
    try:
        assert coding.import_csv(other, out) == len(MEMOS)
        strip = lambda rows: [(p, r.document, r.coder, r.start, r.end, r.text, r.memo, r.evidence)  # noqa: E731
                              for p, r in rows]
        assert strip(coding.export_rows(other)) == strip(coding.export_rows(db))
        again = tmp_path / "again.csv"
        coding.export_csv(other, again, with_evidence=True)
        assert again.read_bytes() == out.read_bytes()
    finally:
        other.close()


def test_memo_that_starts_with_an_apostrophe_round_trips(db, tmp_path):
    """core.cells promises an exact round trip; a memo that itself starts with "'=" must
    survive export and re-import unchanged."""
    coding.add_coding(db, "halden", "trust", 0, 4, "ann", memo="'=not a formula")
    out = tmp_path / "out.csv"
    coding.export_csv(db, out)
    other = _fresh_copy_of_documents(db, tmp_path)
    try:
        coding.import_csv(other, out)
        assert [r.memo for _, r in coding.export_rows(other)] == ["'=not a formula"]
    finally:
        other.close()


def test_export_filters_and_refusals(db, tmp_path):
    coding.add_coding(db, "halden", "trust", 0, 4, "ann")
    coding.add_coding(db, "halden", "trust", 4, 8, "ben")
    assert coding.export_csv(db, tmp_path / "ben.csv", coders=["ben"]) == 1
    with pytest.raises(NotFound, match="zed"):
        coding.export_csv(db, tmp_path / "z.csv", coders=["zed"])
    with pytest.raises(InvalidInput, match=".csv"):
        coding.export_csv(db, tmp_path / "z.xlsx")
    with pytest.raises(InvalidInput, match="does not exist"):
        coding.export_csv(db, tmp_path / "missing" / "z.csv")
    assert not (tmp_path / "z.csv").exists()


def test_import_csv_creates_coders_in_order_of_appearance(db, tmp_path):
    """Coder ids (and so `info` and every coder list) must not depend on set/hash order."""
    names = ["zoe", "amy", "max", "bob", "kim", "lea"]
    rows = [["halden", "trust", n, i, i + 2, "", ""] for i, n in enumerate(names)] + [["other", "trust", "amy", 0, 3, "", ""]]
    coding.import_csv(db, write_csv(tmp_path / "c.csv", HEADER, rows))
    assert project.info(db)["coders"] == names


def test_import_csv_refuses_a_retired_code_and_writes_nothing(db, tmp_path):
    from qualcode.services import codebook_edit

    code_id = codebook.index(db).resolve("trust")
    codebook_edit.retire_code(db, code_id, "ann")
    before = checksum(db)
    f = write_csv(tmp_path / "c.csv", ["document", "code", "coder", "start", "end"],
                  [["halden", "trust/low", "ann", 0, 4], ["halden", "trust", "ann", 0, 4]])
    with pytest.raises(InvalidInput, match="line 3: code 'trust' is retired"):
        coding.import_csv(db, f)
    assert checksum(db) == before


def test_a_removed_codings_memo_never_attaches_to_the_next_coding(db):
    """Ids are never reused (AUTOINCREMENT): memos point at codings by id."""
    from qualcode.services import memos

    first = coding.add_coding(db, "halden", "trust", 0, 4, "ann")
    memos.add_memo(db, "coding", first, "about the first coding", "ann")
    coding.remove_coding(db, first)
    second = coding.add_coding(db, "halden", "trust", 5, 9, "ann")
    assert second != first
    assert memos.list_memos(db, "coding", second) == []
