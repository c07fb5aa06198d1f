"""QualCode: qualitative coding and narrative analysis.

Kept tiny on purpose: importing ``qualcode`` must not import Qt, spaCy or pandas, so that the
command line starts fast. The public entry points live in their own modules (``qualcode.cli``,
``qualcode.services``, ``qualcode.core.agreement``).
"""

__version__ = "0.1.0"
