"""Importing REFI-QDA projects in the shapes other tools write them.

Each package is built here from the schema's structure (and checked against the schema
before it is imported). Expected spans are found in the test by searching the text as the
other tool wrote it, then compared with what QualCode stored: the coded words must be the
same words, whatever line ends, normalisation or characters outside the BMP lie before them.
"""

from __future__ import annotations

import unicodedata

import pytest

from qualcode.errors import InvalidInput, ProjectError
from qualcode.services import codebook, project
from qualcode.services.progress import Progress
from qualcode.services.refi import import_qdpx
from qualcode.store import transfer

from ..io._refi import assert_valid, package, qde, symlink_info


def guid(n: int, upper: bool = False) -> str:
    g = f"{n:08x}-1111-4222-8333-{n:012x}"
    return g.upper() if upper else g


def stored(n: int) -> str:
    """The GUID as QualCode stores it."""
    return guid(n).replace("-", "")


def opened(path):
    return project.open_project(path, readonly=True)


def coded(db) -> list[tuple[str, str, str, str]]:
    """(document, code path, coder, coded text) of every coding, sorted."""
    paths = codebook.paths(db)
    docs = {d["id"]: d for d in transfer.read(db.conn, "document")}
    coders = {c["id"]: c["name"] for c in transfer.read(db.conn, "coder")}
    return sorted((docs[c["document_id"]]["name"], paths[c["code_id"]], coders[c["coder_id"]],
                   docs[c["document_id"]]["text"][c["start"]:c["end"]]) for c in transfer.read(db.conn, "coding"))


def selection(n: int, start: int, end: int, code: int, user: str | None = None, extra: str = "",
              upper: bool = False) -> str:
    who = f' creatingUser="{user}"' if user else ""
    return (f'<PlainTextSelection guid="{guid(n, upper)}" startPosition="{start}" endPosition="{end}"{who}>{extra}'
            f'<Coding guid="{guid(n + 500, upper)}"{who}><CodeRef targetGUID="{guid(code, upper)}"/></Coding>'
            f"</PlainTextSelection>")


def span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    return at, at + len(word)


# -- shapes of other tools ------------------------------------------------------------------------

def test_inline_plain_text_content_with_codes_without_colour(tmp_path):
    text = "We knit the panels. They sell the sweaters."
    s1, s2 = span(text, "knit the panels"), span(text, "sell the sweaters")
    xml = qde(f"""
  <Users><User guid="{guid(1)}" name="Ada"/></Users>
  <CodeBook><Codes><Code guid="{guid(2)}" name="work" isCodable="true"/>
    <Code guid="{guid(3)}" name="trade" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{guid(4)}" name="inline interview">
    <PlainTextContent>{text}</PlainTextContent>
    {selection(10, *s1, 2, guid(1))}{selection(11, *s2, 3, guid(1))}
  </TextSource></Sources>""", origin="QualCoder 3.5")
    assert_valid(xml)
    report = import_qdpx(package(tmp_path / "q.qdpx", xml), tmp_path / "p.qualcode")
    assert report.imported["documents"] == 1 and report.imported["codings"] == 2 and report.skipped == []
    with opened(tmp_path / "p.qualcode") as db:
        assert coded(db) == [("inline interview", "trade", "Ada", "sell the sweaters"),
                             ("inline interview", "work", "Ada", "knit the panels")]
        assert {c["name"]: c["color"] for c in transfer.read(db.conn, "code")} == {"work": None, "trade": None}
        assert {c["guid"] for c in transfer.read(db.conn, "code")} == {stored(2), stored(3)}


