"""``project.qde``: the XML of a REFI-QDA project, read from any tool and written by QualCode.

The reader is lenient where tools differ and strict where safety is at stake. It matches
elements by name whatever namespace prefix a tool uses, accepts GUIDs in any usual spelling,
takes a source's text inline (``PlainTextContent``) or from the package (``plainTextPath``),
and notes -- never fails on -- what QualCode cannot carry: pictures, audio, video, PDF
regions, sets, graphs, elements it does not know. The XML itself is parsed by defusedxml
with DTDs forbidden, so entity expansion and external entities never happen.

The writer emits elements in the order the schema prescribes, each list sorted, so the
same project gives the same bytes.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

from ...core import text as textcore
from ...errors import InvalidInput
from ..importers.xmlcheck import parse
from .archive import PROJECT_XML, Qdpx
from .codes import codes_element, read_codes
from .model import (NS, Case, Coding, Findings, Link, Note, Project, Selection, TextSource, User, Value, Variable,
                    local)
from .xmltools import child, guid_attr, read_guid, text_of

VALUE_ELEMENTS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue",
                  "Float": "FloatValue", "Date": "DateValue", "DateTime": "DateTimeValue"}
_VALUE_NAMES = set(VALUE_ELEMENTS.values())
_MEDIA = {"PictureSource": "a picture", "AudioSource": "an audio recording", "VideoSource": "a video"}


# -- reading -----------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, qdpx: Qdpx):
        self.qdpx = qdpx
        self.found = Findings()

    def read(self) -> Project:
        root = parse(self.qdpx.project_xml(), self.qdpx.name, PROJECT_XML)
        if local(root.tag) != "Project":
            raise InvalidInput(f"{self.qdpx.name} is not a REFI-QDA project: {PROJECT_XML} holds "
                               f"<{local(root.tag)}>, not <Project>")
        ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
        if ns != NS:
            self.found.warnings.append(f"{PROJECT_XML} uses the namespace {ns or '(none)'!r}, not {NS!r}; read anyway")
        p = Project(name=root.get("name") or "", origin=root.get("origin"),
                    user=read_guid(root.get("creatingUserGUID")), created=root.get("creationDateTime"),
                    findings=self.found)
        for el in root:
            name = local(el.tag)
            if name == "Users":
                p.users = [User(read_guid(u.get("guid")) or "", u.get("name"))
                           for u in self._children(el, "User", "Users")]
            elif name == "CodeBook":
                for codes in self._children(el, "Codes", "CodeBook"):
                    p.codes += read_codes(codes, self.found)
            elif name == "Variables":
                p.variables = [Variable(read_guid(v.get("guid")) or "", v.get("name") or "",
                                        (v.get("typeOfVariable") or "Text").strip(), text_of(v, "Description"))
                               for v in self._children(el, "Variable", "Variables")]
            elif name == "Cases":
                p.cases = [self._case(c) for c in self._children(el, "Case", "Cases")]
            elif name == "Sources":
                self._sources(el, p)
            elif name == "Notes":
                p.notes = [self._note(n) for n in self._children(el, "Note", "Notes")]
            elif name == "Links":
                p.links = [Link(read_guid(k.get("guid")) or "", read_guid(k.get("originGUID")),
                                read_guid(k.get("targetGUID"))) for k in self._children(el, "Link", "Links")]
            elif name in ("Sets", "Graphs"):
                n = len(list(el))
                what = "sets (named groups of codes, sources or notes)" if name == "Sets" else "graphs (network views)"
                self.found.skip(f"{n} {what}", "QualCode has no equivalent")
            elif name == "Description":
                p.description = el.text or ""
            elif name == "NoteRef":
                self._ref(el, p.note_refs)
            else:
                self.found.unknown[f"Project/{name}"] += 1
        return p

    def _children(self, el: Element, wanted: str, where: str) -> list[Element]:
        out = []
        for sub in el:
            if local(sub.tag) == wanted:
                out.append(sub)
            else:
                self.found.unknown[f"{where}/{local(sub.tag)}"] += 1
        return out

    @staticmethod
    def _ref(el: Element, into: list[str]) -> None:
        target = read_guid(el.get("targetGUID"))
        if target:
            into.append(target)

    def _value(self, el: Element) -> Value | None:
        variable, value = None, None
        for sub in el:
            name = local(sub.tag)
            if name == "VariableRef":
                variable = read_guid(sub.get("targetGUID"))
            elif name in _VALUE_NAMES:
                value = (sub.text or "").strip() or None
            else:
                self.found.unknown[f"VariableValue/{name}"] += 1
        return Value(variable, value) if variable else None

    def _case(self, el: Element) -> Case:
        case = Case(read_guid(el.get("guid")) or "", el.get("name") or "")
        refs = 0
        for sub in el:
            name = local(sub.tag)
            if name == "Description":
                case.description = sub.text or ""
            elif name == "VariableValue":
                value = self._value(sub)
                if value:
                    case.values.append(value)
            elif name == "SourceRef":
                self._ref(sub, case.sources)
            elif name in ("CodeRef", "SelectionRef"):
                refs += 1
            else:
                self.found.unknown[f"Case/{name}"] += 1
        if refs:
            self.found.skip(f"case {case.name or case.guid!r}: {refs} link(s) to codes or coded passages",
                            "QualCode links cases to whole documents only")
        return case

    def _text(self, el: Element, what: str) -> tuple[str | None, str | None]:
        """(text, encoding) of a source or note: inline, or a file in the package."""
        inline = text_of(el, "PlainTextContent")
        if inline is not None:
            return inline, None
        ref = el.get("plainTextPath")
        if not ref:
            why = "it has only rich text (richTextPath); QualCode reads plain text" if el.get("richTextPath") \
                else "it has neither PlainTextContent nor plainTextPath"
            self.found.skip(what, why)
            return None, None
        member, why = self.qdpx.locate(ref)
        if member is None:
            self.found.skip(what, why)
            return None, None
        try:
            return textcore.decode(self.qdpx.read(member), member)
        except InvalidInput as exc:
            self.found.skip(what, str(exc))
            return None, None

    def _sources(self, el: Element, p: Project) -> None:
        for sub in el:
            name = local(sub.tag)
            label = sub.get("name") or sub.get("guid") or "?"
            if name == "TextSource":
                p.sources.append(self._text_source(sub, f"text source {label!r}"))
            elif name == "PDFSource":
                self._pdf(sub, p, label)
            elif name in _MEDIA:
                p.other_sources.add(read_guid(sub.get("guid")) or "")
                coded = sum(1 for x in sub.iter() if local(x.tag).endswith("Selection"))
                extra = f" ({coded} coded selection(s) on it skipped)" if coded else ""
                self.found.skip(f"{name} {label!r}", f"{_MEDIA[name]} is not a text; QualCode imports text{extra}")
            else:
                self.found.unknown[f"Sources/{name}"] += 1

    def _pdf(self, el: Element, p: Project, label: str) -> None:
        """A PDF's text representation is imported as a text; its regions cannot be."""
        guid = read_guid(el.get("guid")) or ""
        regions = sum(1 for x in el if local(x.tag) == "PDFSelection")
        rep = next((x for x in el if local(x.tag) == "Representation"), None)
        if rep is None:
            p.other_sources.add(guid)
        else:
            src = self._text_source(rep, f"text of PDF {label!r}")
            src.name = src.name or label
            p.sources.append(src)
            p.aliases[guid] = src.guid
        if regions or rep is None:
            why = "selections by page region cannot be placed in a text" if rep is not None \
                else "it has no text representation; QualCode imports text"
            self.found.skip(f"PDFSource {label!r}" + (f": {regions} region selection(s)" if regions else ""), why)

    def _text_source(self, el: Element, what: str) -> TextSource:
        src = TextSource(read_guid(el.get("guid")) or "", el.get("name") or "", user=read_guid(el.get("creatingUser")),
                         created=el.get("creationDateTime"))
        src.text, src.encoding = self._text(el, what)
        for sub in el:
            name = local(sub.tag)
            if name == "Description":
                src.description = sub.text or ""
            elif name == "PlainTextSelection":
                sel = self._selection(sub, what)
                if sel is not None:
                    src.selections.append(sel)
            elif name == "Coding":
                coding = self._coding(sub)
                if coding is not None:
                    src.codings.append(coding)
            elif name == "NoteRef":
                self._ref(sub, src.notes)
            elif name == "VariableValue":
                value = self._value(sub)
                if value:
                    src.values.append(value)
            elif name != "PlainTextContent":
                self.found.unknown[f"TextSource/{name}"] += 1
        return src

    def _selection(self, el: Element, what: str) -> Selection | None:
        try:
            start, end = int(el.get("startPosition", "")), int(el.get("endPosition", ""))
        except ValueError:
            self.found.skip(f"{what}: selection {el.get('guid')}",
                            f"its positions {el.get('startPosition')!r}-{el.get('endPosition')!r} are not numbers")
            return None
        sel = Selection(read_guid(el.get("guid")) or "", start, end, user=read_guid(el.get("creatingUser")),
                        created=el.get("creationDateTime"))
        for sub in el:
            name = local(sub.tag)
            if name == "Description":
                sel.description = sub.text or ""
            elif name == "Coding":
                coding = self._coding(sub)
                if coding is not None:
                    sel.codings.append(coding)
            elif name == "NoteRef":
                self._ref(sub, sel.notes)
            else:
                self.found.unknown[f"PlainTextSelection/{name}"] += 1
        return sel

    def _coding(self, el: Element) -> Coding | None:
        code, notes = None, []
        for sub in el:
            name = local(sub.tag)
            if name == "CodeRef":
                code = read_guid(sub.get("targetGUID"))
            elif name == "NoteRef":
                self._ref(sub, notes)
            else:
                self.found.unknown[f"Coding/{name}"] += 1
        if not code:
            self.found.skip(f"coding {el.get('guid')}", "it names no code (no CodeRef)")
            return None
        return Coding(read_guid(el.get("guid")) or "", code, user=read_guid(el.get("creatingUser")),
                      created=el.get("creationDateTime"), notes=notes)

    def _note(self, el: Element) -> Note:
        label = el.get("name") or el.get("guid") or "?"
        text, _ = self._text(el, f"note {label!r}")
        for sub in el:
            if local(sub.tag) not in ("Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef",
                                      "VariableValue"):
                self.found.unknown[f"Note/{local(sub.tag)}"] += 1
        return Note(read_guid(el.get("guid")) or "", el.get("name"), text, read_guid(el.get("creatingUser")),
                    el.get("creationDateTime"))


