"""story add / element / tell / realize / suggest, and lineage."""

from __future__ import annotations

from .common import add, group, open_project, print_json

ROLES = ["protagonist", "eyewitness", "hearsay"]
STATUSES = ["present", "absent", "implied", "contradicted"]


def _print_id(a, new_id: int) -> None:
    print_json({"id": new_id}) if a.json else print(new_id)


def cmd_add(a) -> None:
    from ..services.stories import add_story

    with open_project(a.project) as db:
        _print_id(a, add_story(db, a.title, a.summary))


def cmd_element(a) -> None:
    from ..services.stories import add_element

    with open_project(a.project) as db:
        _print_id(a, add_element(db, a.story, a.label, a.kind))


def cmd_tell(a) -> None:
    from ..errors import InvalidInput
    from ..services.stories import tell

    if a.code and not a.coder:
        raise InvalidInput("--code needs --coder NAME (who applies the code)")
    with open_project(a.project) as db:
        _print_id(a, tell(db, a.story, a.document, a.start, a.end, a.teller, a.role, heard_from=a.heard_from,
                          basis=a.basis, told_on=a.told_on, code=a.code, coder=a.coder))


def cmd_realize(a) -> None:
    from ..errors import InvalidInput
    from ..services.stories import realize

    if (a.start is None) != (a.end is None):
        raise InvalidInput("give both --start and --end for the realization's span, or neither")
    with open_project(a.project) as db:
        realize(db, a.telling, a.element, a.status, a.position, a.start, a.end, a.variant)
    print(f"telling {a.telling}: {a.element} {a.status}")


def cmd_suggest(a) -> None:
    from ..services.story_suggest import suggest

    with open_project(a.project, readonly=True) as db:
        found = suggest(db, a.story, a.top)
    if a.json:
        print_json([s.as_dict() for s in found])
        return
    if not found:
        print("no candidate passages")
    for rank, s in enumerate(found, start=1):
        excerpt = " ".join(s.text.split())
        print(f"{rank:>2}. {s.document} [{s.start}, {s.end}) score {s.score:.1f}: "
              f"{excerpt[:100]}{'…' if len(excerpt) > 100 else ''}")


def cmd_lineage(a) -> None:
    from ..services.lineage import export

    with open_project(a.project, readonly=True) as db:
        n = export(db, a.out, a.story)
    print(f"wrote the lineage of {n} stor{'y' if n == 1 else 'ies'} to {a.out}")


def register(sub) -> None:
    st = group(sub, "story", "record stories, their elements, tellings and realizations")

    s = add(st, "add", cmd_add, "add a story; prints its id")
    s.add_argument("project")
    s.add_argument("--title", required=True, help="a title unique in the project")
    s.add_argument("--summary", help="what the story tells, in a sentence or two")
    s.add_argument("--json", action="store_true", help='print {"id": N}')

    s = add(st, "element", cmd_element, "add an element (a beat) to a story; prints its id")
    s.add_argument("project")
    s.add_argument("story", help="story id or title")
    s.add_argument("--label", required=True, help="what happens in this beat")
    s.add_argument("--kind", choices=["core", "detail"], default="core", help="core (default) or detail")
    s.add_argument("--json", action="store_true", help='print {"id": N}')

    s = add(st, "tell", cmd_tell, "record a passage as a telling of a story; prints the telling id")
    s.add_argument("project")
    s.add_argument("story", help="story id or title")
    s.add_argument("--document", required=True, help="document name")
    s.add_argument("--start", required=True, type=int, help="first character (code points, from 0)")
    s.add_argument("--end", required=True, type=int, help="one past the last character")
    s.add_argument("--teller", required=True, help="the case (informant) who tells it")
    s.add_argument("--role", choices=ROLES, default="hearsay", help="the teller's relation to the events")
    s.add_argument("--heard-from", help="the telling id or the case the teller heard it from")
    s.add_argument("--basis", choices=["stated", "inferred"], default="stated",
                   help="for --heard-from: the teller says so (stated) or you infer it")
    s.add_argument("--told-on", help="date of the telling, YYYY-MM-DD")
    s.add_argument("--code", help="also apply this code (path) to the passage, e.g. narrative/story-told")
    s.add_argument("--coder", help="who applies --code")
    s.add_argument("--json", action="store_true", help='print {"id": N}')

    s = add(st, "realize", cmd_realize, "record how a telling renders an element")
    s.add_argument("project")
    s.add_argument("telling", type=int, help="telling id")
    s.add_argument("element", help="element id or label")
    s.add_argument("--status", required=True, choices=STATUSES)
    s.add_argument("--position", type=int, help="its place in the told order, from 1")
    s.add_argument("--start", type=int, help="span of the words that render it (inside the telling)")
    s.add_argument("--end", type=int)
    s.add_argument("--variant", help="how this telling's version differs from the element's label")

    s = add(st, "suggest", cmd_suggest, "passages that may be further tellings of a story, ranked")
    s.add_argument("project")
    s.add_argument("story", help="story id or title")
    s.add_argument("--top", type=int, default=10, help="how many passages (default 10)")
    s.add_argument("--json", action="store_true",
                   help='print [{"document", "start", "end", "score", "text"}]')

    s = add(sub, "lineage", cmd_lineage, "export story lineage: .json .graphml .dot .html .csv .xlsx")
    s.add_argument("project")
    s.add_argument("out", help="output file; its extension picks the format")
    s.add_argument("--story", help="only this story (id or title)")
