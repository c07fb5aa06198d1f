"""Agreement statistics against published worked examples, an independent oracle
(the ``krippendorff`` package, test-only) and hand computations."""

from __future__ import annotations

import math
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.agreement import (
    AgreementStats,
    _unitized_disagreements,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    stats_from_patterns,
    unitized_alpha,
)

N = None
LEVELS = ["nominal", "ordinal", "interval", "ratio"]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 coders x 12 units with missing values.
KRIPP_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (R package irr, ``diagnoses``).
DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects x 5 categories, 14 raters each.
WIKI_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]

# R package irr, ``anxiety``: 20 subjects rated 1-6 by three raters (raters 2 and 3 used).
ANXIETY_R2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_R3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]


def same(x, y, tol=1e-12):
    """Equal to ``tol``, treating two NaNs as equal."""
    if isinstance(x, float) and math.isnan(x):
        return isinstance(y, float) and math.isnan(y)
    return x == pytest.approx(y, rel=tol, abs=tol)


# --------------------------------------------------------------------------- Krippendorff

@pytest.mark.parametrize("level, published", [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797),
])
def test_alpha_reproduces_krippendorff_2011_example(level, published):
    got = krippendorff_alpha(KRIPP_2011, level)
    assert got == pytest.approx(published, abs=5e-4)
    oracle = krippendorff.alpha(np.array(KRIPP_2011, dtype=float), level_of_measurement=level)
    assert got == pytest.approx(oracle, abs=1e-12)


def test_alpha_nominal_accepts_string_labels_and_nan():
    names = {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    labels = [[names.get(v) for v in row] for row in KRIPP_2011]
    labels[0][9] = float("nan")  # NaN marks a missing value too
    assert krippendorff_alpha(labels) == pytest.approx(0.743421052631579, abs=1e-12)


def test_alpha_reproduces_wikipedia_example():
    # Wikipedia, "Krippendorff's alpha", computational example: 3 coders x 15 units.
    data = [
        [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
        [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
        [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
    ]
    assert krippendorff_alpha(data, "nominal") == pytest.approx(0.691358, abs=1e-6)
    assert krippendorff_alpha(data, "interval") == pytest.approx(0.810845, abs=1e-6)


def _random_reliability_data(rng, level):
    coders = int(rng.integers(2, 7))
    units = int(rng.integers(2, 40))
    if level == "interval" and rng.random() < 0.5:
        data = np.round(rng.normal(0, 3, (coders, units)), 1)
    else:
        data = rng.integers(0, int(rng.integers(2, 8)), (coders, units)).astype(float)
    data[rng.random(data.shape) < rng.uniform(0, 0.5)] = np.nan
    return data


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_krippendorff_package_on_random_data_with_gaps(level):
    rng = np.random.default_rng(20261124 + LEVELS.index(level))
    compared = 0
    for _ in range(150):
        data = _random_reliability_data(rng, level)
        try:
            oracle = float(krippendorff.alpha(data, level_of_measurement=level))
        except ValueError:  # oracle refuses: no pairable unit or a single value
            assert math.isnan(krippendorff_alpha(data, level))
            continue
        got = krippendorff_alpha(data, level)
        if math.isnan(oracle):  # the oracle's 0/0 when all pairable values agree
            assert math.isnan(got)
            continue
        assert got == pytest.approx(oracle, abs=1e-9)
        compared += 1
    assert compared > 100


def test_alpha_undefined_cases_are_nan():
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))      # one value only
    assert math.isnan(krippendorff_alpha([[1, N, 2], [N, 3, N]]))      # nothing pairable
    assert math.isnan(krippendorff_alpha(np.empty((2, 0))))            # no units
    # Units with a single value are dropped, so they cannot change alpha.
    base = [[1, 2, 3, 1], [1, 2, 3, 2]]
    padded = [[1, 2, 3, 1, 4, N], [1, 2, 3, 2, N, 5]]
    assert krippendorff_alpha(padded) == pytest.approx(krippendorff_alpha(base), abs=1e-15)


def test_alpha_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2 coders"):
        krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(ValueError, match="rectangular"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="2-D"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2], [1, 2]], level="circular")
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "c"]], level="interval")
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 2]], level="ratio")


# --------------------------------------------------------------------------- percent

