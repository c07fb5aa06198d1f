"""Exports are safe to open: HTML shows hostile transcript text instead of running it, and
spreadsheet cells never start a formula.

One project is filled with hostile content everywhere a user's words go (transcript text, a
document name, code names and definitions, coder names, memos, a case and its attribute, a
story, an element, a variant), then every HTML, CSV and XLSX exporter the CLI has is run on it.
"""

from __future__ import annotations

import contextlib
import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest

from qualcode import cli

SCRIPT = "<script>alert(1)</script>"
TEXT = (f"Interviewer: {SCRIPT} & <b>bold</b> here.\n\n"
        "Halden: =1+2 is what he said, then +SUM(A1:A9) and @risk and -2+3 too.\n\n"
        "Halden: <img src=x onerror=alert(2)> and the end.")
DOC = '=HYPERLINK("http://evil.example","x")'
CODES = ["<img src=x onerror=alert(3)>", "=cmd|' C calc'!A0", "@evil", "+plus", "-minus"]
CODERS = ["@attacker", "=coder"]
CASE = "<i>Halden</i>"
STORY = "<script>alert(4)</script>"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def qualcode(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main([str(a) for a in args])
    assert rc == 0, (args, err.getvalue())
    return out.getvalue()


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    p = root / "hostile.qualcode"
    qualcode("new", p)
    (root / "t.txt").write_text(TEXT, encoding="utf-8")
    qualcode("import", p, root / "t.txt", "--name", DOC)
    qualcode("codebook", "import", p, write_csv(root / "codes.csv", [["path", "definition", "example"]] + [
        [c, f"{SCRIPT} & <b>definition</b>", "=2*3"] for c in CODES]))
    script_at = TEXT.index(SCRIPT)
    spans = [(script_at, script_at + len(SCRIPT) + 20), (TEXT.index("=1+2"), TEXT.index(" too.")),
             (TEXT.index("<img"), len(TEXT))]
    rows = [["document", "code", "coder", "start", "end", "memo"]]
    rows += [[DOC, code, coder, s, e, f"=HYPERLINK(\"x\") {SCRIPT}"] for coder in CODERS for code in CODES
             for s, e in spans]
    qualcode("codings", "import", p, write_csv(root / "codings.csv", rows))
    qualcode("cases", "import", p, write_csv(root / "cases.csv", [["case", "kind", "size", "documents"],
                                                                    [CASE, "informant", "=1+1", DOC]]))
    qualcode("story", "add", p, "--title", STORY, "--summary", "<b>summary</b>")
    qualcode("story", "element", p, "1", "--label", "=element <u>one</u>")
    qualcode("story", "tell", p, "1", "--document", DOC, "--start", spans[0][0], "--end", spans[0][1],
             "--teller", CASE)
    qualcode("story", "realize", p, "1", "1", "--status", "present", "--variant", "<b>variant</b> & more")
    return root, p


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


HTML_EXPORTS = {
    "agreement": lambda p, out: ("agreement", p, "--coders", ",".join(CODERS), "--out", out),
    "frequency": lambda p, out: ("report", "frequency", p, out, "--by", "document"),
    "cooccurrence": lambda p, out: ("report", "cooccurrence", p, out),
    "segments": lambda p, out: ("report", "segments", p, out, "--code", CODES[0], "--context", "30"),
    "crosstab": lambda p, out: ("report", "crosstab", p, out, "--attribute", "size"),
    "lineage": lambda p, out: ("lineage", p, out),
}
# what each report must show (escaped) to prove the hostile words went through it
SHOWN = {"agreement": CODES[0], "frequency": DOC, "cooccurrence": CODES[0], "segments": SCRIPT, "crosstab": CODES[0],
         "lineage": SCRIPT}


@pytest.mark.parametrize("name", sorted(HTML_EXPORTS))
def test_html_exports_escape_what_users_wrote(hostile, name):
    root, p = hostile
    out = root / f"{name}.html"
    qualcode(*HTML_EXPORTS[name](p, out))
    page = out.read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "i", "u"}, tags  # (reports use <b> themselves)
    handlers = [(tag, a) for tag, attrs in parsed.tags for a, _ in attrs if a.lower().startswith("on")]
    assert handlers == []
    for raw in (SCRIPT, "<b>bold</b>", "<img src=x", STORY, CASE, "<b>variant</b>", "<u>one</u>", "<b>summary</b>",
                "<b>definition</b>"):
        assert raw not in page
    assert SHOWN[name] in "".join(parsed.text)  # there, as text
    if name in ("segments", "lineage"):
        assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_markdown_reports_do_not_pass_html_through(hostile):
    root, p = hostile
    out = root / "segments.md"
    qualcode("report", "segments", p, out, "--code", CODES[0])
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page and "alert(1)" in page


CSV_EXPORTS = {
    "codings": lambda p, out: ("codings", "export", p, out, "--with-evidence"),
    "codebook": lambda p, out: ("codebook", "export", p, out),
    "frequency": lambda p, out: ("report", "frequency", p, out, "--by", "coder"),
    "cooccurrence": lambda p, out: ("report", "cooccurrence", p, out),
    "segments": lambda p, out: ("report", "segments", p, out, "--code", CODES[1], "--context", "10"),
    "crosstab": lambda p, out: ("report", "crosstab", p, out, "--attribute", "size"),
    "agreement": lambda p, out: ("agreement", p, "--coders", ",".join(CODERS), "--out", out),
    "lineage": lambda p, out: ("lineage", p, out),
    "pseudonyms": lambda p, out: ("pseudonyms", "suggest", p, "--out", out),
}
XLSX_EXPORTS = ("frequency", "cooccurrence", "segments", "crosstab", "agreement", "lineage")


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def unsafe(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and c.startswith(TRIGGERS) and not is_number(c)]


@pytest.mark.parametrize("name", sorted(CSV_EXPORTS))
def test_csv_exports_guard_formulas(hostile, name):
    root, p = hostile
    out = root / f"{name}.csv"
    qualcode(*CSV_EXPORTS[name](p, out))
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert cells and unsafe(cells) == []
    if name in ("codings", "segments", "agreement", "codebook"):
        assert any(c.startswith("'") and c[1:].startswith(TRIGGERS) for c in cells), "nothing hostile got through"


@pytest.mark.parametrize("name", XLSX_EXPORTS)
def test_xlsx_exports_guard_formulas(hostile, name):
    root, p = hostile
    out = root / f"{name}.xlsx"
    qualcode(*CSV_EXPORTS[name](p, out))
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no formula cell at all
    assert unsafe([c.value for c in cells]) == []
    if name in ("segments", "agreement", "frequency"):
        assert any(isinstance(c.value, str) and c.value[:1] == "'" and c.value[1:].startswith(TRIGGERS)
                   for c in cells)
