"""Loading recorded stories from a JSON annotation (the sample's ``stories.json``).

The file names things the way a researcher annotates them: elements and tellings by a key of
the annotator's choosing, documents by name, tellers and sources by case name. Every record
goes through the ordinary service calls (so the same validation applies), all inside one outer
transaction: a bad record anywhere leaves the project as it was, and the error names it.

Shape::

    {"stories": [{"title", "summary"?,
                  "elements": [{"key", "label", "kind"}],
                  "tellings": [{"key", "document", "start", "end", "teller", "role", "told_on"?,
                                "realizations": [{"element": key, "status", "position",
                                                  "start", "end", "variant"}]}],
                  "transmissions": [{"from": telling key | {"case": name} | {"text": str},
                                     "to": telling key, "basis",
                                     "evidence"?: {"document", "start", "end"}}]}]}
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InvalidInput, QualCodeError
from ..store.database import Database
from . import stories, transmissions


def _load(path: Path) -> list[dict]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path.name} is not valid UTF-8 JSON: {exc}") from None
    items = doc.get("stories") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InvalidInput(f"{path.name}: expected an object with a 'stories' list")
    return items


def _record(story: dict, where: str) -> dict[str, dict]:
    """The story's elements and tellings by key; refuses a missing or repeated key."""
    keys: dict[str, dict] = {}
    for kind in ("elements", "tellings"):
        for item in story.get(kind) or []:
            key = item.get("key") if isinstance(item, dict) else None
            if not key:
                raise InvalidInput(f"{where}: every item of '{kind}' needs a 'key'")
            if key in keys:
                raise InvalidInput(f"{where}: key {key!r} is used twice")
            keys[key] = item
    return keys


def _source(spec, tellings: dict[str, int], where: str) -> dict:
    if isinstance(spec, str):
        if spec not in tellings:
            raise InvalidInput(f"{where}: transmission from unknown telling {spec!r}")
        return {"from_telling": tellings[spec]}
    if isinstance(spec, dict) and "case" in spec:
        return {"from_case": spec["case"]}
    if isinstance(spec, dict) and "text" in spec:
        return {"from_text": spec["text"]}
    raise InvalidInput(f"{where}: a transmission's 'from' is a telling key, {{'case': name}} or {{'text': ...}}")


def _import_story(db: Database, story: dict, where: str) -> None:
    _record(story, where)
    sid = stories.add_story(db, story.get("title") or "", story.get("summary"))
    elements = {e["key"]: stories.add_element(db, sid, e.get("label") or "", e.get("kind") or "core")
                for e in story.get("elements") or []}
    tellings: dict[str, int] = {}
    for t in story.get("tellings") or []:
        at = f"{where}, telling {t['key']}"
        try:
            tid = stories.tell(db, sid, t.get("document") or "", t.get("start"), t.get("end"), t.get("teller"),
                               t.get("role") or "hearsay", told_on=t.get("told_on"))
            for r in t.get("realizations") or []:
                if r.get("element") not in elements:
                    raise InvalidInput(f"unknown element {r.get('element')!r}")
                stories.realize(db, tid, elements[r["element"]], r.get("status") or "", r.get("position"),
                                r.get("start"), r.get("end"), r.get("variant"))
        except QualCodeError as exc:
            raise type(exc)(f"{at}: {exc}") from None
        tellings[t["key"]] = tid
    for n, x in enumerate(story.get("transmissions") or [], start=1):
        at = f"{where}, transmission {n}"
        if x.get("to") not in tellings:
            raise InvalidInput(f"{at}: to unknown telling {x.get('to')!r}")
        ev = x.get("evidence")
        evidence = (ev.get("document"), ev.get("start"), ev.get("end")) if isinstance(ev, dict) else None
        try:
            transmissions.add_transmission(db, tellings[x["to"]], basis=x.get("basis") or "stated", evidence=evidence,
                                     **_source(x.get("from"), tellings, at))
        except QualCodeError as exc:
            raise type(exc)(f"{at}: {exc}") from None


def import_stories(db: Database, path: str | Path) -> int:
    """Add every story of the file, all or nothing; returns how many."""
    path = Path(path)
    items = _load(path)
    with db.transaction():
        for i, story in enumerate(items, start=1):
            if not isinstance(story, dict):
                raise InvalidInput(f"{path.name}: story {i} is not an object")
            _import_story(db, story, f"{path.name}, story {story.get('title') or i!r}")
    return len(items)
