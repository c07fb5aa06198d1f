"""File › New project… with a starter codebook, and the preferences that reach the services:
backups kept when the window opens a project, and the spaCy model used by imports."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from qualcode.nlp import pipeline
from qualcode.services import backup, codebook, coding, documents, project, starters
from qualcode.ui.new_project_dialog import EMPTY, NewProjectDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def bare_window(qtbot):
    from qualcode.ui.main_window import MainWindow

    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close_project()


class StarterAnswer:
    """Picks the row whose text starts with ``prefix`` in the New project dialog as soon as it
    shows, then presses ``button``; ``rows`` is what the dialog offered."""

    def __init__(self, prefix: str, button=QDialogButtonBox.StandardButton.Ok):
        self.prefix, self.button, self.rows = prefix, button, []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewProjectDialog):
            return
        self.timer.stop()
        choices = dialog.choices
        self.rows = [choices.item(r).text() for r in range(choices.count())]
        choices.setCurrentRow(next(r for r, text in enumerate(self.rows) if text.startswith(self.prefix)))
        dialog.findChild(QDialogButtonBox).button(self.button).click()


def new_project_via_menu(window, monkeypatch, tmp_path, prefix, button=QDialogButtonBox.StandardButton.Ok):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "study"), ""))
    answer = StarterAnswer(prefix, button)
    window.act["new"].trigger()  # File › New project…
    return answer


def test_new_project_from_the_field_studies_starter(bare_window, monkeypatch, tmp_path):
    field = next(s for s in starters.list_starters() if s.name == "field-studies")
    with field.path.open(encoding="utf-8", newline="") as f:
        rows = {r["path"]: r["definition"] for r in csv.DictReader(f)}
    answer = new_project_via_menu(bare_window, monkeypatch, tmp_path, "field-studies — ")

    assert answer.rows[0] == EMPTY and any(r.startswith("field-studies — Industrial clusters") for r in answer.rows)
    made = tmp_path / "study.qualcode"
    assert bare_window.session is not None and bare_window.session.db.path == made
    assert sorted(info.path for info in bare_window.session.codes.values()) == sorted(rows)
    with project.open_project(made, readonly=True) as db:
        assert {path: c.definition or "" for path, c in codebook.list_codes(db)} == rows
    assert bare_window.codebook.model.rowCount() == len([p for p in rows if "/" not in p])


def test_new_project_with_an_empty_codebook(bare_window, monkeypatch, tmp_path):
    new_project_via_menu(bare_window, monkeypatch, tmp_path, EMPTY)
    assert bare_window.session is not None and bare_window.session.codes == {}
    with project.open_project(tmp_path / "study.qualcode", readonly=True) as db:
        assert codebook.list_codes(db) == []


def test_cancelling_the_starter_choice_makes_no_project(bare_window, monkeypatch, tmp_path):
    answer = new_project_via_menu(bare_window, monkeypatch, tmp_path, "field-studies",
                                  QDialogButtonBox.StandardButton.Cancel)
    assert answer.rows and bare_window.session is None
    assert list(tmp_path.iterdir()) == []


# -- preferences that reach the services ---------------------------------------------------------

@pytest.fixture
def fresh_sessions(monkeypatch):
    """Nothing backed up yet in this process, and no backup count from the environment."""
    monkeypatch.setattr(backup, "_BACKED_UP", set())
    monkeypatch.delenv(backup.ENV, raising=False)


def automatic(path):
    return [b for b in backup.list_backups(path) if b.kind == backup.AUTOMATIC]


def test_backup_count_preference_limits_the_backups(bare_window, sample_copy, fresh_sessions):
    bare_window.apply_preferences(replace(bare_window.prefs, backups=2))
    with project.open_project(sample_copy, readonly=True) as db:
        doc_id = documents.document_id(db, "01_halden")
        before = len(coding.codings_for_document(db, doc_id))
    for i in range(3):  # three sessions, each changing the project
        backup._BACKED_UP.clear()
        bare_window.open_project(sample_copy)
        coding.add_coding(bare_window.session.db, "01_halden", "lock-in", 10 * i, 10 * i + 4, "Tester")
        bare_window.close_project()
    kept = automatic(sample_copy)
    assert len(kept) == 2
    with project.open_project(kept[0].path, readonly=True) as db:  # the newest: made at the third open
        assert len(coding.codings_for_document(db, doc_id)) == before + 2
    with project.open_project(kept[1].path, readonly=True) as db:
        assert len(coding.codings_for_document(db, doc_id)) == before + 1


def transcript(tmp_path):
    f = tmp_path / "extra_interview.txt"
    f.write_text("Interviewer: How did it start?\n\nAna: We met at the fair. Then we talked.\n", encoding="utf-8")
    return f


def test_no_backups_preference_holds_for_background_imports(bare_window, qtbot, sample_copy, tmp_path,
                                                            fresh_sessions):
    bare_window.apply_preferences(replace(bare_window.prefs, backups=0))
    bare_window.open_project(sample_copy)
    bare_window.import_documents([transcript(tmp_path)])
    qtbot.waitUntil(lambda: not bare_window.tasks.busy(), timeout=10_000)
    assert "extra_interview" in {d.name for d in documents.list_documents(bare_window.session.db)}
    assert backup.list_backups(sample_copy) == []


def test_spacy_model_preference_reaches_the_pipeline_loader(bare_window, qtbot, sample_copy, tmp_path,
                                                             monkeypatch):
    asked = []

    def full_model(model=None, language=None):
        asked.append(model)
        return None  # not installed: the rules split sentences

    monkeypatch.setattr(pipeline, "full_model", full_model)
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    bare_window.open_project(sample_copy)
    bare_window.apply_preferences(replace(bare_window.prefs, spacy_model="xx_team_pipeline"))
    bare_window.import_documents([transcript(tmp_path)])
    qtbot.waitUntil(lambda: not bare_window.tasks.busy(), timeout=10_000)
    assert asked == ["xx_team_pipeline"]
    assert "extra_interview" in {d.name for d in documents.list_documents(bare_window.session.db)}
