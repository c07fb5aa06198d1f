"""File › Export / Import REFI-QDA project: the actions run in the background behind a
progress dialog and end with a summary; a failed import says why and creates nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QMainWindow, QProgressDialog

from qualcode.services import documents, project
from qualcode.ui.refi_actions import RefiActions

from ..io._refi import assert_valid, read_qde

pytestmark = pytest.mark.gui


@pytest.fixture
def host(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    QThreadPool.globalInstance().waitForDone(10_000)


def record_progress(actions, monkeypatch) -> list[tuple]:
    """(done, total, progress dialog shown) at each report the dialog receives, and after
    it: (value, maximum) the dialog then displays."""
    seen = []
    original = actions._progress

    def spy(title, done, total, message):
        dialog = actions.progress
        shown = dialog is not None and dialog.isVisible()
        original(title, done, total, message)
        seen.append((done, total, shown, dialog.value(), dialog.maximum()))

    monkeypatch.setattr(actions, "_progress", spy)
    return seen


def test_export_runs_behind_a_progress_dialog_and_ends_with_a_summary(qtbot, host, sample_copy, tmp_path,
                                                                      monkeypatch):
    actions = RefiActions(host, lambda: sample_copy)
    assert actions.export_action.isEnabled()
    out = tmp_path / "shared"  # the dialog's name without suffix: .qdpx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    seen = record_progress(actions, monkeypatch)
    with qtbot.waitSignal(actions.finished, timeout=30_000) as done:
        actions.export_action.trigger()
        dialog = host.findChild(QProgressDialog, "refi_progress")
        assert dialog is not None and dialog.isVisible() and dialog.labelText().startswith("Exporting")
        assert not actions.export_action.isEnabled() and not actions.import_action.isEnabled()
    report = done.args[0]
    with project.open_project(sample_copy, readonly=True) as db:
        n_docs = len(documents.list_documents(db))
    assert_valid(read_qde(tmp_path / "shared.qdpx"))
    assert report.counts["documents"] == n_docs
    assert seen and all(shown for _, _, shown, _, _ in seen)
    assert all((value, maximum) == (done, total) for done, total, _, value, maximum in seen if total)
    assert seen[-1][:2] == (n_docs, n_docs)  # the bar reached its end
    assert [d for d, *_ in seen] == sorted(d for d, *_ in seen)
    summary = actions.summary
    assert summary.isVisible() and f"Wrote shared.qdpx: {n_docs} documents" in summary.text()
    assert "Not carried: 3 stories" in summary.detailedText()
    assert actions.progress is None and actions.export_action.isEnabled()


def test_import_creates_the_project_and_announces_it(qtbot, host, sample_copy, tmp_path, monkeypatch):
    from qualcode.services.refi import export_qdpx

    with project.open_project(sample_copy, readonly=True) as db:
        export_qdpx(db, tmp_path / "in.qdpx")
    actions = RefiActions(host, lambda: None)
    assert not actions.export_action.isEnabled()  # nothing open to export
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "in.qdpx"), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "new"), ""))
    with qtbot.waitSignal(actions.projectImported, timeout=30_000) as done:
        actions.import_action.trigger()
    assert done.args[0] == tmp_path / "new.qualcode"
    with project.open_project(tmp_path / "new.qualcode", readonly=True) as db:
        assert len(documents.list_documents(db)) == 12
    assert actions.summary.text().startswith("Created new.qualcode: 12 documents")


def test_a_failed_import_says_why_and_creates_nothing(qtbot, host, tmp_path):
    (tmp_path / "junk.qdpx").write_bytes(b"this is no zip at all")
    actions = RefiActions(host, lambda: None)
    with qtbot.waitSignal(actions.finished, timeout=30_000) as done:
        actions.import_from(tmp_path / "junk.qdpx", tmp_path / "p.qualcode")
    assert done.args[0] is None
    assert actions.summary.windowTitle() == "REFI-QDA exchange failed" and "damaged" in actions.summary.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.qdpx"]
    assert actions.import_action.isEnabled()
