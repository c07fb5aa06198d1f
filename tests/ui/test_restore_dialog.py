"""The restore dialog offered when a project cannot be opened."""

from __future__ import annotations

import pytest

from qualcode.errors import ProjectError
from qualcode.services import backup
from qualcode.services.project import open_project
from tests.cli._helpers import table_checksums

pytestmark = pytest.mark.gui


@pytest.fixture
def broken(sample_copy, monkeypatch):
    """The sample project with two automatic backups, then overwritten with junk."""
    monkeypatch.setattr(backup, "_BACKED_UP", set())
    first = backup.backup(sample_copy)
    second = backup.backup(sample_copy)
    sample_copy.write_bytes(b"\x00" * 4096)
    with pytest.raises(ProjectError) as exc:
        open_project(sample_copy)
    return sample_copy, [second, first], str(exc.value)


def test_lists_backups_newest_first_and_restores_the_chosen_one(qtbot, broken):
    from qualcode.ui.restore_dialog import PATH_ROLE, RestoreDialog

    project, (newest, oldest), reason = broken
    dialog = RestoreDialog(project, reason)
    qtbot.addWidget(dialog)
    assert reason in dialog.findChild(type(dialog.message), "restore_question").text()
    listed = [dialog.backups.item(i).data(PATH_ROLE) for i in range(dialog.backups.count())]
    assert listed == [str(newest), str(oldest)]
    assert dialog.chosen() == newest
    dialog.backups.setCurrentRow(1)
    with qtbot.waitSignal(dialog.accepted):
        dialog.restore_button.click()
    assert dialog.report.restored_from == str(oldest)
    with open_project(project, readonly=True) as db:
        assert db.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 12
    kinds = [b.kind for b in backup.list_backups(project)]
    assert backup.REPLACED in kinds  # the junk file was kept, as every replaced project is


def test_a_refused_restore_is_said_in_the_dialog_which_stays_open(qtbot, broken):
    from qualcode.ui.restore_dialog import RestoreDialog

    project, (newest, _), reason = broken
    newest.write_bytes(b"not a project")
    before = project.read_bytes()
    dialog = RestoreDialog(project, reason)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.restore_button.click()
    assert "not a QualCode project" in dialog.message.text()
    assert dialog.isVisible() and dialog.report is None
    assert project.read_bytes() == before


def test_nothing_is_offered_without_backups(qtbot, tmp_path):
    from qualcode.ui.restore_dialog import offer_restore

    assert offer_restore(None, tmp_path / "none.qualcode", "it is missing") is False


def test_a_restored_project_opens(qtbot, broken):
    from qualcode.ui.restore_dialog import RestoreDialog

    project, (newest, _), reason = broken
    dialog = RestoreDialog(project, reason)
    qtbot.addWidget(dialog)
    dialog.restore()
    with open_project(project) as db:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {k: v for k, v in table_checksums(project).items() if k != "audit"} == \
           {k: v for k, v in table_checksums(newest).items() if k != "audit"}
