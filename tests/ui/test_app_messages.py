"""qualcode.app's Qt message filter: the offscreen platform's harmless size-hint note is
dropped, every other Qt message reaches stderr as Qt itself would print it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

HARMLESS = "This plugin does not support propagateSizeHints()"

SHOW_A_WINDOW = """
import sys
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QApplication, QWidget
if sys.argv[1] == "filtered":
    from qualcode.app import install_qt_message_filter
    install_qt_message_filter()
app = QApplication([])
w = QWidget()
w.show()
w.setMinimumSize(300, 200)  # the offscreen platform cannot pass size hints on: it says so
app.processEvents()
qWarning("a real problem")
qWarning("%s and more")
w.close()
""" % HARMLESS


def stderr_lines(mode: str, pattern: str | None = None) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_MESSAGE_PATTERN", None)
    if pattern is not None:
        env["QT_MESSAGE_PATTERN"] = pattern
    done = subprocess.run([sys.executable, "-c", SHOW_A_WINDOW, mode], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def test_the_harmless_note_is_dropped_and_nothing_else():
    unfiltered = stderr_lines("plain")
    assert HARMLESS in unfiltered  # what the filter is for: offscreen Qt does print it
    filtered = stderr_lines("filtered")
    assert filtered == [line for line in unfiltered if line != HARMLESS]
    assert filtered == ["a real problem", f"{HARMLESS} and more"]


def test_other_messages_keep_qts_own_format():
    pattern = "%{type}|%{message}"
    assert stderr_lines("filtered", pattern) == ["warning|a real problem", f"warning|{HARMLESS} and more"]


def test_a_handler_installed_before_still_gets_every_other_message(qtlog, monkeypatch):
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    from qualcode import app

    monkeypatch.setattr(app, "_filter_installed", False)
    app.install_qt_message_filter()  # on top of pytest-qt's capturing handler
    try:
        qWarning(HARMLESS)
        qWarning("passed on")
    finally:
        qInstallMessageHandler(None)  # pytest-qt puts its own back after the test
    assert [r.message for r in qtlog.records] == ["passed on"]
