"""REFI-QDA codebooks (.qdc): exports valid against the official schema, exact round trips,
files written by other tools, and hostile files refused with the codebook unchanged."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import xmlschema

from qualcode.core import guids
from qualcode.errors import InvalidInput
from qualcode.io import qdc
from qualcode.services import codebook, codebook_edit, codebook_exchange, project

from ..cli._helpers import ROOT, query
from ._helpers import add_codes, checksum

XSD = ROOT / "resources" / "refi" / "Codebook.xsd"
NS = "urn:QDA-XML:codebook:1.0"


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


def exported(db) -> list[tuple]:
    """Every live code as the exchange should carry it, read straight from the table."""
    rows = query(db.path, "SELECT id, guid, color, definition, inclusion, exclusion, example, status FROM code "
                          "WHERE status != 'merged'")
    paths = codebook.paths(db)
    return sorted((paths[r[0]], r[1], (r[2] or "").lower() or None, *r[3:7], r[7]) for r in rows)


def test_export_is_valid_and_reimports_identically(sample_project, tmp_path, schema):
    db = sample_project
    i = {p: c for c, p in codebook.paths(db).items()}
    codebook_edit.retire_code(db, i["labour/wages"])
    codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"])
    codebook_edit.describe_code(db, i["trust/reputation"], definition="Two lines:\nfirst, then\n\nsecond paragraph")
    out = tmp_path / "cb.qdc"
    assert codebook.export_file(db, out) == len(exported(db))
    schema.validate(str(out))
    other = project.new_project(tmp_path / "other.qualcode")
    try:
        result = codebook.import_file(other, out)
        assert result == {"created": len(exported(db)), "updated": 0, "unchanged": 0, "ignored_sets": 0}
        assert exported(other) == exported(db)  # same GUIDs, paths, colours, fields and status
        # a second import of the same file changes nothing
        before = {t: h for t, h in checksum(other).items() if t != "audit"}
        assert codebook.import_file(other, out)["unchanged"] == len(exported(db))
        assert {t: h for t, h in checksum(other).items() if t != "audit"} == before
        # and the re-export is the same document
        again = tmp_path / "again.qdc"
        codebook.export_file(other, again)
        assert again.read_bytes() == out.read_bytes()
    finally:
        other.close()


def test_export_writes_dashed_guids_and_upper_case_colours(empty_project, tmp_path):
    codebook.create_code(empty_project, "a", color="#a0b1c2")
    out = tmp_path / "cb.qdc"
    codebook.export_file(empty_project, out)
    stored = query(empty_project.path, "SELECT guid FROM code")[0][0]
    text = out.read_text(encoding="utf-8")
    assert f'guid="{guids.dashed(stored)}"' in text and 'color="#A0B1C2"' in text
    assert f'xmlns="{NS}"' in text


def test_an_empty_codebook_is_not_exported(empty_project, tmp_path):
    with pytest.raises(InvalidInput, match="empty"):
        codebook.export_file(empty_project, tmp_path / "cb.qdc")
    assert not (tmp_path / "cb.qdc").exists()


# -- a file written by another tool ----------------------------------------------------------------

G = [str(uuid.uuid4()).upper() for _ in range(6)]
FOREIGN = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="{NS} Codebook.xsd" origin="Another QDA tool 23.1">
  <Codes>
    <Code guid="{G[0]}" name="Emotions" isCodable="false" color="#46AA00">
      <Description>How people feel about the work.</Description>
      <Code guid="{{{G[1]}}}" name="Pride" isCodable="true">
        <Description>Satisfaction with one's own craft.</Description>
        <Code guid="{G[2]}" name="Family pride" isCodable="true" color="#f0a"/>
      </Code>
      <Code guid="{G[3]}" name="Fear" isCodable="true"/>
    </Code>
    <Code guid="{G[4]}" name="Money" isCodable="true" color="#0000FF"/>
  </Codes>
  <Sets>
    <Set guid="{G[5]}" name="Feelings">
      <Description>grouping</Description>
      <MemberCode guid="{G[1]}"/>
      <MemberCode guid="{G[3]}"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_a_codebook_from_another_tool_imports(empty_project, tmp_path, schema):
    f = tmp_path / "foreign.qdc"
    f.write_text(FOREIGN, encoding="utf-8")
    schema.validate(str(f))  # the test's file follows the standard
    result = codebook.import_file(empty_project, f)
    assert result == {"created": 5, "updated": 0, "unchanged": 0, "ignored_sets": 1}
    rows = {codebook.paths(empty_project)[r[0]]: r[1:] for r in query(
        empty_project.path, "SELECT id, guid, color, definition, status FROM code")}
    norm = [g.replace("-", "").lower() for g in G]
    assert rows == {
        "Emotions": (norm[0], "#46aa00", "How people feel about the work.", "retired"),
        "Emotions/Pride": (norm[1], None, "Satisfaction with one's own craft.", "active"),
        "Emotions/Pride/Family pride": (norm[2], "#ff00aa", None, "active"),
        "Emotions/Fear": (norm[3], None, None, "active"),
        "Money": (norm[4], "#0000ff", None, "active"),
    }
    # exported again, the GUIDs are the same ones (in the dashed exchange form)
    out = tmp_path / "back.qdc"
    codebook.export_file(empty_project, out)
    text = out.read_text(encoding="utf-8")
    assert all(g.lower() in text for g in G[:5])
    assert 'name="Emotions" isCodable="false"' in text


def test_without_namespace_or_description_labels(empty_project, tmp_path):
    g = str(uuid.uuid4())
    f = tmp_path / "plain.qdc"
    f.write_text(f'<CodeBook><Codes><Code guid="{g}" name="x" isCodable="1"><Description>Example: not a label\n'
                 'here</Description></Code></Codes></CodeBook>', encoding="utf-8")
    codebook.import_file(empty_project, f)
    (row,) = query(empty_project.path, "SELECT name, definition, example FROM code")
    assert row == ("x", None, "not a label\nhere")


# -- matching the project's codes --------------------------------------------------------------------

def test_codes_match_by_guid_then_by_path(empty_project, tmp_path):
    db = empty_project
    got = add_codes(db, tmp_path, "a", "a/b", "c", "c/d")
    guid = {p: g for p, g in ((codebook.paths(db)[i], g) for i, g in query(db.path, "SELECT id, guid FROM code"))}
    fresh = str(uuid.uuid4())
    # by GUID: "a/b" is renamed "bee" and moved under "c"; "c/d" matched by path keeps its own GUID;
    # "a" and "c" swap names (a swap must not trip over the one-name-per-level rule midway)
    f = tmp_path / "edit.qdc"
    f.write_text(f"""<CodeBook xmlns="{NS}"><Codes>
      <Code guid="{guids.dashed(guid['a'])}" name="c" isCodable="true"/>
      <Code guid="{guids.dashed(guid['c'])}" name="a" isCodable="true">
        <Code guid="{guids.dashed(guid['a/b'])}" name="bee" isCodable="true">
          <Description>Definition: moved here</Description></Code>
        <Code guid="{fresh}" name="d" isCodable="true"><Description>Inclusion: matched by path</Description></Code>
      </Code></Codes></CodeBook>""", encoding="utf-8")
    result = codebook.import_file(db, f)
    assert result["created"] == 0 and result["updated"] == 4
    paths = codebook.paths(db)
    assert paths[got["a"]] == "c" and paths[got["c"]] == "a"
    assert paths[got["a/b"]] == "a/bee" and paths[got["c/d"]] == "a/d"
    assert query(db.path, "SELECT guid, inclusion FROM code WHERE id = ?", (got["c/d"],)) == \
        [(guid["c/d"], "matched by path")]
    assert query(db.path, "SELECT definition FROM code WHERE id = ?", (got["a/b"],)) == [("moved here",)]


def test_a_path_held_by_a_merged_code_is_refused(empty_project, tmp_path):
    db = empty_project
    got = add_codes(db, tmp_path, "a", "b")
    codebook_edit.merge_codes(db, got["b"], got["a"])
    f = tmp_path / "b.qdc"
    f.write_text(f'<CodeBook xmlns="{NS}"><Codes><Code guid="{uuid.uuid4()}" name="a" isCodable="true">'
                 f'<Code guid="{uuid.uuid4()}" name="x" isCodable="true"/></Code>'
                 f'<Code guid="{uuid.uuid4()}" name="b" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="two codes the path 'b'"):
        codebook.import_file(db, f)
    assert checksum(db) == before


# -- bad and hostile files -----------------------------------------------------------------------

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="6a4d2d0c-4f4e-4a53-8c2e-1a2b3c4d5e6f" name="&lol3;" isCodable="true"/></Codes></CodeBook>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="6a4d2d0c-4f4e-4a53-8c2e-1a2b3c4d5e6f" name="x" isCodable="true"><Description>&secret;</Description>
</Code></Codes></CodeBook>"""


