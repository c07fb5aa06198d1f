"""The window's File-menu work: new, open and recent projects (offering a backup when a project
cannot be opened), importing documents (speakers mapped to cases first) in the background with
progress and Cancel, REFI-QDA exchange, and reviewing names for pseudonyms. A mixin of :class:`~qualcode.ui.main_window.MainWindow`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ..errors import ProjectError, ProjectLocked, QualCodeError
from ..services import documents, starters
from .new_project_dialog import NewProjectDialog
from .import_dialog import ImportDialog
from .preferences import settings
from .pseudonym_dialog import PseudonymDialog
from .refi_actions import RefiActions
from .restore_dialog import offer_restore
from .workers import on_project

RECENT_PROJECTS = 8


class ProjectFiles:
    def _build_exchange(self) -> None:
        """File › Import / Export REFI-QDA project (made before the menus, which list them)."""
        self.refi = RefiActions(self, lambda: self.session.db.path if self.session else None)
        self.refi.projectImported.connect(lambda path: self.open_chosen(str(path)))

    # -- long work ------------------------------------------------------------------------------------
    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", "", "Text files (*.txt *.md *.text);;All files (*)")
        if paths and self.session is not None:
            dialog = self.import_dialog = ImportDialog(self, paths, self.session.db)
            dialog.accepted.connect(lambda: self.import_documents(paths, dialog.speakers()))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

    def import_documents(self, paths: list, speakers: dict[str, str] | None = None) -> None:
        """Import in the background; the window stays usable and shows progress with Cancel.
        ``speakers`` maps speaker labels to the cases their turns belong to."""
        if self.session is None or self.tasks.busy():
            return
        self.act["import"].setEnabled(False)
        mapping = {"speakers": speakers} if speakers else {}
        job = on_project(self.session.db.path, documents.import_files, [Path(p) for p in paths],
                         model=self.prefs.spacy_model, **mapping)  # sentences by the preferred spaCy pipeline
        self.tasks.start("Importing", job, self._import_done, self._import_failed)

    def suggest_pseudonyms(self) -> None:
        """Tools › Suggest pseudonyms…: review the names found and save a map for exports."""
        if self.session is not None:
            dialog = self.names_dialog = PseudonymDialog(self, self.session.db)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

    def _import_done(self, report) -> None:
        self._enable()
        if self.session is None:
            return
        self.session.documents_changed()
        self._counts()
        note = f"Imported {len(report.imported)} document(s)"
        if report.skipped:
            note += f", skipped {len(report.skipped)}"
        if report.cancelled:
            note = "Import cancelled: " + note[0].lower() + note[1:]
        self.statusBar().showMessage(note, 10_000)
        if report.skipped:
            self.show_error("Some files were not imported:\n" + "\n".join(f"{Path(f).name}: {why}"
                                                                          for f, why in report.skipped[:20]))

    def _import_failed(self, message: str) -> None:
        self._enable()
        self.show_error(message)

    # -- what the window remembers per project ---------------------------------------------------------
    def _save_recent_codes(self) -> None:
        if self.session is not None and self._persist:
            uuid = self.session.db.meta().get("project_uuid", "")
            settings().setValue(f"recent_codes/{uuid}", [str(c) for c in self.coding_actions.recent])

    def _load_recent_codes(self) -> list[int]:
        uuid = self.session.db.meta().get("project_uuid", "")
        raw = settings().value(f"recent_codes/{uuid}", []) if self._persist else []
        return [int(x) for x in (raw if isinstance(raw, list) else [raw]) if str(x).isdigit()]

    def _remember_project(self, path: Path) -> None:
        if not self._persist:
            return
        s = settings()
        items = [str(path.resolve())] + [p for p in (s.value("recent/projects", []) or []) if p != str(path.resolve())]
        s.setValue("recent/projects", items[:RECENT_PROJECTS])
        self._update_recent_projects()

    def _update_recent_projects(self) -> None:
        self.recent_menu.clear()
        raw = settings().value("recent/projects", []) or []
        for p in raw if isinstance(raw, list) else [raw]:
            self.recent_menu.addAction(Path(p).name, lambda p=p: self.open_chosen(p)).setToolTip(p)
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def open_chosen(self, path: str, offer_backup: bool = True) -> None:
        """Open a project the user chose; one that cannot be opened (damaged, not a project)
        and has backups gets the offer to restore one, and is opened once restored."""
        try:
            self.open_project(Path(path))
        except QualCodeError as exc:
            unusable = isinstance(exc, ProjectError) and not isinstance(exc, ProjectLocked)
            if offer_backup and unusable and offer_restore(self, Path(path), str(exc)):
                self.open_chosen(path, offer_backup=False)
                return
            self.show_error(str(exc))

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", "QualCode projects (*.qualcode)")
        if path:
            self.open_chosen(path)

    def choose_new_project(self) -> None:
        """Ask for the file, then for the codebook to start with when starters are installed."""
        path, _ = QFileDialog.getSaveFileName(self, "New project", "", "QualCode projects (*.qualcode)")
        if not path:
            return
        path = Path(path) if path.endswith(".qualcode") else Path(path + ".qualcode")
        offered, starter = starters.list_starters(), None
        if offered:
            dialog = NewProjectDialog(offered, path.name, self)
            if not dialog.exec():
                return
            starter = dialog.starter()
        try:
            starters.new_project(path, starter).close()
        except QualCodeError as exc:
            self.show_error(str(exc))
            return
        self.open_chosen(str(path))
