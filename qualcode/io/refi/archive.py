"""Reading and writing zip packages without trusting them: ``.qdpx`` here, usable for any
zip-based format (``.docx``, ``.odt``, ``.xlsx``) through :func:`open_checked`.

:mod:`qualcode.io.safezip` already bounds what a package can cost (entry count, total size,
compression ratio) and refuses names that climb out of it. A package read here is held to
stricter names as well, because its members are looked up by names written in its XML:
no backslashes, drive letters or absolute paths, no symbolic links, no name given twice.
Nothing is ever extracted to disk; members are read into memory by name.

Writing is deterministic (sorted members, fixed timestamps and permissions) and atomic
(a temporary file renamed over the target), so an export of the same project is the same
file byte for byte, and a failed export leaves no half-written package behind.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ...errors import InvalidInput
from .. import safezip
from ..atomic import write_atomically

MAX_ENTRIES = safezip.MAX_ENTRIES
MAX_TOTAL = safezip.MAX_TOTAL
MAX_RATIO = safezip.MAX_RATIO
PROJECT_XML = "project.qde"
_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _unsafe_name(member: str) -> str | None:
    """Why a member name cannot be trusted, or None."""
    if "\\" in member:
        return "a backslash in its name"
    if member.startswith("/") or _DRIVE.match(member):
        return "an absolute path"
    if ".." in PurePosixPath(member).parts:
        return "a path that leaves the package"
    if "\x00" in member:
        return "a NUL character in its name"
    return None


def open_checked(data: bytes, name: str, what: str = "package") -> zipfile.ZipFile:
    """A ``ZipFile`` over ``data`` whose every member passed the checks of this module."""
    zf = safezip.open_zip(data, name, what=what, max_entries=MAX_ENTRIES, max_total=MAX_TOTAL, max_ratio=MAX_RATIO)
    seen: set[str] = set()
    for info in zf.infolist():
        why = _unsafe_name(info.filename)
        if why:
            raise InvalidInput(f"{name} has a member with {why} ({info.filename!r}); not imported")
        if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
            raise InvalidInput(f"{name} contains a symbolic link ({info.filename}); not imported")
        if info.filename in seen:
            raise InvalidInput(f"{name} names {info.filename!r} twice; not imported")
        seen.add(info.filename)
    return zf


class Qdpx:
    """An opened ``.qdpx``: ``project.qde`` and the members its sources point to."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        self.zf = open_checked(data, name, "REFI-QDA project (.qdpx)")
        files = [i.filename for i in self.zf.infolist() if not i.is_dir()]
        self._exact = set(files)
        self._folded: dict[str, str] = {}
        for f in files:  # "Sources/" or "sources/", upper- or lower-case GUIDs: tools differ
            self._folded.setdefault(f.casefold(), f)
        if self._find(PROJECT_XML) is None:
            raise InvalidInput(f"{name} is not a REFI-QDA project: it has no {PROJECT_XML}")

    def _find(self, member: str) -> str | None:
        return member if member in self._exact else self._folded.get(member.casefold())

    def read(self, member: str) -> bytes:
        return safezip.read_member(self.zf, self._find(member) or member, self.name, "REFI-QDA project")

    def project_xml(self) -> bytes:
        return self.read(PROJECT_XML)

    def locate(self, ref: str) -> tuple[str | None, str | None]:
        """(member, None) for a source path written in the project, or (None, why not).

        ``internal://X`` is ``sources/X`` in the package; a bare relative path is looked
        for there and at the top; ``relative://`` and ``absolute://`` paths point at files
        beside the package on someone else's disk, which an import never reads.
        """
        ref = (ref or "").strip()
        scheme, sep, rest = ref.partition("://")
        if not sep:
            scheme, rest = "", ref
        scheme = scheme.lower()
        if scheme not in ("", "internal", "relative"):
            return None, f"it refers to a file outside the package ({ref})"
        rest = rest.lstrip("/") if scheme else rest
        if not rest or _unsafe_name(rest):
            return None, f"its path {ref!r} is not a safe path inside the package"
        for candidate in (f"sources/{rest}", rest):
            found = self._find(candidate)
            if found is not None:
                return found, None
        if scheme == "relative":
            return None, f"it refers to a file outside the package ({ref})"
        return None, f"the package has no file {rest!r}"


def open_qdpx(path: str | Path) -> Qdpx:
    """Open a ``.qdpx`` file, refusing it (InvalidInput) before anything is imported."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TOTAL:
            raise InvalidInput(f"{path.name} is {size // (1024 * 1024)} MB, over the "
                               f"{MAX_TOTAL // (1024 * 1024)} MB limit for a REFI-QDA project")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a .qdpx file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    return Qdpx(data, path.name)


def write_zip(path: str | Path, members: list[tuple[str, bytes]]) -> None:
    """Write a zip of ``members`` (name, bytes) in the order given, deterministically and
    atomically: a temporary file beside ``path`` is renamed over it when complete."""
    path = Path(path)
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {path.parent} does not exist")

    def fill(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                zf.writestr(info, data)

    try:
        write_atomically(path, fill)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
