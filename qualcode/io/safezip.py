"""Opening zip packages (.docx, .odt, .xlsx, .qdpx) without trusting them.

A zip's central directory is checked before any member is decompressed: too many entries, a
path that climbs out of the package, a total uncompressed size over the limit, or a member
that inflates far more than real documents do (a "zip bomb") is refused with a message.
Python's ``zipfile`` never inflates a member past the size its directory declares, so
checking the declared sizes bounds what reading can cost.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from ..errors import InvalidInput

MAX_ENTRIES = 10_000
MAX_TOTAL = 512 * 1024 * 1024  # uncompressed bytes over all members
MAX_RATIO = 100  # uncompressed / compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like


def open_zip(data: bytes, name: str, *, what: str = "package", max_entries: int = MAX_ENTRIES,
             max_total: int = MAX_TOTAL, max_ratio: int = MAX_RATIO) -> zipfile.ZipFile:
    """A checked ``ZipFile`` over ``data``; ``what`` names the format in messages ("Word file")."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput(f"{name} is damaged: it is not a readable {what}") from None
    if len(infos) > max_entries:
        raise InvalidInput(f"{name} holds {len(infos)} files, more than a {what} should ({max_entries}); not imported")
    total = 0
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and path.parts[0].endswith(":")):
            raise InvalidInput(f"{name} contains an unsafe path {info.filename!r}; not imported")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise InvalidInput(f"{name} looks like a zip bomb: {info.filename} would inflate "
                               f"{info.file_size // max(info.compress_size, 1)}-fold; not imported")
    if total > max_total:
        raise InvalidInput(f"{name} would unpack to {total // (1024 * 1024)} MB, over the "
                           f"{max_total // (1024 * 1024)} MB limit; not imported")
    return zf


def read_member(zf: zipfile.ZipFile, member: str, name: str, what: str = "package") -> bytes:
    """One member's bytes; a missing or corrupt member is a damaged package."""
    try:
        return zf.read(member)
    except KeyError:
        raise InvalidInput(f"{name} is not a complete {what} (no {member})") from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError) as exc:
        # RuntimeError: the member is encrypted (zip-level password)
        raise InvalidInput(f"{name} is damaged: {member} cannot be read ({type(exc).__name__})") from None