def test_nvivo_style_crlf_text_upper_case_guids_and_a_capitalised_sources_folder(tmp_path):
    """Positions count each CRLF as two characters, as in the file; GUIDs are upper case
    and referenced in braces; the text file has a byte-order mark."""
    raw = ("Interviewer: How did it start?\r\nRespondent: With a handshake and a loan.\r\n\r\n"
           "Interviewer: And then?\r\nRespondent: Then the orders came, every season, like clockwork.")
    words = [("handshake", 2), ("orders came", 3), ("clockwork", 2)]
    sels = "".join(selection(20 + i, *span(raw, w), code, "{" + guid(1, True) + "}", upper=True)
                   for i, (w, code) in enumerate(words))
    xml = qde(f"""
  <Users><User guid="{guid(1, True)}" name="NVivo user"/></Users>
  <CodeBook><Codes>
    <Code guid="{guid(2, True)}" name="Trust" isCodable="true" color="#FF0000"/>
    <Code guid="{guid(3, True)}" name="Orders" isCodable="true" color="#0F0"/>
  </Codes></CodeBook>
  <Sources><TextSource guid="{guid(4, True)}" name="Interview 1" plainTextPath="internal://{guid(4, True)}.txt">
    {sels}
  </TextSource></Sources>""", origin="NVivo 14")
    assert_valid(xml)
    files = {f"Sources/{guid(4, True)}.txt": "\ufeff".encode() + raw.encode("utf-8")}
    report = import_qdpx(package(tmp_path / "n.qdpx", xml, files), tmp_path / "p.qualcode")
    assert report.skipped == [] and report.warnings == []
    with opened(tmp_path / "p.qualcode") as db:
        got = coded(db)
        doc = transfer.read(db.conn, "document")[0]
        assert doc["text"] == raw.replace("\r\n", "\n") and doc["guid"] == stored(4)
        assert {c["name"]: c["color"] for c in transfer.read(db.conn, "code")} == {"Trust": "#ff0000",
                                                                                    "Orders": "#00ff00"}
        assert transfer.read(db.conn, "coder")[0]["guid"] == stored(1)
    assert got == sorted(("Interview 1", "Trust" if code == 2 else "Orders", "NVivo user", w) for w, code in words)


def test_atlas_ti_style_positions_count_a_line_end_once_and_notes_become_memos(tmp_path):
    raw = "Q: Who started the circles?\r\nA: The mayor did, in the nineties.\r\nQ: Why?\r\nA: Because of the strikes."
    counted = raw.replace("\r\n", "\n")  # ATLAS.ti counts positions over this
    s1, s2 = span(counted, "The mayor"), span(counted, "the strikes")
    xml = qde(f"""
  <Users><User guid="{guid(1, True)}" name="Enric"/><User guid="{guid(9, True)}" name="ATLAS.ti"/></Users>
  <CodeBook><Codes><Code guid="{guid(2, True)}" name="origins" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{guid(4, True)}" name="doc one" plainTextPath="internal://{guid(4, True)}.txt">
    {selection(30, *s1, 2, guid(1, True), upper=True)}{selection(31, *s2, 2, guid(1, True), upper=True)}
    <NoteRef targetGUID="{guid(41, True)}"/>
  </TextSource></Sources>
  <Notes>
    <Note guid="{guid(40, True)}" name="Research question" creatingUser="{guid(1, True)}"
          creationDateTime="2023-08-16T15:49:36Z">
      <PlainTextContent>Why do firms retell the founding story?</PlainTextContent></Note>
    <Note guid="{guid(41, True)}" name="doc memo"><PlainTextContent>Memo about doc one</PlainTextContent></Note>
  </Notes>""", origin="ATLAS.ti for Windows 23.2.3.27778",
              extra='xsi:schemaLocation="urn:QDA-XML:project:1.0 '
                    'http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" '
                    f'creatingUserGUID="{guid(1, True)}"')
    assert_valid(xml)
    files = {f"sources/{guid(4, True)}.txt": raw.encode("utf-8")}
    report = import_qdpx(package(tmp_path / "a.qdpx", xml, files), tmp_path / "p.qualcode")
    assert any("ATLAS.ti" in w for w in report.warnings)
    with opened(tmp_path / "p.qualcode") as db:
        assert [t for *_, t in coded(db)] == ["The mayor", "the strikes"]
        coders = {c["id"]: c["name"] for c in transfer.read(db.conn, "coder")}
        memos = {m["text"]: (m["target_type"], m["created_at"], coders.get(m["coder_id"]))
                 for m in transfer.read(db.conn, "memo")}
    question = "Research question\n\nWhy do firms retell the founding story?"
    assert set(memos) == {question, "doc memo\n\nMemo about doc one"}
    assert memos[question] == ("project", "2023-08-16T15:49:36Z", "Enric")  # a free-standing memo
    assert memos["doc memo\n\nMemo about doc one"][0::2] == ("document", None)


