"""Code paths over a tree of (id, parent_id, name) rows."""

from __future__ import annotations

import pytest

from qualcode.core.codepaths import CodeIndex, build, split
from qualcode.errors import InvalidInput, NotFound

ROWS = [
    (5, 4, "design-stealing"),      # child listed before its parent
    (1, None, "lock-in"),
    (2, 1, "cognitive"),
    (3, 2, "sunk cost"),
    (4, None, "free-riding"),
    (6, None, "institutionalized storytelling"),
    (7, 4, "cognitive"),            # same leaf name under another parent
]

PATHS = {
    1: "lock-in",
    2: "lock-in/cognitive",
    3: "lock-in/cognitive/sunk cost",
    4: "free-riding",
    5: "free-riding/design-stealing",
    6: "institutionalized storytelling",
    7: "free-riding/cognitive",
}


# -- split -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, parts", [
    ("lock-in", ["lock-in"]),
    ("lock-in/cognitive", ["lock-in", "cognitive"]),
    ("  lock-in /  cognitive / sunk cost ", ["lock-in", "cognitive", "sunk cost"]),
])
def test_split(path, parts):
    assert split(path) == parts


@pytest.mark.parametrize("path", ["", "   ", "/", "/a", "a/", "a//b", "a/ /b", " / "])
def test_split_refuses_blank_parts(path):
    with pytest.raises(InvalidInput, match="bad code path"):
        split(path)


# -- build -------------------------------------------------------------------------------------

def test_build_nested_paths_in_any_order():
    assert build(ROWS) == PATHS
    assert build(reversed(ROWS)) == PATHS
    assert build(iter(ROWS)) == PATHS


def test_build_empty():
    assert build([]) == {}


@pytest.mark.parametrize("rows, culprit", [
    ([(1, 1, "self")], "self"),
    ([(1, 2, "a"), (2, 1, "b")], None),
    ([(1, None, "root"), (2, 4, "x"), (3, 2, "y"), (4, 3, "z"), (5, 1, "fine")], None),
])
def test_build_reports_cycles(rows, culprit):
    with pytest.raises(InvalidInput, match="cycle") as info:
        build(rows)
    if culprit:
        assert repr(culprit) in str(info.value)


def test_build_cycle_hanging_below_a_good_chain():
    rows = [(1, None, "root"), (2, 1, "ok"), (3, 4, "p"), (4, 3, "q"), (5, 3, "under-cycle")]
    with pytest.raises(InvalidInput, match="cycle"):
        build(rows)


def test_build_reports_a_parent_that_is_not_there():
    with pytest.raises(InvalidInput, match="orphan"):
        build([(1, None, "root"), (2, 99, "orphan")])


def test_build_deep_chain_is_not_recursive():
    rows = [(i, i - 1 if i > 1 else None, f"n{i}") for i in range(1, 3001)]
    paths = build(rows)
    assert paths[3000].count("/") == 2999
    assert paths[3000].startswith("n1/n2/n3/") and paths[3000].endswith("/n3000")


# -- CodeIndex ---------------------------------------------------------------------------------

def test_index_by_full_path():
    idx = CodeIndex(PATHS)
    for code_id, path in PATHS.items():
        assert idx.find(path) == code_id
        assert idx.resolve(f"  {path} ") == code_id


def test_index_by_unique_leaf_name():
    idx = CodeIndex(PATHS)
    assert idx.find("sunk cost") == 3
    assert idx.find("design-stealing") == 5
    assert idx.resolve("institutionalized storytelling") == 6


def test_ambiguous_leaf_name_lists_the_options():
    idx = CodeIndex(PATHS)
    with pytest.raises(NotFound, match="ambiguous") as info:
        idx.find("cognitive")
    assert "free-riding/cognitive, lock-in/cognitive" in str(info.value)
    with pytest.raises(NotFound, match="ambiguous"):
        idx.resolve("cognitive")
    # The full paths still work.
    assert idx.find("lock-in/cognitive") == 2 and idx.find("free-riding/cognitive") == 7


def test_an_exact_path_wins_over_a_leaf_of_the_same_name():
    idx = CodeIndex({1: "trust", 2: "risk/trust", 3: "risk"})
    assert idx.find("trust") == 1
    assert idx.find("risk") == 3


def test_unknown_code():
    idx = CodeIndex(PATHS)
    assert idx.find("nope") is None
    assert idx.find("cognitive/sunk cost") is None  # a partial path is not a path
    with pytest.raises(NotFound, match="no code 'nope' in the codebook"):
        idx.resolve("  nope ")
