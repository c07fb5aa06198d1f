"""Krippendorff's alpha-u pooled over many separate continua (documents, or (code, document) pairs).

Joining documents end to end into one continuum is exact for character units but not for
alpha-u: its expected disagreement counts the places where a unit *could* have been put, and
a joined continuum would let units slide across a document boundary into the neighbour's
text (the gap at the end of one document and at the start of the next become one gap), and
would divide every squared length by the square of the joined length.

Here each continuum keeps its own D_o and D_e (:func:`qualcode.core.agreement.unitized_alpha`)
and they are pooled as length-weighted means, the way ordinary alpha pools units of equal
weight:

    alpha_u = 1 - (sum_d L_d D_o,d) / (sum_d L_d D_e,d)

A continuum nobody coded has D_o = D_e = 0 and changes nothing, so adding uncoded documents
never inflates alpha-u (unlike the character unit, where they add agreed "absent" units).
With a single continuum this is exactly :func:`unitized_alpha`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .agreement import NAN, _unitized_disagreements
from .agreement_units import merged_bounds


@dataclass
class PooledAlphaU:
    """Running sums for pooled alpha-u; ``add`` one continuum at a time, or ``+`` two pools."""

    observed: float = 0.0  # sum of L * D_o
    expected: float = 0.0  # sum of L * D_e
    units: int = 0  # coded units (merged runs) of all coders together

    def add(self, length: int, spans_by_coder) -> None:
        d_o, d_e = _unitized_disagreements(length, spans_by_coder)
        if length > 0:
            self.observed += length * d_o
            self.expected += length * d_e
        self.units += sum(len(merged_bounds(spans, length)[0]) for spans in spans_by_coder)

    def __add__(self, other: "PooledAlphaU") -> "PooledAlphaU":
        return PooledAlphaU(self.observed + other.observed, self.expected + other.expected,
                            self.units + other.units)

    @property
    def alpha(self) -> float:
        """NaN when no coder coded anything (nothing to disagree about)."""
        if not self.expected > 0.0:
            return NAN
        return float(1.0 - self.observed / self.expected)
