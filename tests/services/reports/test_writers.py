"""Exports are safe to open: formulas neutralised in CSV/XLSX, text escaped in HTML/Markdown;
XLSX is formatted; every format round-trips the report's values."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from qualcode.errors import InvalidInput
from qualcode.services import coding
from qualcode.services.reports import charts, writers
from qualcode.services.reports.cooccurrence import cooccurrence
from qualcode.services.reports.frequency import frequency
from qualcode.services.reports.retrieval import segments

from .._helpers import add_codes, add_document

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def hostile(empty_project, tmp_path):
    """A code and a memo that start like formulas, and a transcript with a script tag."""
    db = empty_project
    text = f"Anna: I said {SCRIPT} & left | early.\n"
    add_document(db, tmp_path, "doc", text)
    add_codes(db, tmp_path, "=cmd|calc", "plain")
    start = text.index("<script>")
    coding.add_coding(db, "doc", "=cmd|calc", start, start + len(SCRIPT), "ann", memo="=HYPERLINK(\"http://x\")")
    coding.add_coding(db, "doc", "plain", 0, 4, "@bob", memo="+1 more")
    return db


def write(result, out):
    tables = result.tables()
    return writers.write(out, tables, result.to_json(), tables[0].title)


def test_csv_cells_that_look_like_formulas_are_neutralised(hostile, tmp_path):
    out = write(segments(hostile, "=cmd|calc"), tmp_path / "s.csv")
    (row,) = list(csv.DictReader(open(out, encoding="utf-8")))
    assert row["code"] == "'=cmd|calc" and row["memo"] == "'=HYPERLINK(\"http://x\")"
    assert row["text"] == SCRIPT and row["start"].isdigit()
    freq = write(frequency(hostile, by="coder"), tmp_path / "f.csv")
    rows = list(csv.reader(open(freq, encoding="utf-8")))
    assert rows[0][1] == "'@bob: codings"  # a coder name in a header is a cell too
    assert [r[0] for r in rows[1:]] == ["'=cmd|calc", "plain"]


def test_xlsx_is_guarded_and_formatted(hostile, tmp_path):
    out = write(segments(hostile, "plain", context=10), tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["coder"] == "'@bob" and row["memo"] == "'+1 more" and row["start"] == 0
    assert ws.freeze_panes == "B2" and ws[1][0].font.b
    assert ws.column_dimensions["I"].width > ws.column_dimensions["F"].width  # text wider than offsets
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for r in ws.iter_rows() for c in r)

    co = cooccurrence(hostile)
    book = writers.write(tmp_path / "c.xlsx", co.tables(), co.to_json(), "co")
    assert openpyxl.load_workbook(book).sheetnames == ["Co-occurrence (overlap)", "Jaccard (overlap)"]


def test_html_and_markdown_escape_transcript_text(hostile, tmp_path):
    result = segments(hostile, "=cmd|calc", context=20)
    page = write(result, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "http" not in page.split("<body>")[0].replace("http-equiv", "")
    md = write(result, tmp_path / "s.md").read_text(encoding="utf-8")
    assert "<script" not in md and "&lt;script&gt;" in md
    assert "=cmd\\|calc" in md  # a pipe inside a cell cannot split the table


def test_json_round_trips_and_unknown_formats_are_refused_before_work(hostile, tmp_path):
    result = frequency(hostile, by="document")
    out = write(result, tmp_path / "f.json")
    assert json.loads(out.read_text(encoding="utf-8")) == result.to_json()
    with pytest.raises(InvalidInput, match=".csv .xlsx .html .md .json"):
        writers.check_target(tmp_path / "f.pdf")
    with pytest.raises(InvalidInput, match="does not exist"):
        writers.check_target(tmp_path / "missing" / "f.csv")
    with pytest.raises(InvalidInput, match=".png or .svg"):
        charts.check_chart_target(tmp_path / "c.jpg")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left


def test_charts_are_written_as_png_and_svg(hostile, tmp_path):
    png = charts.save(charts.bar_chart(frequency(hostile, by="coder")), tmp_path / "bar.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = charts.save(charts.heatmap(cooccurrence(hostile), "jaccard"), tmp_path / "heat.svg")
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "<script" not in text


def test_charts_of_an_empty_project_say_so_without_warnings(empty_project, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.save(charts.bar_chart(frequency(empty_project)), tmp_path / "bar.png")
        charts.save(charts.heatmap(cooccurrence(empty_project)), tmp_path / "heat.svg")
    assert (tmp_path / "bar.png").stat().st_size > 1000