def test_percent_agreement_definition():
    # Pairable units: 1-11 (unit 12 has one value). All present coders agree on units
    # 1, 3, 4, 5, 7, 9, 10, 11; units 2, 6, 8 have a dissenting coder.
    assert percent_agreement(KRIPP_2011) == pytest.approx(8 / 11)
    # Three coders, two agreeing: not an agreement (no credit for a majority).
    assert percent_agreement([[1, 1], [1, 1], [1, 2]]) == pytest.approx(0.5)
    assert math.isnan(percent_agreement([[1, N], [N, 2]]))
    with pytest.raises(ValueError, match="at least 2 coders"):
        percent_agreement([[1, 2]])


# --------------------------------------------------------------------------- Cohen

def test_cohen_textbook_yes_no_example():
    # 50 items: both yes 20, A yes / B no 5, A no / B yes 10, both no 15.
    # p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


def test_weighted_cohen_by_hand():
    # Pairs (1,1) (2,3) (3,3) (3,1); labels {1, 2, 3}, B never uses 2 but A does, so the
    # sorted union still has k = 3. Marginals: A (1/4, 1/4, 1/2), B (1/2, 0, 1/2).
    a, b = [1, 2, 3, 3], [1, 3, 3, 1]
    # Unweighted: p_o = 2/4, p_e = 1/4*1/2 + 1/4*0 + 1/2*1/2 = 3/8 -> (1/2-3/8)/(5/8) = 0.2.
    assert cohen_kappa(a, b) == pytest.approx(0.2)
    # Linear weights |i-j|/2: observed (0 + .5 + 0 + 1)/4 = .375; expected
    # 1/4*(1/2*1) + 1/4*(1/2*.5 + 1/2*.5) + 1/2*(1/2*1) = .125 + .125 + .25 = .5 -> 0.25.
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(0.25)
    # Quadratic weights (|i-j|/2)^2: observed (0 + .25 + 0 + 1)/4 = .3125; expected
    # .125 + 1/4*(1/2*.25 + 1/2*.25) + .25 = .4375 -> 1 - .3125/.4375 = 2/7.
    assert cohen_kappa(a, b, weights="quadratic") == pytest.approx(2 / 7)


@pytest.mark.parametrize("weights, published", [
    (None, -0.006289308), ("linear", 0.1459075), ("quadratic", 0.2520325),
])
def test_cohen_matches_r_irr_kappa2_on_anxiety(weights, published):
    # irr::kappa2(anxiety[, 2:3], weight) with "unweighted", "equal", "squared"; irr also
    # builds the weights over the sorted union of observed levels (5 is never used here, so
    # 4 and 6 are neighbours).
    assert cohen_kappa(ANXIETY_R2, ANXIETY_R3, weights) == pytest.approx(published, abs=1e-7)


def test_cohen_undefined_and_errors():
    assert math.isnan(cohen_kappa([], []))
    assert math.isnan(cohen_kappa(["x", "x"], ["x", "x"]))
    assert cohen_kappa([1, 2], [2, 1]) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="different numbers"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="krippendorff_alpha"):
        cohen_kappa([1, None], [1, 2])
    with pytest.raises(ValueError, match="unknown weights"):
        cohen_kappa([1, 2], [1, 2], weights="cubic")
    with pytest.raises(ValueError, match="sorted"):
        cohen_kappa([1, "a"], ["a", 1], weights="linear")
    assert cohen_kappa([1, "a"], ["a", "a"]) == pytest.approx(0.0)  # nominal: order irrelevant


# --------------------------------------------------------------------------- Fleiss

def _counts(ratings, categories):
    return [[row.count(c) for c in categories] for row in ratings]


