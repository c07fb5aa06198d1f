"""Fast rule-based paragraphs, sentences and speaker turns over stored text.

These are the defaults every import runs (regular expressions, C speed): paragraphs are the
blocks between blank lines, sentences end at ``. ! ? …`` before whitespace and a capital,
digit or quote. A full spaCy pipeline can replace the sentence splitter (see ``qualcode.nlp``);
offsets stay code points either way.
"""

from __future__ import annotations

import re

_PARA = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")
_SENT_END = re.compile(r"""(?<=[.!?…])(?P<close>["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9À-ÖØ-Þ])""")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|vs|etc|e\.g|i\.e|approx)|\b[A-HJ-Z])\.$")  # initials, but not the pronoun "I."
_STAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
# ``Label:`` at the start of a paragraph, optionally after a timestamp (``[00:12:03] Name:``)
# or with one before the colon (``Name (00:12:03):``). The label is one to four words, each
# starting with a capital or a digit (checked in Python: ``re`` has no Unicode classes).
# Applied with .match() at a paragraph start, which is already past any indentation; a ``^``
# here would only match at a line start and so miss indented speaker labels.
_TURN = re.compile(
    rf"""(?:[\[(]?{_STAMP}[\])]?[ \t]*)?"""
    rf"""(?P<label>[^\W\d_][\w.'’\-]*(?:[ \t][^\W_][\w.'’\-]*){{0,3}})"""
    rf"""(?:[ \t]*[\[(]{_STAMP}[\])])?[ \t]*:(?:[ \t]+|$)""",
    re.MULTILINE,
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks of non-blank lines, trimmed of surrounding whitespace."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.span()
        chunk = m.group()
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        if e > s:
            out.append((s, e))
    return out


def sentences(text: str, paras: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentences inside paragraphs; a sentence never crosses a paragraph boundary."""
    out = []
    for ps, pe in paras if paras is not None else paragraphs(text):
        start = ps
        for m in _SENT_END.finditer(text, ps, pe):
            stop = m.end("close")
            if _ABBREV.search(text, max(start, stop - 8), m.start()):
                continue  # "Dr. Lee", "J. Brunsvik": not a sentence end
            if stop > start:
                out.append((start, stop))
            start = m.end()
        if pe > start:
            out.append((start, pe))
    return out


def _is_label(label: str) -> bool:
    return all(w[0].isupper() or w[0].isdigit() for w in label.split())


def leading_label(line: str) -> tuple[str, int] | None:
    """(label, where the speech starts) when ``line`` opens with a speaker label, else None.
    For importers whose formats carry one utterance per line, such as subtitle cues."""
    m = _TURN.match(line, len(line) - len(line.lstrip(" \t")))
    if m is None or not _is_label(m.group("label")):
        return None
    return m.group("label"), m.end()


def speaker_turns(text: str, paras: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) for each paragraph that opens with ``Label:`` (``Name:``,
    ``Q:``/``A:``, ``Interviewer:``, ``[00:12:03] Name:``); a turn runs until the next
    labelled paragraph, so unlabelled continuation paragraphs stay with their speaker.

    Many transcripts put turns on consecutive lines with no blank line between them. Inside a
    paragraph whose first line is labelled (a dialogue block), every labelled line starts a
    turn too; a paragraph that does not open with a label (a header with ``Date: ...`` lines)
    is never split this way."""
    marks = []
    for ps, pe in paras if paras is not None else paragraphs(text):
        m = _TURN.match(text, ps, pe)
        if not (m and _is_label(m.group("label"))):
            continue
        marks.append((ps, m.group("label")))
        line = text.find("\n", ps, pe)
        while line != -1:
            m = _TURN.match(text, line + 1, pe)
            if m and _is_label(m.group("label")):
                marks.append((line + 1, m.group("label")))
            line = text.find("\n", line + 1, pe)
    turns = []
    ends = [s for s, _ in marks[1:]] + [len(text)]
    for (start, label), nxt in zip(marks, ends):
        end = len(text[start:nxt].rstrip()) + start
        turns.append((start, end, label))
    return turns
