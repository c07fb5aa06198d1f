"""The package layer of REFI-QDA: hostile zips are refused by name, before any XML is read,
with one clear sentence; members are found however a tool spelled their folder; writing is
deterministic."""

from __future__ import annotations

import os
import zipfile

import pytest

from qualcode.errors import InvalidInput
from qualcode.io.refi import archive

from ._refi import package, qde, symlink_info

GOOD = qde("")


def refused(path) -> str:
    with pytest.raises(InvalidInput) as info:
        archive.open_qdpx(path)
    message = str(info.value)
    assert "\n" not in message and path.name in message
    return message


@pytest.mark.parametrize("member, words", [
    ("../evil.txt", "unsafe path"),
    ("sources/../../evil.txt", "unsafe path"),
    ("/etc/passwd", "unsafe path"),
    ("C:/Windows/evil.txt", "unsafe path"),
    ("sources\\..\\evil.txt", "unsafe path"),
    ("sources\\evil.txt", "backslash"),
])
def test_member_names_that_could_escape_are_refused(tmp_path, member, words):
    path = package(tmp_path / "bad.qdpx", GOOD, {member: b"x"})
    assert words in refused(path)


def test_a_symbolic_link_is_refused(tmp_path):
    path = package(tmp_path / "link.qdpx", GOOD, infos=[(symlink_info("sources/a.txt"), b"/etc/passwd")])
    assert "symbolic link" in refused(path)


def test_a_name_given_twice_is_refused(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        path = package(tmp_path / "twice.qdpx", GOOD, infos=[(zipfile.ZipInfo("sources/a.txt"), b"one"),
                                                            (zipfile.ZipInfo("sources/a.txt"), b"two")])
    assert "twice" in refused(path)


def test_a_zip_bomb_is_refused_before_inflating(tmp_path):
    path = package(tmp_path / "bomb.qdpx", GOOD, {"sources/a.txt": b"\0" * (4 * 1024 * 1024)})
    assert os.path.getsize(path) < 64 * 1024
    assert "zip bomb" in refused(path)


def test_too_much_uncompressed_data_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL", 2 * 1024 * 1024)
    members = {f"sources/{i}.txt": b"a" * (900 * 1024) for i in range(3)}  # each compresses well, under the ratio floor
    path = package(tmp_path / "big.qdpx", GOOD, members)
    assert "limit" in refused(path)


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 50)
    path = package(tmp_path / "many.qdpx", GOOD, {f"sources/{i}.txt": b"x" for i in range(60)})
    assert "61 files" in refused(path)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "text.qdpx"
    path.write_text("just some text, not a package")
    assert "damaged" in refused(path)


def test_a_package_without_project_qde_is_refused(tmp_path):
    path = package(tmp_path / "empty.qdpx", None, {"sources/a.txt": b"text"})
    assert "no project.qde" in refused(path)


def test_a_missing_file_is_named(tmp_path):
    assert "no such file" in refused(tmp_path / "absent.qdpx")


def test_sources_are_found_whatever_the_folder_and_guid_case(tmp_path):
    path = package(tmp_path / "p.qdpx", GOOD, {"Sources/ABCDEF01-0000-0000-0000-000000000000.TXT": b"t",
                                              "notes/n.txt": b"n"})
    q = archive.open_qdpx(path)
    assert q.locate("internal://abcdef01-0000-0000-0000-000000000000.txt") == (
        "Sources/ABCDEF01-0000-0000-0000-000000000000.TXT", None)
    assert q.locate("notes/n.txt") == ("notes/n.txt", None)
    for ref, words in (("absolute:///home/me/interview.txt", "outside the package"),
                       ("file:///C:/data/x.txt", "outside the package"),
                       ("relative://../x.txt", "not a safe path"),
                       ("relative://elsewhere.txt", "outside the package"),
                       ("internal://missing.txt", "no file")):
        member, why = q.locate(ref)
        assert member is None and words in why, (ref, why)


def test_writing_is_deterministic_and_leaves_no_temporary_file(tmp_path):
    members = [("project.qde", b"<Project/>"), ("sources/a.txt", "é😀".encode())]
    archive.write_zip(tmp_path / "one.qdpx", members)
    archive.write_zip(tmp_path / "two.qdpx", members)
    assert (tmp_path / "one.qdpx").read_bytes() == (tmp_path / "two.qdpx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.qdpx", "two.qdpx"]
    with zipfile.ZipFile(tmp_path / "one.qdpx") as zf:
        assert zf.namelist() == ["project.qde", "sources/a.txt"]
        assert zf.read("sources/a.txt").decode() == "é😀"
    # what the module writes passes its own checks
    archive.open_qdpx(tmp_path / "one.qdpx")


def test_open_checked_serves_any_zip_format(tmp_path):
    """The same checks guard a Word file: traversal and links are refused by name."""
    path = package(tmp_path / "w.docx", None, {"word/document.xml": b"<w/>", "../x": b"x"})
    with pytest.raises(InvalidInput, match="unsafe path"):
        archive.open_checked(path.read_bytes(), "w.docx", "Word document")
    path = package(tmp_path / "s.docx", None, {"word/document.xml": b"<w/>"},
                   infos=[(symlink_info("word/media/x.png"), b"/etc/passwd")])
    with pytest.raises(InvalidInput, match="symbolic link"):
        archive.open_checked(path.read_bytes(), "s.docx", "Word document")
