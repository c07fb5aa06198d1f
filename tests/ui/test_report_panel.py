"""The report panel driven through its widgets: run in the background, see the rows, sort,
chart, export."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from PySide6.QtCore import Qt

from ..services.reports import _oracle as oracle

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, sample_project):
    from qualcode.ui.report_panel import ReportPanel

    p = ReportPanel(sample_project)
    qtbot.addWidget(p)
    p.resize(1300, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def run(qtbot, panel):
    with qtbot.waitSignal(panel.reportReady, timeout=20000) as blocker:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def shown(panel) -> list[list[str]]:
    m = panel.view.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def header(panel) -> list[str]:
    m = panel.view.model()
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def test_frequency_report_shows_sorts_charts_and_exports(qtbot, panel, tmp_path):
    rows = oracle.codings()
    panel.by.setCurrentIndex(panel.by.findData("coder"))
    assert panel.kind.currentData() == "frequency"
    run(qtbot, panel)

    cols = header(panel)
    assert cols == ["code", "Jonas: codings", "Jonas: documents", "Mira: codings", "Mira: documents",
                    "total: codings", "total: documents"]
    table = shown(panel)
    assert [r[0] for r in table] == oracle.code_paths()
    counts = oracle.group(rows, lambda r: r["code"])
    for r in table:
        assert int(r[5]) == len(counts.get(r[0], []))
        assert int(r[1]) == sum(x["coder"] == "Jonas" for x in counts.get(r[0], []))

    panel.view.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # as a click on "total: codings" does
    ranked = [int(r[5]) for r in shown(panel)]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] == max(len(v) for v in counts.values())
    assert shown(panel)[0][0] == max(counts, key=lambda c: len(counts[c]))
    panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in shown(panel)] == sorted(oracle.code_paths(), key=str.lower)

    assert panel.tabs.isTabEnabled(1) and panel.chart_area.widget() is not None

    out = panel.export(tmp_path / "freq.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in ws[1]] == cols
    assert {r[0].value: r[5].value for r in ws.iter_rows(min_row=2)} == {
        p: len(counts.get(p, [])) for p in oracle.code_paths()}
    png = panel.export(tmp_path / "freq.png")
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_coder_filter_and_segments_with_a_condition(qtbot, panel, tmp_path):
    for action in panel.coders_menu.actions():
        action.setChecked(action.text() == "Mira")
    assert panel.coders_button.text() == "Mira"
    panel.kind.setCurrentIndex(panel.kind.findData("segments"))
    panel.code.setCurrentIndex(panel.code.findData("narrative/retelling"))
    panel.op.setCurrentIndex(panel.op.findData("and"))
    panel.other.setCurrentIndex(panel.other.findData("narrative/discrepancy"))
    result = run(qtbot, panel)

    mira = [r for r in oracle.codings() if r["coder"] == "Mira"]
    expected = sorted((a["document"], a["start"]) for a in mira if a["code"] == "narrative/retelling" and any(
        b["code"] == "narrative/discrepancy" and b["document"] == a["document"] and a["start"] < b["end"]
        and b["start"] < a["end"] for b in mira))
    assert expected and sorted((s.document, s.start) for s in result.segments) == expected
    assert panel.view.model().rowCount() == len(expected)
    assert not panel.tabs.isTabEnabled(1)  # retrieval has no chart
    out = panel.export(tmp_path / "seg.csv")
    assert len(list(csv.DictReader(open(out, encoding="utf-8")))) == len(expected)


def test_no_coder_chosen_is_said_plainly(qtbot, panel):
    for action in panel.coders_menu.actions():
        action.setChecked(False)
    with qtbot.waitSignal(panel.failed, timeout=5000, raising=True) as blocker:
        panel.hide()  # no dialog while hidden: the signal carries the message
        panel.run()
    assert "coder" in blocker.args[0]