def test_maxqda_style_nested_codes_comments_cases_and_variables(tmp_path):
    text = "Halden designs, Varga sews. The cuff question came up last season."
    xml = qde(f"""
  <Users><User guid="{guid(1)}" name="Max"/></Users>
  <CodeBook><Codes>
    <Code guid="{guid(2)}" name="governance" isCodable="false" color="#112233">
      <Description>How lead firms steer.</Description>
      <Code guid="{guid(3)}" name="power" isCodable="true">
        <Code guid="{guid(5)}" name="design / control" isCodable="true"/>
        <Code guid="{guid(6)}" name="design / control" isCodable="true"/>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{guid(50)}" name="firm size" typeOfVariable="Integer"/>
    <Variable guid="{guid(51)}" name="exporter" typeOfVariable="Boolean"/>
    <Variable guid="{guid(52)}" name="interviewed" typeOfVariable="Date"/>
    <Variable guid="{guid(53)}" name="region" typeOfVariable="Text"/>
  </Variables>
  <Cases><Case guid="{guid(60)}" name="Halden Knits">
    <VariableValue><VariableRef targetGUID="{guid(50)}"/><IntegerValue>120</IntegerValue></VariableValue>
    <VariableValue><VariableRef targetGUID="{guid(51)}"/><BooleanValue>true</BooleanValue></VariableValue>
    <SourceRef targetGUID="{guid(4)}"/>
  </Case></Cases>
  <Sources><TextSource guid="{guid(4)}" name="Halden" plainTextPath="internal://{guid(4)}.txt">
    {selection(70, *span(text, "Halden designs"), 5, guid(1), "<Description>design stays at Halden</Description>")}
    {selection(71, *span(text, "The cuff question"), 6, guid(1))}
    <VariableValue><VariableRef targetGUID="{guid(52)}"/><DateValue>2023-03-14</DateValue></VariableValue>
    <VariableValue><VariableRef targetGUID="{guid(53)}"/><TextValue>Brenmoor</TextValue></VariableValue>
  </TextSource></Sources>""", origin="MAXQDA 2022")
    assert_valid(xml)
    report = import_qdpx(package(tmp_path / "m.qdpx", xml, {f"sources/{guid(4)}.txt": text}), tmp_path / "p.qualcode")
    assert report.skipped == []
    assert any("'design / control'" in w and "cannot contain '/'" in w for w in report.warnings)
    with opened(tmp_path / "p.qualcode") as db:
        got = coded(db)
        codes = {c["name"]: c for c in transfer.read(db.conn, "code")}
        memos = {c["memo"] for c in transfer.read(db.conn, "coding")}
        attrs = {(a["name"], a["scope"], a["type"]) for a in transfer.read(db.conn, "attribute")}
        from qualcode.services import cases as case_service

        case_values = case_service.attribute_values(db, "case")
        doc_values = case_service.attribute_values(db, "document")
        links = transfer.read(db.conn, "document_case")
    slash = "design \u2215 control"
    assert got == [("Halden", f"governance/power/{slash}", "Max", "Halden designs"),
                   ("Halden", f"governance/power/{slash} (2)", "Max", "The cuff question")]
    assert codes["governance"]["status"] == "retired" and codes["power"]["status"] == "active"
    assert codes["governance"]["definition"] == "How lead firms steer." and codes["governance"]["color"] == "#112233"
    assert memos == {"design stays at Halden", None}
    assert attrs == {("firm size", "case", "number"), ("exporter", "case", "boolean"),
                     ("interviewed", "document", "date"), ("region", "document", "text")}
    assert list(case_values.values()) == [{"firm size": "120", "exporter": "true"}]
    assert list(doc_values.values()) == [{"interviewed": "2023-03-14", "region": "Brenmoor"}]
    assert len(links) == 1


def test_non_ascii_text_with_positions_after_emoji_and_decomposed_accents(tmp_path):
    """Positions are code points: each emoji or CJK Extension B character counts one. The
    file's accents are decomposed (NFD, as macOS writes); QualCode stores NFC."""
    raw = unicodedata.normalize("NFD", "Grüße 😀😀 aus Köln — 𠀋 naïve Wolle 🧶, café crème.")
    targets = ["Wolle", "café", "crème", "Köln"]
    nfd_targets = [unicodedata.normalize("NFD", t) for t in targets]
    sels = "".join(selection(80 + i, *span(raw, t), 2, guid(1)) for i, t in enumerate(nfd_targets))
    xml = qde(f"""
  <Users><User guid="{guid(1)}" name="Şule"/></Users>
  <CodeBook><Codes><Code guid="{guid(2)}" name="wörter 😀" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{guid(4)}" name="Köln 😀" plainTextPath="internal://{guid(4)}.txt">{sels}
  </TextSource></Sources>""")
    assert_valid(xml)
    report = import_qdpx(package(tmp_path / "u.qdpx", xml, {f"sources/{guid(4)}.txt": raw}), tmp_path / "p.qualcode")
    assert report.skipped == []
    with opened(tmp_path / "p.qualcode") as db:
        got = coded(db)
        text = transfer.read(db.conn, "document")[0]["text"]
    assert text == unicodedata.normalize("NFC", raw)
    assert sorted(t for *_, t in got) == sorted(targets)
    assert {(d, c, who) for d, c, who, _ in got} == {("Köln 😀", "wörter 😀", "Şule")}


