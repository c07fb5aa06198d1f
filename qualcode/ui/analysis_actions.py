"""The Analysis menu's panels, wired into the window: inter-coder agreement (a dialog), reports
and stories (docks below the text, tabbed with the coded segments and search).

One object owns them so that the window stays an assembly. It re-targets them when a project
opens or closes (waiting for their background jobs first, so no connection to the old file
outlives it), feeds the story panel the text selection, shows the passages the story panel
asks for, and turns their edits into the session's refresh signal, so the document view,
the coded segments and the counts show what an adjudication or a telling changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import QDockWidget, QLabel, QStackedWidget

from ..errors import QualCodeError
from .agreement_dialog import AgreementDialog
from .report_panel import ReportPanel
from .session import Session
from .story_panel import StoryPanel

ANALYSIS_HEIGHT = 380  # px of the bottom dock area when reports or stories are shown
JOB_WAIT_MS = 10_000  # a panel's job finishing its read (or its one transaction) on close


class AnalysisPanels(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.reports = ReportPanel(None)
        self.stories: StoryPanel | None = None
        self.agreement: AgreementDialog | None = None
        self.story_stack = QStackedWidget()
        self.story_stack.setObjectName("story_stack")
        placeholder = QLabel("Open a project to record its stories and their tellings.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.story_stack.addWidget(placeholder)
        for key, title, widget in (("reports", "Reports", self.reports), ("stories", "Stories", self.story_stack)):
            dock = QDockWidget(title, window)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            window.docks[key] = dock
        window.tabifyDockWidget(window.docks["search"], window.docks["reports"])
        window.tabifyDockWidget(window.docks["reports"], window.docks["stories"])
        window.docks["segments"].raise_()
        window.view.selectionSpanChanged.connect(self._selection_changed)

    # -- the menu's actions ----------------------------------------------------------------------
    def open_agreement(self) -> AgreementDialog | None:
        """Show the compare-and-adjudicate dialog; one per open project, since its decisions
        stay on the project's undo stack after the dialog is closed."""
        s = self.w.session
        if s is None:
            return None
        if self.agreement is None:
            self.agreement = AgreementDialog(s.db, s.undo_stack, self.w)
            self.agreement.changed.connect(self._project_changed)
        else:
            self.agreement.reload_coders()
        self.agreement.show()
        self.agreement.raise_()
        self.agreement.activateWindow()
        return self.agreement

    def show_reports(self) -> None:
        self._show("reports")
        self.reports.kind.setFocus()

    def show_stories(self) -> None:
        self._show("stories")

    def _show(self, key: str) -> None:
        """Bring the dock's tab forward, and give the bottom area room for a table or a graph."""
        dock = self.w.docks[key]
        dock.show()
        dock.raise_()
        if dock.height() < ANALYSIS_HEIGHT and not dock.isFloating():
            self.w.resizeDocks([dock], [min(ANALYSIS_HEIGHT, self.w.height() // 2)], Qt.Orientation.Vertical)

    # -- project ---------------------------------------------------------------------------------
    def set_session(self, s: Session | None) -> None:
        """Point every panel at another project (or none). Called before the old project's
        database is closed: running jobs are cancelled or finished first."""
        if self.agreement is not None:
            self.agreement.shutdown()
            self.agreement.deleteLater()
            self.agreement = None
        QThreadPool.globalInstance().waitForDone(JOB_WAIT_MS)  # reports, story suggestions
        self.reports.set_db(s.db if s is not None else None)
        if self.stories is not None:
            self.story_stack.removeWidget(self.stories)
            self.stories.deleteLater()
            self.stories = None
        if s is not None:
            self.stories = StoryPanel(s.db, s.undo_stack)
            self.stories.jump_requested.connect(self._jump)
            self.stories.stories_changed.connect(self._project_changed)
            self.story_stack.addWidget(self.stories)
            self.story_stack.setCurrentWidget(self.stories)

    # -- routing ---------------------------------------------------------------------------------
    def _selection_changed(self, start: int, end: int) -> None:
        if self.stories is not None:
            self.stories.set_selection(self.w.document_name(), start, end)

    def _jump(self, document: str, start: int, end: int) -> None:
        try:
            self.w.show_document(document)
            self.w.show_span(start, end)
        except QualCodeError as exc:
            self.w.show_error(str(exc))
            return
        self.w.view.setFocus()

    def _project_changed(self) -> None:
        """Codings may have changed anywhere (adjudication, a telling's coding): reload the
        open document's codings, the counts and the coded segments, as after any edit."""
        s = self.w.session
        if s is not None:
            doc = self.w.view.document_id
            s.codings_changed(doc if doc is not None else -1)
