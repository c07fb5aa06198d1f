"""The report panel: choose a report and its filters, preview the result as a sortable table
(and, for frequencies and co-occurrence, as a chart), export it.

All computing happens in :mod:`qualcode.services.reports`, in a worker thread on a read-only
connection of its own (:class:`qualcode.ui.workers.Worker`), so the window never waits for a
report. The table model wraps the report's plain :class:`~qualcode.services.reports.writers.Table`;
the chart is the same matplotlib figure the CLI saves, on a Qt canvas.

Signals (ReportPanel):
    reportReady(object): the computed report (FrequencyTable, Cooccurrence, Retrieval, Crosstab).
    failed(str): the report could not be computed; the message says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import QualCodeError
from ..services import codebook, coding, project
from ..services.cases import list_cases
from ..services.progress import Progress
from ..services.reports import writers
from ..services.reports.selection import Filters, attribute_names
from ..store.database import Database
from .workers import Worker

FREQUENCY, COOCCURRENCE, SEGMENTS, CROSSTAB = "frequency", "cooccurrence", "segments", "crosstab"
REPORTS = [(FREQUENCY, "Code frequencies"), (COOCCURRENCE, "Co-occurrence"), (SEGMENTS, "Coded segments"),
           (CROSSTAB, "Crosstab by case attribute")]
EXPORT_FILTERS = {".csv": "CSV (*.csv)", ".xlsx": "Excel workbook (*.xlsx)", ".html": "Web page (*.html)",
                  ".md": "Markdown (*.md)", ".json": "JSON (*.json)", ".graphml": "GraphML network (*.graphml)",
                  ".png": "PNG image (*.png)", ".svg": "SVG image (*.svg)"}


_ZERO = QColor("#9aa3ad")


class ReportTableModel(QAbstractTableModel):
    """A report table, read-only. ``Qt.UserRole`` gives the raw value for sorting: numbers
    sort as numbers, empty cells first."""

    def __init__(self):
        super().__init__()
        self.table = writers.Table("", [], [])

    def set_table(self, table: writers.Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            if isinstance(value, float):
                return f"{value:.2f}".rstrip("0").rstrip(".")
            return " ".join(str(value).split()) if isinstance(value, str) else str(value)
        if role == Qt.ItemDataRole.UserRole:
            if number:
                return float(value)
            return -1e300 if value is None else str(value).lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and number and value == 0:
            return _ZERO  # zeros recede, so the counts that matter stand out
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 60:
            return value if len(value) < 1500 else value[:1500] + "…"
        return None


def _compact(combo: QComboBox, chars: int) -> QComboBox:
    """A combo box as wide as ``chars`` characters, not as its longest item (code paths and
    attribute names can be long): the panel must fit a dock beside the document view."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def _job(path: Path, compute: Callable[[Database, Progress], object]) -> Callable[[Progress], object]:
    """Run ``compute`` on a read-only connection of the worker's own."""
    def job(progress: Progress):
        with project.open_project(path, readonly=True) as db:
            return compute(db, progress)
    return job


