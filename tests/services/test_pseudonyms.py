"""Pseudonym maps: reading and checking them, writing suggestions, applying them to exports."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import coding, pseudonyms

from ..cli._helpers import read_csv
from ._helpers import add_codes, add_document, write_csv

TEXT = "Halden: Tomas Halden sold to Nordvik. =Halden\n"


def test_load_map(tmp_path):
    f = write_csv(tmp_path / "m.csv", ["original", "pseudonym"],
                  [["Tomas Halden", "P1"], ["", ""], ["'=Halden", "P2"], ["Zoe\u0301", "Z"], ["Tomas Halden", "P1"]])
    assert pseudonyms.load_map(f) == {"Tomas Halden": "P1", "=Halden": "P2", "Zo\u00e9": "Z"}


@pytest.mark.parametrize("header, rows, needle", [
    (["name", "alias"], [["A", "B"]], "header original,pseudonym"),
    (["original", "pseudonym"], [["A", ""]], "line 2: needs a name and its pseudonym"),
    (["original", "pseudonym"], [["A", "B"], ["A", "C"]], "line 3: 'A' already has the pseudonym 'B'"),
    (["original", "pseudonym"], [], "maps no names"),
])
def test_bad_maps(tmp_path, header, rows, needle):
    with pytest.raises(InvalidInput, match=needle):
        pseudonyms.load_map(write_csv(tmp_path / "m.csv", header, rows))


def test_map_must_be_utf8_and_exist(tmp_path):
    f = tmp_path / "m.csv"
    f.write_bytes("original,pseudonym\nZo\u00eb,Z\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        pseudonyms.load_map(f)
    with pytest.raises(InvalidInput, match="cannot read"):
        pseudonyms.load_map(tmp_path / "ghost.csv")


def test_codings_export_with_pseudonyms(empty_project, tmp_path):
    doc = add_document(empty_project, tmp_path, "t", TEXT)
    ids = add_codes(empty_project, tmp_path, "sales")
    start = TEXT.index("Tomas")
    coding.add_coding(empty_project, doc, ids["sales"], start, len(TEXT) - 1, "ana", memo="Halden, again")
    m = write_csv(tmp_path / "m.csv", ["original", "pseudonym"], [["Halden", "P2"], ["Tomas Halden", "P1"],
                                                                  ["Nordvik", "Buyer"]])
    out = tmp_path / "out.csv"
    assert coding.export_csv(empty_project, out, pseudonym_map=m) == 1
    row = read_csv(out)[0]
    assert (row["text"], row["memo"]) == ("P1 sold to Buyer. =P2", "P2, again")
    assert (int(row["start"]), int(row["end"])) == (start, len(TEXT) - 1)  # offsets into the original text
    coding.export_csv(empty_project, out)
    assert read_csv(out)[0]["text"] == TEXT[start:-1]


def test_a_bad_map_writes_no_export(empty_project, tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(InvalidInput, match="header"):
        coding.export_csv(empty_project, out, pseudonym_map=write_csv(tmp_path / "m.csv", ["x"], [["y"]]))
    assert not out.exists()


def test_write_map_numbers_each_kind(tmp_path):
    suggestion = pseudonyms.NameSuggestion
    found = [suggestion("Tomas Halden", "person", 3), suggestion("Nordvik", "organisation"),
             suggestion("Lee", "person"), suggestion("=cmd", "name")]
    out = tmp_path / "map.csv"
    assert pseudonyms.write_map(found, out) == 4
    assert out.read_text(encoding="utf-8").splitlines() == [
        "original,pseudonym", "Tomas Halden,Person 1", "Nordvik,Organisation 1", "Lee,Person 2", "'=cmd,Name 1"]
    assert pseudonyms.load_map(out)["=cmd"] == "Name 1"
    with pytest.raises(InvalidInput, match=".csv"):
        pseudonyms.write_map(found, tmp_path / "map.txt")