def test_fleiss_reproduces_fleiss_1971():
    # kappa = 0.430 in Fleiss (1971); irr::kappam.fleiss(diagnoses) prints 0.4302445.
    assert fleiss_kappa(_counts(DIAGNOSES, [1, 2, 3, 4, 5])) == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_reproduces_wikipedia_example():
    # P-bar = 0.378, P-bar_e = 0.213, kappa = (0.378 - 0.213) / (1 - 0.213) = 0.210.
    assert fleiss_kappa(WIKI_FLEISS) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_undefined_and_errors():
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]]))         # every rating in one category
    assert math.isnan(fleiss_kappa(np.empty((0, 3))))
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])
    with pytest.raises(ValueError, match="at least 2 raters"):
        fleiss_kappa([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="non-negative"):
        fleiss_kappa([[3, -1], [1, 1]])
    with pytest.raises(ValueError, match="2-D"):
        fleiss_kappa([1, 2])


# --------------------------------------------------------------------------- patterns

def _expand(patterns):
    """Coders x units data with each pattern repeated count times."""
    units = [p for p, count in patterns.items() for _ in range(count)]
    return [list(col) for col in zip(*units)]


pattern_dicts = st.integers(2, 4).flatmap(lambda m: st.dictionaries(
    st.tuples(*[st.integers(0, 3)] * m), st.integers(1, 12), min_size=1, max_size=12))


@settings(max_examples=80, deadline=None)
@given(pattern_dicts)
def test_pattern_stats_equal_stats_on_expanded_data(patterns):
    stats = stats_from_patterns(patterns)
    data = _expand(patterns)
    categories = sorted({v for p in patterns for v in p})
    assert stats.units == sum(patterns.values())
    assert same(stats.percent, percent_agreement(data))
    assert same(stats.krippendorff_alpha, krippendorff_alpha(data, "nominal"))
    assert same(stats.fleiss_kappa, fleiss_kappa(_counts([list(u) for u in zip(*data)],
                                                         categories)))
    if len(data) == 2:
        assert same(stats.cohen_kappa, cohen_kappa(data[0], data[1]))
    else:
        assert stats.cohen_kappa is None


def test_pattern_forms_agree_and_zero_counts_vanish():
    patterns = {(1, 1): 40, (1, 0): 7, (0, 1): 3, (0, 0): 50}
    by_mapping = stats_from_patterns(patterns)
    by_arrays = stats_from_patterns(list(patterns) + [(2, 2)], weights=[40, 7, 3, 50, 0])
    assert by_mapping == by_arrays
    assert by_mapping.units == 100
    assert set(by_mapping.as_dict()) == {
        "percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "units"}
    assert by_mapping.percent == pytest.approx(0.9)


def test_pattern_stats_with_labels_and_edge_cases():
    labels = stats_from_patterns({("a", "a"): 3, ("a", "b"): 1, ("b", "b"): 2})
    numbers = stats_from_patterns({(0, 0): 3, (0, 1): 1, (1, 1): 2})
    assert labels == numbers
    empty = stats_from_patterns({})
    assert empty.units == 0 and math.isnan(empty.percent) and math.isnan(empty.krippendorff_alpha)
    three = stats_from_patterns({(0, 0, 0): 0})
    assert three.cohen_kappa is None and three.units == 0
    agree = stats_from_patterns({(0, 0): 10})  # perfect but uninformative: kappa undefined
    assert agree.percent == 1.0 and math.isnan(agree.cohen_kappa)
    assert isinstance(agree, AgreementStats)


def test_pattern_stats_reject_bad_input():
    with pytest.raises(ValueError, match="not both"):
        stats_from_patterns({(0, 1): 1}, weights=[1])
    with pytest.raises(ValueError, match="one value per coder"):
        stats_from_patterns({(0, 1): 1, (0, 1, 1): 1})
    with pytest.raises(ValueError, match="non-negative"):
        stats_from_patterns({(0, 1): -1})
    with pytest.raises(ValueError, match="2 weights"):
        stats_from_patterns([(0, 1)], weights=[1, 2])
    with pytest.raises(ValueError, match="missing"):
        stats_from_patterns({(0, None): 1})
    with pytest.raises(ValueError, match="at least 2 coders"):
        stats_from_patterns({(0,): 4})


# --------------------------------------------------------------------------- alpha-u

def test_alpha_u_identical_spans_is_one():
    spans = [(3, 9), (12, 20)]
    assert unitized_alpha(30, [spans, spans]) == pytest.approx(1.0)
    assert unitized_alpha(30, [spans, spans, list(reversed(spans))]) == pytest.approx(1.0)
    assert unitized_alpha(30, [[(0, 30)], [(0, 30)]]) == pytest.approx(1.0)


def test_alpha_u_disjoint_spans_by_hand():
    # L = 10, m = 2. A: unit [0,5) gap [5,10); B: gap [0,5) unit [5,10).
    # D_o: each unit lies in the other's gap: 5^2 + 5^2 = 50 per ordered pair, both orders
    #      100, / (m(m-1) L^2 = 200) = 0.5.
    # D_e: N = 2 units of l = 5; gaps 5, 5. Per unit (N-1)(2*125 - 75 + 5)/3 = 60 and
    #      l^2 * sum over gaps >= 5 of (G - l + 1) = 25 * 2 = 50: 110, twice = 220;
    #      * 2/L = 44; / (mL(mL-1) - sum l(l-1) = 380 - 40 = 340) = 0.12941.
    # alpha = 1 - 0.5 * 340 / 44 = -2.8636...
    d_o, d_e = _unitized_disagreements(10, [[(0, 5)], [(5, 10)]])
    assert d_o == pytest.approx(0.5)
    assert d_e == pytest.approx(44 / 340)
    assert unitized_alpha(10, [[(0, 5)], [(5, 10)]]) == pytest.approx(1 - 170 / 44)


def test_alpha_u_partial_overlap_by_hand():
    # L = 10. A: gap 2, unit [2,6) l=4, gap 4. B: gap 3, unit [3,8) l=5, gap 2.
    # D_o: the units overlap: (2-3)^2 + (6-8)^2 = 5, both orders 10, / 200 = 0.05.
    # D_e: N = 2, gaps {2, 4, 3, 2}. l=4: (2*64 - 48 + 4)/3 = 28, gaps >= 4: (4-4+1) = 1,
    #      16 * 1 = 16 -> 44. l=5: (250 - 75 + 5)/3 = 60, no gap >= 5 -> 60. Sum 104,
    #      * 2/10 = 20.8; / (380 - (12 + 20) = 348) = 0.059770.
    # alpha = 1 - 0.05 * 348 / 20.8 = 1 - 17.4/20.8 = 0.163462.
    d_o, d_e = _unitized_disagreements(10, [[(2, 6)], [(3, 8)]])
    assert d_o == pytest.approx(0.05)
    assert d_e == pytest.approx(20.8 / 348)
    assert unitized_alpha(10, [[(2, 6)], [(3, 8)]]) == pytest.approx(1 - 17.4 / 20.8)


def test_alpha_u_reproduces_krippendorff_2004_example():
    # Krippendorff (2004), Content Analysis 2nd ed., p. 254, category c on the continuum
    # [150, 450): coder i units [225,295) [370,400); coder j [220,300) [355,375) [400,420).
    # Published: D_o = .0144, D_e = .0532, alpha_c = .7286. Shifted here to start at 0.
    i = [(75, 145), (220, 250)]
    j = [(70, 150), (205, 225), (250, 270)]
    d_o, d_e = _unitized_disagreements(300, [i, j])
    assert d_o == pytest.approx(0.0144, abs=1e-4)
    assert d_e == pytest.approx(0.0532, abs=1e-4)
    assert unitized_alpha(300, [i, j]) == pytest.approx(0.7286, abs=1e-4)


def test_alpha_u_observed_disagreement_of_krippendorff_1995_example():
    # Krippendorff (1995, p. 57), continuum of 24; observed disagreements 0.03125 (A: Bertha
    # and Bill) and 0.02777 (C: Gerret and Gill).
    d_o, _ = _unitized_disagreements(24, [[(2, 10), (14, 20)], [(4, 8), (15, 17)]])
    assert d_o == pytest.approx(0.03125)
    gerret = [(2, 8), (10, 12), (14, 18), (20, 22)]
    gill = [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]
    assert _unitized_disagreements(24, [gerret, gill])[0] == pytest.approx(0.0277777, abs=1e-6)


def test_alpha_u_edge_cases_and_errors():
    assert math.isnan(unitized_alpha(20, [[], []]))  # nobody coded anything
    assert math.isnan(unitized_alpha(0, [[], []]))
    # Overlapping, touching and unsorted spans mean the same coverage as their union.
    messy = [(8, 12), (0, 4), (2, 5), (5, 6)]
    assert unitized_alpha(20, [messy, [(1, 5), (9, 13)]]) == pytest.approx(
        unitized_alpha(20, [[(0, 6), (8, 12)], [(1, 5), (9, 13)]]))
    with pytest.raises(ValueError, match="at least 2 coders"):
        unitized_alpha(10, [[(0, 3)]])
    with pytest.raises(ValueError, match="beyond"):
        unitized_alpha(10, [[(0, 11)], []])
    with pytest.raises(ValueError, match="reversed"):
        unitized_alpha(10, [[(5, 3)], []])


def _sections(length, spans):
    """(begin, length, is_unit) sections of one coder, from a per-character coverage array."""
    covered = [False] * length
    for s, e in spans:
        for x in range(s, e):
            covered[x] = True
    out, begin = [], 0
    for x in range(1, length + 1):
        if x == length or covered[x] != covered[begin]:
            out.append((begin, x - begin, covered[begin]))
            begin = x
    return out


def _alpha_u_reference(length, spans_by_coder):
    """Krippendorff's section formulas, term by term, over every pair of sections."""
    coders = [_sections(length, s) for s in spans_by_coder]
    m, big_l = len(coders), length
    observed = 0
    for i in range(m):
        for j in range(m):
            if i == j:
                continue
            for bg, lg, ug in coders[i]:
                for bh, lh, uh in coders[j]:
                    if ug and uh and bg < bh + lh and bh < bg + lg:
                        observed += (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
                    elif ug and not uh and bh <= bg and bg + lg <= bh + lh:
                        observed += lg ** 2
                    elif uh and not ug and bg <= bh and bh + lh <= bg + lg:
                        observed += lh ** 2
    d_o = observed / (m * (m - 1) * big_l ** 2)
    units = [ln for c in coders for _, ln, u in c if u]
    gaps = [ln for c in coders for _, ln, u in c if not u]
    total = 0
    for ln in units:
        total += (len(units) - 1) * (2 * ln ** 3 - 3 * ln ** 2 + ln) / 3
        total += ln ** 2 * sum(g - ln + 1 for g in gaps if g >= ln)
    d_e = (2 / big_l) * total / (m * big_l * (m * big_l - 1) - sum(ln * (ln - 1) for ln in units))
    return d_o, d_e


@st.composite
def unitizings(draw):
    length = draw(st.integers(1, 60))
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda p: tuple(sorted(p)))
    coders = draw(st.lists(st.lists(span, max_size=5), min_size=2, max_size=4))
    return length, coders


@settings(max_examples=120, deadline=None)
@given(unitizings())
def test_alpha_u_matches_term_by_term_reference(case):
    length, coders = case
    d_o, d_e = _unitized_disagreements(length, coders)
    ref_o, ref_e = _alpha_u_reference(length, coders)
    assert d_o == pytest.approx(ref_o, abs=1e-12)
    assert d_e == pytest.approx(ref_e, rel=1e-9, abs=1e-12)
    # Coder order never matters.
    assert same(unitized_alpha(length, coders), unitized_alpha(length, coders[::-1]), 1e-9)


def test_pattern_counts_equal_character_expansion():
    # The end-to-end promise: statistics from character pattern counts equal the statistics
    # of the per-character 0/1 matrix.
    from qualcode.core.agreement_units import character_patterns

    spans = [[(0, 7), (20, 31)], [(3, 9), (25, 40)], [(0, 2), (22, 30)]]
    data = np.zeros((3, 45), dtype=int)
    for row, coder in enumerate(spans):
        for s, e in coder:
            data[row, s:e] = 1
    stats = stats_from_patterns(character_patterns(45, spans))
    assert stats.units == 45
    assert same(stats.percent, percent_agreement(data))
    assert same(stats.krippendorff_alpha, krippendorff_alpha(data))
    assert same(stats.fleiss_kappa, fleiss_kappa(np.stack([3 - data.sum(0), data.sum(0)], 1)))
    two = stats_from_patterns(character_patterns(45, spans[:2]))
    assert same(two.cohen_kappa, cohen_kappa(data[0], data[1]))


def test_pattern_counts_pool_like_concatenated_units():
    from qualcode.core.agreement_units import character_patterns, pool_patterns

    doc1 = character_patterns(10, [[(0, 4)], [(2, 6)]])
    doc2 = character_patterns(8, [[(1, 3)], []])
    joined = character_patterns(18, [[(0, 4), (11, 13)], [(2, 6)]])
    assert pool_patterns([doc1, doc2]) == joined
    assert Counter(doc1) + Counter(doc2) == Counter(joined)