class ReportPanel(QWidget):
    reportReady = Signal(object)
    failed = Signal(str)

    def __init__(self, db: Database | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_panel")
        self.db: Database | None = None
        self.result = None
        self.worker: Worker | None = None
        self._dropped: list[Worker] = []  # jobs for a project no longer shown, kept until they end
        self._canvas = None

        self.kind = QComboBox()
        self.kind.setObjectName("report_kind")
        for key, label in REPORTS:
            self.kind.addItem(label, key)
        self.coders_button = QToolButton()
        self.coders_button.setObjectName("report_coders")
        self.coders_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.coders_button.setMinimumWidth(110)
        self.coders_menu = QMenu(self.coders_button)
        self.coders_button.setMenu(self.coders_menu)
        self.case = _compact(QComboBox(), 14)
        self.case.setObjectName("report_case")
        self.case.setMinimumWidth(160)
        self.case.setMaximumWidth(260)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("report_run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("report_export")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export_dialog)

        self.options = QStackedWidget()
        self.options.addWidget(self._frequency_options())
        self.options.addWidget(self._cooccurrence_options())
        self.options.addWidget(self._segments_options())
        self.options.addWidget(self._crosstab_options())
        self.kind.currentIndexChanged.connect(self.options.setCurrentIndex)

        self.progress = QProgressBar()
        self.progress.setObjectName("report_progress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("report_status")

        self.model = ReportTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.view = QTableView()
        self.view.setObjectName("report_table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # codebook order until a header is clicked
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.chart_area = QScrollArea()
        self.chart_area.setObjectName("report_chart")
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "Table")
        self.tabs.addTab(self.chart_area, "Chart")
        self.tabs.setTabEnabled(1, False)
        state = QWidget()  # beside the tabs, where there is room: the top row must fit a narrow dock
        state_row = QHBoxLayout(state)
        state_row.setContentsMargins(0, 0, 4, 2)
        state_row.addWidget(self.status)
        state_row.addWidget(self.progress)
        self.tabs.setCornerWidget(state, Qt.Corner.TopRightCorner)

        top = QHBoxLayout()
        top.addWidget(QLabel("Report"))
        top.addWidget(self.kind)
        top.addSpacing(12)
        top.addWidget(QLabel("Coders"))
        top.addWidget(self.coders_button)
        top.addWidget(QLabel("Case"))
        top.addWidget(self.case)
        top.addStretch(1)
        top.addWidget(self.run_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.options)
        layout.addWidget(self.tabs, 1)
        self.set_db(db)

    # -- options per report ------------------------------------------------------------------
    def _row(self, *widgets) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            if isinstance(w, str):
                row.addWidget(QLabel(w))
            else:
                row.addWidget(w)
        row.addStretch(1)
        return box

    def _frequency_options(self) -> QWidget:
        self.by = _compact(QComboBox(), 18)
        self.by.setObjectName("report_by")
        self.rollup = QCheckBox("Roll up to parent codes")
        self.coverage = QCheckBox("Coverage %")
        return self._row("Columns", self.by, self.rollup, self.coverage)

    def _cooccurrence_options(self) -> QWidget:
        self.unit = QComboBox()
        for key, label in (("overlap", "overlapping codings"), ("paragraph", "same paragraph"),
                           ("sentence", "same sentence")):
            self.unit.addItem(label, key)
        self.same_coder = QCheckBox("Same coder only")
        self.measure = QComboBox()
        self.measure.addItem("counts", "count")
        self.measure.addItem("Jaccard", "jaccard")
        return self._row("Co-occur by", self.unit, self.same_coder, "Show first", self.measure)

    def _segments_options(self) -> QWidget:
        self.code = _compact(QComboBox(), 12)
        self.code.setObjectName("report_code")
        self.context = QSpinBox()
        self.context.setRange(0, 2000)
        self.context.setValue(80)
        self.context.setSuffix(" chars")
        self.op = _compact(QComboBox(), 8)
        for key, label in (("", "—"), ("and", "AND overlapping"), ("not", "NOT overlapping"), ("near", "NEAR")):
            self.op.addItem(label, key)
        self.other = _compact(QComboBox(), 12)
        self.within = QSpinBox()
        self.within.setRange(0, 100_000)
        self.within.setValue(200)
        self.within.setSuffix(" chars")
        self.op.currentIndexChanged.connect(self._sync_condition)
        self._sync_condition()
        return self._row("Code", self.code, "Context", self.context, self.op, self.other, "within", self.within)

    def _crosstab_options(self) -> QWidget:
        self.attribute = _compact(QComboBox(), 18)
        self.cross_rollup = QCheckBox("Roll up to parent codes")
        return self._row("Case attribute", self.attribute, self.cross_rollup)

    def _sync_condition(self) -> None:
        op = self.op.currentData()
        self.other.setEnabled(bool(op))
        self.within.setEnabled(op == "near")

    # -- project -------------------------------------------------------------------------------
    def set_db(self, db: Database | None) -> None:
        """Show the choices of another project (or none); clears the last result. A report
        still running for the project shown before is dropped when it arrives."""
        if self.worker is not None:
            self._dropped.append(self.worker)
            self._settle()
        self.db = db
        self.result = None
        self.model.set_table(writers.Table("", [], []))
        self.export_button.setEnabled(False)
        self.tabs.setTabEnabled(1, False)
        self.run_button.setEnabled(db is not None)
        for box in (self.by, self.code, self.other, self.attribute, self.case):
            box.clear()
        self.coders_menu.clear()
        self.status.setText("")
        if db is None:
            return
        self.by.addItem("— (totals only)", None)
        for label in ("document", "case", "coder"):
            self.by.addItem(f"by {label}", label)
        for scope in ("document", "case"):
            for name in attribute_names(db, scope):
                self.by.addItem(f"by {scope} attribute: {name}", f"attribute:{name}")
                if scope == "case":
                    self.attribute.addItem(name, name)
        for path, _code in codebook.list_codes(db):
            self.code.addItem(path, path)
            self.other.addItem(path, path)
        self.case.addItem("all cases", None)
        for c in list_cases(db):
            self.case.addItem(c.name, c.name)
        for coder in coding.list_coders(db):
            action = QAction(coder.name, self.coders_menu)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._coders_label)
            self.coders_menu.addAction(action)
        self._coders_label()

    def _coders_label(self) -> None:
        chosen = self.selected_coders()
        total = len(self.coders_menu.actions())
        self.coders_button.setText("all" if len(chosen) == total else ", ".join(chosen) or "none")

    def selected_coders(self) -> list[str]:
        return [a.text() for a in self.coders_menu.actions() if a.isChecked()]

    # -- running -------------------------------------------------------------------------------
    def filters(self) -> Filters:
        chosen = self.selected_coders()
        all_coders = len(chosen) == len(self.coders_menu.actions())
        case = self.case.currentData()
        if not chosen:
            raise QualCodeError("choose at least one coder")
        return Filters(coders=() if all_coders else chosen, cases=[case] if case else ())

    def _compute(self) -> Callable[[Database, Progress], object]:
        from ..services.reports import cooccurrence, crosstab, frequency, retrieval

        kind, f = self.kind.currentData(), self.filters()
        if kind == FREQUENCY:
            by, rollup, cov = self.by.currentData(), self.rollup.isChecked(), self.coverage.isChecked()
            return lambda db, p: frequency.frequency(db, by=by, filters=f, rollup=rollup, coverage=cov, progress=p)
        if kind == COOCCURRENCE:
            unit, same = self.unit.currentData(), self.same_coder.isChecked()
            return lambda db, p: cooccurrence.cooccurrence(db, filters=f, unit=unit, same_coder=same, progress=p)
        if kind == SEGMENTS:
            code, context, op = self.code.currentData(), self.context.value(), self.op.currentData()
            if not code:
                raise QualCodeError("choose a code whose segments to show")
            cond = {f"{op}_codes": [self.other.currentData()]} if op else {}
            within = self.within.value() if op == "near" else None
            return lambda db, p: retrieval.segments(db, code, context, filters=f, within=within, progress=p, **cond)
        attribute, rollup = self.attribute.currentData(), self.cross_rollup.isChecked()
        if not attribute:
            raise QualCodeError("this project has no case attributes to cross codes with")
        return lambda db, p: crosstab.crosstab(db, attribute, filters=f, rollup=rollup, progress=p)

    def run(self) -> None:
        """Compute the chosen report in the background; the table fills in when it is done."""
        if self.db is None or self.worker is not None:
            return
        try:
            compute = self._compute()
        except QualCodeError as exc:
            self._failed(str(exc))
            return
        worker = self.worker = Worker(_job(self.db.path, compute))

        def while_current(slot):  # a job dropped by set_db reports to nobody
            return lambda *args: slot(*args) if worker is self.worker else None

        worker.signals.progress.connect(while_current(self._progress))
        worker.signals.finished.connect(while_current(self._finished))
        worker.signals.failed.connect(while_current(self._failed))
        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("computing…")
        QThreadPool.globalInstance().start(worker)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:
            self.status.setText(message)

    def _settle(self) -> None:
        self.worker = None
        self.progress.hide()
        self.run_button.setEnabled(self.db is not None)

    def _failed(self, message: str) -> None:
        self._settle()
        self.status.setText("")
        self.failed.emit(message)
        if self.isVisible():
            QMessageBox.warning(self, "QualCode", message)

    def _finished(self, result) -> None:
        self._settle()
        self.result = result
        measure = self.measure.currentData() if self.kind.currentData() == COOCCURRENCE else None
        table = result.tables(measure)[0] if measure else result.tables()[0]
        self.model.set_table(table)
        self.proxy.sort(-1)
        self.view.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            if self.view.columnWidth(col) > 380:
                self.view.setColumnWidth(col, 380)
        self.status.setText(f"{len(table.rows)} rows")
        self.export_button.setEnabled(True)
        self._show_chart(result)
        self.reportReady.emit(result)

    # -- chart ---------------------------------------------------------------------------------
    def has_chart(self) -> bool:
        from ..services.reports.cooccurrence import Cooccurrence
        from ..services.reports.frequency import FrequencyTable

        return isinstance(self.result, FrequencyTable) or (
            isinstance(self.result, Cooccurrence) and len(self.result.codes) > 1)

    def figure(self):
        """The chart of the current result (a new matplotlib figure), or None."""
        from ..services.reports import charts
        from ..services.reports.frequency import FrequencyTable

        if not self.has_chart():
            return None
        if isinstance(self.result, FrequencyTable):
            return charts.bar_chart(self.result)
        return charts.heatmap(self.result, self.measure.currentData())

    def _show_chart(self, result) -> None:
        fig = self.figure()
        self.tabs.setTabEnabled(1, fig is not None)
        if fig is None:
            self.chart_area.takeWidget()
            self._canvas = None
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        canvas = FigureCanvasQTAgg(fig)
        width, height = fig.get_size_inches() * fig.dpi
        canvas.setMinimumSize(int(width), int(height))
        self.chart_area.setWidget(canvas)
        self._canvas = canvas

    # -- export --------------------------------------------------------------------------------
    def export(self, out: str | Path) -> Path:
        """Write the current result to ``out`` (format by extension; .png/.svg save the chart)."""
        if self.result is None:
            raise QualCodeError("run a report first")
        out = Path(out)
        if out.suffix.lower() in (".png", ".svg"):
            from ..services.reports import charts

            fig = self.figure()
            if fig is None:
                raise QualCodeError("this report has no chart; export it as a table")
            return charts.save(fig, out)
        measure = self.measure.currentData() if self.kind.currentData() == COOCCURRENCE else None
        tables = self.result.tables(measure) if measure else self.result.tables()
        graph = self.result.graph() if out.suffix.lower() == ".graphml" and hasattr(self.result, "graph") else None
        return writers.write(out, tables, self.result.to_json(), tables[0].title, graph=graph)

    def _export_dialog(self) -> None:
        suffixes = list(writers.FORMATS)
        if hasattr(self.result, "graph"):
            suffixes.append(".graphml")
        if self.has_chart():
            suffixes += [".png", ".svg"]
        name, _filter = QFileDialog.getSaveFileName(self, "Export report", f"{self.kind.currentData()}.xlsx",
                                                    ";;".join(EXPORT_FILTERS[s] for s in suffixes))
        if not name:
            return
        try:
            written = self.export(name)
        except (QualCodeError, OSError) as exc:
            QMessageBox.warning(self, "QualCode", str(exc))
            return
        self.status.setText(f"exported to {written.name}")
