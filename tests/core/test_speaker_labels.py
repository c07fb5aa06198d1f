"""Speaker-label conventions beyond the basics of test_segmentation: other alphabets, a
timestamp before the colon, and labels at the start of a single line (caption cues)."""

from __future__ import annotations

import pytest

from qualcode.core import segmentation as seg


@pytest.mark.parametrize("line, label", [
    ("Ömer Yılmaz: merhaba", "Ömer Yılmaz"),
    ("Łukasz: dzień dobry", "Łukasz"),
    ("Интервьюер: Как дела?", "Интервьюер"),
    ("Halden (00:12:03): then we grew", "Halden"),
    ("Anna [1:02:03.5]: yes", "Anna"),
    ("[00:12:03] Respondent: fine", "Respondent"),
    ("P1: first participant", "P1"),
    ("ömer: lower-case start", None),
    ("Interviewer (later): not a timestamp", None),
])
def test_label_conventions(line, label):
    text = f"Intro without a label\n\n{line}\n"
    turns = seg.speaker_turns(text)
    assert turns == ([] if label is None else [(23, 23 + len(line), label)])


@pytest.mark.parametrize("line, label, speech", [
    ("INTERVIEWER: How did it start?", "INTERVIEWER", "How did it start?"),
    ("  Anna Berg: hi", "Anna Berg", "hi"),
    ("[00:00:01.000] Bob: yes", "Bob", "yes"),
    ("Q:", "Q", ""),
    ("no label: here", None, None),
    ("Time:12 no space", None, None),
])
def test_leading_label(line, label, speech):
    found = seg.leading_label(line)
    if label is None:
        assert found is None
    else:
        assert (found[0], line[found[1]:]) == (label, speech)


def test_given_paragraphs_give_the_same_turns():
    text = "Interviewer: Why?\n\nHalden: Because.\n\nmore\n\nInterviewer: Ok."
    assert seg.speaker_turns(text, seg.paragraphs(text)) == seg.speaker_turns(text)
