"""HTML (a transcript saved from a web page or exported by a transcription service): text only.

The standard library's tolerant HTML parser walks the page; scripts, styles, the title and
other non-content elements are dropped. Block elements (p, div, li, headings, ...) become
paragraphs, ``<br>`` a line break, a table one paragraph with a line per row and `` | ``
between cells; runs of whitespace inside a block collapse to one space as a browser shows
them (``<pre>`` keeps its lines). Entities are decoded. The encoding comes from a BOM or a ``<meta charset>``,
else from the plain-text rules.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ...core import text as textcore
from . import Imported, Importer

WHAT = "HTML page"
_DROP = {"script", "style", "title", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
         "select", "button"}
_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "li", "ul",
          "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "hr", "figure",
          "figcaption", "address", "details", "summary", "form", "fieldset", "body", "html"}
_CELL = {"td", "th"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BREAK = "\x00"  # stands for <br> until whitespace is collapsed
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEAD = re.compile(rb"""^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])""",
                   re.IGNORECASE | re.DOTALL)


def sniff(data: bytes) -> bool:
    return bool(_HEAD.match(data[:4096].lstrip(codecs.BOM_UTF8)))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._drop = 0  # depth inside dropped elements
        self._pre = 0
        self._cells = 0  # cells seen in the current table row

    def _flush(self) -> None:
        raw = "".join(self._parts)
        self._parts = []
        if self._pre:
            lines = raw.replace(_BREAK, "\n").split("\n")
        else:
            lines = [" ".join(line.split()) for line in _SPACE.sub(" ", raw).split(_BREAK)]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            self.blocks.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _DROP:
            self._drop += tag not in _VOID
        elif self._drop:
            return
        elif tag == "br":
            self._parts.append(_BREAK)
        elif tag == "tr":
            self._cells = 0
        elif tag in _CELL:
            if self._cells:
                self._parts.append(" | ")
            self._cells += 1
        elif tag in _BLOCK:
            self._flush()
            self._pre += tag == "pre"

    def handle_endtag(self, tag):
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
        elif self._drop:
            return
        elif tag == "tr":
            self._parts.append(_BREAK)  # a row is one line of its table's paragraph
        elif tag in _BLOCK:
            self._flush()
            self._pre = max(0, self._pre - (tag == "pre"))

    def handle_data(self, data):
        if not self._drop:
            self._parts.append(data)

    def close(self):
        super().close()
        self._flush()


def _decode(data: bytes, name: str) -> tuple[str, str]:
    m = _CHARSET.search(data[:4096])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            encoding = codecs.lookup(m.group(1).decode("ascii")).name
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to detection
    return textcore.decode(data, name)


def read(data: bytes, name: str) -> Imported:
    markup, encoding = _decode(data, name)
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return Imported(textcore.normalise("\n\n".join(parser.blocks), name), "html", encoding)


IMPORTER = Importer("html", WHAT, (".html", ".htm", ".xhtml"), sniff, read)
