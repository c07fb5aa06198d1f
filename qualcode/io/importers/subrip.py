"""SubRip captions (.srt): numbered cues with ``00:01:02,500 --> ...`` timings.

SubRip has no speaker markup; transcription services write ``NAME:`` (sometimes after
``-`` or ``>>``) at the start of a cue when the speaker changes, and that is what is
recognised. Font and positioning markup is dropped. See :mod:`.captions` for the text that
results.
"""

from __future__ import annotations

import re

from ...errors import InvalidInput
from . import Imported, Importer, captions

WHAT = "SubRip caption file"
_HEAD = re.compile(rb"^\s*\d+\s*\r?\n" + captions.TIMING.pattern[1:].encode("ascii"))


def sniff(data: bytes) -> bool:
    return bool(_HEAD.match(data.lstrip(b"\xef\xbb\xbf")[:200]))


def read(data: bytes, name: str) -> Imported:
    blocks, encoding = captions.blocks(data, name)
    cues: list[captions.Cue] = []
    for lines in blocks:
        at = next((i for i, line in enumerate(lines[:2]) if captions.TIMING.match(line)), None)
        if at is None:
            continue
        start = captions.timestamp(captions.TIMING.match(lines[at]).groups()[:4])
        speaker, text = captions.labelled(captions.clean("\n".join(lines[at + 1:])))
        cues.append(captions.Cue(start, speaker, text))
    if not cues:
        raise InvalidInput(f"{name} is not a SubRip file (no cue timings such as 00:00:01,000 --> 00:00:02,000)")
    return captions.transcript(cues, name, "srt", encoding)


IMPORTER = Importer("srt", WHAT, (".srt",), sniff, read)
