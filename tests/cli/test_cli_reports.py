"""`qualcode report ...` end to end: files by extension, the frequency JSON contract, errors."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from ._helpers import SAMPLE_DIR, assert_user_error, run


def sample_counts(coder: str | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in SAMPLE_DIR.glob("codings_*.csv"):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            if coder is None or r["coder"] == coder:
                out[r["code"]] = out.get(r["code"], 0) + 1
    return out


def test_frequency_json_has_the_contract_shape(sample_file, tmp_path):
    out = tmp_path / "f.json"
    rc, stdout, err = run("report", "frequency", sample_file, out, "--by", "coder", "--coder", "Jonas")
    assert rc == 0, err
    assert stdout.startswith("wrote ") and str(out) in stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["by", "rows"] and doc["by"] == "coder"
    counts = sample_counts("Jonas")
    for row in doc["rows"]:
        assert list(row) == ["code", "Jonas", "total"]
        assert set(row["total"]) == {"codings", "documents"}
        assert row["Jonas"]["codings"] == row["total"]["codings"] == counts.get(row["code"], 0)


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".html", ".md"])
def test_frequency_writes_each_format(sample_file, tmp_path, ext):
    out = tmp_path / f"f{ext}"
    rc, _out, err = run("report", "frequency", sample_file, out, "--by", "attribute:firm_size", "--rollup")
    assert rc == 0, err
    assert out.stat().st_size > 500
    if ext == ".csv":
        rows = list(csv.DictReader(open(out, encoding="utf-8")))
        assert rows[0]["code"] == "lock-in" and "small: codings" in rows[0]
        assert int(rows[0]["total: codings"]) == sum(n for c, n in sample_counts().items() if c.startswith("lock-in/"))


def test_cooccurrence_graphml_and_segments_query(sample_file, tmp_path):
    g_out = tmp_path / "co.graphml"
    rc, _o, err = run("report", "cooccurrence", sample_file, g_out, "--code", "narrative/retelling",
                      "--code", "narrative/discrepancy", "--code", "labour/wages")
    assert rc == 0, err
    g = nx.read_graphml(g_out)
    assert set(g.nodes) == {"narrative/retelling", "narrative/discrepancy", "labour/wages"}
    assert g.edges["narrative/retelling", "narrative/discrepancy"]["weight"] > 0

    s_out = tmp_path / "s.json"
    rc, _o, err = run("report", "segments", sample_file, s_out, "--code", "narrative/retelling", "--context", "15",
                      "--near", "narrative/discrepancy", "--within", "50", "--not", "labour/wages")
    assert rc == 0, err
    doc = json.loads(s_out.read_text(encoding="utf-8"))
    assert doc["query"] == "narrative/retelling NOT labour/wages NEAR/50 narrative/discrepancy"
    assert doc["segments"] and all(len(s["before"]) <= 15 and s["code"] == "narrative/retelling"
                                   for s in doc["segments"])


def test_crosstab_and_charts(sample_file, tmp_path):
    rc, _o, err = run("report", "crosstab", sample_file, tmp_path / "x.md", "--attribute", "firm_size")
    assert rc == 0, err
    assert "| code | large (n=2): cases |" in (tmp_path / "x.md").read_text(encoding="utf-8")
    rc, _o, err = run("report", "chart", sample_file, tmp_path / "bar.png", "--by", "coder")
    assert rc == 0, err
    assert (tmp_path / "bar.png").read_bytes()[:4] == b"\x89PNG"
    rc, _o, err = run("report", "chart", sample_file, tmp_path / "heat.svg", "--kind", "heatmap", "--measure", "jaccard")
    assert rc == 0, err
    assert "<svg" in (tmp_path / "heat.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("args,needle", [
    (["frequency", "{p}", "{t}/f.pdf"], ".csv .xlsx"),
    (["frequency", "{p}", "{t}/f.json", "--coder", "Nobody"], "no coder 'Nobody'"),
    (["frequency", "{p}", "{t}/f.json", "--by", "weather"], "--by"),
    (["segments", "{p}", "{t}/s.csv", "--code", "labour/wages", "--near", "trust"], "--within"),
    (["cooccurrence", "{p}", "{t}/c.csv", "--code", "no/such"], "no code"),
    (["chart", "{p}", "{t}/c.gif"], ".png or .svg"),
])
def test_user_errors_are_one_line_and_write_nothing(sample_file, tmp_path, args, needle):
    rc, out, err = run("report", *[a.format(p=sample_file, t=tmp_path) for a in args])
    assert_user_error(rc, out, err, needle)
    assert list(tmp_path.iterdir()) == []
