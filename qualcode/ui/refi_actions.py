"""File › Import / Export REFI-QDA project: the two actions, run in the background with a
progress dialog (Cancel stops at the next safe point) and a summary when done. The window
stays usable meanwhile; the two actions are disabled until the job ends.

The window adds the actions to its File menu and tells this object which project is open;
an import creates a *new* project file and announces it (``projectImported``) so the window
can open it. Both jobs use their own connection in a worker thread
(:class:`~qualcode.ui.workers.Worker`), so the window stays usable and its own connection is
never shared across threads.

Signals:
    projectImported(object): the path of a project an import has just created.
    finished(object): the export or import report, after the summary is shown (for tests
        and for the window's status bar).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from ..services import project as project_service
from ..services.progress import Progress
from .workers import Worker


def _export_job(project: Path, out: Path):
    def job(progress: Progress):
        from ..services.refi import export_qdpx

        db = project_service.open_project(project, readonly=True)
        try:
            return export_qdpx(db, out, progress=progress)
        finally:
            db.close()
    return job


def _import_job(source: Path, dest: Path):
    def job(progress: Progress):
        from ..services.refi import import_qdpx

        return import_qdpx(source, dest, progress=progress)
    return job


def _lines(report) -> str:
    """The details of a report, one fact per line."""
    out = []
    if hasattr(report, "skipped"):
        out += [f"Skipped {what}: {why}" for what, why in report.skipped]
        out += [f"Unknown element {path} ({n}×) ignored" for path, n in report.unknown.items()]
        out += [f"Note: {w}" for w in report.warnings]
    else:
        out += [f"Not carried: {n} {what}" for what, n in report.not_carried.items()]
    return "\n".join(out)


class RefiActions(QObject):
    projectImported = Signal(object)
    finished = Signal(object)

    def __init__(self, parent: QWidget, project_path: Callable[[], Path | None]):
        super().__init__(parent)
        self.window = parent
        self.project_path = project_path
        self.import_action = QAction("Import REFI-QDA project (.qdpx)…", parent)
        self.import_action.setObjectName("act_refi_import")
        self.import_action.setStatusTip("Create a new project from a REFI-QDA project written by QualCode, NVivo, "
                                        "ATLAS.ti, MAXQDA or another tool")
        self.import_action.triggered.connect(lambda _checked=False: self.choose_import())
        self.export_action = QAction("Export REFI-QDA project (.qdpx)…", parent)
        self.export_action.setObjectName("act_refi_export")
        self.export_action.setStatusTip("Write this project as a REFI-QDA project other QDA tools can open")
        self.export_action.triggered.connect(lambda _checked=False: self.choose_export())
        self.progress: QProgressDialog | None = None
        self.summary: QMessageBox | None = None
        self.worker: Worker | None = None
        self.set_project_open(project_path() is not None)

    def set_project_open(self, is_open: bool) -> None:
        self.export_action.setEnabled(is_open)

    # -- choosing files ----------------------------------------------------------------------------
    def choose_export(self) -> None:
        project = self.project_path()
        if project is None or self.worker is not None:
            return
        out, _ = QFileDialog.getSaveFileName(self.window, "Export REFI-QDA project",
                                             str(Path(project).with_suffix(".qdpx")), "REFI-QDA projects (*.qdpx)")
        if out:
            self.export_to(Path(project), Path(out if out.lower().endswith(".qdpx") else out + ".qdpx"))

    def choose_import(self) -> None:
        if self.worker is not None:
            return
        source, _ = QFileDialog.getOpenFileName(self.window, "Import REFI-QDA project", "",
                                                "REFI-QDA projects (*.qdpx);;All files (*)")
        if not source:
            return
        dest, _ = QFileDialog.getSaveFileName(self.window, "New project for the import",
                                              str(Path(source).with_suffix(".qualcode")),
                                              "QualCode projects (*.qualcode)")
        if dest:
            self.import_from(Path(source), Path(dest if dest.endswith(".qualcode") else dest + ".qualcode"))

    # -- running ----------------------------------------------------------------------------------
    def export_to(self, project: Path, out: Path) -> Worker | None:
        return self._run("Exporting REFI-QDA project", _export_job(project, out), self._exported)

    def import_from(self, source: Path, dest: Path) -> Worker | None:
        return self._run("Importing REFI-QDA project", _import_job(source, dest), self._imported)

    def _run(self, title: str, job, on_done) -> Worker | None:
        if self.worker is not None:
            return None
        dialog = QProgressDialog(title, "Cancel", 0, 0, self.window)
        dialog.setObjectName("refi_progress")
        dialog.setWindowTitle(title)
        # Not modal: a modal progress dialog runs the event loop inside setValue(), so reports
        # and the job's end would arrive re-entrantly. The actions stay disabled instead.
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        worker = Worker(job)
        worker.signals.progress.connect(lambda done, total, message: self._progress(title, done, total, message))
        worker.signals.finished.connect(lambda report: self._end(on_done, report))
        worker.signals.failed.connect(lambda message: self._end(self._failed, message))
        dialog.canceled.connect(worker.cancel)
        self.progress, self.worker = dialog, worker
        self.import_action.setEnabled(False)
        self.export_action.setEnabled(False)
        dialog.show()
        QThreadPool.globalInstance().start(worker)
        return worker

    def _progress(self, title: str, done: int, total: int, message: str) -> None:
        dialog = self.progress
        if dialog is None:
            return
        if message:
            dialog.setLabelText(f"{title}: {message}")
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _end(self, callback, value) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
        self.progress, self.worker = None, None
        self.import_action.setEnabled(True)
        self.set_project_open(self.project_path() is not None)
        callback(value)

    # -- summaries --------------------------------------------------------------------------------
    def _show(self, icon, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("refi_summary")
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary = box
        box.open()

    def _exported(self, report) -> None:
        if report.cancelled:
            self._show(QMessageBox.Icon.Information, "Export cancelled", "Export cancelled; no file was written.")
        else:
            counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
            self._show(QMessageBox.Icon.Information, "REFI-QDA export finished",
                       f"Wrote {Path(report.output).name}: {counts}.", _lines(report))
        self.finished.emit(report)

    def _imported(self, report) -> None:
        if report.cancelled:
            self._show(QMessageBox.Icon.Information, "Import cancelled", "Import cancelled; no project was created.")
            self.finished.emit(report)
            return
        counts = ", ".join(f"{n} {what}" for what, n in report.imported.items())
        problems = len(report.skipped) + len(report.unknown)
        text = f"Created {Path(report.project).name}: {counts}."
        if problems:
            text += f"\n{problems} item(s) could not be carried over; see the details."
        self._show(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information,
                   "REFI-QDA import finished", text, _lines(report))
        self.finished.emit(report)
        self.projectImported.emit(Path(report.project))

    def _failed(self, message: str) -> None:
        self._show(QMessageBox.Icon.Warning, "REFI-QDA exchange failed", message)
        self.finished.emit(None)
