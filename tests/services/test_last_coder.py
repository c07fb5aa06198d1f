"""coding.last_coder: the coder a fresh window carries on as when the user named none."""

from __future__ import annotations

from qualcode.services import coding
from qualcode.store import coders as coder_store

from ._helpers import add_codes, add_document

TEXT = "Interviewer: Who came first?\n\nHalden: The knitters, then the dyers.\n"


def test_the_coder_of_the_newest_coding_else_the_first_coder(empty_project, tmp_path):
    db = empty_project
    assert coding.last_coder(db) is None  # no coders at all
    with db.transaction() as conn:  # coders known (say from a merge) but no coding yet
        coder_store.ensure(conn, "zoe")
        coder_store.ensure(conn, "ann")
    assert coding.last_coder(db) == "zoe"
    add_document(db, tmp_path, "halden", TEXT)
    add_codes(db, tmp_path, "origin")
    coding.add_coding(db, "halden", "origin", 0, 11, "ann")
    assert coding.last_coder(db) == "ann"
    newest = coding.add_coding(db, "halden", "origin", 30, 38, "bob")
    assert coding.last_coder(db) == "bob"
    coding.remove_coding(db, newest)
    assert coding.last_coder(db) == "ann"


def test_most_recent_means_latest_made_not_highest_id(sample_project):
    db = sample_project
    with db.transaction() as conn:
        rows = conn.execute("SELECT c.id, k.name FROM coding c JOIN coder k ON k.id = c.coder_id "
                            "ORDER BY c.id").fetchall()
        first_id, first_coder = rows[0]
        newest_id_coder = rows[-1][1]
    assert newest_id_coder != first_coder  # the sample has codings of several coders
    with db.transaction() as conn:
        conn.execute("UPDATE coding SET created_at = (SELECT max(created_at) FROM coding) + 60 WHERE id = ?",
                     (first_id,))
    assert coding.last_coder(db) == first_coder
