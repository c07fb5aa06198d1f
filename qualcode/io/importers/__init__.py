"""Reading transcripts: one module per format, chosen by file type and checked by content.

Every importer turns a file's bytes into :class:`Imported`: the text to store (decoded, line
endings ``\\n``, NFC: every offset points into it), its speaker turns, and what it
noticed on the way (encoding, warnings). Importers never touch a project; the documents
service stores what they return.

The extension picks the importer, but the content has the last word: a ``.txt`` that is
really a WebVTT file, or a ``.docx`` that is really a PDF, is read as what it is, with a
warning. Content that no importer reads (an image, an old ``.doc``, an encrypted Office
file) is refused with a message that says what the file is and what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...core import segmentation, text as textcore
from ...errors import InvalidInput

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_BYTES_ENV = "QUALCODE_MAX_IMPORT_MB"


@dataclass
class Imported:
    """A file read for import. ``turns`` are (start, end, label) over ``text`` where the format
    marks speakers itself (captions); None where they are found in the text by the rules of
    :func:`qualcode.core.segmentation.speaker_turns`, which the store step runs anyway."""

    text: str
    format: str
    encoding: str | None = None
    turns: list[tuple[int, int, str]] | None = None
    warnings: list[str] = field(default_factory=list)

    def speaker_turns(self) -> list[tuple[int, int, str]]:
        return self.turns if self.turns is not None else segmentation.speaker_turns(self.text)

    @property
    def speakers(self) -> dict[str, int]:
        """label -> number of turns, in order of first appearance."""
        out: dict[str, int] = {}
        for _, _, label in self.speaker_turns():
            out[label] = out.get(label, 0) + 1
        return out


@dataclass(frozen=True)
class Importer:
    format: str  # short name: "docx"
    what: str  # for messages: "Word document"
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes], bool]  # True when the content is unmistakably this format
    read: Callable[[bytes, str], Imported]  # (file bytes, file name for messages)
    binary: bool = False  # a container (PDF, zip): text with its extension is misnamed, not malformed


def _registry() -> list[Importer]:
    # Sniffing order matters: containers and signed formats first, plain text last.
    from . import opendocument, pdf, plaintext, subrip, webpage, webvtt, word

    return [pdf.IMPORTER, word.IMPORTER, opendocument.IMPORTER, webvtt.IMPORTER, subrip.IMPORTER,
            webpage.IMPORTER, plaintext.IMPORTER]


IMPORTERS = _registry()
PLAIN = IMPORTERS[-1]
BY_SUFFIX = {s: imp for imp in IMPORTERS for s in imp.suffixes}
SUFFIXES = frozenset(BY_SUFFIX)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Microsoft compound file: .doc, .xls, encrypted Office
_FOREIGN = [  # (signature, what it is and what to do)
    (b"{\\rtf", "an RTF document; save it as .docx or .txt and import that"),
    (b"\x89PNG", "a binary file (a PNG image), not a transcript"),
    (b"\xff\xd8\xff", "a binary file (a JPEG image), not a transcript"),
    (b"GIF8", "a binary file (a GIF image), not a transcript"),
    (b"\x1f\x8b", "a binary file (a gzip archive); unpack it first"),
    (b"7z\xbc\xaf", "a binary file (a 7-Zip archive); unpack it first"),
    (b"Rar!", "a binary file (a RAR archive); unpack it first"),
]


def max_bytes_default() -> int:
    """The size limit: $QUALCODE_MAX_IMPORT_MB megabytes, else 50 MB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        mb = float(raw)
    except ValueError:
        raise InvalidInput(f"{MAX_BYTES_ENV} must be a number of megabytes, not {raw!r}") from None
    if mb <= 0:
        raise InvalidInput(f"{MAX_BYTES_ENV} must be more than 0")
    return int(mb * 1024 * 1024)


def _foreign(data: bytes, name: str) -> None:
    """Refuse content that is recognisably something no importer reads."""
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InvalidInput(f"{name} is a password-protected Office file; remove the password in Word "
                               "(File > Info > Protect Document) and import it again")
        raise InvalidInput(f"{name} is an old binary Office file (.doc); save it as .docx in Word or LibreOffice "
                           "and import that")
    for magic, message in _FOREIGN:
        if data.startswith(magic):
            raise InvalidInput(f"{name} is {message}")


def choose(data: bytes, name: str) -> tuple[Importer, list[str]]:
    """The importer for these bytes (named ``name``), and a warning when the extension lies."""
    suffix = Path(name).suffix.lower()
    by_name = BY_SUFFIX.get(suffix)
    if by_name is None:
        raise InvalidInput(f"{name}: {suffix or 'files without an extension'} cannot be imported "
                           f"(supported: {', '.join(sorted(SUFFIXES))})")
    if by_name.sniff(data):
        return by_name, []
    _foreign(data, name)
    by_content = next((imp for imp in IMPORTERS if imp is not PLAIN and imp.sniff(data)), None)
    if by_content is not None:
        return by_content, [f"{name} is {_a(by_content.what)} despite its name; read as {by_content.format}"]
    if not by_name.binary:
        return by_name, []  # its own reader says what is wrong with the text
    # A container format whose content is not that container: damaged, or text misnamed.
    try:
        textcore.normalise(textcore.decode(data, name)[0], name)
    except InvalidInput:
        return by_name, []  # let the format's own reader say what is wrong with it
    return PLAIN, [f"{name} is plain text, not {_a(by_name.what)}; read as text"]


def _a(what: str) -> str:
    return ("an " if what[0] in "AEIOU" or what.startswith("HTML") else "a ") + what


def read_bytes(data: bytes, name: str) -> Imported:
    """Import ``data`` as the file ``name``: choose the importer and read."""
    if not data.strip():
        raise InvalidInput(f"{name} is empty")
    importer, warnings = choose(data, name)
    result = importer.read(data, name)
    if not result.text.strip():
        raise InvalidInput(f"{name} has no text")
    result.warnings[:0] = warnings
    return result


def read_file(path: str | Path, max_bytes: int | None = None) -> Imported:
    """Import one file, refusing it before reading when it is over ``max_bytes``."""
    path = Path(path)
    limit = max_bytes_default() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(f"{path.name} is {size / (1024 * 1024):.1f} MB, over the "
                               f"{limit / (1024 * 1024):g} MB import limit (raise it with --max-size MB "
                               f"or {MAX_BYTES_ENV})")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    return read_bytes(data, path.name)
