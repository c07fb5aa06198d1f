"""project.qde read and written: the writer's output is valid against the official schema
whatever it holds; the reader takes other tools' spellings, refuses hostile or broken XML with
one sentence, and reports (never fails on) what it does not carry."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.io.refi import archive, model as m
from qualcode.io.refi.project import read_project, source_member, write_project

from ._refi import assert_valid, package, qde

G = [f"{i:032x}" for i in range(1, 40)]  # stored-form GUIDs


def small_project() -> m.Project:
    p = m.Project(name="t", origin="QualCode test", user=G[0], created="2024-05-01T10:00:00Z",
                  description="about the project", note_refs=[G[30]])
    p.users = [m.User(G[0], "Ann"), m.User(G[1], None)]
    p.codes = [m.Code(G[2], "parent", True, "#ABC", "Definition: d", [G[31]],
                      [m.Code(G[3], "child <&>", False, None, None, [], [m.Code(G[4], "grandchild")])])]
    p.variables = [m.Variable(G[5], "age", "Integer"), m.Variable(G[6], "score", "Float"),
                   m.Variable(G[7], "born", "Date"), m.Variable(G[8], "member", "Boolean"),
                   m.Variable(G[9], "note", "Text", "free text")]
    values = [m.Value(G[5], "42"), m.Value(G[6], "3.5"), m.Value(G[7], "1970-01-02"), m.Value(G[8], "true"),
              m.Value(G[9], None)]
    p.cases = [m.Case(G[10], "Case A", "a case", values, [G[20]])]
    sel = m.Selection(G[21], 0, 5, G[0], "2024-05-01T10:00:00Z", "a comment",
                      [m.Coding(G[22], G[4], G[1], None, [G[32]])])
    p.sources = [m.TextSource(G[20], "interview", "Hello 😀 world\n", G[0], None, "doc memo", [sel], [], [G[33]],
                              [m.Value(G[9], "x")])]
    p.notes = [m.Note(G[n], None, f"note {n}\nsecond line", G[0], "2024-05-01T10:00:00.123Z") for n in range(30, 35)]
    p.links = [m.Link(G[35], G[34], G[10])]
    return p


def test_everything_the_writer_can_hold_is_valid_against_the_schema():
    xml, files = write_project(small_project())
    assert_valid(xml)
    assert files == [(source_member(G[20]), "Hello 😀 world\n".encode("utf-8"))]
    assert source_member(G[20]) == "sources/00000000-0000-0000-0000-000000000015.txt"  # 21 = 0x15
    assert write_project(small_project())[0] == xml  # the same records give the same bytes


def test_what_is_written_reads_back_the_same(tmp_path):
    p = small_project()
    xml, files = write_project(p)
    path = package(tmp_path / "t.qdpx", xml, dict(files))
    back = read_project(archive.open_qdpx(path))
    assert back.findings.skipped == [] and not back.findings.unknown and back.findings.warnings == []
    assert (back.name, back.origin, back.user, back.created, back.description, back.note_refs) == (
        p.name, p.origin, p.user, p.created, p.description, p.note_refs)
    assert back.users == p.users
    assert back.codes[0].children[0].name == "child <&>" and not back.codes[0].children[0].codable
    assert back.codes[0].color == "#aabbcc"  # written as #rrggbb
    assert back.variables == p.variables and back.cases == p.cases and back.links == p.links
    src = back.sources[0]
    assert (src.text, src.selections, src.notes, src.values, src.description) == (
        "Hello 😀 world\n", p.sources[0].selections, [G[33]], [m.Value(G[9], "x")], "doc memo")
    assert back.notes == p.notes


def test_other_tools_spellings_are_read(tmp_path):
    """Upper-case and braced GUIDs, a namespace prefix, a 'Sources' folder, inline text."""
    body = """
  <qda:Users><qda:User guid="{0000000A-0000-0000-0000-00000000000B}" name="Bo"/></qda:Users>
  <qda:Sources>
    <qda:TextSource guid="0000000C-0000-0000-0000-00000000000D" name="inline">
      <qda:PlainTextContent>inline text</qda:PlainTextContent>
    </qda:TextSource>
    <qda:TextSource guid="0000000E-0000-0000-0000-00000000000F" name="file"
                    plainTextPath="internal://0000000E-0000-0000-0000-00000000000F.txt"/>
  </qda:Sources>"""
    xml = (f'<qda:Project xmlns:qda="urn:QDA-XML:project:1.0" name="x">{body}</qda:Project>')
    path = package(tmp_path / "p.qdpx", xml, {"Sources/0000000E-0000-0000-0000-00000000000F.txt": "from the file"})
    p = read_project(archive.open_qdpx(path))
    assert p.users == [m.User("0000000a00000000000000000000000b", "Bo")]
    assert [(s.guid, s.text) for s in p.sources] == [("0000000c00000000000000000000000d", "inline text"),
                                                     ("0000000e00000000000000000000000f", "from the file")]


def test_what_cannot_be_carried_is_reported_not_fatal(tmp_path):
    body = f"""
  <Sources>
    <PictureSource guid="{'1' * 8}-0000-0000-0000-000000000000" name="photo.png" path="internal://p.png">
      <PictureSelection guid="{'2' * 8}-0000-0000-0000-000000000000" firstX="0" firstY="0" secondX="5" secondY="5"/>
    </PictureSource>
    <TextSource guid="{'3' * 8}-0000-0000-0000-000000000000" name="external" plainTextPath="absolute:///home/me/a.txt"/>
    <TextSource guid="{'4' * 8}-0000-0000-0000-000000000000" name="rich" richTextPath="internal://r.docx"/>
  </Sources>
  <Sets><Set guid="{'5' * 8}-0000-0000-0000-000000000000" name="s"/></Sets>"""
    xml = qde(body)
    assert_valid(xml)
    text = xml.replace("<Sets>", "<Frobnicate/><Sets>")  # an element the schema does not have
    p = read_project(archive.open_qdpx(package(tmp_path / "p.qdpx", text)))
    reasons = dict(p.findings.skipped)
    assert "1 coded selection(s)" in reasons["PictureSource 'photo.png'"]
    assert "outside the package" in reasons["text source 'external'"]
    assert "rich text" in reasons["text source 'rich'"]
    assert "QualCode has no equivalent" in reasons["1 sets (named groups of codes, sources or notes)"]
    assert p.findings.unknown == {"Project/Frobnicate": 1}
    assert [s.text for s in p.sources] == [None, None]


@pytest.mark.parametrize("xml, words", [
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
     '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>', "declarations"),
    ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>', "declarations"),
    ('<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Users>', "not well-formed"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "not a REFI-QDA project"),
])
def test_hostile_or_broken_xml_is_refused_in_one_sentence(tmp_path, xml, words):
    path = package(tmp_path / "x.qdpx", xml)
    with pytest.raises(InvalidInput) as info:
        read_project(archive.open_qdpx(path))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_deeply_nested_codes_are_read_without_recursion(tmp_path):
    depth = 5000
    guid = "{:08x}-0000-0000-0000-000000000000"
    xml = qde("<CodeBook><Codes>" + "".join(f'<Code guid="{guid.format(i)}" name="c{i}" isCodable="true">'
                                            for i in range(depth)) + "</Code>" * depth + "</Codes></CodeBook>")
    p = read_project(archive.open_qdpx(package(tmp_path / "deep.qdpx", xml)))
    assert sum(1 for _ in m.walk_codes(p.codes)) == depth
