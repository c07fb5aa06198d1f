"""ui layer: Qt widgets, item models, undo commands and workers (see docs/ARCHITECTURE.md).

Only ``qualcode/app.py`` and ``main.py`` import this package; nothing below it may.
"""
