"""Merge, split, retire and describe codes: every coding accounted for, each edit audited
with its coder, and each inverse restoring the project exactly."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import codebook, codebook_edit, coding, memos, stories
from qualcode.store import audit

from ..cli._helpers import query
from ._helpers import add_codes, add_document, checksum

A, B = "narrative/retelling", "narrative/story-told"


def ids(db) -> dict[str, int]:
    return {p: i for i, p in codebook.paths(db).items()}


def codings_by_code(db) -> dict[int, set[int]]:
    """code id -> coding ids, read through a separate connection (what was committed)."""
    out: dict[int, set[int]] = {}
    for coding_id, code_id in query(db.path, "SELECT id, code_id FROM coding"):
        out.setdefault(code_id, set()).add(coding_id)
    return out


def data_tables(db) -> dict[str, str]:
    """Every table's fingerprint except the audit trail, which records the edits themselves."""
    return {t: h for t, h in checksum(db).items() if t != "audit"}


def rows_of(db, code_id):
    return query(db.path, 'SELECT id, document_id, coder_id, start, "end" FROM coding WHERE code_id = ? ORDER BY id',
                 (code_id,))


@pytest.fixture
def dup(sample_project):
    """The sample, plus three codings of B that repeat codings of A (same span and coder), one
    that repeats a span of A by another coder (not a duplicate), a memo on a duplicated coding
    of A, and a telling coded with A on the span (and by the coder) of A's second coding: a
    duplicate inside A itself."""
    db = sample_project
    i = ids(db)
    docs = {d: n for n, d in query(db.path, "SELECT name, id FROM document")}
    coders = dict(query(db.path, "SELECT id, name FROM coder"))
    a_rows = rows_of(db, i[A])
    for _cid, doc, coder, start, end in a_rows[:3]:
        coding.add_coding(db, docs[doc], i[B], start, end, coders[coder])
    _cid, doc, coder, start, end = a_rows[3]
    other = next(n for c, n in coders.items() if c != coder)
    coding.add_coding(db, docs[doc], i[B], start, end, other)
    memo = memos.add_memo(db, "coding", a_rows[0][0], "why this is a retelling", "Mira")
    _cid, doc, coder, start, end = a_rows[1]
    telling = stories.tell(db, "The Halden flood", docs[doc], start, end, "Halden Knits", code=A, coder=coders[coder])
    db.fixture = {"a_rows": a_rows, "memo": memo, "telling": telling,
                  "telling_coding": stories.get_telling(db, telling).coding_id}
    return db


# -- merge -----------------------------------------------------------------------------------------

def test_merge_accounts_for_every_coding_and_collapses_duplicates(dup):
    db = dup
    i = ids(db)
    before = codings_by_code(db)
    a_ids, b_ids = before[i[A]], before[i[B]]
    total = sum(len(v) for v in before.values())
    result = codebook_edit.merge_codes(db, i[A], i[B], coder="Mira")
    after = codings_by_code(db)
    collapsed = {c.id for c, _keep in result.collapsed}
    # the first three codings of A repeat a coding of B, and the telling's coding repeats one of
    # them: all four collapse; every other coding of A moves
    assert collapsed == {r[0] for r in db.fixture["a_rows"][:3]} | {db.fixture["telling_coding"]}
    assert set(result.moved) == a_ids - collapsed
    assert after.get(i[A], set()) == set()
    assert after[i[B]] == b_ids | (a_ids - collapsed)
    assert sum(len(v) for v in after.values()) == total - len(collapsed)
    assert {k: v for k, v in after.items() if k not in (i[A], i[B])} == \
        {k: v for k, v in before.items() if k not in (i[A], i[B])}
    assert result.summary() == {"moved": len(a_ids) - 4, "collapsed": 4, "subcodes": 0}
    status, merged_into = query(db.path, "SELECT status, merged_into FROM code WHERE id = ?", (i[A],))[0]
    assert (status, merged_into) == ("merged", i[B])
    # what pointed at a removed duplicate now points at the coding that stayed
    kept = dict((c.id, keep) for c, keep in result.collapsed)
    first = db.fixture["a_rows"][0][0]
    assert query(db.path, "SELECT target_id FROM memo WHERE id = ?", (db.fixture["memo"],)) == [(kept[first],)]
    kept_for_telling = kept[db.fixture["telling_coding"]]
    assert kept_for_telling == kept[db.fixture["a_rows"][1][0]] and kept_for_telling in b_ids
    assert query(db.path, "SELECT coding_id FROM telling WHERE id = ?", (db.fixture["telling"],)) == [(kept_for_telling,)]
    (entry,) = [e for e in audit.entries(db.conn, "code.merge")]
    assert entry[1] == query(db.path, "SELECT id FROM coder WHERE name = 'Mira'")[0][0]
    assert entry[3]["moved"] == len(a_ids) - 4 and entry[3]["collapsed"] == 4 and entry[3]["by"] == "Mira"


