"""Inter-coder agreement statistics: pure numpy, no Qt, no SQL.

Every statistic returns a float and is NaN exactly where it is undefined (no pairable units,
or all values identical so chance agreement is already perfect). The JSON layer turns NaN
into ``null``. Bad input (ragged matrices, fewer than two coders, unknown level or weights)
raises ValueError: the agreement service builds these inputs, so a bad one is a bug there,
not a user mistake.

Span-based units (characters, sentences) reach these functions as *pattern counts* from
:mod:`qualcode.core.agreement_units` — ``{(value per coder): number of units}`` — and
:func:`stats_from_patterns` computes every figure as if each pattern were repeated ``count``
times, so a million characters cost as much as the handful of distinct patterns they form.

References: Cohen (1960, 1968); Fleiss (1971); Krippendorff, "Computing Krippendorff's
alpha-reliability" (2011); Krippendorff, "On the reliability of unitizing continuous data"
(Sociological Methodology 25, 1995) and *Content Analysis*, 2nd ed. (2004), section 12.4.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .agreement_units import merged_bounds

__all__ = [
    "AgreementStats",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "stats_from_patterns",
    "unitized_alpha",
]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
WEIGHTS = (None, "linear", "quadratic")
NAN = float("nan")


# --------------------------------------------------------------------------- value coding

def _is_missing(value) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and value != value)


def _matrix(data, what: str = "data") -> np.ndarray:
    """``data`` as a 2-D array, or ValueError for ragged or wrongly shaped input."""
    try:
        arr = np.asarray(data)
    except ValueError as exc:  # numpy refuses ragged nested lists
        raise ValueError(f"{what} must be a rectangular coders x units matrix") from exc
    if arr.ndim != 2:
        raise ValueError(f"{what} must be a 2-D coders x units matrix, got {arr.ndim} dimension(s)")
    return arr


def _encode(arr: np.ndarray, numeric: bool) -> tuple[np.ndarray, np.ndarray | list]:
    """Category codes (same shape, -1 where missing) and the sorted distinct values.

    Numeric levels need numbers; nominal accepts any hashable labels, sorted when they can
    be and otherwise kept in first-seen order (order does not matter for nominal distances).
    """
    flat = arr.reshape(-1)
    codes = np.full(flat.shape, -1, dtype=np.int64)
    if arr.dtype.kind in "biuf":
        values = flat.astype(float)
        present = ~np.isnan(values)
        values = values[present]
    else:
        present = np.fromiter((not _is_missing(v) for v in flat), dtype=bool, count=flat.size)
        values = flat[present]
        if all(isinstance(v, numbers.Real) for v in values):
            values = values.astype(float)
        elif numeric:
            raise ValueError("ordinal, interval and ratio levels need numeric values")
    try:
        categories, inverse = np.unique(values, return_inverse=True)
    except TypeError:  # labels of mixed, unorderable types
        index: dict = {}
        inverse = np.fromiter((index.setdefault(v, len(index)) for v in values),
                              dtype=np.int64, count=len(values))
        categories = list(index)
    codes[present] = inverse.reshape(-1)
    return codes.reshape(arr.shape), categories


def _object_row(values: list) -> np.ndarray:
    """A 1 x n array that keeps tuples and mixed labels as single elements."""
    arr = np.empty((1, len(values)), dtype=object)
    arr[0, :] = values
    if all(isinstance(v, numbers.Real) for v in values):
        return arr.astype(float)
    return arr


def _coders_units(data, numeric: bool = False):
    """Codes as (units, coders), plus the categories, validating shape and coder count."""
    arr = _matrix(data)
    if arr.shape[0] < 2:
        raise ValueError(f"need at least 2 coders (rows), got {arr.shape[0]}")
    codes, categories = _encode(arr, numeric)
    return codes.T, categories


# --------------------------------------------------------------------------- weighted cores
# Each core takes per-unit codes (units x coders, -1 = missing) and a weight per unit: the
# number of identical units the row stands for. Unweighted calls pass weights of 1.

def _percent(codes: np.ndarray, w: np.ndarray) -> float:
    present = codes >= 0
    pairable = present.sum(axis=1) >= 2
    if not pairable.any() or w[pairable].sum() == 0:
        return NAN
    big = np.iinfo(np.int64).max
    high = np.where(present, codes, -1).max(axis=1)
    low = np.where(present, codes, big).min(axis=1)
    agree = pairable & (high == low)
    return float(w[agree].sum() / w[pairable].sum())


def _distance(categories, n_c: np.ndarray, level: str) -> np.ndarray:
    """Squared difference delta^2 between every pair of values (Krippendorff 2011)."""
    v = len(n_c)
    if level == "nominal":
        return 1.0 - np.eye(v)
    x = np.asarray(categories, dtype=float)
    if level == "interval":
        return (x[:, None] - x[None, :]) ** 2
    if level == "ratio":
        total = x[:, None] + x[None, :]
        diff = x[:, None] - x[None, :]
        return np.divide(diff, total, out=np.zeros_like(diff), where=total != 0) ** 2
    # ordinal: (sum of n_g for g between c and k, minus half of n_c and n_k)^2; the sign of
    # the bracket flips with the order of c and k, which squaring removes.
    cum = np.cumsum(n_c)
    return (cum[None, :] - cum[:, None] + (n_c[:, None] - n_c[None, :]) / 2.0) ** 2


def _alpha(codes: np.ndarray, w: np.ndarray, categories, level: str) -> float:
    """Krippendorff's alpha from the coincidence matrix.

    o[c, k] = sum over units of (number of ordered coder pairs valued c, k) / (m_u - 1);
    alpha = 1 - (n - 1) * sum(o * delta) / sum(n_c n_k * delta), n = sum of n_c.
    Units with fewer than two values carry no pairing information and are dropped.
    """
    present = codes >= 0
    m_u = present.sum(axis=1)
    keep = (m_u >= 2) & (w > 0)
    codes, w, m_u = codes[keep], w[keep], m_u[keep]
    v = len(categories)
    if len(codes) == 0 or v < 2:
        return NAN
    m = codes.shape[1]
    left, right = codes[:, :, None], codes[:, None, :]
    pair = (left >= 0) & (right >= 0) & ~np.eye(m, dtype=bool)[None]
    pair_w = np.broadcast_to((w / (m_u - 1))[:, None, None], pair.shape)[pair]
    o = np.bincount((left * v + right)[pair], weights=pair_w, minlength=v * v).reshape(v, v)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    delta = _distance(categories, n_c, level)
    expected = float((np.outer(n_c, n_c) * delta).sum())
    if expected == 0.0:  # a single value among pairable data: alpha is 0/0
        return NAN
    return float(1.0 - (n - 1.0) * (o * delta).sum() / expected)


def _weight_matrix(k: int, weights) -> np.ndarray:
    """Disagreement weights over k ordered categories: 0 on the diagonal."""
    if weights is None or k < 2:
        return 1.0 - np.eye(k)
    i = np.arange(k)
    dist = np.abs(i[:, None] - i[None, :]) / (k - 1)
    return dist if weights == "linear" else dist ** 2


def _cohen(a: np.ndarray, b: np.ndarray, w: np.ndarray, k: int, weights=None) -> float:
    """kappa = 1 - sum(W * observed) / sum(W * expected), the form that covers weighted kappa."""
    total = w.sum()
    if total == 0 or k == 0:
        return NAN
    table = np.bincount(a * k + b, weights=w, minlength=k * k).reshape(k, k) / total
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    dis = _weight_matrix(k, weights)
    expected_dis = float((dis * expected).sum())
    if expected_dis == 0.0:  # both coders used one and the same category throughout
        return NAN
    return float(1.0 - (dis * table).sum() / expected_dis)


def _fleiss(counts: np.ndarray, w: np.ndarray) -> float:
    raters = counts.sum(axis=1)
    if len(counts) == 0 or w.sum() == 0:
        return NAN
    n = raters[0]
    if (raters != n).any():
        raise ValueError("Fleiss' kappa needs the same number of raters for every subject")
    if n < 2:
        raise ValueError(f"Fleiss' kappa needs at least 2 raters per subject, got {n:g}")
    agree = (counts * (counts - 1)).sum(axis=1) / (n * (n - 1))
    p_bar = (w * agree).sum() / w.sum()
    share = (w[:, None] * counts).sum(axis=0) / (n * w.sum())
    if (share > 0).sum() < 2:  # every rating in one category: chance agreement is 1
        return NAN
    p_e = (share ** 2).sum()
    return float((p_bar - p_e) / (1.0 - p_e))


def _category_counts(codes: np.ndarray, k: int) -> np.ndarray:
    """Subjects x categories table of how many coders chose each category."""
    units = np.repeat(np.arange(len(codes)), codes.shape[1])
    return np.bincount(units * k + codes.reshape(-1), minlength=len(codes) * k).reshape(-1, k)


# --------------------------------------------------------------------------- public API

def cohen_kappa(a: Sequence, b: Sequence, weights: str | None = None) -> float:
    """Cohen's kappa between two coders' labels for the same units.

    ``weights`` None gives Cohen's (1960) kappa; "linear" or "quadratic" give weighted kappa
    (Cohen 1968) for ordinal labels, with disagreement |i - j| / (k - 1) (squared for
    quadratic) where i, j are positions in the sorted union of the labels both coders used.
    All labels must be present: use :func:`krippendorff_alpha` for data with gaps.
    NaN when there are no units or both coders used one and the same label throughout.
    """
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}: use None, 'linear' or 'quadratic'")
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"the two coders label different numbers of units ({len(a)} and {len(b)})")
    if any(_is_missing(v) for v in a + b):
        raise ValueError("Cohen's kappa needs every unit labelled by both coders; "
                         "use krippendorff_alpha for missing values")
    if not a:
        return NAN
    codes, categories = _encode(_object_row(a + b), numeric=False)
    codes = codes.reshape(-1)
    if weights is not None and isinstance(categories, list):
        raise ValueError("weighted kappa needs labels that can be sorted")
    return _cohen(codes[:len(a)], codes[len(a):], np.ones(len(a)), len(categories), weights)


def fleiss_kappa(counts) -> float:
    """Fleiss' (1971) kappa from a subjects x categories table of rater counts.

    Every subject must be rated by the same number of raters (at least 2). NaN when there
    are no subjects or every rating falls in one category.
    """
    table = _matrix(counts, "counts").astype(float)
    if table.shape[1] == 0:
        raise ValueError("counts needs at least one category column")
    if not np.isfinite(table).all() or (table < 0).any():
        raise ValueError("counts must be finite and non-negative")
    return _fleiss(table, np.ones(len(table)))


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Krippendorff's alpha for a coders x units matrix; None or NaN marks a missing value.

    ``level`` picks the difference function: "nominal", "ordinal" (ranks via the marginal
    frequencies), "interval" (squared difference) or "ratio" (squared difference over sum;
    values must be non-negative). Units with fewer than two values are dropped, as in
    Krippendorff (2011). Computed through the coincidence matrix, vectorised over units; its
    size is the square of the number of distinct values. NaN when no unit has two values or
    all pairable values are identical.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    codes, categories = _coders_units(data, numeric=level != "nominal")
    if level == "ratio" and len(categories) and float(np.min(categories)) < 0:
        raise ValueError("ratio level needs non-negative values")
    return _alpha(codes, np.ones(len(codes)), categories, level)


def percent_agreement(data) -> float:
    """Share of pairable units on which all coders who coded the unit gave the same value.

    ``data`` is coders x units with None/NaN for missing. A unit is pairable when at least
    two coders gave it a value; a unit counts as agreed only if *all* its values are equal
    (not the mean pairwise agreement, which credits partial agreement among 3+ coders).
    Returned as a proportion in [0, 1]; NaN when no unit is pairable.
    """
    codes, _ = _coders_units(data)
    return _percent(codes, np.ones(len(codes)))


@dataclass(frozen=True)
class AgreementStats:
    """The figures reported per code and overall (see docs: CLI "Inter-coder agreement")."""

    percent: float
    cohen_kappa: float | None
    fleiss_kappa: float
    krippendorff_alpha: float
    units: int | float

    def as_dict(self) -> dict:
        return asdict(self)


def _pattern_arrays(patterns, weights):
    """Patterns as a rows x coders array and their counts, validated; zero counts dropped."""
    if isinstance(patterns, Mapping):
        if weights is not None:
            raise ValueError("give counts either as the mapping's values or as weights, not both")
        rows, counts = list(patterns.keys()), list(patterns.values())
    else:
        rows = list(patterns)
        counts = [1] * len(rows) if weights is None else list(weights)
    if len(counts) != len(rows):
        raise ValueError(f"{len(rows)} patterns but {len(counts)} weights")
    w = np.asarray(counts, dtype=float).reshape(-1)
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("pattern counts must be finite and non-negative")
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        raise ValueError(f"patterns must all have one value per coder, got lengths {sorted(widths)}")
    keep = w > 0
    rows = [tuple(r) for r, k in zip(rows, keep) if k]
    return rows, w[keep], (widths.pop() if widths else None)


def stats_from_patterns(patterns, weights=None) -> AgreementStats:
    """Percent agreement, Cohen's kappa, Fleiss' kappa and nominal alpha from pattern counts.

    ``patterns`` is either a mapping ``{(value per coder): count}`` or a sequence of such
    tuples with ``weights`` giving each one's count. Each figure equals the unweighted one on
    the data with every pattern repeated ``count`` times; Cohen's kappa is None for more than
    two coders. Values must all be present (span units always are). ``units`` is the total
    count. With no units every figure is NaN.
    """
    rows, w, m = _pattern_arrays(patterns, weights)
    units = float(w.sum())
    units = int(units) if units.is_integer() else units
    if m is not None and m < 2:
        raise ValueError(f"need at least 2 coders, got patterns of {m}")
    if not rows:
        return AgreementStats(NAN, NAN if m in (None, 2) else None, NAN, NAN, units)
    arr = np.empty((len(rows), m), dtype=object)
    arr[:] = rows
    if all(isinstance(v, numbers.Real) for v in arr.reshape(-1)):
        arr = arr.astype(float)
    codes, categories = _encode(arr, numeric=False)
    if (codes < 0).any():
        raise ValueError("patterns must not contain missing values")
    k = len(categories)
    cohen = _cohen(codes[:, 0], codes[:, 1], w, k) if m == 2 else None
    return AgreementStats(
        percent=_percent(codes, w),
        cohen_kappa=cohen,
        fleiss_kappa=_fleiss(_category_counts(codes, k).astype(float), w),
        krippendorff_alpha=_alpha(codes, w, categories, "nominal"),
        units=units,
    )


# --------------------------------------------------------------------------- alpha-u

def _pair_unit_disagreement(first, second) -> float:
    """Sum of delta^2 over the sections of two coders, for one order of the pair.

    Counted: two overlapping units, (b_g - b_h)^2 + (e_g - e_h)^2; a unit of either coder
    lying inside a gap of the other, its length squared. Every other pair of sections
    (gap/gap, a unit only partly in a gap) contributes 0.
    """
    s1, e1 = first
    s2, e2 = second
    total = 0.0
    for (sa, ea), (sb, eb) in ((first, second), (second, first)):
        hits = np.searchsorted(sb, ea, side="left") - np.searchsorted(eb, sa, side="right")
        lone = (ea - sa)[hits == 0].astype(float)
        total += float((lone ** 2).sum())
    # Overlapping unit pairs: for unit g of the first coder, the second coder's units
    # lo..hi-1 overlap it (runs are sorted and disjoint).
    lo = np.searchsorted(e2, s1, side="right")
    count = np.searchsorted(s2, e1, side="left") - lo
    n_pairs = int(count.sum())
    if n_pairs:
        g = np.repeat(np.arange(len(s1)), count)
        h = np.arange(n_pairs) - np.repeat(np.cumsum(count) - count, count) + np.repeat(lo, count)
        total += float((((s1[g] - s2[h]).astype(float)) ** 2
                        + ((e1[g] - e2[h]).astype(float)) ** 2).sum())
    return total


def _unitized_disagreements(length: int, spans_by_coder) -> tuple[float, float]:
    """Observed and expected disagreement (D_o, D_e) of alpha-u; see :func:`unitized_alpha`."""
    coders = list(spans_by_coder)
    m = len(coders)
    if m < 2:
        raise ValueError(f"need at least 2 coders, got {m}")
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    runs = [merged_bounds(spans, length) for spans in coders]
    if length == 0:
        return NAN, 0.0
    big_l = float(length)
    observed = sum(_pair_unit_disagreement(runs[i], runs[j])
                   for i in range(m) for j in range(i + 1, m))
    d_o = 2.0 * observed / (m * (m - 1) * big_l ** 2)

    lengths = np.concatenate([(e - s) for s, e in runs]).astype(float)
    gaps = []
    for s, e in runs:
        gap = np.concatenate([s, [length]]) - np.concatenate([[0], e])
        gaps.append(gap[gap > 0])
    gaps = np.sort(np.concatenate(gaps).astype(float))
    n_units = len(lengths)
    # For each unit: sum over gaps at least as long of (gap - l + 1), the number of
    # whole-character positions the unit could take inside that gap.
    tail = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    first = np.searchsorted(gaps, lengths, side="left")
    fits = tail[first] - (len(gaps) - first) * (lengths - 1.0)
    lens = lengths
    numerator = (2.0 / big_l) * float(
        ((n_units - 1) * (2 * lens ** 3 - 3 * lens ** 2 + lens) / 3.0 + lens ** 2 * fits).sum())
    denominator = m * big_l * (m * big_l - 1) - float((lens * (lens - 1)).sum())
    return d_o, numerator / denominator


def unitized_alpha(length: int, spans_by_coder: Sequence) -> float:
    """Krippendorff's alpha-u for binary (coded / not coded) unitizing of ``[0, length)``.

    Each coder's spans are merged (overlapping or touching spans form one unit) and the
    continuum is cut into that coder's sections: units (coded, w = 1) and gaps (w = 0).
    Following Krippendorff (1995; 2004, section 12.4) for one category, with m coders,
    L = length, b and l a section's start and length:

        delta^2(g, h) = (b_g - b_h)^2 + (b_g + l_g - b_h - l_h)^2   units g, h that overlap
                      = l_g^2                                        unit g inside gap h
                      = l_h^2                                        unit h inside gap g
                      = 0                                            otherwise

        D_o = sum_i sum_{j != i} sum_g sum_h delta^2(ig, jh) / (m (m - 1) L^2)

        D_e = (2 / L) sum_units [ (N - 1) (2 l^3 - 3 l^2 + l) / 3
                                  + l^2 sum_{gaps G >= l} (G - l + 1) ]
              / ( m L (m L - 1) - sum_units l (l - 1) )

        alpha_u = 1 - D_o / D_e

    where sums over units and gaps run over all coders' sections and N is the total number
    of units. Lengths are whole characters, as the (G - l + 1) placements assume. This
    reproduces Krippendorff's (2004, p. 254) worked example (D_o = 0.0144, D_e = 0.0532,
    alpha = 0.7286). Spans must lie in [0, length]. NaN when nobody coded anything or
    length is 0 (D_e = 0).
    """
    d_o, d_e = _unitized_disagreements(length, spans_by_coder)
    if not d_e > 0.0:
        return NAN
    return float(1.0 - d_o / d_e)
