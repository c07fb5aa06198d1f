"""Replacing names by pseudonyms in exported text, and guessing names without a language model.

Replacement is one regular expression over all names, longest first, on whole words only:
"Tomas Halden" is replaced before "Halden" can be, "Halden's" becomes "P1's", and "Haldenby"
is left alone. The same name always gets the same pseudonym.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

_RUN = re.compile(r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)*")  # words joined by single spaces
_POSSESSIVE = re.compile(r"['’]s$")
# What precedes a sentence's first word; a period after a title ("Dr. Lee") ends no sentence.
_STARTS_SENTENCE = re.compile(r"(?:^|(?<!Dr)(?<!Mr)(?<!Mrs)(?<!Ms)(?<!Prof)(?<!St)[.!?…:;\"“”]|\n)\s*$")
_NOT_A_NAME = re.compile(r"^(?:I(?:['’]\w+)?|Dr|Mr|Mrs|Ms|Prof|St)$")  # capitalised everywhere


def replacer(mapping: dict[str, str]) -> Callable[[str], str]:
    """A function that replaces every original of ``mapping`` by its pseudonym."""
    table = {unicodedata.normalize("NFC", k): v for k, v in mapping.items() if k}
    if not table:
        return lambda text: text
    alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return lambda text: pattern.sub(lambda m: table[m.group()], text)


def capitalised_names(text: str) -> dict[str, int]:
    """Candidate names -> occurrences, for languages that capitalise names only (not German
    nouns): runs of capitalised words of which at least one occurrence is not at the start
    of a sentence, where capitals mean nothing. A run that opens a sentence also offers its
    tail ("Was Tomas Halden there?" offers "Tomas Halden"). Crude by design: this is what is
    offered without a model, for a person to review, never applied on its own."""
    counts: dict[str, int] = {}
    mid_sentence: set[str] = set()

    def count(words: list[str], mid: bool) -> None:
        name = _POSSESSIVE.sub("", " ".join(words))
        if len(name) > 1 and not _NOT_A_NAME.match(name):
            counts[name] = counts.get(name, 0) + 1
            if mid:
                mid_sentence.add(name)

    for m in _RUN.finditer(text):
        words = m.group().split(" ")
        i = 0
        while i < len(words):
            if not words[i][0].isupper():
                i += 1
                continue
            j = i + 1
            while j < len(words) and words[j][0].isupper():
                j += 1
            if i == 0 and _STARTS_SENTENCE.search(text, max(0, m.start() - 6), m.start()):
                count(words[:j], False)
                if j > 1:
                    count(words[1:j], True)
            else:
                count(words[i:j], True)
            i = j
    return {n: c for n, c in counts.items() if n in mid_sentence}
