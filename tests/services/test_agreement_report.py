"""The agreement report in its three formats: content, escaping, spreadsheet safety."""

from __future__ import annotations

import csv
import html

import openpyxl
import pytest

from qualcode.errors import InvalidInput
from qualcode.services import agreement, coding
from qualcode.services.agreement_report import alpha_reading, kappa_reading, write_report

from ._helpers import add_codes, add_document

TEXT = "=HYPERLINK(\"x\") said <b>Ann</b> & left. Then the rest of the day was calm."


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "doc <1>", TEXT)
    add_codes(empty_project, tmp_path, "talk/<quote>", "calm")
    coding.add_coding(empty_project, "doc <1>", "talk/<quote>", 0, 36, "Ann")  # only Ann: a disagreement
    coding.add_coding(empty_project, "doc <1>", "calm", 40, 70, "Ann")
    coding.add_coding(empty_project, "doc <1>", "calm", 45, 70, "Ben")
    return empty_project


def test_html_is_escaped_and_complete(db, tmp_path):
    out = tmp_path / "r.html"
    doc = write_report(db, out, ["Ann", "Ben"])
    page = out.read_text(encoding="utf-8")
    assert doc == agreement.compute(db, ["Ann", "Ben"])
    assert "<b>Ann</b>" not in page and html.escape("<b>Ann</b>") in page
    assert html.escape("talk/<quote>") in page and html.escape("doc <1>") in page
    assert "<script" not in page and "<link" not in page and "src=" not in page  # self-contained
    for needle in ("character: every character", "Ann, Ben", "Landis &amp; Koch", "0.667", "0.800",
                   "Disagreements", str(doc["per_code"]["calm"]["units"])):
        assert needle in page


def test_csv_sections_and_formula_guard(db, tmp_path):
    out = tmp_path / "r.csv"
    doc = write_report(db, out, ["Ann", "Ben"])
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    titles = [rows[0][0]] + [rows[i + 1][0] for i, r in enumerate(rows[:-1]) if r == []]
    assert titles == ["Summary", "Statistics", "Common readings", "Disagreements"]
    dis = rows[rows.index(["Disagreements"]) + 1:]
    assert dis[0] == ["code", "document", "start", "end", "text", "coded by Ann", "coded by Ben"]
    first = dis[1]
    assert first[4] == "'" + TEXT[0:36]  # a cell starting with = is neutralised
    assert first[5] == "0-36" and first[6] == ""
    stats = rows[rows.index(["Statistics"]) + 2:rows.index(["Common readings"]) - 1]
    calm = next(r for r in stats if r[0] == "calm")
    assert float(calm[2]) == doc["per_code"]["calm"]["percent"]
    assert int(calm[1]) == doc["per_code"]["calm"]["units"] == len(TEXT)


def test_xlsx_has_one_sheet_per_table_with_frozen_headers(db, tmp_path):
    out = tmp_path / "r.xlsx"
    doc = write_report(db, out, ["Ann", "Ben"], unit="document")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Statistics", "Common readings", "Disagreements"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
    stats = wb["Statistics"]
    header = [c.value for c in stats[1]]
    row = next(r for r in stats.iter_rows(min_row=2, values_only=True) if r[0] == "calm")
    assert row[header.index("units")] == 1
    assert row[header.index("Cohen's kappa")] == doc["per_code"]["calm"]["cohen_kappa"]
    dis = wb["Disagreements"]
    assert dis.column_dimensions["E"].width >= 60
    texts = [r[4] for r in dis.iter_rows(min_row=2, values_only=True)]
    assert texts and all(not str(t).startswith("=") for t in texts)


def test_unknown_format_or_folder_is_refused_before_computing(db, tmp_path):
    with pytest.raises(InvalidInput, match=".html, .xlsx or .csv"):
        write_report(db, tmp_path / "r.pdf", ["Ann", "Ben"])
    with pytest.raises(InvalidInput, match="does not exist"):
        write_report(db, tmp_path / "no" / "r.html", ["Ann", "Ben"])
    assert not list(tmp_path.glob("r.*"))


@pytest.mark.parametrize("value, reading", [(None, ""), (-0.1, "poor"), (0.0, "slight"), (0.2, "slight"),
                                            (0.35, "fair"), (0.6, "moderate"), (0.75, "substantial"),
                                            (0.81, "almost perfect")])
def test_landis_koch_readings(value, reading):
    assert kappa_reading(value) == reading


@pytest.mark.parametrize("value, reading", [(None, ""), (0.5, "not reliable"), (0.667, "tentative conclusions only"),
                                            (0.799, "tentative conclusions only"), (0.8, "reliable")])
def test_krippendorff_readings(value, reading):
    assert alpha_reading(value) == reading
