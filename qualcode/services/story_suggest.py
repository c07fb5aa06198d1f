"""Candidate passages for a story: where else in the project might it be told?

Okapi BM25 over short runs of the stored sentences (windows of a few consecutive sentences
inside one document). The query is what the project already knows of the story — its title,
summary, element labels and variants, and the text of its recorded tellings — reduced to its
most distinctive terms. Passages that overlap a telling of the story, or that the researcher
rejected before, are skipped; the best non-overlapping windows are returned, ranked.

Suggesting writes nothing: a suggestion becomes a telling only when the researcher accepts it
(:func:`qualcode.services.stories.tell`), and is hidden for good when rejected
(:func:`reject_passage`, one transaction with its audit row; :func:`unreject_passage` undoes it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..core import spans
from ..errors import InvalidInput
from ..store import audit, documents as doc_store, stories as store
from ..store.database import Database
from .stories import resolve_document, story_id

WORD = re.compile(r"[^\W\d_]{3,}")  # words of three letters or more, any script
WINDOW = 4  # sentences per candidate passage
QUERY_TERMS = 80  # the most distinctive terms of what is known about the story
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Suggestion:
    document: str
    start: int
    end: int
    score: float  # BM25, comparable within one call only
    text: str

    def as_dict(self) -> dict:
        return {"document": self.document, "start": self.start, "end": self.end, "score": round(self.score, 3),
                "text": self.text}


def _terms(text: str) -> list[str]:
    return [m.casefold() for m in WORD.findall(text)]


def _query(db: Database, sid: int, texts: dict[int, str]) -> Counter:
    conn = db.conn
    story = store.get_story(conn, sid)
    parts = [story.title, story.summary or ""]
    parts += [e.label for e in store.elements(conn, sid)]
    parts += [r.variant for r in store.realizations(conn, sid) if r.variant]
    parts += [texts[t.document_id][t.start:t.end] for t in store.tellings(conn, sid)]
    return Counter(_terms("\n".join(parts)))


@dataclass
class _Corpus:
    """Every sentence of every document, in document order, as flat numpy arrays."""

    doc: np.ndarray  # document index of each sentence
    start: np.ndarray
    end: np.ndarray
    token_sentence: np.ndarray  # sentence index of each token
    token_term: np.ndarray  # query-term index of each token, -1 for other words
    tokens_per_sentence: np.ndarray
    names: list[str]
    ids: list[int]


def _corpus(db: Database, texts: dict[int, str], vocabulary: dict[str, int]) -> _Corpus:
    conn = db.conn
    names = {i: name for name, (i, _) in doc_store.names_and_lengths(conn).items()}
    ids = sorted(texts)
    doc, start, end, tok_sent, tok_term = [], [], [], [], []
    offset = 0
    for d, doc_id in enumerate(ids):
        sentences = doc_store.segments(conn, doc_id, "sentence")
        if not sentences:
            continue
        starts = np.fromiter((s for s, _ in sentences), dtype=np.int64, count=len(sentences))
        text = texts[doc_id]
        found = [(m.start(), vocabulary.get(m.group().casefold(), -1)) for m in WORD.finditer(text)]
        positions = np.fromiter((p for p, _ in found), dtype=np.int64, count=len(found))
        tok_sent.append(np.searchsorted(starts, positions, side="right") - 1 + offset)
        tok_term.append(np.fromiter((t for _, t in found), dtype=np.int64, count=len(found)))
        doc.append(np.full(len(sentences), d, dtype=np.int64))
        start.append(starts)
        end.append(np.fromiter((e for _, e in sentences), dtype=np.int64, count=len(sentences)))
        offset += len(sentences)
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    token_sentence = cat(tok_sent)
    keep = token_sentence >= 0  # words before the first sentence (none in practice)
    token_sentence, token_term = token_sentence[keep], cat(tok_term)[keep]
    return _Corpus(cat(doc), cat(start), cat(end), token_sentence, token_term,
                   np.bincount(token_sentence, minlength=offset), [names[i] for i in ids], ids)


def _excluded(db: Database, sid: int, c: _Corpus, w_start: np.ndarray, w_end: np.ndarray) -> np.ndarray:
    """Windows overlapping a telling of the story or a passage rejected for it."""
    spans = [(t.document_id, t.start, t.end) for t in store.tellings(db.conn, sid)]
    spans += store.rejected_passages(db.conn, sid)
    index = {doc_id: d for d, doc_id in enumerate(c.ids)}
    out = np.zeros(len(w_start), dtype=bool)
    for doc_id, s, e in spans:
        out |= (c.doc == index.get(doc_id, -1)) & (w_start < e) & (s < w_end)
    return out


def suggest(db: Database, story: int | str, top: int = 10, window: int = WINDOW) -> list[Suggestion]:
    """The ``top`` passages most like what is known of the story, best first."""
    if not isinstance(top, int) or top < 1:
        raise InvalidInput(f"--top takes a whole number from 1, got {top!r}")
    sid = story_id(db, story)
    conn = db.conn
    texts = doc_store.texts(conn, [i for i, _ in doc_store.names_and_lengths(conn).values()])
    query = _query(db, sid, texts)
    if not query or not texts:
        return []
    candidates = sorted(query)
    c = _corpus(db, texts, {t: i for i, t in enumerate(candidates)})
    n = len(c.start)
    if n == 0:
        return []
    hits = c.token_term >= 0
    pairs = np.unique(c.token_sentence[hits] * len(candidates) + c.token_term[hits])
    df = np.bincount(pairs % len(candidates), minlength=len(candidates))
    idf = np.log((n - df + 0.5) / (df + 0.5) + 1.0)
    weight = np.array([idf[i] * (1 + math.log(query[t])) for i, t in enumerate(candidates)])
    chosen = np.argsort(-weight, kind="stable")[:QUERY_TERMS]
    chosen = chosen[df[chosen] > 0]
    remap = np.full(len(candidates), -1, dtype=np.int64)
    remap[chosen] = np.arange(len(chosen))
    term = remap[np.where(hits, c.token_term, 0)]
    use = hits & (term >= 0)
    counts = np.zeros((n + 1, len(chosen)), dtype=np.float32)
    np.add.at(counts, (c.token_sentence[use] + 1, term[use]), 1.0)
    cum = np.cumsum(counts, axis=0)
    cum_len = np.concatenate([[0], np.cumsum(c.tokens_per_sentence)])
    # A window runs from sentence i over `window` sentences, never past its document's end.
    doc_end = np.searchsorted(c.doc, c.doc, side="right")
    last = np.minimum(np.arange(n) + window, doc_end)
    tf = cum[last] - cum[:n]
    length = (cum_len[last] - cum_len[:n]).astype(np.float64)
    norm = K1 * (1 - B + B * length / max(length.mean(), 1.0))
    score = ((tf * (K1 + 1)) / (tf + norm[:, None]) * weight[chosen]).sum(axis=1)
    score[_excluded(db, sid, c, c.start, c.end[last - 1])] = -np.inf
    # Best windows first; one that overlaps a pick is dropped, one that touches a pick extends
    # it (a telling usually runs longer than one window).
    picks: list[list] = []  # [document index, first sentence, last sentence + 1, score]
    for i in np.argsort(-score, kind="stable"):
        if len(picks) >= top or not score[i] > 0:
            break
        d, first, stop = int(c.doc[i]), int(i), int(last[i])
        same = [p for p in picks if p[0] == d]
        if any(first < p[2] and p[1] < stop for p in same):
            continue
        touching = next((p for p in same if p[2] == first or stop == p[1]), None)
        if touching is not None:
            touching[1], touching[2] = min(touching[1], first), max(touching[2], stop)
        else:
            picks.append([d, first, stop, float(score[i])])
    out = []
    for d, first, stop, best in picks:
        s, e = int(c.start[first]), int(c.end[stop - 1])
        out.append(Suggestion(c.names[d], s, e, best, texts[c.ids[d]][s:e]))
    return out


# -- rejected passages ----------------------------------------------------------------------------

def reject_passage(db: Database, story: int | str, document: int | str, start: int, end: int) -> bool:
    """Mark a suggested passage as not a telling of the story, so suggestions skip it. Returns
    False when it was already rejected (nothing changes then)."""
    sid = story_id(db, story)
    doc_id, doc_name, length = resolve_document(db.conn, document)
    spans.validate(start, end, length, f"document {doc_name!r}")
    with db.transaction() as tx:
        added = store.reject_passage(tx, sid, doc_id, start, end)
        if added:
            audit.record(tx, "story.passage.reject", story=sid, document=doc_id, start=start, end=end)
    return added


def unreject_passage(db: Database, story: int | str, document: int | str, start: int, end: int) -> None:
    sid = story_id(db, story)
    doc_id, _, _ = resolve_document(db.conn, document)
    with db.transaction() as tx:
        store.unreject_passage(tx, sid, doc_id, start, end)
        audit.record(tx, "story.passage.unreject", story=sid, document=doc_id, start=start, end=end)


def rejected_passages(db: Database, story: int | str) -> list[tuple[int, int, int]]:
    return store.rejected_passages(db.conn, story_id(db, story))
