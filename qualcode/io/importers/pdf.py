"""PDF through pypdf: the text layer, page by page.

A PDF has lines but no paragraphs, so the stored text gets a blank line between pages and
before every line that opens with a speaker label (``Name:``): each turn becomes a
paragraph, and speakers are found as in any transcript. A PDF without a text layer (a scan)
or one that needs a password is refused with what to do; pages without text in an otherwise
readable PDF are named in a warning. pypdf's own complaints about a sloppy file are caught
and returned as warnings instead of being logged to the terminal.
"""

from __future__ import annotations

import io
import logging

from ...core import text as textcore
from ...core.segmentation import leading_label
from ...errors import InvalidInput
from . import Imported, Importer

WHAT = "PDF"


def sniff(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _paragraphs(page: str) -> str:
    out: list[str] = []
    for line in page.split("\n"):
        line = line.rstrip()
        if out and out[-1] and leading_label(line):
            out.append("")
        out.append(line)
    return "\n".join(out).strip()


def _pages(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # an owner password alone restricts printing, not reading
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise InvalidInput(f"{name} is password-protected; save an unprotected copy (for example "
                                   "print it to PDF after opening it with the password) and import that")
        return [page.extract_text() or "" for page in reader.pages]
    except InvalidInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            AssertionError, ZeroDivisionError) as exc:  # what pypdf raises for a malformed file
        raise InvalidInput(f"{name} is damaged: not a readable PDF ({type(exc).__name__})") from None


def read(data: bytes, name: str) -> Imported:
    logger = logging.getLogger("pypdf")
    collect, propagate = _Collect(), logger.propagate
    logger.addHandler(collect)
    logger.propagate = False
    try:
        pages = _pages(data, name)
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    texts = [_paragraphs(p) for p in pages]
    if not any(texts):
        raise InvalidInput(f"{name} has no text layer (a scanned image?); run it through OCR "
                           "(for example ocrmypdf) and import the result")
    warnings = [f"{name}: {m}" for m in dict.fromkeys(collect.messages)]
    empty = [str(i + 1) for i, t in enumerate(texts) if not t]
    if empty:
        warnings.append(f"{name}: page(s) {', '.join(empty)} have no text layer (scanned?) and were left out")
    text = textcore.normalise("\n\n".join(t for t in texts if t), name)
    return Imported(text, "pdf", warnings=warnings)


IMPORTER = Importer("pdf", WHAT, (".pdf",), sniff, read, binary=True)