def test_unmerge_restores_the_project_exactly(dup):
    db = dup
    i = ids(db)
    before = data_tables(db)
    result = codebook_edit.merge_codes(db, i[A], i[B], coder="Mira")
    assert data_tables(db) != before
    codebook_edit.unmerge_codes(db, result, coder="Mira")
    assert data_tables(db) == before
    # redo: the same merge again, the same outcome
    again = codebook_edit.merge_codes(db, i[A], i[B], coder="Mira")
    assert again.summary() == result.summary() and set(again.moved) == set(result.moved)


def test_merge_moves_subcodes_and_refuses_clashes(sample_project, tmp_path):
    db = sample_project
    add_codes(db, tmp_path, "trust/kinship/cousins", "trust/kinship/in-laws", "trust/reputation/in-laws")
    i = ids(db)
    before = data_tables(db)
    with pytest.raises(InvalidInput, match="both have a subcode 'in-laws'"):
        codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/reputation"])
    assert data_tables(db) == before
    result = codebook_edit.merge_codes(db, i["trust/kinship/in-laws"], i["trust/reputation/in-laws"])
    assert result.subcodes == ()
    result = codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/reputation"], coder="Jonas")
    assert set(result.subcodes) == {i["trust/kinship/cousins"]}
    assert codebook.paths(db)[i["trust/kinship/cousins"]] == "trust/reputation/cousins"
    codebook_edit.unmerge_codes(db, result)
    assert codebook.paths(db)[i["trust/kinship/cousins"]] == "trust/kinship/cousins"


@pytest.mark.parametrize("source,target,needle", [
    ("trust", "trust", "into itself"),
    ("trust", "trust/kinship", "its own subcode"),
])
def test_refused_merges_change_nothing(sample_project, source, target, needle):
    db = sample_project
    i = ids(db)
    before = checksum(db)
    with pytest.raises(InvalidInput, match=needle):
        codebook_edit.merge_codes(db, i[source], i[target])
    assert checksum(db) == before


def test_merged_and_retired_codes_cannot_be_merged_again_or_into(sample_project):
    db = sample_project
    i = ids(db)
    codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"])
    codebook_edit.retire_code(db, i["trust/distrust"])
    before = checksum(db)
    with pytest.raises(InvalidInput, match="already merged into 'trust/building'"):
        codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/reputation"])
    with pytest.raises(InvalidInput, match="is retired; merge into an active code"):
        codebook_edit.merge_codes(db, i["trust/reputation"], i["trust/distrust"])
    with pytest.raises(NotFound):
        codebook_edit.merge_codes(db, 99999, i["trust/distrust"])
    assert checksum(db) == before
    with pytest.raises(InvalidInput, match="is merged"):
        coding.add_coding(db, "01_halden", i["trust/kinship"], 0, 5, "Mira")


def test_unmerge_is_refused_when_the_project_changed_under_it(sample_project):
    db = sample_project
    i = ids(db)
    result = codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"])
    coding.remove_coding(db, result.moved[0])
    before = checksum(db)
    with pytest.raises(InvalidInput, match="cannot be undone"):
        codebook_edit.unmerge_codes(db, result)
    assert checksum(db) == before


# -- split -----------------------------------------------------------------------------------------

def test_split_moves_exactly_the_chosen_codings_and_unsplit_restores(sample_project):
    db = sample_project
    i = ids(db)
    before_tables = data_tables(db)
    before = codings_by_code(db)
    mine = sorted(before[i[A]])
    chosen = mine[::2]
    result = codebook_edit.split_code(db, i[A], chosen, "  retold  twice ", coder="Jonas", definition="Told again.")
    new_id = result.code.id
    assert codebook.paths(db)[new_id] == "narrative/retold twice"
    after = codings_by_code(db)
    assert after[new_id] == set(chosen)
    assert after[i[A]] == set(mine) - set(chosen)
    assert sum(map(len, after.values())) == sum(map(len, before.values()))
    (entry,) = audit.entries(db.conn, "code.split")
    assert entry[3]["moved"] == len(chosen) and entry[3]["by"] == "Jonas" and entry[3]["new"] == new_id
    removed = codebook_edit.unsplit_code(db, result, coder="Jonas")
    assert data_tables(db) == before_tables
    again = codebook_edit.split_code(db, i[A], chosen, coder="Jonas", reuse=removed)
    assert (again.code.id, again.code.guid) == (new_id, result.code.guid)
    assert codings_by_code(db)[new_id] == set(chosen)


def test_split_under_another_parent(sample_project):
    db = sample_project
    i = ids(db)
    one = sorted(codings_by_code(db)[i[A]])[:1]
    result = codebook_edit.split_code(db, i[A], one, "first", parent_id=i[A])
    assert codebook.paths(db)[result.code.id] == f"{A}/first"


