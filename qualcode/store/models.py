"""Plain records the repositories return. No behaviour, no database handles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Coder:
    id: int
    guid: str
    name: str
    color: str | None = None


@dataclass(frozen=True)
class Case:
    id: int
    guid: str
    name: str
    kind: str
    parent_id: int | None = None
    memo: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its text: what lists and tables need."""

    id: int
    guid: str
    name: str
    chars: int
    sha256: str
    kind: str = "interview"
    source: str | None = None
    interview_date: str | None = None
    period_discussed: str | None = None
    language: str | None = None
    codings: int = 0
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Code:
    id: int
    guid: str
    name: str
    parent_id: int | None = None
    color: str | None = None
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    memo: str | None = None
    status: str = "active"
    merged_into: int | None = None
    ordinal: int = 0


@dataclass(frozen=True)
class Coding:
    id: int
    guid: str
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    memo: str | None = None
    evidence: str = "unknown"
    created_at: int | None = None  # Unix seconds


@dataclass(frozen=True)
class Span:
    """A labelled stretch of a document: a speaker turn or a segment."""

    start: int
    end: int
    label: str = ""
    case_id: int | None = None


@dataclass(frozen=True)
class CodingRow:
    """A coding joined with the names a report or export shows."""

    id: int
    document: str
    code_id: int
    coder: str
    start: int
    end: int
    text: str
    memo: str | None = None
    evidence: str = "unknown"


@dataclass(frozen=True)
class ProjectCounts:
    schema_version: int
    documents: int
    cases: int
    codes: int
    codings: int
    coders: list[str] = field(default_factory=list)
    stories: int = 0
    tellings: int = 0


@dataclass(frozen=True)
class Memo:
    """A note on the project or on one document, case, code, coding, story or telling."""

    id: int
    guid: str
    target_type: str
    target_id: int | None
    text: str
    coder_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class Story:
    id: int
    guid: str
    title: str
    summary: str | None = None
    memo: str | None = None


@dataclass(frozen=True)
class StoryElement:
    id: int
    story_id: int
    ordinal: int
    label: str
    kind: str = "core"


@dataclass(frozen=True)
class Telling:
    """One version of a story, anchored to a span; ``coding_id`` is the coding made with it."""

    id: int
    guid: str
    story_id: int
    document_id: int
    start: int
    end: int
    teller_case_id: int | None = None
    role: str = "hearsay"
    told_on: str | None = None
    completeness: float | None = None
    memo: str | None = None
    coding_id: int | None = None


@dataclass(frozen=True)
class Transmission:
    """``to_telling_id`` heard the story from a telling, a case, or a free-text source."""

    id: int
    to_telling_id: int
    from_telling_id: int | None = None
    from_case_id: int | None = None
    from_text: str | None = None
    basis: str = "stated"
    evidence_document_id: int | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None


@dataclass(frozen=True)
class Realization:
    telling_id: int
    element_id: int
    status: str
    position: int | None = None
    start: int | None = None
    end: int | None = None
    variant: str | None = None
