"""Merge (by dropping dragged codes), split, retire and property edits as undo commands on a
real session and QUndoStack: each undo restores the project, each redo repeats the edit."""

from __future__ import annotations

import pytest

from qualcode.services import codebook

from ..cli._helpers import query, table_checksums

pytestmark = pytest.mark.gui

A, B = "trust/kinship", "trust/building"


@pytest.fixture
def session(qtbot, sample_project):
    from qualcode.ui.session import Session

    s = Session(sample_project, "Mira")
    s.errors = []
    s.errorRaised.connect(s.errors.append)
    return s


def ids(db) -> dict[str, int]:
    return {p: i for i, p in codebook.paths(db).items()}


def data(db) -> dict[str, str]:
    return {t: h for t, h in table_checksums(db.path).items() if t != "audit"}


def code_of(db, coding_ids) -> set[int]:
    marks = ",".join(map(str, coding_ids))
    return {c for (c,) in query(db.path, f"SELECT DISTINCT code_id FROM coding WHERE id IN ({marks})")}


def drag_payload(session, *code_ids):
    """What the codebook tree puts on the clipboard when these codes are dragged."""
    from qualcode.ui.codebook_panel import CodebookModel

    model = CodebookModel(session)
    return model.mimeData([model.index_of(i) for i in code_ids])


def test_merge_by_drop_asks_first_then_undo_and_redo(session, qtbot):
    from qualcode.ui.codebook_commands import merge_dropped

    db = session.db
    i = ids(db)
    moving = [c for (c,) in query(db.path, "SELECT id FROM coding WHERE code_id = ?", (i[A],))]
    before = data(db)
    asked = []
    refused = merge_dropped(None, session, drag_payload(session, i[A]), i[B],
                            confirm=lambda _parent, question: asked.append(question) or False)
    assert refused is False and data(db) == before and session.undo_stack.count() == 0
    assert asked[0].startswith(f"Merge “{A}” into “{B}”?")
    with qtbot.waitSignal(session.codesChanged):
        assert merge_dropped(None, session, drag_payload(session, i[A]), i[B], confirm=lambda *_: True)
    assert i[A] not in session.codes  # merged codes leave the tree
    assert code_of(db, moving) == {i[B]}
    assert session.undo_stack.undoText() == f"Merge “{A}” into “{B}”"
    with qtbot.waitSignal(session.codesChanged):
        session.undo_stack.undo()
    assert data(db) == before and i[A] in session.codes
    session.undo_stack.redo()
    assert code_of(db, moving) == {i[B]} and i[A] not in session.codes


def test_dropping_several_codes_is_one_undo_step(session):
    from qualcode.ui.codebook_commands import merge_dropped

    db = session.db
    i = ids(db)
    before = data(db)
    sources = [i["trust/kinship"], i["trust/reputation"], i[B]]  # the target itself is skipped
    assert merge_dropped(None, session, drag_payload(session, *sources), i[B], confirm=lambda *_: True)
    assert session.undo_stack.count() == 1
    assert {r for (r,) in query(db.path, "SELECT status FROM code WHERE id IN (?, ?)", sources[:2])} == {"merged"}
    session.undo_stack.undo()
    assert data(db) == before


def test_a_refused_merge_is_reported_and_not_stacked(session):
    from qualcode.ui.codebook_commands import MergeCodes

    i = ids(session.db)
    before = data(session.db)
    assert session.push(MergeCodes(session, i["trust"], i[A])) is False
    assert "own subcode" in session.errors[0]
    assert session.undo_stack.count() == 0 and data(session.db) == before


def test_split_then_undo_and_redo_keep_the_new_code_id(session):
    from qualcode.ui.codebook_commands import SplitCode

    db = session.db
    i = ids(db)
    mine = [c for (c,) in query(db.path, "SELECT id FROM coding WHERE code_id = ? ORDER BY id",
                                (i["narrative/retelling"],))]
    before = data(db)
    command = SplitCode(session, i["narrative/retelling"], mine[:2], "told again")
    assert session.push(command)
    new_id = command.new_code_id
    assert session.codes[new_id].path == "narrative/told again"
    assert code_of(db, mine[:2]) == {new_id} and code_of(db, mine[2:]) == {i["narrative/retelling"]}
    session.undo_stack.undo()
    assert data(db) == before and new_id not in session.codes
    session.undo_stack.redo()
    assert command.new_code_id == new_id and code_of(db, mine[:2]) == {new_id}


def test_retire_and_reactivate(session):
    from qualcode.ui.codebook_commands import RetireCode

    db = session.db
    i = ids(db)
    assert session.push(RetireCode(session, i[A]))
    assert session.codes[i[A]].status == "retired"
    assert session.push(RetireCode(session, i[A])) is False and "already retired" in session.errors[-1]
    session.undo_stack.undo()
    assert session.codes[i[A]].status == "active"
    session.undo_stack.redo()
    assert session.codes[i[A]].status == "retired"
    assert session.push(RetireCode(session, i[A], retire=False))
    assert session.codes[i[A]].status == "active"
    session.undo_stack.undo()
    assert session.codes[i[A]].status == "retired"


def test_edit_properties_undo_redo(session):
    from qualcode.ui.codebook_commands import EditCodeProperties

    db = session.db
    i = ids(db)
    before = data(db)
    assert session.push(EditCodeProperties(session, i[A], name="family", color="#123456", example="My cousin."))
    assert query(db.path, "SELECT name, color, example FROM code WHERE id = ?", (i[A],)) == \
        [("family", "#123456", "My cousin.")]
    assert session.codes[i[A]].path == "trust/family"
    session.undo_stack.undo()
    assert data(db) == before
    session.undo_stack.redo()
    assert session.codes[i[A]].path == "trust/family"
    assert session.push(EditCodeProperties(session, i[A], name="family")) is False  # nothing changes
    assert session.push(EditCodeProperties(session, i[A], name="building")) is False
    assert "already a code 'building'" in session.errors[-1]
