"""Each importer on a fixture built here: the exact stored text, speaker turns and offsets."""

from __future__ import annotations

import codecs

import pytest

from qualcode.core import segmentation
from qualcode.io.importers import BY_SUFFIX, read_bytes, read_file

from ._fixtures import docx_bytes, labelled, odt_bytes, pdf_bytes


def spans(text, turns):
    return [(text[s:e], label) for s, e, label in turns]


# -- plain text and encodings ----------------------------------------------------------------------

TRANSCRIPT = "Interviewer: Where did it start?\r\n\r\nHalden: In 1958 — with four machines. Zoë helped.\r\n"
STORED = TRANSCRIPT.replace("\r\n", "\n")


@pytest.mark.parametrize("data, encoding", [
    (TRANSCRIPT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TRANSCRIPT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TRANSCRIPT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TRANSCRIPT.encode("utf-16-be"), "utf-16"),
    (TRANSCRIPT.encode("cp1252"), "cp1252"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252"])
def test_text_encodings(data, encoding):
    result = read_bytes(data, "t.txt")
    assert (result.text, result.encoding, result.format) == (STORED, encoding, "text")
    assert result.warnings == []
    assert result.speaker_turns() == [(0, 32, "Interviewer"), (34, len(STORED) - 1, "Halden")]
    assert result.speakers == {"Interviewer": 1, "Halden": 1}


def test_latin1_when_cp1252_cannot_decode():
    data = "Café \x81 owner: ok".encode("latin-1")  # 0x81 is not a cp1252 character
    result = read_bytes(data, "t.txt")
    assert (result.text, result.encoding) == ("Café \x81 owner: ok", "latin-1")


@pytest.mark.parametrize("text, codec", [
    ("Привет, как дела? Это тестовый текст на русском языке, записанный в Windows.", "cp1251"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy, řekl šťastný dědeček.", "cp1250"),
    ("Καλημέρα, πώς είστε; Αυτό είναι ένα ελληνικό κείμενο συνέντευξης.", "cp1253"),
])
def test_other_legacy_code_pages_are_detected(text, codec):
    """cp1252 decodes these bytes without error but to mojibake; the guesser knows better."""
    result = read_bytes(text.encode(codec), "t.txt")
    assert (result.text, result.encoding) == (text, codec)
    assert any("guessed" in w for w in result.warnings)


@pytest.mark.parametrize("text", [
    "Größe und Ärger über die Straße – „Zitat“ sagte Müller.",
    "¿Dónde está el niño? Mañana vamos a la montaña, señor.",
    "café",
])
def test_western_text_stays_cp1252(text):
    result = read_bytes(text.encode("cp1252"), "t.md")
    assert (result.text, result.encoding, result.warnings) == (text, "cp1252", [])


# -- Word -----------------------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_tables():
    def build(d):
        d.add_heading("Interview 3 — Halden", level=1)
        d.add_paragraph("Interviewer: How did it start?")
        p = d.add_paragraph("Halden: In 1958, with four ")
        p.add_run("machines").bold = True
        p.add_run(" 😀.")
        d.add_paragraph("   ")  # blank paragraphs are dropped
        t = d.add_table(rows=3, cols=2)  # a transcript laid out as a table
        for row, (who, said) in zip(t.rows, [("Interviewer:", "And then?"), ("Halden", "We grew."),
                                             ("Interviewer", "Why?")]):
            row.cells[0].text, row.cells[1].text = who, said
        data = d.add_table(rows=2, cols=3)  # an ordinary table
        for i, row in enumerate(data.rows):
            for j, cell in enumerate(row.cells):
                cell.text = f"r{i}  c{j}"
        d.add_paragraph("Closing note.")

    result = read_bytes(docx_bytes(build), "x.docx")
    blocks = ["Interview 3 — Halden", "Interviewer: How did it start?", "Halden: In 1958, with four machines 😀.",
              "Interviewer: And then?", "Halden: We grew.", "Interviewer: Why?",
              "r0 c0 | r0 c1 | r0 c2\nr1 c0 | r1 c1 | r1 c2", "Closing note."]
    assert result.text == "\n\n".join(blocks)
    assert result.format == "docx"
    starts = [result.text.index(b) for b in blocks]
    assert result.speaker_turns() == [
        (starts[1], starts[1] + len(blocks[1]), "Interviewer"),
        (starts[2], starts[2] + len(blocks[2]), "Halden"),
        (starts[3], starts[3] + len(blocks[3]), "Interviewer"),
        (starts[4], starts[4] + len(blocks[4]), "Halden"),
        (starts[5], len(result.text), "Interviewer"),  # the turn runs on over the last paragraphs
    ]
    assert segmentation.paragraphs(result.text) == [(s, s + len(b)) for s, b in zip(starts, blocks)]


def test_docx_merged_cells_count_once():
    def build(d):
        t = d.add_table(rows=1, cols=3)
        t.cell(0, 0).merge(t.cell(0, 1)).text = "merged"
        t.cell(0, 2).text = "right"

    assert read_bytes(docx_bytes(build), "m.docx").text == "merged | right"


# -- PDF -----------------------------------------------------------------------------------------

def test_pdf_pages_and_turns():
    pages = [["Interviewer: How did it start?", "Halden: In 1958 we had four", "machines in a garage."],
             ["Interviewer: Thanks (really)."]]
    result = read_bytes(pdf_bytes(pages), "x.pdf")
    # A blank line before every labelled line and between pages: turns become paragraphs.
    paragraphs = [pages[0][0], "\n".join(pages[0][1:]), pages[1][0]]
    assert result.text == "\n\n".join(paragraphs)
    assert result.format == "pdf" and result.warnings == []
    assert spans(result.text, result.speaker_turns()) == [(p, p.split(":")[0]) for p in paragraphs]


def test_pdf_with_some_pages_without_text_warns():
    result = read_bytes(pdf_bytes([["Page one words."], [], ["Page three words."]]), "x.pdf")
    assert result.text == "Page one words.\n\nPage three words."
    assert result.warnings == ["x.pdf: page(s) 2 have no text layer (scanned?) and were left out"]


# -- OpenDocument ---------------------------------------------------------------------------------

def test_odt_blocks_inline_markup_lists_and_tables():
    body = ('<text:h text:outline-level="1">Interview <text:span>four</text:span></text:h>'
            '<text:p>Interviewer: Hi<text:s text:c="3"/>there<text:note><text:note-citation>1</text:note-citation>'
            '<text:note-body><text:p>a footnote</text:p></text:note-body></text:note>.</text:p>'
            '<text:list><text:list-item><text:p>Lenz: first<text:tab/>item<text:line-break/>next line</text:p>'
            '</text:list-item></text:list>'
            '<text:section><text:p>Lenz: in a section &amp; more</text:p></text:section>'
            '<table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>'
            '<table:table-cell><text:p>b</text:p><text:p>b2</text:p></table:table-cell></table:table-row>'
            '<table:table-row><table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table>'
            '<text:p>   </text:p>')
    result = read_bytes(odt_bytes(body), "x.odt")
    blocks = ["Interview four", "Interviewer: Hi   there.", "Lenz: first\titem\nnext line", "Lenz: in a section & more",
              "a | b b2\nc"]
    assert result.text == "\n\n".join(blocks)
    assert result.format == "odt"
    s = [result.text.index(b) for b in blocks]
    assert result.speaker_turns() == [(s[1], s[1] + len(blocks[1]), "Interviewer"),
                                      (s[2], s[2] + len(blocks[2]), "Lenz"), (s[3], len(result.text), "Lenz")]


# -- HTML -----------------------------------------------------------------------------------------

def test_html_text_only():
    page = ('<!DOCTYPE html>\n<html><head><meta charset="windows-1252"><title>Not text</title>'
            '<style>p { color: red }</style><script>var s = "<p>Interviewer: no</p>";</script></head>'
            '<body><h1>Interview  “one”</h1>\n<p>Interviewer: Hello&nbsp;there, <b>how</b>\n   are you?</p>'
            '<p>Anna: Fine.<br>Second line &amp; more.</p><noscript>enable JS</noscript>'
            '<table><tr><th>who</th><td>what</td></tr><tr><td>x</td><td>y</td></tr></table>'
            '<pre>  keep\n   these  spaces</pre><ul><li>one</li><li>two <i>too</i></li></ul></body></html>')
    result = read_bytes(page.encode("cp1252"), "x.html")
    blocks = ["Interview “one”", "Interviewer: Hello there, how are you?", "Anna: Fine.\nSecond line & more.",
              "who | what\nx | y", "  keep\n   these  spaces", "one", "two too"]
    assert result.text == "\n\n".join(blocks)
    assert (result.format, result.encoding) == ("html", "cp1252")
    s = [result.text.index(b) for b in blocks]
    assert result.speaker_turns() == [(s[1], s[1] + len(blocks[1]), "Interviewer"), (s[2], len(result.text), "Anna")]


# -- captions -------------------------------------------------------------------------------------

VTT = """WEBVTT - an interview

NOTE exported by a transcription service

STYLE
::cue { color: yellow }

intro-1
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v Anna Berg>Hello there,
how <i>are</i> you?</v>

00:05.500 --> 00:00:07.000
<v Anna Berg>Still me &amp; you.

00:00:08.000 --> 00:00:09.000
<v.loud Bob>Hi!</v> <v Anna Berg>Bye, <c.yellow>Bob</c>.

1:00:10.250 --> 1:00:11.000
no voice, same speaker
"""


def test_vtt_cues_voices_and_timestamps():
    result = read_bytes(VTT.encode("utf-8"), "x.vtt")
    lines = ["[00:00:01.000] Anna Berg: Hello there, how are you?", "[00:00:05.500] Still me & you.",
             "[00:00:08.000] Bob: Hi!", "[00:00:08.000] Anna Berg: Bye, Bob.",
             "[01:00:10.250] no voice, same speaker"]
    assert result.text == "\n\n".join(lines)
    assert result.format == "vtt"
    s = [result.text.index(x) for x in lines]
    assert result.speaker_turns() == [(s[0], s[1] + len(lines[1]), "Anna Berg"),
                                      (s[2], s[2] + len(lines[2]), "Bob"), (s[3], len(result.text), "Anna Berg")]
    assert result.speakers == {"Anna Berg": 2, "Bob": 1}


SRT = """1
00:00:01,000 --> 00:00:04,000
INTERVIEWER: <i>How did</i>
it start?

2
00:00:04,500 --> 00:00:06,000
- HALDEN: With four machines.

3
00:00:06,500 --> 00:00:08,000
{\\an8}And a <font color="red">garage</font>.

4
00:00:09,000 --> 00:00:10,000
>> Interviewer: Thank you.
"""


def test_srt_cues_and_name_labels():
    result = read_bytes(SRT.encode("utf-8"), "x.srt")
    lines = ["[00:00:01.000] INTERVIEWER: How did it start?", "[00:00:04.500] HALDEN: With four machines.",
             "[00:00:06.500] And a garage.", "[00:00:09.000] Interviewer: Thank you."]
    assert result.text == "\n\n".join(lines)
    s = [result.text.index(x) for x in lines]
    assert result.speaker_turns() == [(s[0], s[0] + len(lines[0]), "INTERVIEWER"),
                                      (s[1], s[2] + len(lines[2]), "HALDEN"),
                                      (s[3], s[3] + len(lines[3]), "Interviewer")]


# -- choosing by content when the extension lies ------------------------------------------------

def test_content_wins_over_a_lying_extension():
    cases = [
        ("captions.txt", SRT.encode(), "srt", "SubRip"),
        ("captions.md", VTT.encode(), "vtt", "WebVTT"),
        ("report.docx", pdf_bytes([["Only text."]]), "pdf", "PDF"),
        ("scan.pdf", docx_bytes(lambda d: d.add_paragraph("From Word.")), "docx", "Word"),
        ("page.txt", b"<!doctype html><p>Interviewer: hi</p>", "html", "HTML"),
        ("notes.docx", "Interviewer: plain words.\n".encode(), "text", "plain text"),
    ]
    for name, data, fmt, what in cases:
        result = read_bytes(data, name)
        assert result.format == fmt, name
        assert len(result.warnings) == 1 and name in result.warnings[0] and what in result.warnings[0], name


def test_every_supported_suffix_has_an_importer():
    assert set(BY_SUFFIX) == {".txt", ".md", ".markdown", ".text", ".docx", ".pdf", ".odt", ".html", ".htm",
                              ".xhtml", ".vtt", ".srt"}


def test_read_file_from_disk(tmp_path):
    f = tmp_path / "t.srt"
    f.write_bytes(SRT.encode("utf-8"))
    assert read_file(f).text == read_bytes(SRT.encode("utf-8"), "t.srt").text
    turns = labelled(["A: one", "B: two"])
    assert turns == [(0, 6, "A"), (8, 14, "B")]


def test_docx_two_column_data_table_is_not_a_transcript():
    def build(d):
        t = d.add_table(rows=2, cols=2)
        for row, (key, value) in zip(t.rows, [("Name", "Tomas"), ("Firm", "Halden Knits")]):
            row.cells[0].text, row.cells[1].text = key, value

    result = read_bytes(docx_bytes(build), "t.docx")
    assert (result.text, result.speaker_turns()) == ("Name | Tomas\nFirm | Halden Knits", [])


def test_html_fragment_without_a_doctype_is_still_html():
    result = read_bytes(b"<p>Interviewer: <em>hello</em></p><p>Anna: hi</p>", "frag.htm")
    assert (result.format, result.text, result.warnings) == ("html", "Interviewer: hello\n\nAnna: hi", [])
