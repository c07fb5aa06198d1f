"""Alpha-u pooled over separate continua."""

from __future__ import annotations

import math

import pytest

from qualcode.core.agreement import _unitized_disagreements, unitized_alpha
from qualcode.core.agreement_pooled import PooledAlphaU

DOC_A = (100, [[(10, 30), (50, 60)], [(12, 30), (70, 80)]])
DOC_B = (60, [[(0, 20)], [(5, 25), (40, 60)]])


def test_one_continuum_is_exactly_unitized_alpha():
    pool = PooledAlphaU()
    pool.add(*DOC_A)
    assert pool.alpha == pytest.approx(unitized_alpha(*DOC_A), abs=1e-12)
    assert pool.units == 4  # two units of each coder


def test_documents_pool_as_length_weighted_disagreements():
    pool = PooledAlphaU()
    pool.add(*DOC_A)
    pool.add(*DOC_B)
    (oa, ea), (ob, eb) = _unitized_disagreements(*DOC_A), _unitized_disagreements(*DOC_B)
    expected = 1 - (100 * oa + 60 * ob) / (100 * ea + 60 * eb)
    assert pool.alpha == pytest.approx(expected, abs=1e-12)
    assert pool.units == 7


def test_pooling_differs_from_joining_the_documents_end_to_end():
    pool = PooledAlphaU()
    pool.add(*DOC_A)
    pool.add(*DOC_B)
    joined = [a + [(s + 100, e + 100) for s, e in b] for a, b in zip(DOC_A[1], DOC_B[1])]
    assert abs(pool.alpha - unitized_alpha(160, joined)) > 1e-4


def test_an_uncoded_document_changes_nothing_and_pools_add_up():
    pool = PooledAlphaU()
    pool.add(*DOC_A)
    before = pool.alpha
    pool.add(5000, [[], []])
    assert pool.alpha == pytest.approx(before, abs=1e-12)
    other = PooledAlphaU()
    other.add(*DOC_B)
    both = pool + other
    assert both.units == pool.units + other.units
    assert both.observed == pytest.approx(pool.observed + other.observed)


def test_nothing_coded_is_undefined():
    pool = PooledAlphaU()
    pool.add(50, [[], []])
    assert math.isnan(pool.alpha)
    assert math.isnan(PooledAlphaU().alpha)