def test_non_text_sources_are_skipped_and_a_pdf_text_representation_is_kept(tmp_path):
    text = "The PDF's extracted text, with a coded phrase."
    xml = qde(f"""
  <CodeBook><Codes><Code guid="{guid(2)}" name="c" isCodable="true"/></Codes></CodeBook>
  <Cases><Case guid="{guid(60)}" name="k">
    <SourceRef targetGUID="{guid(90)}"/><SourceRef targetGUID="{guid(95)}"/></Case></Cases>
  <Sources>
    <PictureSource guid="{guid(90)}" name="loom.jpg" path="internal://{guid(90)}.jpg">
      <PictureSelection guid="{guid(91)}" firstX="1" firstY="1" secondX="40" secondY="40">
        <Coding guid="{guid(92)}"><CodeRef targetGUID="{guid(2)}"/></Coding></PictureSelection>
    </PictureSource>
    <AudioSource guid="{guid(93)}" name="talk.mp3" path="internal://{guid(93)}.mp3"/>
    <VideoSource guid="{guid(94)}" name="visit.mp4" path="absolute:///videos/visit.mp4"/>
    <PDFSource guid="{guid(95)}" name="report.pdf" path="internal://{guid(95)}.pdf">
      <PDFSelection guid="{guid(96)}" page="1" firstX="0" firstY="0" secondX="10" secondY="10"/>
      <Representation guid="{guid(97)}" name="report.pdf text"><PlainTextContent>{text}</PlainTextContent>
        {selection(98, *span(text, "a coded phrase"), 2)}</Representation>
    </PDFSource>
  </Sources>""")
    assert_valid(xml)
    report = import_qdpx(package(tmp_path / "media.qdpx", xml), tmp_path / "p.qualcode")
    skipped = dict(report.skipped)
    assert "1 coded selection(s)" in skipped["PictureSource 'loom.jpg'"]
    assert "AudioSource 'talk.mp3'" in skipped and "VideoSource 'visit.mp4'" in skipped
    assert "region" in skipped["PDFSource 'report.pdf': 1 region selection(s)"]
    assert "case 'k': 1 link(s) to sources" in skipped
    with opened(tmp_path / "p.qualcode") as db:
        assert [(d, t) for d, _, _, t in coded(db)] == [("report.pdf text", "a coded phrase")]
        assert len(transfer.read(db.conn, "document_case")) == 1  # the PDF's text is linked to the case


def test_bad_positions_and_references_are_reported_and_the_rest_imported(tmp_path):
    text = "Short text."
    xml = qde(f"""
  <Users><User guid="{guid(1)}" name="U"/></Users>
  <CodeBook><Codes><Code guid="{guid(2)}" name="c" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{guid(4)}" name="t"><PlainTextContent>{text}</PlainTextContent>
      {selection(100, 0, 5, 2, guid(1))}{selection(101, 6, 500, 2, guid(1))}{selection(102, 8, 3, 2, guid(1))}
      {selection(103, -4, 2, 2, guid(1))}{selection(104, 0, 5, 77, guid(1))}
      <PlainTextSelection guid="{guid(105)}" startPosition="1" endPosition="2"/>
      {selection(106, 6, 10, 2, guid(33))}{selection(107, 6, 10, 2)}
    </TextSource>
    <TextSource guid="{guid(5)}" name="gone" plainTextPath="absolute:///Users/me/gone.txt"/>
    <TextSource guid="{guid(6)}" name="linked" plainTextPath="relative:///gone.txt"/>
  </Sources>""")
    assert_valid(xml)
    report = import_qdpx(package(tmp_path / "bad.qdpx", xml), tmp_path / "p.qualcode")
    skipped = dict(report.skipped)
    assert "outside the text (11 characters" in skipped["text source 't': 3 coding(s)"]
    assert "does not define" in skipped["text source 't': 1 coding(s)"]
    assert "nothing to carry" in skipped["text source 't': 1 selection(s)"]
    assert "outside the package" in skipped["text source 'gone'"]
    assert "outside the package" in skipped["text source 'linked'"]
    assert any(f"user {stored(33)}" in w for w in report.warnings)
    assert any("unknown coder" in w for w in report.warnings)
    assert report.imported["codings"] == 3
    with opened(tmp_path / "p.qualcode") as db:
        assert coded(db) == [("t", "c", "U", "Short"), ("t", "c", "unknown coder", "text"),
                             ("t", "c", f"user {stored(33)[:8]}", "text")]


