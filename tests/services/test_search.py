"""Full-text search: exact offsets and context, the query language, and the index kept in step."""

from __future__ import annotations

import re

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import documents
from qualcode.services.search import SearchHit, fts_query, search

from ._helpers import add_document

ALPHA = ("Interviewer: Tell me about the wool.\n\n"
         "Halden: Merino wool from Kessler Yarns 😀 costs more. The Wool-price rose; woollen goods sold.\n\n"
         "Interviewer: And the café?\n")
BETA = "Varga: Our café sells wool socks. Café owners in Brenmoor buy wool too.\n"


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "beta", BETA)
    add_document(empty_project, tmp_path, "alpha", ALPHA)
    return empty_project


def expected(name: str, text: str, pattern: str) -> list[SearchHit]:
    """Hits computed with a plain regular expression over the text, as the contract describes."""
    out = []
    for m in re.finditer(pattern, text):
        s, e = m.span()
        out.append((name, s, e, text[max(0, s - 60):e + 60].replace("\n", " ")))
    return out


def plain(hits):
    return [(h.document, h.start, h.end, h.context) for h in hits]


def test_word_hits_in_document_order_with_context(db):
    hits = search(db, "wool")
    want = expected("alpha", ALPHA, r"(?i)\bwool\b") + expected("beta", BETA, r"(?i)\bwool\b")
    assert plain(hits) == want
    assert len(hits) == 5  # "Wool-price" counts (the tokenizer splits at the hyphen), "woollen" does not
    assert {h.document_id for h in hits} == {documents.document_id(db, "alpha"), documents.document_id(db, "beta")}
    # offsets are code points: the emoji before "Wool-price" counts as one
    first_after_emoji = next(h for h in hits if h.start > ALPHA.index("😀"))
    assert ALPHA[first_after_emoji.start:first_after_emoji.end] == "Wool"
    for h in hits:
        left = h.start - max(0, h.start - 60)
        assert h.context[left:left + h.end - h.start].lower() == "wool"


def test_accents_and_case_are_ignored(db):
    assert plain(search(db, "CAFE")) == expected("alpha", ALPHA, "café") + expected("beta", BETA, "(?i)café")


def test_phrase_prefix_and_or(db):
    assert plain(search(db, '"merino wool"')) == expected("alpha", ALPHA, "Merino wool")
    assert plain(search(db, "wool*")) == expected("alpha", ALPHA, r"(?i)\bwool\w*") + expected(
        "beta", BETA, r"(?i)\bwool\w*")
    assert plain(search(db, "Kessler OR Brenmoor")) == expected("alpha", ALPHA, "Kessler") + expected(
        "beta", BETA, "Brenmoor")
    # two words: paragraphs holding both; every occurrence of either is a hit
    assert plain(search(db, "socks owners")) == expected("beta", BETA, "socks|owners")
    assert search(db, "wool nowhere-to-be-found") == []


def test_limit(db):
    assert plain(search(db, "wool", limit=2)) == plain(search(db, "wool"))[:2]


@pytest.mark.parametrize("query", ['"', 'wool"', "NEAR(", "AND OR NOT", "col:wool", "^wool", "wo*ol", "(wool", "-wool",
                                   "wool )"])
def test_fts_syntax_never_escapes(db, query):
    """Whatever is typed is quoted: no FTS5 syntax error reaches the user."""
    search(db, query)


def test_fts_query_quoting():
    assert fts_query('wool "merino wool" pre* OR x') == '"wool" "merino wool" "pre"* OR "x"'
    assert fts_query('a"b OR OR') == '"a""b"'
    with pytest.raises(InvalidInput, match="nothing to search for"):
        fts_query("   ")
    with pytest.raises(InvalidInput, match="nothing to search for"):
        fts_query('"" * OR')


def test_index_follows_deletions(db):
    """The triggers of migration 3 take a deleted document out of the index."""
    doc_id = documents.document_id(db, "beta")
    with db.transaction() as conn:
        conn.execute("DELETE FROM document WHERE id = ?", (doc_id,))
    assert {h.document for h in search(db, "wool")} == {"alpha"}
    db.conn.execute("INSERT INTO text_fts(text_fts, rank) VALUES ('integrity-check', 1)")


def test_a_paragraph_holding_a_marker_character_gives_no_wrong_offsets(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "odd", "Odd \ue000 mark then wool.\n\nPlain wool here.\n")
    text = documents.document_text(empty_project, "odd")
    assert [(h.start, h.end) for h in search(empty_project, "wool")] == [(text.rindex("wool"), text.rindex("wool") + 4)]


def test_limit_must_be_positive(db):
    with pytest.raises(InvalidInput, match="at least 1"):
        search(db, "wool", limit=0)
