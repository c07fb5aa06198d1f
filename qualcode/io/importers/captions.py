"""What WebVTT and SubRip captions have in common: cues, their timing, their speaker, and the
transcript text made from them.

Each cue becomes a paragraph that starts with its start time, ``[00:01:02.500]``, so a
coder can find the moment in the recording. A speaker's label is written once, on the first
cue of their turn (``[00:01:02.500] Anna: ...``); the following cues of the same speaker
continue the turn. Turns are returned exactly as the captions mark them, not re-guessed
from the text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ...core import text as textcore
from ...core.segmentation import leading_label
from ...errors import InvalidInput
from . import Imported

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAG = re.compile(r"<[^>]*>")
_ASS = re.compile(r"\{\\[^}]*\}")  # {\an8} positioning codes some SRT files carry
_BLOCKS = re.compile(r"\n[ \t]*\n")
_DASH = re.compile(r"^(?:-|>>)[ \t]*")  # "- NAME:" and ">> NAME:" as broadcast captions write them


@dataclass(frozen=True)
class Cue:
    start: str  # hh:mm:ss.mmm
    speaker: str | None
    text: str


def timestamp(groups: tuple) -> str:
    """``hh:mm:ss.mmm`` from the four groups of one :data:`_TIME` match."""
    h, m, s, ms = groups
    return f"{int(h or 0):02d}:{int(m):02d}:{int(s):02d}.{ms.ljust(3, '0')}"


def blocks(data: bytes, name: str) -> tuple[list[list[str]], str]:
    """The file's blank-line-separated blocks, as lists of lines, and its encoding."""
    raw, encoding = textcore.decode(data, name)
    text = textcore.normalise(raw, name)
    return [b.split("\n") for b in _BLOCKS.split(text.strip()) if b.strip()], encoding


def clean(payload: str) -> str:
    """Caption markup out, entities decoded, wrapped lines joined."""
    return " ".join(html.unescape(_ASS.sub("", _TAG.sub("", payload))).split())


def labelled(text: str) -> tuple[str | None, str]:
    """(speaker, speech) for cue text that opens with ``NAME:``; (None, text) otherwise."""
    body = _DASH.sub("", text)
    found = leading_label(body)
    if found is None:
        return None, text
    return found[0], body[found[1]:].strip()


def transcript(cues: list[Cue], name: str, fmt: str, encoding: str) -> Imported:
    """The stored text and its turns. The cue texts are NFC already and every line starts
    with an ASCII ``[``, so joining them keeps the text NFC and the offsets exact."""
    parts: list[str] = []
    turns: list[list] = []  # [start, end, label]
    pos = 0
    current = None
    for cue in cues:
        if not cue.text:
            continue
        starts_turn = cue.speaker is not None and cue.speaker != current
        line = f"[{cue.start}] " + (f"{cue.speaker}: " if starts_turn else "") + cue.text
        if parts:
            pos += 2  # the blank line between paragraphs
        if starts_turn:
            current = cue.speaker
            turns.append([pos, pos + len(line), cue.speaker])
        elif current is not None:
            turns[-1][1] = pos + len(line)
        parts.append(line)
        pos += len(line)
    if not parts:
        raise InvalidInput(f"{name} has no captions with text")
    return Imported("\n\n".join(parts), fmt, encoding, [(s, e, label) for s, e, label in turns])
