"""Lineage exports on the sample project: GraphML loads in networkx with one node per telling and
per non-telling source, DOT draws stated edges solid and inferred ones dashed, the CSV and XLSX
carry the variant table and the discrepancies, and the HTML report opens offline with all text
escaped."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from qualcode.errors import InvalidInput
from qualcode.services import documents, lineage, stories, transmissions

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_transcripts"
SAMPLE = json.loads((SAMPLE_DIR / "stories.json").read_text(encoding="utf-8"))["stories"]


def sources(story: dict) -> set:
    """The distinct sources of a story that are not tellings: cases and free-text descriptions."""
    return {json.dumps(x["from"], sort_keys=True) for x in story["transmissions"] if not isinstance(x["from"], str)}


def test_graphml_has_a_node_per_telling_and_per_other_source(sample_project, tmp_path):
    out = tmp_path / "l.graphml"
    assert lineage.export(sample_project, out) == len(SAMPLE)
    g = nx.read_graphml(out)
    tellings = [n for n, a in g.nodes(data=True) if a["kind"] == "telling"]
    assert len(tellings) == sum(len(s["tellings"]) for s in SAMPLE)
    assert g.number_of_nodes() == len(tellings) + sum(len(sources(s)) for s in SAMPLE)
    assert g.number_of_edges() == sum(len(s["transmissions"]) for s in SAMPLE)
    doc = lineage.lineage(sample_project)
    for story in doc["stories"]:
        for t in story["tellings"]:
            a = g.nodes[f"telling-{t['id']}"]
            assert (a["role"], a["teller"], a["document"]) == (t["role"], t["teller"], t["document"])
            assert a.get("generation") == t["generation"]  # absent when unknown
        for x in story["transmissions"]:
            if x["from"] is not None:
                assert g.edges[f"telling-{x['from']}", f"telling-{x['to']}"]["basis"] == x["basis"]


def test_dot_solid_for_stated_dashed_for_inferred(sample_project, tmp_path):
    flood = stories.story_id(sample_project, "The Halden flood")
    quell, wilk = (t.id for t in stories.tellings(sample_project, flood) if t.document_id in (
        documents.document_id(sample_project, "03_quell"), documents.document_id(sample_project, "10_wilk")))
    transmissions.add_transmission(sample_project, wilk, from_telling=quell, basis="inferred")
    out = tmp_path / "l.dot"
    lineage.export(sample_project, out, story=flood)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("digraph lineage {") and text.rstrip().endswith("}")
    edges = [line for line in text.splitlines() if " -> " in line]
    assert len(edges) == len(transmissions.transmissions(sample_project, flood))
    assert [e for e in edges if "style=dashed" in e] == [
        f'    "telling-{quell}" -> "telling-{wilk}" [style=dashed, label="inferred"];']
    assert text.count("cluster_story_") == 1


def test_csv_is_the_variant_table_in_long_form(sample_project, tmp_path):
    out = tmp_path / "l.csv"
    lineage.export(sample_project, out)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(s["elements"]) * len(s["tellings"]) for s in SAMPLE)
    ander = next(r for r in rows if r["teller"] == "Joaquim Ander" and r["element"].startswith("Flood puts"))
    assert (ander["status"], ander["variant"], ander["document"]) == ("present", "a fire, not a flood; the machines "
                                                                      "burnt black", "05_ander")
    assert ander["discrepancies"] == "substitution"
    reference = {r["telling_id"] for r in rows if r["reference"] == "yes"}
    assert len(reference) == sum(1 for s in SAMPLE if any(t["role"] == "protagonist" for t in s["tellings"]))


def test_csv_and_xlsx_neutralise_formulas(sample_project, tmp_path):
    sid = stories.add_story(sample_project, "=HYPERLINK(\"http://x\")")
    stories.add_element(sample_project, sid, "@SUM(A1:A2)")
    stories.tell(sample_project, sid, "01_halden", 0, 50, "Tomas Halden", "protagonist")
    lineage.export(sample_project, tmp_path / "l.csv", story=sid)
    lineage.export(sample_project, tmp_path / "l.xlsx", story=sid)
    text = (tmp_path / "l.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    ws = openpyxl.load_workbook(tmp_path / "l.xlsx")["Variants"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if v[0] in "=+-@"]


def test_xlsx_has_variants_and_discrepancies(sample_project, tmp_path):
    out = tmp_path / "l.xlsx"
    lineage.export(sample_project, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Variants", "Discrepancies"]
    doc = lineage.lineage(sample_project)
    listed = list(wb["Discrepancies"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == sum(len(t["discrepancies"]) for s in doc["stories"] for t in s["tellings"])
    variants = wb["Variants"]
    titles = [r[0].value for r in variants.iter_rows() if r[0].font.size == 13]
    assert titles == [s["title"] for s in SAMPLE]
    tinted = sum(1 for row in variants.iter_rows() for c in row if c.fill.fill_type == "solid")
    differing = sum(1 for s in doc["stories"] for t in s["tellings"] for e in s["elements"]
                    if any(e["id"] in d["elements"] for d in t["discrepancies"]))
    assert tinted == differing


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_self_contained_and_escaped(sample_project, tmp_path):
    sid = stories.add_story(sample_project, "<script>alert('x')</script> & more")
    stories.add_element(sample_project, sid, 'The "<b>" element')
    stories.tell(sample_project, sid, "01_halden", 0, 60, "Tomas Halden", "protagonist")
    out = tmp_path / "l.html"
    lineage.export(sample_project, out)
    page = out.read_text(encoding="utf-8")
    parsed = Collect()
    parsed.feed(page)
    parsed.close()
    assert parsed.tags.count("svg") == len(SAMPLE) + 1
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parsed.tags)
    refs = [v for k, v in parsed.attrs if k in ("href", "src", "xlink:href") and not (v or "").startswith("#")]
    assert refs == []
    assert "http://" not in page and "https://" not in page and "url(http" not in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    text = "".join(parsed.text)
    assert "<script>alert('x')</script> & more" in text  # shown to the reader as written
    for story in SAMPLE:
        assert story["title"] in text
        for t in story["tellings"]:
            assert t["teller"] in text


def test_unknown_format_and_folder_are_refused(sample_project, tmp_path):
    for out, needle in ((tmp_path / "l.pdf", ".graphml"), (tmp_path / "no" / "l.json", "does not exist"),
                        (tmp_path, "lineage is exported")):
        with pytest.raises(InvalidInput, match=needle):
            lineage.export(sample_project, out)
