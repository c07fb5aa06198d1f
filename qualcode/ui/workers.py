"""Long work off the GUI thread: a generic QRunnable around a service call, and the status-bar
strip that shows its progress and offers Cancel.

A job is a callable taking a :class:`~qualcode.services.progress.Progress`. Jobs that write
to the project use :func:`on_project`, which opens a connection of their own: a transaction
in the worker then never mixes with a read or an edit made meanwhile in the window (SQLite's
WAL lets both proceed; the window's write waits for the worker's current one at most).
Cancel only sets the flag; the service stops at its next safe point, between transactions.

Signals (WorkerSignals):
    progress(int, int, str): done, total, message; emitted from the worker thread, delivered
        to the GUI thread.
    finished(object): the job's return value.
    failed(str): a user-level problem (QualCodeError) or an unexpected error, in words.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ..errors import QualCodeError
from ..services import project
from ..services.progress import Progress


class WorkerSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)


class Worker(QRunnable):
    def __init__(self, job: Callable[[Progress], object]):
        super().__init__()
        self.setAutoDelete(False)  # the window holds it until its signals have been handled
        self.signals = WorkerSignals()
        self.job = job
        self.progress = Progress(self.signals.progress.emit)

    def run(self) -> None:
        try:
            result = self.job(self.progress)
        except QualCodeError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: say so in the window, and keep the traceback
            traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(f"unexpected error ({type(exc).__name__}): {exc}")
        else:
            self.signals.finished.emit(result)

    def cancel(self) -> None:
        self.progress.cancel()


def on_project(path: Path, service: Callable, *args, **kwargs) -> Callable[[Progress], object]:
    """A job calling ``service(db, *args, progress=..., **kwargs)`` on its own connection
    (never a backup: the window made the one its preferences ask for when it opened the project)."""
    def job(progress: Progress):
        db = project.open_project(path, backups=0)
        try:
            return service(db, *args, progress=progress, **kwargs)
        finally:
            db.close()
    return job


class _Cancelled(Exception):
    """Raised inside a transaction to roll it back: Cancel came before the work was done."""


def all_or_nothing(db, progress: Progress, work: Callable[[], object]) -> object | None:
    """``work()`` (service calls on ``db``) inside one transaction that is rolled back when
    Cancel was pressed before it finished: Cancel then leaves the project exactly as it was,
    and the result is None. For a job that is one long transaction, which has no safe point
    to stop at in between."""
    try:
        with db.transaction():
            result = work()
            if progress.cancelled:
                raise _Cancelled
    except _Cancelled:
        return None
    return result


class TaskStrip(QWidget):
    """Progress bar, message and Cancel for the one job running; hidden when idle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("task_strip")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setObjectName("task_progress")
        self.bar.setMaximumWidth(200)
        self.bar.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("task_cancel")
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.worker: Worker | None = None
        self.pool = QThreadPool(self)
        # Finished workers are kept until the pool is idle: the pool thread still touches a
        # runnable for a moment after run() has emitted its last signal.
        self._retired: list[Worker] = []
        self.hide()

    def busy(self) -> bool:
        return self.worker is not None

    def start(self, title: str, job: Callable[[Progress], object], on_done: Callable[[object], None],
              on_failed: Callable[[str], None]) -> Worker:
        if self.pool.activeThreadCount() == 0:
            self._retired.clear()
        worker = Worker(job)
        self.worker = worker
        self.title = title
        self.label.setText(title)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(lambda result: self._end(on_done, result))
        worker.signals.failed.connect(lambda message: self._end(on_failed, message))
        self.show()
        self.pool.start(worker)
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{self.title}: cancelling…")

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if message and self.cancel_button.isEnabled():
            self.label.setText(f"{self.title}: {message}")

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the running job has finished its transaction (closing the project)."""
        return self.pool.waitForDone(msecs)

    def _end(self, callback, value) -> None:
        self._retired.append(self.worker)
        self.worker = None
        self.hide()
        callback(value)
