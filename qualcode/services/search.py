"""Searching the transcripts: keyword in context over the full-text index.

The query language is deliberately small, so that no input can be an FTS5 syntax error:
words (all must occur in the paragraph; accents and case are ignored), ``"a phrase"``,
``word*`` for a prefix, and ``OR`` between two of those. Everything the user types is
quoted before it reaches FTS5. Each hit is one matched word or phrase, with its exact
code-point offsets in the document and about 60 characters of context on each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidInput
from ..store import documents as doc_store, search as search_store
from ..store.database import Database

CONTEXT = 60
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_FLAT = str.maketrans("\n\t\r", "   ")


@dataclass(frozen=True)
class SearchHit:
    """One match. ``context`` is ``text[max(0, start - 60):end + 60]`` with line breaks and
    tabs shown as spaces (one for one), so the match sits at ``start - max(0, start - 60)``
    inside it."""

    document: str
    document_id: int
    start: int
    end: int
    context: str


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(query: str) -> str:
    """The user's query as FTS5 syntax in which every term is a quoted string."""
    parts: list[str] = []
    for m in _TOKEN.finditer(query):
        phrase, word = m.groups()
        if phrase is not None:
            if phrase.strip():
                parts.append(_quote(phrase))
        elif word == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
        elif word.endswith("*") and word.strip("*"):
            parts.append(_quote(word.rstrip("*")) + "*")
        elif word.strip("*"):
            parts.append(_quote(word))
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        raise InvalidInput("nothing to search for: give one or more words")
    return " ".join(parts)


def _spans(marked: str) -> list[tuple[int, int, str]]:
    """(start, end, matched text) of each marked match, offsets within the unmarked paragraph."""
    out, removed, pos = [], 0, 0
    while (i := marked.find(search_store.OPEN, pos)) >= 0:
        j = marked.find(search_store.CLOSE, i)
        if j < 0:
            break
        out.append((i - removed, j - removed - 1, marked[i + 1:j]))
        removed += 2
        pos = j + 1
    return out


def search(db: Database, query: str, limit: int = 500) -> list[SearchHit]:
    """Matches of ``query`` in document-name and text order, at most ``limit`` of them."""
    if limit < 1:
        raise InvalidInput(f"the number of matches to show must be at least 1, not {limit}")
    fts = fts_query(query)
    paragraphs = search_store.matching_paragraphs(db.conn, fts)
    where = {pid: (name, doc_id, start) for pid, name, doc_id, start in paragraphs}
    texts: dict[int, str] = {}
    hits: list[SearchHit] = []
    for pid, marked in search_store.marked(db.conn, fts, [p[0] for p in paragraphs]):
        name, doc_id, offset = where[pid]
        if doc_id not in texts:
            texts[doc_id] = doc_store.text(db.conn, doc_id)
        text = texts[doc_id]
        for s, e, matched in _spans(marked):
            start, end = offset + s, offset + e
            if start >= end or text[start:end] != matched:
                continue  # the paragraph itself holds a marker character: offsets unknowable
            left = max(0, start - CONTEXT)
            hits.append(SearchHit(name, doc_id, start, end, text[left:end + CONTEXT].translate(_FLAT)))
            if len(hits) >= limit:
                return hits
    return hits
