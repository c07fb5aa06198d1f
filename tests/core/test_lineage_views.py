"""The graph, layout and variant table every lineage view shares, on small hand-made stories."""

from __future__ import annotations

from qualcode.core.lineage_views import (DISCREPANCY_COLORS, ROLE_COLORS, SOURCE_COLOR, graph_of, lane_order,
                                         layered_layout, variant_table)


def telling(tid, role, generation=None, realizations=(), discrepancies=(), teller=None):
    return {"id": tid, "teller": teller or f"T{tid}", "role": role, "generation": generation,
            "document": "d", "realizations": list(realizations), "discrepancies": list(discrepancies)}


def x(source, target, basis="stated", case=None, text=None):
    return {"from": source, "to": target, "basis": basis, "from_case": case, "from_text": text}


STORY = {
    "id": 7,
    "elements": [{"id": 1, "label": "a"}, {"id": 2, "label": "b"}],
    "tellings": [telling(1, "protagonist", 0), telling(2, "hearsay", 1), telling(3, "hearsay", 2),
                 telling(4, "hearsay"), telling(5, "eyewitness")],
    "transmissions": [x(1, 2), x(2, 3, "inferred"), x(None, 4, text="everybody"), x(None, 5, case="Bo"),
                      x(None, 3, text="everybody")],
    "reference_telling": 1,
}


def test_graph_has_one_node_per_telling_and_per_distinct_source():
    g = graph_of(STORY)
    assert [n.key for n in g.nodes] == ["telling-1", "telling-2", "telling-3", "telling-4", "telling-5",
                                        "story-7-source-1", "story-7-case-1"]
    assert [(e.source, e.target, e.basis) for e in g.edges] == [
        ("telling-1", "telling-2", "stated"), ("telling-2", "telling-3", "inferred"),
        ("story-7-source-1", "telling-4", "stated"), ("story-7-case-1", "telling-5", "stated"),
        ("story-7-source-1", "telling-3", "stated")]
    assert g.node("telling-1").color == ROLE_COLORS["protagonist"]
    assert g.node("story-7-case-1").color == SOURCE_COLOR
    assert g.node("telling-4").caption == "#4 · hearsay · gen ?"


def test_layout_columns_are_distances_from_the_untold():
    pos = layered_layout(graph_of(STORY))
    columns = {k: c for k, (c, _) in pos.items()}
    assert columns == {"telling-1": 0, "story-7-source-1": 0, "story-7-case-1": 0,
                       "telling-2": 1, "telling-4": 1, "telling-5": 1, "telling-3": 1}
    rows = [r for c, r in pos.values() if c == 1]
    assert sorted(rows) == [0, 1, 2, 3]  # no two nodes share a place
    # telling-2 follows its teller (row 0); telling-4 and -3 follow the free-text source
    assert pos["telling-2"][1] < pos["telling-5"][1]


def test_layout_survives_a_cycle_nobody_starts():
    story = {"id": 1, "tellings": [telling(1, "hearsay"), telling(2, "hearsay"), telling(3, "hearsay")],
             "transmissions": [x(1, 2), x(2, 3), x(3, 1)]}
    pos = layered_layout(graph_of(story))
    assert {k: c for k, (c, _) in pos.items()} == {"telling-1": 0, "telling-2": 1, "telling-3": 2}


def test_variant_table_cells_and_highlights():
    story = {
        "elements": [{"id": 1}, {"id": 2}, {"id": 3}],
        "tellings": [
            telling(1, "protagonist", realizations=[
                {"element": 1, "status": "present", "position": 1, "start": 0, "end": 4, "variant": None},
                {"element": 2, "status": "present", "position": 2, "start": 5, "end": 9, "variant": None}]),
            telling(2, "hearsay", realizations=[
                {"element": 2, "status": "present", "position": 1, "start": None, "end": None, "variant": "five"},
                {"element": 3, "status": "contradicted", "position": 2, "start": None, "end": None,
                 "variant": None}],
                discrepancies=[{"type": "omission", "elements": [1], "detail": "o"},
                               {"type": "substitution", "elements": [2], "detail": "s"},
                               {"type": "contradiction", "elements": [3], "detail": "c"},
                               {"type": "transposition", "elements": [2, 3], "detail": "t"}]),
        ],
    }
    table = variant_table(story)
    assert [[c.text for c in row] for row in table] == [["present", "absent"], ["present", "present: five"],
                                                       ["absent", "contradicted"]]
    assert [[c.differences for c in row] for row in table] == [
        [(), ("omission",)], [(), ("substitution", "transposition")], [(), ("contradiction", "transposition")]]
    assert table[1][1].details == ("s", "t")
    assert (table[0][0].start, table[0][0].end) == (0, 4)
    assert table[0][0].color is None
    assert table[2][1].color == DISCREPANCY_COLORS["contradiction"]
    assert table[1][1].color == DISCREPANCY_COLORS["substitution"]


def test_lanes_put_the_reference_first_then_by_generation():
    story = {"tellings": [telling(1, "hearsay", 2), telling(2, "hearsay"), telling(3, "protagonist", 0),
                          telling(4, "hearsay", 1)], "reference_telling": 3}
    assert [t["id"] for t in lane_order(story)] == [3, 4, 1, 2]