def code_xml(*codes: str) -> str:
    return f'<CodeBook xmlns="{NS}"><Codes>{"".join(codes)}</Codes></CodeBook>'


def one(guid="6a4d2d0c-4f4e-4a53-8c2e-1a2b3c4d5e6f", name="x", extra="", inner="") -> str:
    return f'<Code guid="{guid}" name="{name}" isCodable="true" {extra}>{inner}</Code>'


@pytest.mark.parametrize("content,needle", [
    (LAUGHS, "DTD or entities"),
    (EXTERNAL, "DTD or entities"),
    ("this is not XML at all", "not well-formed XML"),
    ("<CodeBook><Codes><Code", "not well-formed XML"),
    ("", "is empty"),
    ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "REFI-QDA project, not a codebook"),
    ("<html><body/></html>", "root element is <html>"),
    (f'<CodeBook xmlns="{NS}"/>', "no <Codes>"),
    (f'<CodeBook xmlns="{NS}"><Codes/></CodeBook>', "holds no codes"),
    (code_xml(one(guid="not-a-guid")), "no valid GUID"),
    (code_xml(one(), one(name="y")), "same GUID"),
    (code_xml(one(), one(guid=str(uuid.uuid4()))), "two codes are called 'x'"),
    (code_xml(one(name="a/b")), "contains '/'"),
    (code_xml(one(name="  ")), "has no name"),
    (code_xml(one(extra='color="red"')), "colour 'red'"),
    (code_xml(one(inner=one(guid="6A4D2D0C-4F4E-4A53-8C2E-1A2B3C4D5E6F", name="y"))), "same GUID"),
])
def test_bad_files_are_refused_and_change_nothing(sample_project, tmp_path, content, needle):
    f = tmp_path / "bad.qdc"
    f.write_text(content, encoding="utf-8")
    before = checksum(sample_project)
    with pytest.raises(InvalidInput, match=needle):
        codebook.import_file(sample_project, f)
    assert checksum(sample_project) == before


