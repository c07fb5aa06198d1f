"""GUIDs: stored as 32 lowercase hex digits, exchanged as ``8-4-4-4-12``.

REFI-QDA and other tools write GUIDs with dashes, sometimes upper case or in braces; all of
them normalise to the stored form, so matching is exact whatever wrote them.
"""

from __future__ import annotations

import re

from ..errors import InvalidInput

_HEX32 = re.compile(r"^[0-9a-f]{32}$")


def normalise(value: str) -> str:
    """The stored form of any usual GUID spelling, or InvalidInput."""
    h = value.strip().strip("{}").replace("-", "").lower()
    if not _HEX32.match(h):
        raise InvalidInput(f"{value!r} is not a GUID")
    return h


def dashed(stored: str) -> str:
    """The exchange form ``xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx``."""
    h = normalise(stored)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
