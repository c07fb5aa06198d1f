"""End to end through the console script: new, sample, import, info, documents."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil

import pytest

from ._helpers import (SAMPLE_DIR, assert_user_error, expected_code_paths, lock_file, query, read_csv, run,
                       sample_codings_rows, stored_text, table_checksums, transcripts)

INFO_KEYS = {"schema_version", "documents", "cases", "codes", "codings", "coders", "stories", "tellings"}
DOCUMENT_KEYS = {"name", "chars", "sha256", "codings", "case"}


def info_json(project) -> dict:
    rc, out, err = run("info", project, "--json")
    assert rc == 0, err
    assert err == ""
    return json.loads(out)


def documents_json(project) -> list[dict]:
    rc, out, err = run("documents", project, "--json")
    assert rc == 0, err
    return json.loads(out)


@pytest.fixture
def project(tmp_path):
    p = tmp_path / "p.qualcode"
    rc, out, err = run("new", p)
    assert rc == 0, err
    return p


# -- new -----------------------------------------------------------------------------------------

def test_new_creates_an_empty_project_and_releases_its_lock(project):
    assert project.is_file()
    assert not lock_file(project).exists()
    meta = dict(query(project, "SELECT key, value FROM meta"))
    assert meta["application"] == "qualcode"
    info = info_json(project)
    assert set(info) == INFO_KEYS
    assert info["schema_version"] == int(meta["schema_version"]) >= 1
    assert query(project, "PRAGMA user_version")[0][0] == info["schema_version"]
    assert {k: v for k, v in info.items() if k != "schema_version"} == {
        "documents": 0, "cases": 0, "codes": 0, "codings": 0, "coders": [], "stories": 0, "tellings": 0}
    assert documents_json(project) == []


def test_new_refuses_to_overwrite(project):
    before = project.read_bytes()
    assert_user_error(*run("new", project), "exists")
    assert project.read_bytes() == before


def test_new_in_a_missing_folder(tmp_path):
    target = tmp_path / "nope" / "p.qualcode"
    assert_user_error(*run("new", target), "does not exist")
    assert not target.parent.exists()


# -- sample, info, documents -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_sample") / "demo.qualcode"
    rc, out, err = run("sample", path)
    assert rc == 0, err
    return path, out


def test_sample_reports_what_it_built(cli_sample):
    path, out = cli_sample
    info = info_json(path)
    assert f"{info['documents']} documents" in out
    assert f"{info['codes']} codes" in out
    assert f"{info['codings']} codings" in out
    assert not lock_file(path).exists()


def test_sample_from_the_cli_equals_the_service_build(cli_sample, sample_file):
    cli = info_json(cli_sample[0])
    service = info_json(sample_file)
    assert cli == service
    assert documents_json(cli_sample[0]) == documents_json(sample_file)


def test_sample_refuses_to_overwrite(sample_copy):
    before = sample_copy.read_bytes()
    assert_user_error(*run("sample", sample_copy), "exists")
    assert sample_copy.read_bytes() == before


def test_info_json_counts_match_the_sample_inputs(sample_file):
    rc, out, err = run("info", sample_file, "--json")
    assert rc == 0 and err == ""
    info = json.loads(out)  # the whole of stdout is one JSON document
    assert set(info) == INFO_KEYS
    assert info["documents"] == len(transcripts())
    assert info["schema_version"] == int(dict(query(sample_file, "SELECT key, value FROM meta"))["schema_version"])
    if (SAMPLE_DIR / "cases.csv").is_file():
        assert info["cases"] == len(read_csv(SAMPLE_DIR / "cases.csv"))
    assert info["codes"] == len(expected_code_paths())
    rows = sample_codings_rows()
    assert info["codings"] == len(rows)
    assert sorted(info["coders"]) == sorted({r["coder"].strip() for r in rows})
    assert info["stories"] == query(sample_file, "SELECT count(*) FROM story")[0][0]
    assert info["tellings"] == query(sample_file, "SELECT count(*) FROM telling")[0][0]


def test_info_plain_text_lists_every_field(sample_file):
    rc, out, err = run("info", sample_file)
    assert rc == 0 and err == ""
    info = info_json(sample_file)
    lines = {line.split()[0]: line.split(None, 1)[1] if len(line.split()) > 1 else "" for line in out.splitlines()}
    assert set(lines) == INFO_KEYS
    assert lines["documents"] == str(info["documents"])


def _expected_cases_by_document() -> dict[str, list[str]]:
    linked: dict[str, list[str]] = {}
    path = SAMPLE_DIR / "cases.csv"
    if path.is_file():
        for r in read_csv(path):
            for d in filter(None, (x.strip() for x in (r.get("documents") or "").split(";"))):
                linked.setdefault(d, []).append(r["case"].strip())
    return linked


def test_documents_json_matches_the_transcript_files(sample_file):
    docs = documents_json(sample_file)
    files = transcripts()
    assert [d["name"] for d in docs] == sorted(f.stem for f in files)
    per_doc: dict[str, int] = {}
    for r in sample_codings_rows():
        per_doc[r["document"]] = per_doc.get(r["document"], 0) + 1
    linked = _expected_cases_by_document()
    by_name = {d["name"]: d for d in docs}
    for f in files:
        d = by_name[f.stem]
        assert set(d) == DOCUMENT_KEYS
        text = stored_text(f.read_bytes())
        assert d["chars"] == len(text)
        assert d["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert d["codings"] == per_doc.get(f.stem, 0)
        expected_case = sorted(linked[f.stem])[0] if f.stem in linked else None
        assert d["case"] == expected_case


def test_documents_plain_table(sample_file):
    rc, out, err = run("documents", sample_file)
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["name", "chars", "codings", "case", "sha256"]
    body = lines[2:]
    assert [line.split()[0] for line in body] == sorted(f.stem for f in transcripts())


# -- import ---------------------------------------------------------------------------------------

def test_import_txt_and_md_with_case_and_attributes(project, tmp_path):
    a = tmp_path / "alpha.txt"
    a.write_text("Q: How did it start?\nA: With one machine.\n", encoding="utf-8")
    b = tmp_path / "beta.md"
    b.write_text("# Notes\n\nSecond interview, caf\u0065\u0301 owner.\r\n", encoding="utf-8")
    rc, out, err = run("import", project, a, b, "--case", "Firm X", "--attr", "wave=2", "--attr", "site=north")
    assert rc == 0, err
    assert "imported 2 document(s)" in out
    docs = {d["name"]: d for d in documents_json(project)}
    assert set(docs) == {"alpha", "beta"}
    for f in (a, b):
        text = stored_text(f.read_bytes())
        assert docs[f.stem]["chars"] == len(text)
        assert docs[f.stem]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert docs[f.stem]["case"] == "Firm X"
        assert docs[f.stem]["codings"] == 0
    assert "\r" not in query(project, "SELECT text FROM document WHERE name = 'beta'")[0][0]
    values = query(project, "SELECT d.name, a.name, v.value FROM attribute_value v "
                            "JOIN attribute a ON a.id = v.attribute_id JOIN document d ON d.id = v.owner_id "
                            "WHERE a.scope = 'document'")
    assert sorted(values) == sorted((n, k, v) for n in ("alpha", "beta") for k, v in (("wave", "2"), ("site", "north")))
    assert info_json(project)["cases"] == 1


def test_import_with_name(project, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Interviewer: Hello.\n", encoding="utf-8")
    rc, out, err = run("import", project, f, "--name", "Interview 7")
    assert rc == 0, err
    assert [d["name"] for d in documents_json(project)] == ["Interview 7"]


def test_import_name_needs_exactly_one_file(project, tmp_path):
    for n in ("x", "y"):
        (tmp_path / f"{n}.txt").write_text(f"text {n}\n", encoding="utf-8")
    before = table_checksums(project)
    assert_user_error(*run("import", project, tmp_path / "x.txt", tmp_path / "y.txt", "--name", "N"), "--name")
    assert table_checksums(project) == before


def test_import_bad_attr_syntax(project, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("text\n", encoding="utf-8")
    before = table_checksums(project)
    assert_user_error(*run("import", project, f, "--attr", "novalue"), "KEY=VALUE")
    assert table_checksums(project) == before


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "top.txt").write_text("Top level transcript.\n", encoding="utf-8")
    (root / "sub" / "mid.md").write_text("Middle transcript.\n", encoding="utf-8")
    (root / "sub" / "deeper" / "low.txt").write_text("Lowest transcript.\n", encoding="utf-8")
    (root / "notes.xyz").write_text("not a transcript\n", encoding="utf-8")
    return root


def test_import_folder_without_recursive_takes_the_top_level_only(project, tree):
    rc, out, err = run("import", project, tree, "--json")
    assert rc == 0, err
    report = json.loads(out)
    assert report["imported"] == ["top"]
    assert [s["file"] for s in report["skipped"]] == [str(tree / "notes.xyz")]
    assert [d["name"] for d in documents_json(project)] == ["top"]


def test_import_folder_recursive(project, tree):
    rc, out, err = run("import", project, tree, "--recursive", "--json")
    assert rc == 0, err
    report = json.loads(out)
    assert sorted(report["imported"]) == ["low", "mid", "top"]
    assert report["cancelled"] is False
    assert sorted(d["name"] for d in documents_json(project)) == ["low", "mid", "top"]


def test_import_duplicate_text_is_skipped_with_a_message(project, tmp_path):
    a = tmp_path / "first.txt"
    a.write_text("Exactly the same words.\n", encoding="utf-8")
    b = tmp_path / "second.txt"
    b.write_bytes(a.read_bytes().replace(b"\n", b"\r\n"))  # same stored text after normalisation
    assert run("import", project, a)[0] == 0
    before = table_checksums(project)
    rc, out, err = run("import", project, b)
    assert rc == 0, err
    assert "imported 0 document(s)" in out
    assert "skipped" in out and "first" in out
    assert table_checksums(project) == before
    rc, out, err = run("import", project, b, "--json")
    report = json.loads(out)
    assert report["imported"] == []
    assert len(report["skipped"]) == 1 and "first" in report["skipped"][0]["reason"]


def test_import_json_report_is_the_only_stdout(project, tmp_path):
    f = tmp_path / "solo.txt"
    f.write_text("Only me.\n", encoding="utf-8")
    rc, out, err = run("import", project, f, "--json")
    assert rc == 0, err
    assert json.loads(out) == {"imported": ["solo"], "skipped": [], "cancelled": False}


def test_import_into_the_sample_keeps_codings_counts(sample_copy, tmp_path):
    """A second copy of a sample transcript under a new name is the same text: skipped."""
    src = transcripts()[0]
    dup = tmp_path / "renamed.txt"
    shutil.copy(src, dup)
    before = info_json(sample_copy)
    rc, out, err = run("import", sample_copy, dup, "--json")
    assert rc == 0, err
    assert src.stem in json.loads(out)["skipped"][0]["reason"]
    assert info_json(sample_copy) == before


def test_import_then_info_counts(project, tmp_path):
    files = []
    for i in range(3):
        f = tmp_path / f"d{i}.txt"
        f.write_text(f"Document number {i}.\n", encoding="utf-8")
        files.append(f)
    assert run("import", project, *files)[0] == 0
    assert info_json(project)["documents"] == len(files)


def test_codings_csv_of_the_sample_has_a_consistent_shape():
    """The sample's codings files, when present, name documents that exist in the sample."""
    names = {f.stem for f in transcripts()}
    for r in sample_codings_rows():
        assert r["document"] in names
        assert 0 <= int(r["start"]) < int(r["end"])


def test_cases_csv_documents_exist():
    path = SAMPLE_DIR / "cases.csv"
    if not path.is_file():
        pytest.skip("no cases.csv in the sample")
    names = {f.stem for f in transcripts()}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            for d in filter(None, (x.strip() for x in (r.get("documents") or "").split(";"))):
                assert d in names
