"""Random and mutated files through the readers that write to a project: codings CSV, cases
CSV/XLSX, codebook CSV/Markdown/.qdc, and REFI-QDA .qdpx.

Each example starts from a fresh copy of the sample project. The only outcomes allowed: the
import succeeds and the project is still sound, or it fails with a clear QualCodeError and
the project is exactly as it was.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import QualCodeError
from qualcode.services import cases, check, codebook, codebook_exchange, coding, refi, refi_import
from qualcode.store import database
from tests.cli._helpers import SAMPLE_DIR, table_checksums

from tests.io._fixtures import rezip

from ._inputs import NASTY, mutated, mutated_member

FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class Bench:
    """A fresh copy of the sample per example, and the verdict on what the reader did."""

    def __init__(self, template: Path, folder: Path):
        self.template, self.folder = template, folder
        self.template_bytes = template.read_bytes()
        self.template_sums = table_checksums(template)
        self.project = folder / "work.qualcode"
        self.input = folder / "input"

    def run(self, reader, data: bytes, suffix: str) -> None:
        for p in self.folder.glob("work.qualcode*"):
            p.unlink()
        shutil.copy(self.template, self.project)
        path = self.input.with_suffix(suffix)
        path.write_bytes(data)
        db = database.open_db(self.project)
        try:
            try:
                reader(db, path)
            except QualCodeError as exc:
                assert str(exc) and "\n" not in str(exc)
                failed = True
            else:
                failed = False
                report = check.check(db)
                assert report.ok, report.as_dict()
        finally:
            db.close()
        if failed:
            assert self.project.read_bytes() == self.template_bytes or \
                table_checksums(self.project) == self.template_sums


@pytest.fixture(scope="module")
def bench(sample_file, tmp_path_factory):
    return Bench(sample_file, tmp_path_factory.mktemp("fuzz-readers"))


@pytest.fixture(scope="module")
def exports(sample_file, tmp_path_factory):
    """Valid .qdc, .qdpx and .xlsx files to mutate, written from the sample project."""
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    with database.open_db(sample_file, readonly=True) as db:
        codebook_exchange.export_qdc(db, folder / "seed.qdc")
        refi.export_qdpx(db, folder / "seed.qdpx")
    import openpyxl

    wb = openpyxl.Workbook()
    with open(SAMPLE_DIR / "cases.csv", encoding="utf-8") as fh:
        for row in list(csv.reader(fh))[:8]:
            wb.active.append(row)
    wb.save(folder / "seed.xlsx")
    return Seeds({s: (folder / f"seed{s}").read_bytes() for s in (".qdc", ".qdpx", ".xlsx")})


class Seeds(dict):
    def __repr__(self) -> str:  # keeps hypothesis's report of a failing example short
        return "<seed files>"


def sample_lines(name: str, n: int) -> bytes:
    return b"".join((SAMPLE_DIR / name).read_bytes().splitlines(keepends=True)[:n])


# -- cells built from the sample's own names, numbers at the edges, and junk -------------------------

DOCS = ["01_halden", "02_varga", "'01_halden", "", " 01_halden", "no such doc", "=01_halden"]
CODES = ["lock-in", "lock-in/cognitive", "new/sub/code", "", "/", "a//b", " ", "=SUM(1)", "lock-in/", "x" * 300,
         "cognitive", "'=x"]
CODERS = ["Mira", "Jonas", "", " ", "=evil", "new coder"]
NUMBERS = st.one_of(st.integers(-3, 13000).map(str), st.sampled_from(["", "1.5", "1e3", "0x10", "٣", "9" * 30, "-0",
                                                                      " 5", "NaN"]))
CELL = st.one_of(st.text(max_size=20), st.sampled_from([b.decode("utf-8", "replace") for b in NASTY]))


def write_rows(rows: list[list[str]], bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def codings_csv(draw) -> bytes:
    header = draw(st.one_of(st.just(["document", "code", "coder", "start", "end", "text", "memo"]),
                            st.permutations(["document", "code", "coder", "start", "end", "memo", "evidence"]),
                            st.lists(st.sampled_from(["document", "code", "coder", "start", "end", "Text", "bogus",
                                                      "evidence", ""]), max_size=8)))
    rows = [header]
    for _ in range(draw(st.integers(0, 6))):
        cell = {"document": st.sampled_from(DOCS), "code": st.sampled_from(CODES), "coder": st.sampled_from(CODERS),
                "start": NUMBERS, "end": NUMBERS, "evidence": st.sampled_from(["hearsay", "witnessed", "", "maybe"])}
        row = [draw(cell.get(h, CELL)) for h in header]
        if draw(st.booleans()):
            row = row[:draw(st.integers(0, len(row)))] + draw(st.lists(CELL, max_size=2))
        rows.append(row)
    return write_rows(rows, bom=draw(st.booleans()))


@st.composite
def cases_csv(draw) -> bytes:
    names = ["Halden Knits", "Brenmoor knitwear cluster", "A", "B", "", "=cmd"]
    header = draw(st.one_of(st.just(["case", "parent", "kind", "size", "documents"]),
                            st.lists(st.sampled_from(["case", "parent", "kind", "size", "documents", "Case", ""]),
                                     max_size=6)))
    rows = [header]
    for _ in range(draw(st.integers(0, 6))):
        cell = {"case": st.sampled_from(names), "parent": st.sampled_from(names),
                "kind": st.sampled_from(["informant", "cluster", "other", "boss", ""]),
                "documents": st.sampled_from(["01_halden", "01_halden;02_varga", "nope", ";;", ""])}
        rows.append([draw(cell.get(h, CELL)) for h in header] + draw(st.lists(CELL, max_size=1)))
    return write_rows(rows)


@st.composite
def codebook_csv(draw) -> bytes:
    header = draw(st.one_of(st.just(["path", "definition", "color"]),
                            st.lists(st.sampled_from(["path", "definition", "inclusion", "color", "x"]), max_size=5)))
    rows = [header] + [[draw(st.sampled_from(CODES) if h == "path" else
                             st.sampled_from(["#ff0000", "red", "#12", ""]) if h == "color" else CELL)
                        for h in header] for _ in range(draw(st.integers(0, 6)))]
    return write_rows(rows)


@st.composite
def codebook_md(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        lines.append(draw(st.one_of(st.sampled_from(CODES).map(lambda p: f"## {p}"),
                                    st.sampled_from(["# Codebook", "###", "## ", "Definition: x", "Colour: #ff0000",
                                                     "Color: nope", "Example:", "- item"]),
                                    CELL)))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


# -- the fuzzers --------------------------------------------------------------------------------------

@FUZZ
@given(data=st.one_of(codings_csv(), mutated(sample_lines("codings_mira.csv", 12)), st.binary(max_size=300)))
def test_codings_csv(bench, data):
    bench.run(lambda db, p: coding.import_csv(db, p), data, ".csv")


@FUZZ
@given(data=st.one_of(cases_csv(), mutated(sample_lines("cases.csv", 10)), st.binary(max_size=300)))
def test_cases_csv(bench, data):
    bench.run(cases.import_cases, data, ".csv")


@FUZZ
@given(data=st.data())
def test_cases_xlsx(bench, exports, data):
    seed = exports[".xlsx"]
    bench.run(cases.import_cases, data.draw(st.one_of(mutated(seed), mutated_member(seed, "xl/worksheets/sheet1.xml"),
                                                      mutated_member(seed, "xl/sharedStrings.xml")
                                                      if "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(seed))
                                                      .namelist() else mutated(seed))), ".xlsx")


@FUZZ
@given(data=st.one_of(codebook_csv(), mutated(sample_lines("codebook.csv", 6)), st.binary(max_size=300)))
def test_codebook_csv(bench, data):
    bench.run(codebook.import_file, data, ".csv")


@FUZZ
@given(data=st.one_of(codebook_md(), st.binary(max_size=300)))
def test_codebook_markdown(bench, data):
    bench.run(codebook.import_file, data, ".md")


@FUZZ
@given(data=st.data())
def test_codebook_qdc(bench, exports, data):
    seed = exports[".qdc"]
    bench.run(codebook.import_file, data.draw(st.one_of(mutated(seed, max_edits=3), st.binary(max_size=200))), ".qdc")


@FUZZ
@given(data=st.data())
def test_refi_qdpx(exports, tmp_path_factory, data):
    """A .qdpx makes a new project: on failure there is no project (and no temporary file)."""
    seed = exports[".qdpx"]
    package = data.draw(st.one_of(mutated(seed), mutated_member(seed, "project.qde")))
    folder = tmp_path_factory.mktemp("qdpx")
    source, target = folder / "in.qdpx", folder / "out.qualcode"
    source.write_bytes(package)
    try:
        refi_import.import_qdpx(source, target)
    except QualCodeError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert sorted(p.name for p in folder.iterdir()) == ["in.qdpx"]
        return
    with database.open_db(target, readonly=True) as db:
        assert check.check(db).ok


# -- what the fuzzers found, kept as plain regression tests -----------------------------------------

def test_csv_files_with_old_mac_line_endings_are_read(bench):
    """A bare CR ended csv.reader with "new-line character seen in unquoted field"."""
    codings = "document,code,coder,start,end\r01_halden,lock-in,Mac,0,10\r01_halden,lock-in,Mac,20,30\r"
    bench.run(lambda db, p: coding.import_csv(db, p) == 2 or pytest.fail("not all rows"), codings.encode(), ".csv")
    bench.run(cases.import_cases, b"case,kind\rMac case,informant\r", ".csv")
    bench.run(lambda db, p: codebook.import_file(db, p)["created"] == 2 or pytest.fail("no codes"),
              b"path,definition\rmac/code,made on a Mac\r", ".csv")


def test_an_xlsx_with_a_damaged_sheet_is_refused_plainly(bench, exports):
    """openpyxl reads a read-only sheet lazily: the damage surfaced outside the guarded load."""
    seed = exports[".xlsx"]
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    broken = rezip(seed, replace={"xl/worksheets/sheet1.xml": sheet[:len(sheet) // 2]})
    folder = bench.folder
    (folder / "broken.xlsx").write_bytes(broken)
    with database.open_db(bench.project) as db:
        with pytest.raises(QualCodeError, match="not a readable .xlsx workbook"):
            cases.import_cases(db, folder / "broken.xlsx")
