"""search, pseudonyms suggest."""

from __future__ import annotations

from .common import add, group, open_project, print_json, progress


def cmd_search(a) -> None:
    from ..services.search import CONTEXT, search

    with open_project(a.project, readonly=True) as db:
        hits = search(db, a.query, limit=a.limit)
    if a.json:
        print_json([{"document": h.document, "start": h.start, "end": h.end, "context": h.context} for h in hits])
        return
    for h in hits:
        left = h.start - max(0, h.start - CONTEXT)
        match = h.end - h.start
        print(f"{h.document}:{h.start}-{h.end}  {h.context[:left]}[{h.context[left:left + match]}]"
              f"{h.context[left + match:]}")
    print(f"{len(hits)} match(es)" + (f" (the first {a.limit})" if len(hits) >= a.limit else ""))


def cmd_pseudonyms_suggest(a) -> None:
    from ..services import pseudonyms

    with open_project(a.project, readonly=True) as db:
        found = pseudonyms.suggest(db, documents=a.document, progress=progress())
    if a.out:
        n = pseudonyms.write_map(found, a.out)
        if not a.json:
            print(f"wrote {n} name(s) to {a.out}; edit the pseudonyms, then export with --pseudonymise {a.out}")
    if a.json:
        print_json([{"original": s.original, "kind": s.kind, "count": s.count, "documents": s.documents}
                    for s in found])
    elif not a.out:
        for s in found:
            print(f"{s.original}\t{s.kind}\t{s.count}\t{', '.join(s.documents)}")


def register(sub) -> None:
    s = add(sub, "search", cmd_search, "find words in the transcripts, with keyword in context")
    s.add_argument("project")
    s.add_argument("query", help='words (all must occur in a paragraph), "a phrase", prefix*, a OR b')
    s.add_argument("--limit", type=int, default=500, help="at most this many matches (default 500)")
    s.add_argument("--json", action="store_true", help='print [{"document", "start", "end", "context"}]')

    ps = group(sub, "pseudonyms", "names to replace by pseudonyms in exports")
    s = add(ps, "suggest", cmd_pseudonyms_suggest,
            "list the names of people, organisations and places in the transcripts")
    s.add_argument("project")
    s.add_argument("--document", action="append", help="only this document (repeatable)")
    s.add_argument("--out", metavar="MAP.csv", help="write them as a map original,pseudonym to edit")
    s.add_argument("--json", action="store_true", help='print [{"original", "kind", "count", "documents"}]')
