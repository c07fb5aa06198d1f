"""Turning bytes from a file into the stored document text.

The stored text is what every offset points into, so it is fixed here once: decoded, line
endings made ``\\n``, Unicode NFC. Nothing else may alter it later.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from ..errors import InvalidInput

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, name: str = "the file") -> tuple[str, str]:
    """(text, encoding). UTF BOMs first, then strict UTF-8, then cp1252, then latin-1."""
    if not data.strip():
        raise InvalidInput(f"{name} is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise InvalidInput(f"{name} starts like {enc} text but is not valid {enc}") from None
    if b"\x00" in data:
        raise InvalidInput(f"{name} looks like a binary file, not text")
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, enc
    raise InvalidInput(f"{name}: cannot tell its text encoding")  # latin-1 never fails; kept for clarity


def normalise(text: str, name: str = "the file") -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > max(8, len(text[:20000]) // 100):
        raise InvalidInput(f"{name} looks like a binary file, not text")
    if not text.strip():
        raise InvalidInput(f"{name} has no text")
    return text


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
