"""WebVTT captions (.vtt), as transcription services and video platforms export them.

Speakers come from voice spans (``<v Anna Berg>``; a cue may hold several) or, failing
those, from a ``NAME:`` at the start of the cue text. Notes, style and region blocks are
skipped; cue identifiers, cue settings and inline markup are dropped. See
:mod:`.captions` for the text that results.
"""

from __future__ import annotations

import re

from ...errors import InvalidInput
from . import Imported, Importer, captions

WHAT = "WebVTT caption file"
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_SKIP = ("NOTE", "STYLE", "REGION")


def sniff(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf")[:6] == b"WEBVTT"


def _cues(payload: str, start: str) -> list[captions.Cue]:
    voices = list(_VOICE.finditer(payload))
    if not voices:
        speaker, text = captions.labelled(captions.clean(payload))
        return [captions.Cue(start, speaker, text)]
    out = []
    lead = captions.clean(payload[:voices[0].start()])
    if lead:
        out.append(captions.Cue(start, None, lead))
    for m, nxt in zip(voices, voices[1:] + [None]):
        text = captions.clean(payload[m.end():nxt.start() if nxt else len(payload)])
        out.append(captions.Cue(start, " ".join(m.group(1).split()) or None, text))
    return out


def read(data: bytes, name: str) -> Imported:
    blocks, encoding = captions.blocks(data, name)
    if not blocks or not blocks[0][0].startswith("WEBVTT"):
        raise InvalidInput(f"{name} is not a WebVTT file (its first line must be WEBVTT)")
    cues: list[captions.Cue] = []
    for lines in blocks[1:]:
        if lines[0].startswith(_SKIP):
            continue
        at = next((i for i, line in enumerate(lines[:2]) if captions.TIMING.match(line)), None)
        if at is None:
            continue  # not a cue: VTT readers ignore such blocks too
        start = captions.timestamp(captions.TIMING.match(lines[at]).groups()[:4])
        cues += _cues("\n".join(lines[at + 1:]), start)
    return captions.transcript(cues, name, "vtt", encoding)


IMPORTER = Importer("vtt", WHAT, (".vtt",), sniff, read)