def test_unknown_elements_are_counted_and_reported(tmp_path):
    xml = qde(f"""<Sources><TextSource guid="{guid(4)}" name="t"><PlainTextContent>text</PlainTextContent>
      <Sparkle/><Sparkle/></TextSource></Sources><Glitter/>""")
    report = import_qdpx(package(tmp_path / "u.qdpx", xml), tmp_path / "p.qualcode")
    assert report.unknown == {"Project/Glitter": 1, "TextSource/Sparkle": 2}
    assert report.imported["documents"] == 1


# -- what an import never does -------------------------------------------------------------------

def small_package(tmp_path):
    return package(tmp_path / "s.qdpx", qde(f"""<Sources><TextSource guid="{guid(4)}" name="t">
      <PlainTextContent>some text</PlainTextContent></TextSource></Sources>"""))


def test_an_existing_project_is_never_overwritten(tmp_path):
    src = small_package(tmp_path)
    target = tmp_path / "p.qualcode"
    target.write_bytes(b"precious")
    with pytest.raises(ProjectError, match="already exists"):
        import_qdpx(src, target)
    assert target.read_bytes() == b"precious"
    with pytest.raises(ProjectError, match="does not exist"):
        import_qdpx(src, tmp_path / "no" / "p.qualcode")


def test_a_cancelled_import_leaves_no_project(tmp_path):
    src = small_package(tmp_path)
    progress = Progress()
    progress.cancel()
    report = import_qdpx(src, tmp_path / "p.qualcode", progress=progress)
    assert report.cancelled
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.qdpx"]


def _bomb(tmp_path):
    return package(tmp_path / "in.qdpx", qde(""), {"sources/a.txt": b"\0" * (4 * 1024 * 1024)})


HOSTILE = {
    "traversal": (lambda t: package(t / "in.qdpx", qde(""), {"../../evil.txt": b"x"}), "unsafe path"),
    "absolute path": (lambda t: package(t / "in.qdpx", qde(""), {"/tmp/evil.txt": b"x"}), "unsafe path"),
    "symlink": (lambda t: package(t / "in.qdpx", qde(""), infos=[(symlink_info("sources/a.txt"), b"/etc")]),
                "symbolic link"),
    "zip bomb": (_bomb, "zip bomb"),
    "billion laughs": (lambda t: package(t / "in.qdpx", '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                                         + "".join(f'<!ENTITY a{i} "{("&a;" if i == 0 else f"&a{i - 1};") * 10}">'
                                                   for i in range(9))
                                         + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&a8;"/>'), "declarations"),
    "external entity": (lambda t: package(t / "in.qdpx", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                                          '"file:///etc/passwd">]>'
                                          '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'),
                        "declarations"),
    "malformed xml": (lambda t: package(t / "in.qdpx", "<Project name='x'><Users></Project>"), "not well-formed"),
    "not a zip": (lambda t: (t / "in.qdpx").write_bytes(b"%PDF-1.4 not a zip") and t / "in.qdpx", "damaged"),
    "missing project.qde": (lambda t: package(t / "in.qdpx", None, {"sources/a.txt": b"x"}), "no project.qde"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_package_is_refused_and_leaves_no_project(tmp_path, case):
    build, words = HOSTILE[case]
    folder = tmp_path / "work"
    folder.mkdir()
    source = build(folder)
    with pytest.raises(InvalidInput) as info:
        import_qdpx(source, folder / "p.qualcode")
    assert words in str(info.value) and "\n" not in str(info.value)
    assert sorted(p.name for p in folder.iterdir()) == ["in.qdpx"]


@pytest.mark.parametrize("limit, members, words", [
    ("MAX_ENTRIES", {f"sources/{i}.txt": b"x" for i in range(60)}, "more than"),
    ("MAX_TOTAL", {f"sources/{i}.txt": b"a" * (900 * 1024) for i in range(3)}, "limit"),
])
def test_a_package_over_the_limits_is_refused_and_leaves_no_project(tmp_path, monkeypatch, limit, members, words):
    from qualcode.io.refi import archive

    monkeypatch.setattr(archive, limit, 50 if limit == "MAX_ENTRIES" else 2 * 1024 * 1024)
    source = package(tmp_path / "in.qdpx", qde(""), members)
    with pytest.raises(InvalidInput, match=words):
        import_qdpx(source, tmp_path / "p.qualcode")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.qdpx"]
