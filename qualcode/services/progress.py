"""How long-running services report progress and learn they should stop.

Services know nothing of Qt or terminals: the CLI passes a reporter that draws a bar on a
terminal, the GUI one that emits a signal from its worker thread, tests a recorder.
"""

from __future__ import annotations

from typing import Callable


class Progress:
    """Counts work done; ``cancel()`` from any thread asks the running service to stop at
    the next safe point (between two transactions, never inside one)."""

    def __init__(self, callback: Callable[[int, int, str], None] | None = None):
        self._callback = callback
        self._cancelled = False

    def report(self, done: int, total: int, message: str = "") -> None:
        if self._callback is not None:
            self._callback(done, total, message)

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled


SILENT = Progress()
