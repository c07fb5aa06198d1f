"""Building REFI-QDA packages in the tests, in the shapes other tools write them.

``qde(...)`` wraps elements in a ``<Project>``; ``package(...)`` zips it with source files;
``SCHEMA`` is the official Project schema shipped in resources/refi, so a test can prove that
the foreign-shaped file it built is itself a valid REFI-QDA project before importing it.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import xmlschema

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "resources" / "refi" / "Project-mrt2019.xsd"
SCHEMA = xmlschema.XMLSchema(str(XSD))
NS = "urn:QDA-XML:project:1.0"


def qde(body: str, name: str = "foreign", origin: str | None = None, extra: str = "") -> str:
    origin_attr = f' origin="{origin}"' if origin else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="{name}"{origin_attr} {extra}>\n'
            f"{body}\n</Project>\n")


def package(path: Path, project_xml: str | bytes | None, files: dict[str, bytes | str] | None = None,
            infos: list[tuple[zipfile.ZipInfo, bytes]] | None = None) -> Path:
    """Write a .qdpx at ``path``: project.qde (unless None), ``files`` by name, raw ``infos``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if project_xml is not None:
            zf.writestr("project.qde", project_xml if isinstance(project_xml, bytes) else project_xml.encode("utf-8"))
        for name, data in (files or {}).items():
            zf.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
        for info, data in infos or []:
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


def symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def assert_valid(project_xml: str | bytes) -> None:
    """The document is a valid REFI-QDA project (raises with the schema's reason if not)."""
    text = project_xml.decode("utf-8") if isinstance(project_xml, bytes) else project_xml
    SCHEMA.validate(text)


def read_qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")
