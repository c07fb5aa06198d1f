"""Plain text and Markdown (stored as written: Markdown markup stays in the text).

Decoding is :func:`qualcode.core.text.decode` (BOMs, UTF-8, cp1252, latin-1). Where that ends
in a Western single-byte code page, charset-normalizer gets a say: Cyrillic, Greek or
Central European files saved by old Windows tools decode without error as cp1252 but come
out as mojibake. Its guess wins only when it is confident, reads the bytes differently from
cp1252, and scores strictly better; on ties (short texts, where every code page is equally
plausible) cp1252 stays, since it is what such files usually are.
"""

from __future__ import annotations

from ...core import text as textcore
from . import Imported, Importer

# Legacy code pages a transcript plausibly comes in; a short list keeps the guesser from
# picking exotic Mac or EBCDIC pages that happen to score well on a few bytes.
_CANDIDATES = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "koi8_r", "cp932", "gb18030",
               "big5", "euc_kr"]
_CONFIDENT = 0.1  # charset-normalizer's "chaos" (share of odd characters) a guess must stay under


def _legacy_guess(data: bytes, western: str) -> tuple[str, str] | None:
    """(text, code page) when a code page reads ``data`` better than cp1252/latin-1 did
    (giving ``western``), else None."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=_CANDIDATES))
    if not matches:
        return None
    score = lambda m: (m.chaos, -m.coherence)  # noqa: E731 - lower is better
    best = min(score(m) for m in matches)
    top = [m for m in matches if score(m) == best]
    if best[0] >= _CONFIDENT or any(str(m) == western for m in top):
        return None
    try:
        return data.decode(top[0].encoding), top[0].encoding
    except UnicodeDecodeError:  # the guesser samples long files; the whole file may disagree
        return None


def read(data: bytes, name: str) -> Imported:
    raw, encoding = textcore.decode(data, name)
    warnings = []
    if encoding in ("cp1252", "latin-1"):
        better = _legacy_guess(data, raw)
        if better is not None:
            raw, encoding = better
            warnings.append(f"{name}: the encoding was guessed as {encoding}; check that the text reads right")
    return Imported(textcore.normalise(raw, name), "text", encoding, warnings=warnings)


IMPORTER = Importer("text", "plain text file", (".txt", ".md", ".markdown", ".text"), lambda data: False, read)
