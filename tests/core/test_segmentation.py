"""Rule-based paragraphs, sentences and speaker turns: exact offsets, then the sample corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.core import segmentation as seg
from qualcode.core.text import decode, normalise

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_transcripts").glob("*.txt"))


def cut(text, spans):
    return [text[s:e] for s, e, *_ in spans]


# -- paragraphs --------------------------------------------------------------------------------

def test_paragraphs_are_blocks_between_blank_lines():
    text = "  First line\nsecond line  \n\n\n  \t \nThird\n\n\n"
    assert cut(text, seg.paragraphs(text)) == ["First line\nsecond line", "Third"]
    assert seg.paragraphs(text) == [(2, 24), (34, 39)]


def test_blank_lines_with_spaces_still_separate():
    text = "one\n   \ntwo\n\t\nthree"
    assert cut(text, seg.paragraphs(text)) == ["one", "two", "three"]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n  "])
def test_no_paragraphs_in_blank_text(text):
    assert seg.paragraphs(text) == []
    assert seg.sentences(text) == []
    assert seg.speaker_turns(text) == []


def test_paragraph_offsets_past_astral_characters():
    text = "😀 one\n\n𠀀 two 😀\n\nthree"
    assert cut(text, seg.paragraphs(text)) == ["😀 one", "𠀀 two 😀", "three"]
    assert seg.paragraphs(text)[1] == (7, 14)


# -- sentences ---------------------------------------------------------------------------------

def test_sentences_split_at_end_punctuation():
    text = "Hello world. This is it! Really? Well… Then 1958 came. “Quoted,” he said. Done."
    assert cut(text, seg.sentences(text)) == [
        "Hello world.", "This is it!", "Really?", "Well…", "Then 1958 came.", "“Quoted,” he said.", "Done."]


def test_closing_quotes_stay_with_their_sentence():
    text = 'He said "Stop." Then he left. She wrote (see above.) Next one.'
    assert cut(text, seg.sentences(text)) == ['He said "Stop."', "Then he left.", "She wrote (see above.)", "Next one."]


def test_lowercase_after_a_period_does_not_split():
    text = "We paid approx. ten percent, i.e. too much. Next."
    assert cut(text, seg.sentences(text)) == ["We paid approx. ten percent, i.e. too much.", "Next."]


@pytest.mark.parametrize("text, expected", [
    ("We met Dr. Lee at the fair. He was kind.", ["We met Dr. Lee at the fair.", "He was kind."]),
    ("J. R. Brunsvik wrote it. Then he sold it.", ["J. R. Brunsvik wrote it.", "Then he sold it."]),
    ("Ask Mr. and Mrs. Smith. They know.", ["Ask Mr. and Mrs. Smith.", "They know."]),
    ("Prof. Okafor, St. Albans and Ms. Varga came. Fine.", ["Prof. Okafor, St. Albans and Ms. Varga came.", "Fine."]),
    ("It was the research team (R. Okafor). Next.", ["It was the research team (R. Okafor).", "Next."]),
])
def test_abbreviations_and_initials_do_not_end_sentences(text, expected):
    assert cut(text, seg.sentences(text)) == expected


def test_sentences_never_cross_paragraphs():
    text = "One line without stop\n\nTwo. Three\nstill three. Four."
    assert cut(text, seg.sentences(text)) == ["One line without stop", "Two.", "Three\nstill three.", "Four."]


def test_sentences_with_given_paragraphs_match_computed_ones():
    text = "A b. C d.\n\nE f! G?"
    assert seg.sentences(text, seg.paragraphs(text)) == seg.sentences(text)
    assert seg.sentences(text, []) == []


# -- speaker turns -----------------------------------------------------------------------------

INTERVIEW = (
    "Brenmoor study · wave 1 · interview 01\n"
    "Informant: Tomas Halden, owner\n"
    "Date: 2023-03-14 · Place: x\n"
    "Interviewer: research team (R. Okafor)\n"
    "\n"
    "Interviewer: Could you start? Tell me.\n"
    "\n"
    "Halden: Gladly. Dr. Lee helped.\n"
    "\n"
    "This paragraph continues Halden's answer.\n"
    "\n"
    "Interviewer: Thanks.\n"
)


def test_turns_labels_and_exact_spans():
    turns = seg.speaker_turns(INTERVIEW)
    assert [t[2] for t in turns] == ["Interviewer", "Halden", "Interviewer"]
    assert cut(INTERVIEW, turns) == [
        "Interviewer: Could you start? Tell me.",
        "Halden: Gladly. Dr. Lee helped.\n\nThis paragraph continues Halden's answer.",
        "Interviewer: Thanks.",
    ]


def test_header_lines_are_not_turns():
    turns = seg.speaker_turns(INTERVIEW)
    header_end = seg.paragraphs(INTERVIEW)[0][1]
    assert all(s >= header_end for s, _, _ in turns)
    assert "Informant" not in {t[2] for t in turns} and "Date" not in {t[2] for t in turns}


def test_q_and_a_turns():
    text = "Q: What happened?\n\nA: It broke. Then we left.\n\nQ: Why?\n\nA: Money."
    turns = seg.speaker_turns(text)
    assert [t[2] for t in turns] == ["Q", "A", "Q", "A"]
    assert cut(text, turns) == ["Q: What happened?", "A: It broke. Then we left.", "Q: Why?", "A: Money."]


@pytest.mark.parametrize("line, label", [
    ("[00:12:03] Anna Berg: I said so.", "Anna Berg"),
    ("[1:02:03] Dr. Lee: yes", "Dr. Lee"),
    ("(12:03) Halden: right", "Halden"),
    ("12:03:45.5 Interviewer: ok", "Interviewer"),
    ("[00:00:07,250] Q: first", "Q"),
    ("Anna Maria van Berg: long name", None),  # lowercase "van" breaks the label
    ("Anna Maria Berg: three words", "Anna Maria Berg"),
    ("Interviewer:\tafter a tab", "Interviewer"),
    ("Ångström Öz: unicode capitals", "Ångström Öz"),
])
def test_labelled_lines(line, label):
    text = "Header line without a label\n\n" + line + "\n"
    turns = seg.speaker_turns(text)
    if label is None:
        assert turns == []
    else:
        assert turns == [(29, 29 + len(line), label)]


@pytest.mark.parametrize("line", [
    "the end: not a turn",
    "Time:12 no space after the colon",
    "Note that: lowercase second word",
    "Interviewer - no colon",
    "…and then: what?",
])
def test_unlabelled_paragraphs_continue_the_previous_turn(line):
    text = f"Halden: First.\n\n{line}\n\nInterviewer: Next."
    turns = seg.speaker_turns(text)
    assert [t[2] for t in turns] == ["Halden", "Interviewer"]
    assert cut(text, turns)[0] == f"Halden: First.\n\n{line}"


def test_turns_on_consecutive_lines_of_a_dialogue_block_are_separate():
    """Many transcripts have no blank line between turns."""
    text = "Interviewer: one\nHalden: same paragraph\ncontinued\n\nHalden: new paragraph"
    turns = seg.speaker_turns(text)
    assert [t[2] for t in turns] == ["Interviewer", "Halden", "Halden"]
    assert cut(text, turns) == ["Interviewer: one", "Halden: same paragraph\ncontinued", "Halden: new paragraph"]


def test_labelled_lines_of_a_paragraph_that_opens_without_a_label_are_not_turns():
    text = "Interview 3, wave 1\nDate: 2023-03-14\nPlace: the office\n\nQ: Why?\nA: Because."
    assert [t[2] for t in seg.speaker_turns(text)] == ["Q", "A"]


@pytest.mark.parametrize("indent", ["  ", "\t", " \t "])
def test_indented_labels_are_turns(indent):
    """Word exports often indent speaker lines; the answer must not go to the interviewer."""
    text = f"Interviewer: Why?\n\n{indent}Halden: Because.\n\n{indent}[00:01:02] Interviewer: Ok."
    turns = seg.speaker_turns(text)
    assert [t[2] for t in turns] == ["Interviewer", "Halden", "Interviewer"]
    assert cut(text, turns) == ["Interviewer: Why?", "Halden: Because.", "[00:01:02] Interviewer: Ok."]


def test_turns_skip_trailing_whitespace_and_cover_to_the_end():
    text = "Halden: one\n\nmore of it   \n\n\n"
    assert seg.speaker_turns(text) == [(0, 23, "Halden")]
    assert text[0:23].endswith("more of it")


# -- the sample transcripts --------------------------------------------------------------------

def load(path: Path) -> str:
    return normalise(decode(path.read_bytes(), path.name)[0], path.name)


def test_there_are_sample_transcripts():
    assert len(SAMPLES) == 12


def _assert_ordered_inside(spans, text):
    prev_end = 0
    for s, e in spans:
        assert 0 <= prev_end <= s < e <= len(text)
        prev_end = e


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_segmentation_invariants_on_samples(path):
    text = load(path)
    surname = path.stem.split("_", 1)[1].capitalize()
    paras = seg.paragraphs(text)
    sents = seg.sentences(text, paras)
    turns = seg.speaker_turns(text)

    # Paragraphs: inside the text, sorted, disjoint, trimmed, separated by a blank line.
    assert len(paras) > 10
    _assert_ordered_inside(paras, text)
    for s, e in paras:
        assert not text[s].isspace() and not text[e - 1].isspace()
    for (_, e1), (s2, _) in zip(paras, paras[1:]):
        assert text[e1:s2].strip() == "" and text[e1:s2].count("\n") >= 2

    # Sentences: inside one paragraph each, sorted, disjoint, tiling the paragraph.
    _assert_ordered_inside(sents, text)
    by_para = {p: [] for p in paras}
    for s, e in sents:
        owner = [p for p in paras if p[0] <= s and e <= p[1]]
        assert len(owner) == 1, f"sentence {text[s:e]!r} is not inside exactly one paragraph"
        by_para[owner[0]].append((s, e))
    for (ps, pe), inside in by_para.items():
        assert inside[0][0] == ps and inside[-1][1] == pe
        for (_, e1), (s2, _) in zip(inside, inside[1:]):
            assert text[e1:s2].strip() == ""
    for s, e in sents:
        assert not re.search(r"\b(?:Dr|Mr|Mrs|Ms|Prof)\.$", text[s:e]), text[s:e]
    assert len(sents) > len(paras)

    # Turns: only the interviewer and this informant speak; all but the header are in a turn.
    _assert_ordered_inside([(s, e) for s, e, _ in turns], text)
    labels = [label for _, _, label in turns]
    assert set(labels) == {"Interviewer", surname}
    para_starts = {s for s, _ in paras}
    para_ends = {e for _, e in paras}
    for s, e, label in turns:
        assert s in para_starts and e in para_ends
        assert text[s:e].startswith(label + ": ")
    header = paras[0]
    assert all(s >= header[1] for s, _, _ in turns), "the header paragraph holds no turn"
    for ps, pe in paras[1:]:
        assert any(s <= ps and pe <= e for s, e, _ in turns), f"paragraph {text[ps:pe][:40]!r} has no speaker"
    assert turns[-1][1] == len(text.rstrip())
    # Turns alternate in these interviews.
    assert all(a != b for a, b in zip(labels, labels[1:]))
    assert labels[0] == "Interviewer"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_header_of_samples(path):
    text = load(path)
    header_start, header_end = seg.paragraphs(text)[0]
    header = text[header_start:header_end]
    assert "\nInformant: " in header and "\nDate: " in header
    first_turn = seg.speaker_turns(text)[0]
    assert first_turn[0] > header_end
