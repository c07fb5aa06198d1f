"""qualcode.core.codebook_diff: changes between snapshots, matched by GUID."""

from __future__ import annotations

from qualcode.core.codebook_diff import KINDS, count, diff, lines


def code(guid, path, parent=None, **kw):
    return {"guid": guid, "path": path, "name": path.rsplit("/", 1)[-1], "parent": parent,
            "status": kw.pop("status", "active"), "merged_into": kw.pop("merged_into", None), **kw}


BASE = [code("p", "trust"), code("c", "trust/low", "p", definition="Little trust"), code("q", "lock-in"),
        code("r", "lock-in/functional", "q", color="#AA0000"), code("x", "old")]


def test_identical_snapshots_have_no_changes():
    assert diff(BASE, BASE) == {k: [] for k in KINDS}


def test_renaming_a_parent_is_one_rename_not_a_change_of_its_subcodes():
    new = [code("p", "confidence"), code("c", "confidence/low", "p", definition="Little trust"), *BASE[2:]]
    changes = diff(BASE, new)
    assert changes["renamed"] == [{"guid": "p", "path": "confidence", "old_name": "trust", "new_name": "confidence"}]
    assert count(changes) == 1


def test_every_kind_of_change_is_listed_once():
    new = [
        code("p", "trust"),
        code("c", "lock-in/low", "q", definition="Little trust, often"),         # moved + definition
        code("q", "lock-in"),
        code("r", "lock-in/function", "q", color="#aa0000"),                      # renamed; colour case only
        code("x", "old", status="merged", merged_into="q"),                      # merged
        code("n", "trust/new", "p", status="retired"),                           # added (retired)
    ]
    changes = diff(BASE + [code("gone", "gone")], new)
    assert changes["added"] == [{"guid": "n", "path": "trust/new"}]
    assert changes["removed"] == [{"guid": "gone", "path": "gone"}]
    assert changes["renamed"] == [{"guid": "r", "path": "lock-in/function", "old_name": "functional",
                                   "new_name": "function"}]
    assert changes["moved"] == [{"guid": "c", "path": "lock-in/low", "old_parent": "trust", "new_parent": "lock-in"}]
    assert changes["merged"] == [{"guid": "x", "path": "old", "into": "lock-in"}]
    assert changes["status"] == []  # a merge is listed under merged only
    assert changes["fields"] == [{"guid": "c", "path": "lock-in/low", "field": "definition",
                                  "old": "Little trust", "new": "Little trust, often"}]
    assert count(changes) == 6
    assert len(lines(changes)) == 6


def test_status_changes_and_blank_fields():
    old = [code("a", "a", status="retired", memo=""), code("b", "b", status="merged", merged_into="a")]
    new = [code("a", "a", memo=None), code("b", "b")]
    changes = diff(old, new)
    assert changes["status"] == [{"guid": "a", "path": "a", "old": "retired", "new": "active"},
                                 {"guid": "b", "path": "b", "old": "merged", "new": "active"}]
    assert changes["fields"] == []  # "" and None are the same empty field
