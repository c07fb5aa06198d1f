"""GUI fixtures: settings in a temporary folder, and the workbench open on a sample copy."""

from __future__ import annotations

import pytest

from qualcode.services import codebook, documents, project


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, qapp):
    """Every test gets its own empty settings file, never the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    from qualcode.ui.preferences import settings

    settings().setValue("coder/name", "Tester")
    settings().sync()
    return folder


@pytest.fixture
def window(qtbot, sample_copy):
    """The workbench on a writable copy of the sample project, shown, first document open."""
    from qualcode.ui.main_window import MainWindow

    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.open_project(sample_copy)
    qtbot.waitExposed(w)
    yield w
    w.close_project()


@pytest.fixture
def reader(sample_copy):
    """Fresh read-only connections to the project: what a test sees is what was committed."""
    opened = []

    def open_():
        db = project.open_project(sample_copy, readonly=True)
        opened.append(db)
        return db

    yield open_
    for db in opened:
        db.close()


def code_id(db, path: str) -> int:
    return codebook.index(db).resolve(path)


def doc_text(db, name: str) -> str:
    return documents.document_text(db, name)
