"""qualcode.services.story_suggest on the sample: a telling the project forgets is found again
among the top candidates; known tellings and rejected passages are never suggested; nothing is
written until the researcher accepts."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import documents, stories, story_suggest

from ._helpers import checksum


def overlaps(s, document_id, start, end, db) -> bool:
    return documents.document_id(db, s.document) == document_id and s.start < end and start < s.end


@pytest.mark.parametrize("story,document", [
    ("The Halden flood", "10_wilk"),
    ("The Halden flood", "08_brandt"),
    ("Varga's cells", "12_mayer"),
    ("The container at Hamburg", "09_corvin"),
])
def test_a_forgotten_telling_is_found_again(sample_project, story, document):
    doc_id = documents.document_id(sample_project, document)
    held_out = next(t for t in stories.tellings(sample_project, story) if t.document_id == doc_id)
    stories.delete_telling(sample_project, held_out.id)
    before = checksum(sample_project)
    found = story_suggest.suggest(sample_project, story, top=3)
    assert checksum(sample_project) == before  # suggesting writes nothing
    assert any(overlaps(s, doc_id, held_out.start, held_out.end, sample_project) for s in found), found
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_known_tellings_and_rejected_passages_are_skipped(sample_project):
    story = "The container at Hamburg"
    known = stories.tellings(sample_project, story)
    first = story_suggest.suggest(sample_project, story, top=5)
    for s in first:
        assert not any(overlaps(s, t.document_id, t.start, t.end, sample_project) for t in known)
        assert s.text == documents.document_text(sample_project, s.document)[s.start:s.end]
    for a in first:  # suggestions never overlap each other
        assert not any(a is not b and a.document == b.document and a.start < b.end and b.start < a.end
                       for b in first)
    top = first[0]
    story_suggest.reject_passage(sample_project, story, top.document, top.start, top.end)
    again = story_suggest.suggest(sample_project, story, top=5)
    assert not any(s.document == top.document and s.start < top.end and top.start < s.end for s in again)
    story_suggest.unreject_passage(sample_project, story, top.document, top.start, top.end)
    assert story_suggest.suggest(sample_project, story, top=5)[0] == top


def test_accepting_is_telling(sample_project):
    story = "The container at Hamburg"
    top = story_suggest.suggest(sample_project, story, top=1)[0]
    tid = stories.tell(sample_project, story, top.document, top.start, top.end, "Kasimir Lenz", "hearsay")
    assert stories.get_telling(sample_project, tid).start == top.start
    assert all(s.start != top.start for s in story_suggest.suggest(sample_project, story, top=5))


def test_bad_requests(sample_project, empty_project):
    with pytest.raises(InvalidInput, match="--top"):
        story_suggest.suggest(sample_project, "The Halden flood", top=0)
    with pytest.raises(NotFound):
        story_suggest.suggest(sample_project, "No such story")
    sid = stories.add_story(empty_project, "Alone")
    assert story_suggest.suggest(empty_project, sid) == []  # no documents at all
