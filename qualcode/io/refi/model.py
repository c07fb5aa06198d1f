"""The content of a REFI-QDA project as plain records, between the XML and the project store.

The reader fills these from any tool's ``project.qde``; the exporter fills them from a
QualCode project and the writer turns them into XML. GUIDs are held in QualCode's stored
form (32 lower-case hex digits, :mod:`qualcode.core.guids`); one that is not a GUID at all is
kept as written, so references to it still match, and the importer gives the row a fresh one.
Positions are the writer's: code points over the source text as that program counted it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

NS = "urn:QDA-XML:project:1.0"
# GUIDs QualCode must invent for an export (selections, links, variables, code memos) are
# name-based UUIDs under this namespace, made from stored GUIDs and names: stable from one
# export to the next, and recognisable when the file comes back.
_DERIVED = uuid.UUID("1fd3ab14-6c81-4498-8053-4114cb0b7fc2")
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")  # typeOfVariable


@dataclass
class User:
    guid: str
    name: str | None = None


@dataclass
class Code:
    guid: str
    name: str
    codable: bool = True
    color: str | None = None
    description: str | None = None
    notes: list[str] = field(default_factory=list)  # NoteRef targets
    children: list["Code"] = field(default_factory=list)


@dataclass
class Variable:
    guid: str
    name: str
    type: str = "Text"
    description: str | None = None


@dataclass
class Value:
    variable: str  # Variable GUID
    value: str | None  # as written in the XML (xsd lexical form), None when empty


@dataclass
class Coding:
    guid: str
    code: str  # Code GUID
    user: str | None = None
    created: str | None = None  # xsd:dateTime as written
    notes: list[str] = field(default_factory=list)


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    user: str | None = None
    created: str | None = None
    description: str | None = None
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class TextSource:
    guid: str
    name: str
    text: str | None = None  # decoded, not yet normalised; None when it could not be read
    user: str | None = None
    created: str | None = None
    description: str | None = None
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # codings of the whole source
    notes: list[str] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    encoding: str | None = None


@dataclass
class Case:
    guid: str
    name: str
    description: str | None = None
    values: list[Value] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # SourceRef targets


@dataclass
class Note:
    guid: str
    name: str | None
    text: str | None
    user: str | None = None
    created: str | None = None


@dataclass
class Link:
    """A link between two objects; QualCode reads the ones joining a note to what it is about."""

    guid: str
    origin: str | None
    target: str | None


@dataclass
class Findings:
    """What a reader met but could not carry: shown to the user after an import."""

    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    unknown: Counter = field(default_factory=Counter)  # "Parent/Element" -> times seen
    warnings: list[str] = field(default_factory=list)

    def skip(self, what: str, why: str) -> None:
        self.skipped.append((what, why))


@dataclass
class Project:
    name: str
    origin: str | None = None
    user: str | None = None  # creatingUserGUID
    created: str | None = None
    description: str | None = None
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # notes on the project as a whole
    other_sources: set[str] = field(default_factory=set)  # GUIDs of sources that are not text
    aliases: dict[str, str] = field(default_factory=dict)  # PDF source GUID -> its text's GUID
    findings: Findings = field(default_factory=Findings)


def local(tag: str) -> str:
    """An element's name without its namespace (tools disagree on prefixes, never on names)."""
    return tag.rpartition("}")[2]


def walk_codes(codes: list[Code]):
    """(code, parent or None) for every code of a tree, parents first, without recursion
    (a hostile file may nest codes deeper than Python's stack)."""
    stack = [(c, None) for c in reversed(codes)]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((child, code) for child in reversed(code.children))


def derived_guid(*parts: str) -> str:
    return uuid.uuid5(_DERIVED, "/".join(parts)).hex


def code_memo_guid(code_guid: str) -> str:
    """The note that carries a code's own memo field (as opposed to memos about the code)."""
    return derived_guid("code-memo", code_guid)
