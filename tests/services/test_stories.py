"""qualcode.services.stories: recording stories, one transaction each, validated first, undoable."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import cases, coding, documents, stories, story_suggest, transmissions
from qualcode.store import audit, stories as story_store

from ._helpers import add_codes, add_document, checksum, write_csv

TEXT = ("Interviewer: Have you heard about the flood?\n\n"
        "Ana: Yes \U0001F30A, the river came into the hall. Then the small firms worked at night. "
        "Tomas told me so himself.\n\n"
        "Interviewer: Anything else?\n")
FLOOD = TEXT.index("the river came into the hall")
NIGHTS = TEXT.index("Then the small firms worked at night")
END = TEXT.index("Tomas told me so himself.") + len("Tomas told me so himself.")


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "ana", TEXT)
    add_document(empty_project, tmp_path, "tomas", "Tomas: The water rose. My friends knit for me at night.\n")
    cases.import_cases(empty_project, write_csv(tmp_path / "cases.csv", ["case", "kind"],
                                                [["Ana", "informant"], ["Tomas", "informant"], ["Bo", "informant"]]))
    add_codes(empty_project, tmp_path, "narrative/story-told")
    return empty_project


@pytest.fixture
def story(db):
    sid = stories.add_story(db, "The flood", "A hall floods; friends knit at night.")
    flood = stories.add_element(db, sid, "The hall floods")
    nights = stories.add_element(db, sid, "Friends knit at night", "detail")
    return sid, flood, nights


def test_add_story_and_elements_with_audit(db, story):
    sid, flood, nights = story
    assert stories.get_story(db, "The flood").id == sid == stories.story_id(db, str(sid))
    assert [(e.id, e.ordinal, e.label, e.kind) for e in stories.elements(db, sid)] == [
        (flood, 1, "The hall floods", "core"), (nights, 2, "Friends knit at night", "detail")]
    assert stories.element_id(db, "The flood", "Friends knit at night") == nights
    assert stories.element_id(db, sid, str(flood)) == flood
    actions = [a for _, _, a, _ in audit.entries(db.conn, "story.")]
    assert actions == ["story.add", "story.element.add", "story.element.add"]


@pytest.mark.parametrize("call,error,needle", [
    (lambda db, s: stories.add_story(db, "  "), InvalidInput, "title"),
    (lambda db, s: stories.add_story(db, "The flood"), InvalidInput, "already a story"),
    (lambda db, s: stories.add_element(db, "no such story", "x"), NotFound, "no story"),
    (lambda db, s: stories.add_element(db, s[0], "The hall floods"), InvalidInput, "already has an element"),
    (lambda db, s: stories.add_element(db, s[0], "x", "minor"), InvalidInput, "core, detail"),
    (lambda db, s: stories.element_id(db, s[0], "nothing"), NotFound, "no element"),
])
def test_story_and_element_errors_change_nothing(db, story, call, error, needle):
    before = checksum(db)
    with pytest.raises(error, match=needle):
        call(db, story)
    assert checksum(db) == before


def test_tell_anchors_a_telling_and_records_the_source(db, story):
    sid, _, _ = story
    first = stories.tell(db, sid, "tomas", 0, 20, "Tomas", "protagonist", told_on="2023-03-14")
    second = stories.tell(db, "The flood", "ana", FLOOD, END, "Ana", heard_from=first)
    third = stories.tell(db, sid, "ana", NIGHTS, END, "Bo", "hearsay", heard_from="Tomas", basis="inferred")
    t = stories.get_telling(db, second)
    assert (t.story_id, t.start, t.end, t.role, t.coding_id) == (sid, FLOOD, END, "hearsay", None)
    assert stories.get_telling(db, first).told_on == "2023-03-14"
    xs = transmissions.transmissions(db, sid)
    assert [(x.from_telling_id, x.from_case_id is not None, x.to_telling_id, x.basis) for x in xs] == [
        (first, False, second, "stated"), (None, True, third, "inferred")]
    tells = [p for _, _, a, p in audit.entries(db.conn, "story.tell")]
    assert [p["telling"] for p in tells] == [first, second, third]


def test_tell_can_apply_a_code_that_goes_and_comes_back_with_it(db, story):
    sid, _, _ = story
    tid = stories.tell(db, sid, "ana", FLOOD, END, "Ana", code="narrative/story-told", coder="mira")
    made = coding.get_coding(db, stories.get_telling(db, tid).coding_id)
    assert (made.start, made.end) == (FLOOD, END)
    snap = stories.delete_telling(db, tid)
    with pytest.raises(NotFound):
        coding.get_coding(db, made.id)
    assert stories.restore_telling(db, snap) == tid
    assert coding.get_coding(db, stories.get_telling(db, tid).coding_id).guid == made.guid


@pytest.mark.parametrize("kwargs,error,needle", [
    ({"document": "nobody"}, NotFound, "no document"),
    ({"end": len(TEXT) + 1}, InvalidInput, "ends after the end"),
    ({"start": 10, "end": 10}, InvalidInput, "empty or reversed"),
    ({"teller": "Nobody"}, NotFound, "no case 'Nobody'"),
    ({"role": "witness"}, InvalidInput, "protagonist, eyewitness, hearsay"),
    ({"heard_from": 999}, NotFound, "no telling 999"),
    ({"heard_from": "Stranger"}, NotFound, "no telling or case"),
    ({"told_on": "March"}, InvalidInput, "YYYY-MM-DD"),
    ({"code": "narrative/story-told"}, InvalidInput, "needs a coder"),
    ({"code": "no/such/code", "coder": "mira"}, NotFound, "no/such/code"),
    ({"story": "Another"}, NotFound, "no story"),
])
def test_bad_tellings_are_refused_before_writing(db, story, kwargs, error, needle):
    args = {"story": story[0], "document": "ana", "start": FLOOD, "end": END, "teller": "Ana"} | kwargs
    before = checksum(db)
    with pytest.raises(error, match=needle):
        stories.tell(db, **args)
    assert checksum(db) == before


def test_a_source_must_tell_the_same_story(db, story):
    other = stories.add_story(db, "The container")
    foreign = stories.tell(db, other, "ana", FLOOD, END, "Ana")
    with pytest.raises(InvalidInput, match="another story"):
        stories.tell(db, story[0], "tomas", 0, 5, "Tomas", heard_from=foreign)


def test_realize_validates_and_restores_the_previous_state(db, story):
    sid, flood, nights = story
    tid = stories.tell(db, sid, "ana", FLOOD, END, "Ana")
    assert stories.realize(db, tid, flood, "present", 1, FLOOD, FLOOD + 9, "a river, not rain") is None
    previous = stories.realize(db, tid, "The hall floods", "implied", 2)
    assert previous.variant == "a river, not rain" and previous.status == "present"
    stories.restore_realization(db, tid, flood, previous)
    assert story_store.get_realization(db.conn, tid, flood) == previous
    stories.realize(db, tid, nights, "absent", variant="does not know")
    stories.restore_realization(db, tid, nights, None)
    assert story_store.get_realization(db.conn, tid, nights) is None
    before = checksum(db)
    for kwargs, needle in [
        ({"status": "told"}, "present, absent, implied, contradicted"),
        ({"status": "absent", "position": 1}, "absent element"),
        ({"position": 0}, "counted from 1"),
        ({"start": FLOOD}, "both start and end"),
        ({"start": 0, "end": 5}, "inside the telling"),
        ({"element": "A beat of another story"}, "no element"),
    ]:
        args = {"telling": tid, "element": flood, "status": "present"} | kwargs
        with pytest.raises((InvalidInput, NotFound), match=needle):
            stories.realize(db, **args)
    with pytest.raises(NotFound, match="no telling"):
        stories.realize(db, 999, flood, "present")
    assert checksum(db) == before


def test_transmissions_from_tellings_cases_and_text(db, story):
    sid, _, _ = story
    a = stories.tell(db, sid, "tomas", 0, 20, "Tomas", "protagonist")
    b = stories.tell(db, sid, "ana", FLOOD, END, "Ana")
    x1 = transmissions.add_transmission(db, b, from_telling=a, evidence=("ana", NIGHTS, END))
    x2 = transmissions.add_transmission(db, b, from_text="everybody in town", basis="inferred")
    stored = {x.id: x for x in transmissions.transmissions(db, sid)}
    assert (stored[x1].evidence_start, stored[x1].evidence_end) == (NIGHTS, END)
    assert stored[x2].from_text == "everybody in town" and stored[x2].basis == "inferred"
    before = checksum(db)
    for kwargs, needle in [
        ({}, "exactly one source"),
        ({"from_telling": a, "from_text": "x"}, "exactly one source"),
        ({"from_telling": b}, "own source"),
        ({"from_telling": a}, "already has this source"),
        ({"from_case": "Nobody"}, "no case"),
        ({"from_text": "x", "evidence": ("ana", 0, 10_000)}, "ends after the end"),
        ({"from_text": "x", "basis": "guessed"}, "stated, inferred"),
    ]:
        with pytest.raises((InvalidInput, NotFound), match=needle):
            transmissions.add_transmission(db, b, **kwargs)
    assert checksum(db) == before
    old = transmissions.delete_transmission(db, x1)
    assert transmissions.restore_transmission(db, old) == x1
    assert transmissions.transmissions(db, sid)[0] == stored[x1]


def test_edits_return_what_undoes_them(db, story):
    sid, flood, _ = story
    tid = stories.tell(db, sid, "ana", FLOOD, END, "Ana", code="narrative/story-told", coder="mira")
    old = stories.edit_telling(db, tid, teller="Bo", role="eyewitness", start=FLOOD - 5)
    assert old == {"teller": "Ana", "role": "hearsay", "start": FLOOD}
    assert coding.get_coding(db, stories.get_telling(db, tid).coding_id).start == FLOOD - 5
    stories.edit_telling(db, tid, **old)
    t = stories.get_telling(db, tid)
    assert (t.role, t.start, t.teller_case_id) == ("hearsay", FLOOD, cases_id(db, "Ana"))
    stories.realize(db, tid, flood, "present", 1, FLOOD, FLOOD + 5)
    with pytest.raises(InvalidInput, match="outside the telling"):
        stories.edit_telling(db, tid, start=FLOOD + 1)
    assert stories.edit_story(db, sid, title="The great flood") == {"title": "The flood"}
    assert stories.edit_element(db, flood, kind="detail", ordinal=5) == {"kind": "core", "ordinal": 1}
    assert stories.edit_story(db, sid, title="The great flood") == {}


def cases_id(db, name):
    return next(c.id for c in cases.list_cases(db) if c.name == name)


def test_delete_and_restore_element_keeps_its_realizations(db, story):
    sid, flood, _ = story
    tid = stories.tell(db, sid, "ana", FLOOD, END, "Ana")
    stories.realize(db, tid, flood, "present", 1)
    snap = stories.delete_element(db, flood)
    assert story_store.get_realization(db.conn, tid, flood) is None
    assert stories.restore_element(db, snap) == flood
    assert story_store.get_realization(db.conn, tid, flood).position == 1


def test_delete_story_and_restore_brings_everything_back(db, story):
    sid, flood, nights = story
    a = stories.tell(db, sid, "tomas", 0, 20, "Tomas", "protagonist")
    b = stories.tell(db, sid, "ana", FLOOD, END, "Ana", heard_from=a, code="narrative/story-told", coder="mira")
    stories.realize(db, b, nights, "contradicted", 1, NIGHTS, END, "they were paid late")
    transmissions.add_transmission(db, a, from_text="his own memory", basis="inferred")
    story_suggest.reject_passage(db, sid, "ana", 0, 10)
    tables = ("story", "story_element", "telling", "transmission", "realization", "coding", "story_rejected_passage")
    before = {t: v for t, v in checksum(db).items() if t in tables}
    snap = stories.delete_story(db, sid)
    assert stories.list_stories(db) == [] and coding.counts_by_code(db) == {}
    stories.restore_story(db, snap)
    assert {t: v for t, v in checksum(db).items() if t in tables} == before


def test_reject_and_unreject_a_passage(db, story):
    sid = story[0]
    assert story_suggest.reject_passage(db, sid, "ana", FLOOD, END) is True
    assert story_suggest.reject_passage(db, sid, "ana", FLOOD, END) is False
    assert story_suggest.rejected_passages(db, sid) == [(documents.document_id(db, "ana"), FLOOD, END)]
    story_suggest.unreject_passage(db, sid, "ana", FLOOD, END)
    assert story_suggest.rejected_passages(db, sid) == []
