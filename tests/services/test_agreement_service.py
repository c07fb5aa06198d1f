"""The agreement service on small hand-made projects whose answers are worked out here."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from qualcode.core.agreement import unitized_alpha
from qualcode.errors import InvalidInput, NotFound
from qualcode.services import agreement, coding, project
from qualcode.store import documents as doc_store

from ._helpers import add_codes, add_document, checksum

D1 = "Alpha beta gamma del"  # 20 characters
D2 = "Epsilon zz"  # 10
D3 = "Nobody hm."  # 10, coded by nobody


@pytest.fixture
def db(empty_project, tmp_path):
    """X: A [0,10) and B [5,15) in d1; Y: A [0,4) in d2; Z: only coder C (d3 stays uncoded)."""
    for name, text in (("d1", D1), ("d2", D2), ("d3", D3)):
        add_document(empty_project, tmp_path, name, text)
    add_codes(empty_project, tmp_path, "X", "Y", "Z", "W", "cat/child")
    for doc, code, coder, s, e in [("d1", "X", "A", 0, 10), ("d1", "X", "B", 5, 15), ("d2", "Y", "A", 0, 4),
                                   ("d1", "Z", "C", 0, 20), ("d1", "cat/child", "A", 16, 20),
                                   ("d1", "cat/child", "B", 16, 20)]:
        coding.add_coding(empty_project, doc, code, s, e, coder)
    return empty_project


def chars(length, *spans):
    a = np.zeros(length, dtype=int)
    for s, e in spans:
        a[s:e] = 1
    return a


def cohen(a, b):
    po = np.mean(a == b)
    pe = np.mean(a) * np.mean(b) + np.mean(1 - a) * np.mean(1 - b)
    return (po - pe) / (1 - pe)


def kalpha(*coders):
    return krippendorff.alpha(reliability_data=np.vstack(coders).astype(float), level_of_measurement="nominal")


def test_character_unit_defaults_and_figures(db):
    doc = agreement.compute(db, ["A", "B"])
    assert set(doc) == {"unit", "coders", "documents", "overall", "per_code"}
    assert doc["unit"] == "character" and doc["coders"] == ["A", "B"]
    # d3 was coded by nobody of A and B, so it is left out; Z was used only by C.
    assert doc["documents"] == 2
    assert list(doc["per_code"]) == ["X", "Y", "cat/child"]  # codebook order
    x = doc["per_code"]["X"]
    assert x["units"] == 30
    assert x["percent"] == pytest.approx(100 * 20 / 30, abs=0.005)
    assert x["cohen_kappa"] == pytest.approx(0.25, abs=1e-4)  # (2/3 - 5/9) / (1 - 5/9)
    a, b = chars(30, (0, 10)), chars(30, (5, 15))
    assert x["krippendorff_alpha"] == pytest.approx(kalpha(a, b), abs=1e-4)
    y = doc["per_code"]["Y"]
    assert y["percent"] == pytest.approx(100 * 26 / 30, abs=0.005)
    assert y["cohen_kappa"] == 0.0  # B never used Y: chance agreement equals observed
    # overall pools (code, character) units: X, cat/child and Y over 30 characters each.
    pooled_a = np.concatenate([a, chars(30, (16, 20)), chars(30, (20, 24))])
    pooled_b = np.concatenate([b, chars(30, (16, 20)), chars(30)])
    o = doc["overall"]
    assert set(o) == {"percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"}
    assert o["percent"] == pytest.approx(100 * np.mean(pooled_a == pooled_b), abs=0.005)
    assert o["cohen_kappa"] == pytest.approx(cohen(pooled_a, pooled_b), abs=1e-4)
    assert o["krippendorff_alpha"] == pytest.approx(kalpha(pooled_a, pooled_b), abs=1e-4)


def test_explicit_documents_and_codes_are_compared_even_when_uncoded(db):
    doc = agreement.compute(db, "A,B", codes=["X", "W"], documents=["d1", "d2", "d3"])
    assert doc["documents"] == 3
    assert list(doc["per_code"]) == ["X", "W"]
    assert doc["per_code"]["X"]["units"] == 40
    assert doc["per_code"]["X"]["percent"] == pytest.approx(100 * 30 / 40, abs=0.005)
    w = doc["per_code"]["W"]  # nobody used W: every unit agrees, kappa and alpha undefined
    assert w["percent"] == 100.0
    assert w["cohen_kappa"] is None and w["krippendorff_alpha"] is None and w["fleiss_kappa"] is None
    only_d2 = agreement.compute(db, ["A", "B"], codes=["X"], documents=["d2"])
    assert only_d2["per_code"]["X"] == {"percent": 100.0, "cohen_kappa": None, "fleiss_kappa": None,
                                        "krippendorff_alpha": None, "units": 10}


def test_sentence_unit_counts_overlap_of_one_character(db):
    sentences = {d: doc_store.segments(db.conn, doc_store.id_by_name(db.conn, d), "sentence") for d in ("d1", "d2")}
    doc = agreement.compute(db, ["A", "B"], unit="sentence", codes=["X"])
    units = sum(len(s) for s in sentences.values())
    assert doc["per_code"]["X"]["units"] == units

    def flags(doc_spans):
        return [int(any(s < e2 and s2 < e for s2, e2 in doc_spans.get(d, []))) for d in ("d1", "d2")
                for s, e in sentences[d]]

    a, b = np.array(flags({"d1": [(0, 10)]})), np.array(flags({"d1": [(5, 15)]}))
    assert doc["per_code"]["X"]["percent"] == pytest.approx(100 * np.mean(a == b), abs=0.005)


def test_document_unit(db):
    doc = agreement.compute(db, ["A", "B"], unit="document")
    x, y = doc["per_code"]["X"], doc["per_code"]["Y"]
    assert x["units"] == y["units"] == 2
    assert (x["percent"], x["cohen_kappa"]) == (100.0, 1.0)  # both coded X in d1, neither in d2
    assert (y["percent"], y["cohen_kappa"]) == (50.0, 0.0)  # A coded Y in d2, B nowhere


def test_unitized_unit_is_alpha_u_per_document(db):
    doc = agreement.compute(db, ["A", "B"], unit="unitized")
    x = doc["per_code"]["X"]
    assert x["krippendorff_alpha"] == pytest.approx(unitized_alpha(20, [[(0, 10)], [(5, 15)]]), abs=1e-4)
    assert x["units"] == 2
    assert x["percent"] is None and x["cohen_kappa"] is None and x["fleiss_kappa"] is None
    assert doc["per_code"]["cat/child"]["krippendorff_alpha"] == 1.0
    assert doc["overall"]["percent"] is None


def test_three_coders_have_no_cohen_kappa(db):
    doc = agreement.compute(db, ["A", "B", "C"])
    assert doc["documents"] == 2
    assert "Z" in doc["per_code"]
    assert all(s["cohen_kappa"] is None for s in doc["per_code"].values())
    assert doc["overall"]["cohen_kappa"] is None
    z = doc["per_code"]["Z"]
    a, b, c = chars(30), chars(30), chars(30, (0, 20))
    assert z["krippendorff_alpha"] == pytest.approx(kalpha(a, b, c), abs=1e-4)
    # Fleiss by hand: 10 of 30 units unanimous "0"; 20 with one "1" out of three
    p_bar = (10 * 1 + 20 * (2 * 1) / 6) / 30
    share1 = 20 / 90
    p_e = share1 ** 2 + (1 - share1) ** 2
    assert z["fleiss_kappa"] == pytest.approx((p_bar - p_e) / (1 - p_e), abs=1e-4)


def test_nan_is_never_in_the_json(db):
    doc = agreement.compute(db, ["A", "C"], codes=["W"])
    for stats in [doc["overall"], *doc["per_code"].values()]:
        for v in stats.values():
            assert v is None or not (isinstance(v, float) and math.isnan(v))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"coders": ["A", "Nobody"]}, NotFound, ["Nobody", "coders: A, B, C"]),
    ({"coders": ["A"]}, InvalidInput, ["two coders"]),
    ({"coders": ["A", "A"]}, InvalidInput, ["twice"]),
    ({"coders": ["A", "B"], "codes": ["nope"]}, NotFound, ["nope"]),
    ({"coders": ["A", "B"], "documents": ["d9"]}, NotFound, ["d9"]),
    ({"coders": ["A", "B"], "unit": "word"}, InvalidInput, ["word", "character"]),
])
def test_bad_selections_are_user_errors_and_change_nothing(db, kwargs, error, words):
    before = checksum(db)
    with pytest.raises(error) as exc:
        agreement.compute(db, **kwargs)
    for w in words:
        assert w in str(exc.value)
    assert checksum(db) == before


def test_a_read_only_project_is_enough(db):
    path = db.path
    db.close()
    with project.open_project(path, readonly=True) as ro:
        assert agreement.compute(ro, ["A", "B"])["documents"] == 2


@pytest.mark.parametrize("unit", ["character", "paragraph", "unitized"])
def test_updating_one_code_equals_computing_everything_again(db, unit):
    before = agreement.measure(db, ["A", "B"], unit, documents=["d1", "d2"])
    coding.add_coding(db, "d2", "X", 2, 9, "B")
    part = agreement.measure(db, ["A", "B"], unit, codes=["X"], documents=["d1", "d2"])
    assert list(part.per_code) == ["X"]
    updated = before.updated(part).as_json()
    assert updated == agreement.compute(db, ["A", "B"], unit, documents=["d1", "d2"])
    assert updated != before.as_json()
