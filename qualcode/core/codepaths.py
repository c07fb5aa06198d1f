"""Code paths (``parent/child``) over a tree of (id, parent_id, name) rows."""

from __future__ import annotations

from typing import Iterable

from ..errors import InvalidInput, NotFound

SEP = "/"


def split(path: str) -> list[str]:
    """The parts of a path; blank parts and surrounding spaces are errors, not silently dropped."""
    parts = [p.strip() for p in path.split(SEP)]
    if not path.strip() or any(not p for p in parts):
        raise InvalidInput(f"bad code path {path!r}: parts must be non-empty, separated by '/'")
    return parts


def build(rows: Iterable[tuple[int, int | None, str]]) -> dict[int, str]:
    """id -> full path. A cycle or a missing parent is reported, never followed forever."""
    parent: dict[int, int | None] = {}
    name: dict[int, str] = {}
    for i, p, n in rows:
        parent[i], name[i] = p, n
    paths: dict[int, str] = {}
    for start in parent:
        chain, seen, node = [], set(), start
        while node is not None and node not in paths:
            if node in seen:
                raise InvalidInput(f"the codebook has a cycle through code {name[node]!r}")
            if node not in name:
                raise InvalidInput(f"code {name[chain[-1]]!r} has a parent (id {node}) that is not in the codebook")
            seen.add(node)
            chain.append(node)
            node = parent[node]
        prefix = paths[node] + SEP if node is not None else ""
        for n in reversed(chain):
            prefix_path = prefix + name[n]
            paths[n] = prefix_path
            prefix = prefix_path + SEP
    return paths


class CodeIndex:
    """Looks codes up by full path, or by bare name where that name is unique."""

    def __init__(self, paths: dict[int, str]):
        self.paths = paths
        self.by_path = {p: i for i, p in paths.items()}
        self.by_leaf: dict[str, list[int]] = {}
        for i, p in paths.items():
            self.by_leaf.setdefault(p.rsplit(SEP, 1)[-1], []).append(i)

    def find(self, ref: str) -> int | None:
        ref = ref.strip()
        if ref in self.by_path:
            return self.by_path[ref]
        matches = self.by_leaf.get(ref, [])
        if len(matches) > 1:
            options = ", ".join(sorted(self.paths[i] for i in matches))
            raise NotFound(f"code name {ref!r} is ambiguous; use its path: {options}")
        return matches[0] if matches else None

    def resolve(self, ref: str) -> int:
        found = self.find(ref)
        if found is None:
            raise NotFound(f"no code {ref.strip()!r} in the codebook")
        return found
