"""Opening, switching and closing projects with the analysis panels in use: every panel follows
the open project, closing leaves no connection, lock or job behind, and a project opens
coding as the right coder."""

from __future__ import annotations

import getpass
import os
import shutil
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from qualcode.services import coding, project, stories
from qualcode.services.reports import frequency
from qualcode.store.lock import lock_path

pytestmark = pytest.mark.gui
WAIT = 20000


def make_window(qtbot, persist: bool = False):
    from qualcode.ui.main_window import MainWindow

    w = MainWindow(restore_state=persist)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    return w


def story_titles(w) -> list[str]:
    panel = w.analysis.stories
    return [panel.story_list.item(i).text().rsplit("  (", 1)[0] for i in range(panel.story_list.count())]


def assert_panels_on(w, path: Path) -> None:
    db = w.session.db
    assert db.path.resolve() == path.resolve()
    assert w.analysis.reports.db is db and w.analysis.stories.db is db
    assert w.analysis.story_stack.currentWidget() is w.analysis.stories
    with project.open_project(path, readonly=True) as reader:
        assert story_titles(w) == [s.title for s in stories.list_stories(reader)]
        coders = [c.name for c in coding.list_coders(reader)]
    assert w.analysis.reports.selected_coders() == coders


def test_file_open_and_recent_projects_retarget_every_panel(qtbot, sample_copy, tmp_path, monkeypatch):
    other = tmp_path / "other.qualcode"
    shutil.copy(sample_copy, other)
    with project.open_project(other) as db:
        stories.add_story(db, "Told only in the other project")
        coding.add_coding(db, "01_halden", "trust", 0, 12, "Olga")
    w = make_window(qtbot, persist=True)  # remembers recent projects (in this test's own settings)
    w.open_project(sample_copy)
    assert_panels_on(w, sample_copy)
    first = w.analysis.open_agreement()
    first_stories = w.analysis.stories

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    w.act["open"].trigger()
    assert_panels_on(w, other)
    assert "Told only in the other project" in story_titles(w)
    assert w.analysis.agreement is None and not first.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first) and not shiboken6.isValid(first_stories))
    dialog = w.analysis.open_agreement()
    assert dialog.db is w.session.db
    assert "Olga" in [dialog.coder_list.item(i).text() for i in range(dialog.coder_list.count())]

    recent = next(a for a in w.recent_menu.actions() if a.toolTip() == str(sample_copy.resolve()))
    recent.trigger()
    assert_panels_on(w, sample_copy)
    assert w.analysis.agreement is None

    w.close_project()
    assert w.analysis.reports.db is None and not w.analysis.reports.run_button.isEnabled()
    assert w.analysis.stories is None and w.analysis.story_stack.currentIndex() == 0  # the placeholder


def project_files_open(path: Path) -> list[str]:
    """This process's open files that are the project or its WAL and shared-memory files."""
    names = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm")}
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads this process's open files from /proc")
def test_closing_leaves_no_connection_lock_or_job_behind(qtbot, sample_copy, monkeypatch):
    w = make_window(qtbot)
    w.open_project(sample_copy)
    assert project_files_open(sample_copy)  # the check sees the window's own connection
    dialog = w.analysis.open_agreement()
    with qtbot.waitSignal(dialog.comparisonReady, timeout=WAIT):
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)

    # a report still computing when the project closes: the close waits for it
    inside, release = threading.Event(), threading.Event()
    original = frequency.frequency

    def held(*args, **kwargs):
        inside.set()
        release.wait(WAIT / 1000)
        return original(*args, **kwargs)

    monkeypatch.setattr(frequency, "frequency", held)
    w.act["reports"].trigger()
    panel = w.analysis.reports
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(inside.is_set, timeout=WAIT)
    threading.Timer(0.3, release.set).start()
    w.close_project()

    assert release.is_set()  # closing waited for the report's job
    assert not lock_path(sample_copy).exists()
    assert project_files_open(sample_copy) == []
    qtbot.wait(100)  # the report's result, queued for the window, is dropped
    assert panel.result is None and panel.view.model().rowCount() == 0
    renamed = sample_copy.with_name("renamed.qualcode")
    sample_copy.rename(renamed)
    with project.open_project(renamed) as db:  # a writer takes the project
        assert not db.readonly
        stories.add_story(db, "Written after the window closed it")
    assert not lock_path(renamed).exists()


def test_a_project_opens_coding_as_the_preferred_then_the_last_then_the_login_coder(qtbot, sample_copy, tmp_path):
    from qualcode.ui.preferences import Preferences, settings

    settings().remove("coder/name")  # no coder chosen in the preferences
    fresh = tmp_path / "fresh.qualcode"
    project.new_project(fresh).close()
    with project.open_project(sample_copy) as db:
        coding.add_coding(db, "01_halden", "trust", 0, 12, "Zed")  # the newest coding
    w = make_window(qtbot)
    w.open_project(fresh)
    assert w.coder_box.currentText() == w.session.coder == getpass.getuser()
    w.open_project(sample_copy)
    assert w.coder_box.currentText() == w.session.coder == "Zed"
    assert w.coder_label.text() == "Coder: Zed"

    settings().setValue("coder/name", "Tester")
    w.prefs = Preferences.load()
    w.open_project(sample_copy)
    assert w.coder_box.currentText() == w.session.coder == "Tester"
    w.open_project(fresh)
    assert w.session.coder == "Tester"
    w.close_project()