def test_huge_files_are_refused_before_reading(sample_project, tmp_path, monkeypatch):
    f = tmp_path / "huge.qdc"
    with open(f, "wb") as fh:
        fh.write(code_xml(one()).encode()[:-len("</Codes></CodeBook>")])
        fh.write(b" " * (60 * 1024 * 1024))
        fh.write(b"</Codes></CodeBook>")
    before = checksum(sample_project)
    with pytest.raises(InvalidInput, match="60 MB, over the 50 MB limit"):
        codebook.import_file(sample_project, f)
    assert checksum(sample_project) == before
    # the limit is configurable
    small = tmp_path / "small.qdc"
    small.write_text(code_xml(one()), encoding="utf-8")
    monkeypatch.setenv(codebook_exchange.LIMIT_VARIABLE, "0.0001")
    with pytest.raises(InvalidInput, match="over the 0 MB limit"):
        codebook.import_file(sample_project, small)
    monkeypatch.setenv(codebook_exchange.LIMIT_VARIABLE, "lots")
    with pytest.raises(InvalidInput, match="number of megabytes"):
        codebook.import_file(sample_project, small)
    monkeypatch.delenv(codebook_exchange.LIMIT_VARIABLE)
    assert codebook_exchange.import_qdc(sample_project, small, max_bytes=10_000)["created"] == 1


# -- the description convention ------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"definition": "One line."},
    {"definition": "Two\nlines", "inclusion": "Para one.\n\nPara two.", "exclusion": "No", "example": "V: \"x\""},
    {"example": "Only an example"},
    {"inclusion": "Inclusion: said twice"},
])
def test_descriptions_round_trip(fields):
    assert qdc.parse_description(qdc.describe(fields)) == fields


def test_description_text_is_readable():
    text = qdc.describe({"definition": "D", "example": "E"})
    assert text == "Definition: D\n\nExample: E"


def test_xml_illegal_characters_are_not_written(empty_project, tmp_path, schema):
    code = codebook.create_code(empty_project, "bell")
    codebook_edit.describe_code(empty_project, code, definition="ring \x07 ring")
    out = tmp_path / "cb.qdc"
    codebook.export_file(empty_project, out)
    schema.validate(str(out))
    assert qdc.read(out.read_bytes(), "cb.qdc")[0][0].definition == "ring   ring"


def test_export_folder_must_exist(sample_project, tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        codebook.export_file(sample_project, Path(tmp_path) / "missing" / "cb.qdc")
