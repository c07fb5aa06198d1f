"""A dialog's own background job: the generic :class:`~qualcode.ui.workers.Worker` on a pool
the dialog owns, reporting into the dialog's progress bar. The window's task strip stays free
for the work the dialog leads to (an import), and closing the dialog cancels its job and waits
for it, so no worker outlives the widgets it reports to."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QProgressBar

from ..services.progress import Progress
from .workers import Worker


class DialogJob(QObject):
    def __init__(self, parent: QObject, bar: QProgressBar):
        super().__init__(parent)
        self.bar = bar
        self.pool = QThreadPool(self)
        self.worker: Worker | None = None

    def start(self, job: Callable[[Progress], object], on_done: Callable[[object], None],
              on_failed: Callable[[str], None]) -> None:
        self.worker = Worker(job)
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.show()
        self.worker.signals.progress.connect(self._progress)
        self.worker.signals.finished.connect(lambda result: self._end(on_done, result))
        self.worker.signals.failed.connect(lambda message: self._end(on_failed, message))
        self.pool.start(self.worker)

    def stop(self) -> None:
        """Cancel the job (it stops at its next check) and wait until its thread is done."""
        if self.worker is not None:
            self.worker.cancel()
        self.pool.waitForDone(10_000)

    def _progress(self, done: int, total: int, _message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _end(self, callback, value) -> None:
        self.bar.hide()
        if self.worker is not None and not self.worker.progress.cancelled:
            callback(value)
