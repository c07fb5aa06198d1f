"""Codebook versions: snapshots, differences listed exactly, one code's history."""

from __future__ import annotations

import pytest

from qualcode.core import guids
from qualcode.errors import InvalidInput, NotFound
from qualcode.services import codebook, codebook_edit, codebook_versions as versions

from ..cli._helpers import query
from ._helpers import checksum


def ids(db) -> dict[str, int]:
    return {p: i for i, p in codebook.paths(db).items()}


def guid_of(db, code_id: int) -> str:
    return guids.dashed(query(db.path, "SELECT guid FROM code WHERE id = ?", (code_id,))[0][0])


def test_a_snapshot_holds_every_code_with_its_fields(sample_project):
    db = sample_project
    i = ids(db)
    codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"])
    assert versions.save_version(db, "pilot", coder="Mira") == {"label": "pilot", "codes": len(i)}
    snap = {c["path"]: c for c in versions.snapshot(db, "pilot")}
    assert set(snap) == set(i)  # merged codes too
    stored = query(db.path, "SELECT id, guid, name, color, definition, status FROM code")
    guid_by_id = {r[0]: r[1] for r in stored}
    for code_id, guid, name, color, definition, status in stored:
        entry = snap[codebook.paths(db)[code_id]]
        assert (entry["guid"], entry["name"], entry["color"], entry["definition"], entry["status"]) == \
            (guid, name, color, definition, status)
    kinship = snap["trust/kinship"]
    assert kinship["merged_into"] == guid_by_id[i["trust/building"]]
    assert kinship["parent"] == guid_by_id[i["trust"]]
    assert versions.list_versions(db)[0]["label"] == "pilot" and versions.list_versions(db)[0]["coder"] == "Mira"


def test_labels(sample_project):
    db = sample_project
    versions.save_version(db, "v1")
    before = checksum(db)
    for label, needle in [("", "needs a label"), ("  Current ", "live codebook"), (" v1 ", "already")]:
        with pytest.raises(InvalidInput, match=needle):
            versions.save_version(db, label)
    assert checksum(db) == before
    with pytest.raises(NotFound, match="no codebook version 'v9'.*v1"):
        versions.diff_versions(db, "v9")


def test_diff_lists_exactly_what_changed(sample_project):
    db = sample_project
    i = ids(db)
    versions.save_version(db, "v1")
    # the changes, each made through the services
    codebook.edit_code(db, i["trust"], name="confidence")                              # renamed (subcodes not)
    codebook.edit_code(db, i["lock-in/unlocking"], parent_id=i["joint-action"])       # moved
    codebook_edit.merge_codes(db, i["free-riding/client-poaching"], i["free-riding/design-stealing"])
    codebook_edit.retire_code(db, i["labour/wages"])                                  # status
    codebook_edit.describe_code(db, i["upgrading/process"], definition="Better ways of making the same thing.")
    codebook.edit_code(db, i["upgrading/product"], color="#123456")                   # field: color
    added = codebook.create_code(db, "nepotism", i["trust/kinship"])
    removed = codebook.create_code(db, "scratch")
    removed_guid = guid_of(db, removed)
    versions.save_version(db, "v2")
    codebook.delete_code(db, removed)
    added_late = codebook.create_code(db, "later")
    versions.save_version(db, "v3")

    d = versions.diff_versions(db, "v1", "v2")
    g = {p: guid_of(db, c) for p, c in i.items()}
    assert d["from"] == "v1" and d["to"] == "v2"
    assert d["added"] == [{"guid": guid_of(db, added), "path": "confidence/kinship/nepotism"},
                          {"guid": removed_guid, "path": "scratch"}]
    assert d["removed"] == []
    assert d["renamed"] == [{"guid": g["trust"], "path": "confidence", "old_name": "trust", "new_name": "confidence"}]
    assert d["moved"] == [{"guid": g["lock-in/unlocking"], "path": "joint-action/unlocking", "old_parent": "lock-in",
                           "new_parent": "joint-action"}]
    assert d["merged"] == [{"guid": g["free-riding/client-poaching"], "path": "free-riding/client-poaching",
                            "into": "free-riding/design-stealing"}]
    assert d["status"] == [{"guid": g["labour/wages"], "path": "labour/wages", "old": "active", "new": "retired"}]
    fields = {(f["path"], f["field"]): (f["old"], f["new"]) for f in d["fields"]}
    upgrading = {c["path"]: c for c in versions.snapshot(db, "v1")}
    assert fields == {
        ("upgrading/process", "definition"): (upgrading["upgrading/process"]["definition"],
                                              "Better ways of making the same thing."),
        ("upgrading/product", "color"): (upgrading["upgrading/product"]["color"], "#123456"),
    }
    later = versions.diff_versions(db, "v2", "v3")
    assert later["removed"] == [{"guid": removed_guid, "path": "scratch"}]
    assert later["added"] == [{"guid": guid_of(db, added_late), "path": "later"}]
    assert sum(len(v) for k, v in later.items() if k not in ("from", "to")) == 2
    # "current" (or no second version) is the live codebook
    assert versions.diff_versions(db, "v3") == {**versions.diff_versions(db, "v3", "current"), "to": "current"}
    assert all(not v for k, v in versions.diff_versions(db, "v3").items() if k not in ("from", "to"))


def test_history_of_one_code(sample_project):
    db = sample_project
    i = ids(db)
    versions.save_version(db, "start", coder="Mira")
    codebook.edit_code(db, i["trust/kinship"], name="family", coder="Mira")
    codebook_edit.describe_code(db, i["trust/kinship"], coder="Jonas", example="My cousin runs the dye works.")
    versions.save_version(db, "renamed")
    codebook_edit.merge_codes(db, i["trust/kinship"], i["trust/building"], coder="Jonas")
    h = versions.code_history(db, "trust/family")
    assert h["code"] == {"guid": guid_of(db, i["trust/kinship"]), "path": "trust/family", "status": "merged"}
    assert [e["action"] for e in h["events"]] == ["code.create", "code.edit", "code.describe", "code.merge"]
    assert [e["coder"] for e in h["events"][1:]] == ["Mira", "Jonas", "Jonas"]
    assert h["events"][3]["details"]["into_path"] == "trust/building"
    assert [(v["label"], v["path"], v["status"]) for v in h["versions"]] == [
        ("start", "trust/kinship", "active"), ("renamed", "trust/family", "active"),
        ("current", "trust/family", "merged")]
    assert h["versions"][0]["changes"] == ["first appears"]
    assert h["versions"][1]["changes"] == ["renamed  trust/family (was 'kinship')", "changed  trust/family: example"]
    assert h["versions"][2]["changes"] == ["merged   trust/family into trust/building"]
    # the merge target's history shows the merge too
    target = versions.code_history(db, "trust/building")
    assert [e["action"] for e in target["events"]][-1] == "code.merge"
