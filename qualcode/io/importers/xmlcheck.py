"""XML from a package, parsed by defusedxml only.

Office packages are zip files of XML parts. Real ones never declare a DTD or entities, so a
part that does is refused (that is how "billion laughs" and external-entity attacks start),
whichever library reads the package afterwards.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import Element

from ...errors import InvalidInput
from ..safezip import read_member


def parse(data: bytes, name: str, part: str) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InvalidInput(f"{name} contains XML declarations a document never has ({part}); not imported") from None
    except (ParseError, LookupError):  # LookupError: an encoding the XML declaration names that does not exist
        raise InvalidInput(f"{name} is damaged: {part} is not well-formed XML") from None


def check_parts(zf: zipfile.ZipFile, name: str, what: str) -> None:
    """Parse every XML part once with defusedxml, so no unsafe or broken part gets further."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            parse(read_member(zf, info.filename, name, what), name, info.filename)
