"""The installed Qt binding must not leak references to None.

PySide6 6.12.0 drops a reference to ``None`` on every C++ call that returns void; on Python
3.11 a working session then aborts with "deallocating None". pyproject.toml excludes that
release; this test fails if a release with the same defect is installed anyway.
"""

import sys

import pytest

pytestmark = pytest.mark.gui


def test_void_calls_leave_the_reference_count_of_none_alone(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    # A few references may come and go with the interpreter's own work; a leak is one per call.
    assert abs(sys.getrefcount(None) - before) < 50