def test_refused_splits_change_nothing(sample_project):
    db = sample_project
    i = ids(db)
    mine = sorted(codings_by_code(db)[i[A]])
    foreign = sorted(codings_by_code(db)[i[B]])[0]
    before = checksum(db)
    for args, needle in [((mine[:1], "story-told"), "already a code 'story-told'"),
                         (([], "new"), "at least one coding"),
                         (([foreign], "new"), f"coding {foreign} is not a coding of"),
                         ((mine[:1], "  "), "needs a name"),
                         ((mine[:1], "a/b"), "cannot contain")]:
        with pytest.raises(InvalidInput, match=needle):
            codebook_edit.split_code(db, i[A], *args)
    assert checksum(db) == before


def test_split_selection_by_document_and_coder(sample_project):
    db = sample_project
    i = ids(db)
    rows = coding.codings_for_codes(db, [i[A]])
    doc, who = rows[0].document, rows[0].coder
    expected = [r.id for r in rows if r.document == doc and r.coder == who]
    assert codebook_edit.split_selection(db, i[A], documents=[doc], coders=[who]) == expected
    assert codebook_edit.split_selection(db, i[A], coding_ids=["7", 9]) == [7, 9]
    with pytest.raises(NotFound, match="no codings in document 'nowhere'"):
        codebook_edit.split_selection(db, i[A], documents=["nowhere"])
    with pytest.raises(InvalidInput, match="not both"):
        codebook_edit.split_selection(db, i[A], coding_ids=[1], coders=[who])
    with pytest.raises(InvalidInput, match="choose the codings"):
        codebook_edit.split_selection(db, i[A])
    pairs = {(r.document, r.coder) for r in rows}
    empty = next((d, c) for d in {r.document for r in rows} for c in {r.coder for r in rows} if (d, c) not in pairs)
    with pytest.raises(InvalidInput, match="nothing to split off"):
        codebook_edit.split_selection(db, i[A], documents=[empty[0]], coders=[empty[1]])


# -- retire ----------------------------------------------------------------------------------------

def test_retired_codes_keep_their_codings_but_cannot_be_applied(sample_project):
    db = sample_project
    i = ids(db)
    held = codings_by_code(db)[i["trust/kinship"]]
    assert codebook_edit.retire_code(db, i["trust/kinship"], coder="Mira") == "active"
    assert codings_by_code(db)[i["trust/kinship"]] == held
    with pytest.raises(InvalidInput, match="is retired"):
        coding.add_coding(db, "01_halden", "trust/kinship", 0, 5, "Mira")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="already retired"):
        codebook_edit.retire_code(db, i["trust/kinship"])
    assert checksum(db) == before
    codebook_edit.unretire_code(db, i["trust/kinship"], coder="Mira")
    assert coding.add_coding(db, "01_halden", "trust/kinship", 0, 5, "Mira") > 0
    with pytest.raises(InvalidInput, match="not retired"):
        codebook_edit.unretire_code(db, i["trust/kinship"])
    actions = [e[2] for e in audit.entries(db.conn, "code.") if e[3].get("code") == i["trust/kinship"]]
    assert [a for a in actions if "retire" in a] == ["code.retire", "code.unretire"]


# -- describe and properties -----------------------------------------------------------------------

def test_describe_returns_old_values_and_names_the_coder(empty_project, tmp_path):
    db = empty_project
    add_document(db, tmp_path, "d", "Some text to code.")
    code = add_codes(db, tmp_path, "trust")["trust"]
    coding.add_coding(db, "d", code, 0, 4, "Ann")
    old = codebook_edit.describe_code(db, code, coder="Ann", definition=" Confidence ", example="We trust them",
                                      memo="check with Ben")
    assert old == {"definition": None, "example": None, "memo": None}
    c = codebook_edit.code_details(db, code)
    assert (c.definition, c.example, c.memo) == ("Confidence", "We trust them", "check with Ben")
    (entry,) = audit.entries(db.conn, "code.describe")
    assert entry[1] == query(db.path, "SELECT id FROM coder WHERE name = 'Ann'")[0][0]
    assert entry[3]["definition"] == "Confidence" and entry[3]["by"] == "Ann"
    assert codebook_edit.describe_code(db, code, definition="Confidence") == {}
    codebook_edit.describe_code(db, code, coder="Ann", **old)
    c = codebook_edit.code_details(db, code)
    assert (c.definition, c.example, c.memo) == (None, None, None)
    with pytest.raises(TypeError):
        codebook_edit.describe_code(db, code, weight="1")


def test_properties_are_one_transaction(empty_project, tmp_path):
    db = empty_project
    got = add_codes(db, tmp_path, "trust", "lock-in")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="already a code 'lock-in'"):
        codebook_edit.set_code_properties(db, got["trust"], name="lock-in", definition="never stored")
    assert checksum(db) == before
    old = codebook_edit.set_code_properties(db, got["trust"], name="confidence", color="#ABCDEF",
                                            inclusion="when they say so")
    assert old == {"name": "trust", "color": None, "inclusion": None}
    codebook_edit.set_code_properties(db, got["trust"], **old)
    assert checksum(db)["code"] == before["code"]