def read_project(qdpx: Qdpx) -> Project:
    """The project in an opened package; InvalidInput when ``project.qde`` is unusable."""
    return _Reader(qdpx).read()


# -- writing -----------------------------------------------------------------------------------------

def _values(parent: Element, values: list[Value], types: dict[str, str]) -> None:
    for v in values:
        el = child(parent, "VariableValue")
        child(el, "VariableRef", targetGUID=guid_attr(v.variable))
        if v.value is not None:
            child(el, VALUE_ELEMENTS[types[v.variable]], v.value)


def _coding(parent: Element, c: Coding) -> None:
    el = child(parent, "Coding", guid=guid_attr(c.guid), creatingUser=c.user and guid_attr(c.user),
               creationDateTime=c.created)
    child(el, "CodeRef", targetGUID=guid_attr(c.code))
    for note in c.notes:
        child(el, "NoteRef", targetGUID=guid_attr(note))


def source_member(guid: str) -> str:
    """Where the plain text of a source lives in the package QualCode writes."""
    return f"sources/{guid_attr(guid)}.txt"


def write_project(p: Project) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(``project.qde`` bytes, [(member, bytes)] of the source texts) for a project whose
    lists are already in the order they should appear."""
    root = Element("Project")
    root.set("xmlns", NS)
    for key, value in (("name", p.name), ("origin", p.origin), ("creatingUserGUID", p.user and guid_attr(p.user)),
                       ("creationDateTime", p.created)):
        if value is not None:
            root.set(key, value)
    if p.users:
        users = child(root, "Users")
        for u in p.users:
            child(users, "User", guid=guid_attr(u.guid), name=u.name)
    if p.codes:
        child(root, "CodeBook").append(codes_element(p.codes))
    types = {v.guid: v.type for v in p.variables}
    if p.variables:
        variables = child(root, "Variables")
        for v in p.variables:
            el = child(variables, "Variable", guid=guid_attr(v.guid), name=v.name, typeOfVariable=v.type)
            if v.description:
                child(el, "Description", v.description)
    if p.cases:
        cases = child(root, "Cases")
        for c in p.cases:
            el = child(cases, "Case", guid=guid_attr(c.guid), name=c.name)
            if c.description:
                child(el, "Description", c.description)
            _values(el, c.values, types)
            for s in c.sources:
                child(el, "SourceRef", targetGUID=guid_attr(s))
    files = []
    if p.sources:
        sources = child(root, "Sources")
        for s in p.sources:
            member = source_member(s.guid)
            files.append((member, (s.text or "").encode("utf-8")))
            el = child(sources, "TextSource", guid=guid_attr(s.guid), name=s.name,
                       plainTextPath="internal://" + member.partition("/")[2],
                       creatingUser=s.user and guid_attr(s.user), creationDateTime=s.created)
            if s.description:
                child(el, "Description", s.description)
            for sel in s.selections:
                sel_el = child(el, "PlainTextSelection", guid=guid_attr(sel.guid), startPosition=str(sel.start),
                               endPosition=str(sel.end), creatingUser=sel.user and guid_attr(sel.user),
                               creationDateTime=sel.created)
                if sel.description:
                    child(sel_el, "Description", sel.description)
                for c in sel.codings:
                    _coding(sel_el, c)
            for note in s.notes:
                child(el, "NoteRef", targetGUID=guid_attr(note))
            _values(el, s.values, types)
    if p.notes:
        notes = child(root, "Notes")
        for n in p.notes:
            el = child(notes, "Note", guid=guid_attr(n.guid), name=n.name, creatingUser=n.user and guid_attr(n.user),
                       creationDateTime=n.created)
            child(el, "PlainTextContent", n.text or "")
    if p.links:
        links = child(root, "Links")
        for k in p.links:
            child(links, "Link", guid=guid_attr(k.guid), direction="OneWay", originGUID=guid_attr(k.origin),
                  targetGUID=guid_attr(k.target))
    if p.description:
        child(root, "Description", p.description)
    for note in p.note_refs:
        child(root, "NoteRef", targetGUID=guid_attr(note))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files

