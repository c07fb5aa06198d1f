"""The story panel on the sample project, driven through its real widgets (offscreen)."""

from __future__ import annotations

import json

import pytest
from defusedxml import ElementTree
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtWidgets import QDialogButtonBox

from qualcode.services import documents, stories, story_suggest
from qualcode.store import stories as story_store

from ..cli._helpers import SAMPLE_DIR

pytestmark = pytest.mark.gui
ANNOTATION = json.loads((SAMPLE_DIR / "stories.json").read_text(encoding="utf-8"))["stories"]


@pytest.fixture
def panel(qtbot, sample_project):
    from qualcode.ui.story_panel import StoryPanel

    stack = QUndoStack()
    p = StoryPanel(sample_project, stack)
    p.stack = stack  # keep the stack alive as long as the panel
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def choose(panel, title: str) -> dict:
    panel.select_story(stories.story_id(panel.db, title))
    assert panel.story["title"] == title
    return panel.story


def test_lists_the_sample_stories_with_their_tellings(panel):
    shown = [panel.story_list.item(i).text() for i in range(panel.story_list.count())]
    assert shown == [f"{s['title']}  ({len(s['tellings'])})" for s in ANNOTATION]
    story = choose(panel, "Varga's cells")
    tellings = panel.details.topLevelItem(1)
    assert tellings.childCount() == len(story["tellings"]) == 8


def test_create_a_story_then_undo_and_redo(panel, qtbot):
    qtbot.mouseClick(panel.new_story_button, Qt.MouseButton.LeftButton)
    panel.dialog.title.setText("The strike")
    panel.dialog.summary.setPlainText("Knitters stop work in May.")
    ok(qtbot, panel.dialog)
    sid = stories.story_id(panel.db, "The strike")
    assert panel.current_story_id() == sid and panel.story["summary"] == "Knitters stop work in May."
    panel.stack.undo()
    assert [s.title for s in stories.list_stories(panel.db)] == [s["title"] for s in ANNOTATION]
    assert panel.story_list.count() == len(ANNOTATION)
    panel.stack.redo()
    assert stories.story_id(panel.db, "The strike") == sid
    assert panel.story_list.count() == len(ANNOTATION) + 1


def test_a_refused_story_is_reported_and_not_stacked(panel, qtbot):
    qtbot.mouseClick(panel.new_story_button, Qt.MouseButton.LeftButton)
    panel.dialog.title.setText(ANNOTATION[0]["title"])
    ok(qtbot, panel.dialog)
    assert "already a story" in panel.message.text()
    assert panel.stack.count() == 0


def test_mark_the_selection_as_a_telling(panel, qtbot):
    story = choose(panel, "The container at Hamburg")
    source = story["tellings"][0]
    assert not panel.tell_button.isEnabled()  # nothing selected yet
    panel.set_selection("04_lenz", 200, 480)
    assert panel.tell_button.isEnabled() and "04_lenz [200, 480)" in panel.selection_label.text()
    qtbot.mouseClick(panel.tell_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    dialog.teller.setCurrentText("Kasimir Lenz")
    dialog.role.setCurrentText("hearsay")
    dialog.source.setCurrentIndex(dialog.source.findData(source["id"]))
    ok(qtbot, dialog)
    new = next(t for t in panel.story["tellings"] if t["document"] == "04_lenz")
    assert (new["start"], new["end"], new["teller"], new["role"]) == (200, 480, "Kasimir Lenz", "hearsay")
    assert any(x["from"] == source["id"] and x["to"] == new["id"] for x in panel.story["transmissions"])
    assert new["generation"] is None and len(panel.graph_scene.edges) == len(story["transmissions"]) + 1
    panel.stack.undo()
    assert all(t["document"] != "04_lenz" for t in panel.story["tellings"])
    panel.stack.redo()
    assert stories.get_telling(panel.db, new["id"]).start == 200
    tellings = panel.details.topLevelItem(1)
    item = next(tellings.child(i) for i in range(tellings.childCount())
                if tellings.child(i).data(0, Qt.ItemDataRole.UserRole) == new["id"])
    panel.details.setCurrentItem(item)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert all(t.id != new["id"] for t in stories.tellings(panel.db, story["id"]))
    panel.stack.undo()
    assert stories.get_telling(panel.db, new["id"]).teller_case_id is not None


def test_variant_cell_click_jumps_to_the_words_or_the_telling(panel, qtbot):
    story = choose(panel, "The Halden flood")
    view, model = panel.variant_view, panel.variant_model
    panel.tabs.setCurrentIndex(1)
    col = next(i for i, t in enumerate(story["tellings"]) if t["teller"] == "Joaquim Ander")
    annotated = next(t for t in ANNOTATION[0]["tellings"] if t["teller"] == "Joaquim Ander")
    fire = next(r for r in annotated["realizations"] if r["element"] == "A1")
    cases = [(0, (annotated["document"], fire["start"], fire["end"])),  # present: its own words
             (1, (annotated["document"], annotated["start"], annotated["end"]))]  # absent: the telling
    for row, expected in cases:
        index = model.index(row, col)
        view.scrollTo(index)
        with qtbot.waitSignal(panel.jump_requested) as jumped:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
        assert tuple(jumped.args) == expected
    assert model.data(model.index(0, col)) == f"present: {fire['variant']}"
    assert model.data(model.index(0, col), Qt.ItemDataRole.BackgroundRole) is not None  # a substitution
    reference = next(i for i, t in enumerate(story["tellings"]) if t["id"] == story["reference_telling"])
    assert model.data(model.index(0, reference), Qt.ItemDataRole.BackgroundRole) is None


def test_double_click_records_a_realization_undoably(panel, qtbot):
    story = choose(panel, "The Halden flood")
    panel.tabs.setCurrentIndex(1)
    col = next(i for i, t in enumerate(story["tellings"]) if t["teller"] == "Helen Marsh")
    telling = story["tellings"][col]
    element = story["elements"][6]  # recorded as absent in Marsh's telling
    start = telling["start"] + 10
    before = story_store.get_realization(panel.db.conn, telling["id"], element["id"])
    assert before.status == "absent"
    panel.set_selection(telling["document"], start, start + 25)
    index = panel.variant_model.index(6, col)
    panel.variant_view.scrollTo(index)
    where = panel.variant_view.visualRect(index).center()
    qtbot.mouseClick(panel.variant_view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(panel.variant_view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    dialog = panel.dialog
    assert dialog.use_selection.isChecked()
    dialog.status.setCurrentText("implied")
    dialog.position.setValue(5)
    dialog.variant.setText("as a loss")
    ok(qtbot, dialog)
    got = story_store.get_realization(panel.db.conn, telling["id"], element["id"])
    assert (got.status, got.position, got.start, got.end, got.variant) == ("implied", 5, start, start + 25, "as a loss")
    assert panel.variant_model.data(index) == "implied: as a loss"
    panel.stack.undo()
    assert story_store.get_realization(panel.db.conn, telling["id"], element["id"]) == before
    assert panel.variant_model.data(index) == "absent"


def test_sequence_lanes_show_every_told_element(panel):
    story = choose(panel, "Varga's cells")
    boxes = [i for i in panel.lanes_scene.items() if i.toolTip()]
    assert len(boxes) == sum(len(t["sequence"]) for t in story["tellings"])
    contradicted = sum(r["status"] == "contradicted" for t in story["tellings"] for r in t["realizations"])
    assert sum(1 for b in boxes if "contradicted" in b.toolTip()) == contradicted


def test_graph_nodes_drag_and_export_svg_and_png(panel, qtbot, tmp_path):
    story = choose(panel, "The Halden flood")
    scene = panel.graph_scene
    panel.tabs.setCurrentIndex(3)
    wilk = next(t for t in story["tellings"] if t["teller"] == "Gregor Wilk")
    where = panel.graph_view.mapFromScene(scene.nodes[f"telling-{wilk['id']}"].sceneBoundingRect().center())
    with qtbot.waitSignal(panel.jump_requested) as jumped:
        qtbot.mouseDClick(panel.graph_view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert tuple(jumped.args) == (wilk["document"], wilk["start"], wilk["end"])
    assert len([n for n in scene.nodes.values() if n.telling]) == len(story["tellings"])
    node = scene.nodes[f"telling-{story['reference_telling']}"]
    edge = node.edges[0]
    before = edge.path().elementAt(0)
    node.setPos(node.pos() + QPointF(0, 90))
    after = edge.path().elementAt(0)
    assert (after.x, after.y) == (before.x, before.y + 90)
    panel.export_svg(tmp_path / "g.svg")
    svg = ElementTree.parse(tmp_path / "g.svg").getroot()
    text = " ".join(t.text or "" for t in svg.iter() if t.tag.endswith("text"))
    for t in story["tellings"]:
        assert t["teller"] in text
    assert panel.export_png(tmp_path / "g.png")
    image = QImage(str(tmp_path / "g.png"))
    assert image.width() > 600 and image.height() > 300


def test_suggestions_reject_and_accept_with_undo(panel, qtbot):
    story = choose(panel, "The container at Hamburg")
    with qtbot.waitSignal(panel.suggestions_ready, timeout=10_000) as ready:
        qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    assert ready.args[0] == len(panel.suggestions) > 2
    first, second = panel.suggestions[0], panel.suggestions[1]
    panel.suggestion_table.selectRow(0)
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    doc_id = documents.document_id(panel.db, first.document)
    assert story_suggest.rejected_passages(panel.db, story["id"]) == [(doc_id, first.start, first.end)]
    assert panel.suggestions[0] == second  # the rest stay in the inbox
    panel.stack.undo()
    assert story_suggest.rejected_passages(panel.db, story["id"]) == []
    tellings_before = len(stories.tellings(panel.db, story["id"]))
    panel.suggestion_table.selectRow(0)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert len(stories.tellings(panel.db, story["id"])) == tellings_before  # not before confirming
    panel.dialog.teller.setCurrentText("Helen Marsh")
    ok(qtbot, panel.dialog)
    added = [t for t in stories.tellings(panel.db, story["id"]) if t.start == second.start]
    assert len(added) == 1 and added[0].document_id == documents.document_id(panel.db, second.document)
    panel.stack.undo()
    assert len(stories.tellings(panel.db, story["id"])) == tellings_before


def _trigger(menu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    action.trigger()


def _lineage(panel, telling_id: int) -> dict:
    return next(t for t in panel.story["tellings"] if t["id"] == telling_id)


def test_heard_from_adds_a_transmission_in_the_lineage_graph_and_undo_removes_it(panel, qtbot):
    from qualcode.core.lineage_views import telling_key

    story = choose(panel, "The Halden flood")
    hearsay = [t for t in story["tellings"] if t["role"] == "hearsay"]
    source = next(t for t in hearsay if t["generation"] is not None)
    receiver = next(t for t in hearsay if t["generation"] is None)
    before = {x["id"] for x in story["transmissions"]}
    panel.tabs.setCurrentIndex(panel.tabs.indexOf(panel.graph_view.parentWidget()))
    node = panel.graph_scene.nodes[telling_key(receiver["id"])]
    menu = panel.menus.graph_menu(panel.graph_view.mapFromScene(node.sceneBoundingRect().center()))
    _trigger(menu, "Heard from…")
    dialog = panel.dialog
    assert receiver["id"] not in [dialog.source.itemData(i) for i in range(dialog.source.count())]
    dialog.source.setCurrentIndex(dialog.source.findData(source["id"]))
    dialog.basis.setCurrentText("inferred")
    ok(qtbot, dialog)
    added = [x for x in panel.story["transmissions"] if x["id"] not in before]
    assert [(x["from"], x["to"], x["basis"]) for x in added] == [(source["id"], receiver["id"], "inferred")]
    assert _lineage(panel, receiver["id"])["generation"] == source["generation"] + 1
    assert panel.graph_scene.graph.node(telling_key(receiver["id"])).generation == source["generation"] + 1
    edge = next(e for e in panel.graph_scene.edges if e.transmission == added[0]["id"])
    assert (edge.source.key, edge.target.key, edge.basis) == (telling_key(source["id"]),
                                                             telling_key(receiver["id"]), "inferred")
    panel.stack.undo()
    assert {x["id"] for x in panel.story["transmissions"]} == before
    assert _lineage(panel, receiver["id"])["generation"] is None
    panel.stack.redo()
    assert _lineage(panel, receiver["id"])["generation"] == source["generation"] + 1
    # right-click the arrow: remove it again, and undo that
    edge = next(e for e in panel.graph_scene.edges if e.transmission == added[0]["id"])
    menu = panel.menus.graph_menu(panel.graph_view.mapFromScene(edge.path().pointAtPercent(0.5)))
    _trigger(menu, "Remove transmission")
    assert {x["id"] for x in panel.story["transmissions"]} == before
    panel.stack.undo()
    assert _lineage(panel, receiver["id"])["generation"] == source["generation"] + 1


def test_a_second_identical_source_is_refused(panel, qtbot):
    story = choose(panel, "The Halden flood")
    x = next(x for x in story["transmissions"] if x["from"] is not None)
    panel.menus.heard_from(x["to"])
    panel.dialog.source.setCurrentIndex(panel.dialog.source.findData(x["from"]))
    ok(qtbot, panel.dialog)
    assert "already has this source" in panel.message.text()
    assert panel.stack.count() == 0


def test_delete_a_telling_from_the_list_and_undo_restores_its_realizations(panel):
    story = choose(panel, "The Halden flood")
    telling = next(t for t in story["tellings"] if t["role"] == "hearsay" and t["realizations"])
    realized = story_store.realizations_of_telling(panel.db.conn, telling["id"])
    links = story_store.transmissions_touching(panel.db.conn, telling["id"])
    assert realized and links
    item = next(panel.details.topLevelItem(1).child(i) for i in range(panel.details.topLevelItem(1).childCount())
                if panel.details.topLevelItem(1).child(i).data(0, Qt.ItemDataRole.UserRole) == telling["id"])
    menu = panel.menus.details_menu(panel.details.visualItemRect(item).center())
    _trigger(menu, "Remove telling")
    assert telling["id"] not in [t["id"] for t in panel.story["tellings"]]
    assert story_store.realizations_of_telling(panel.db.conn, telling["id"]) == []
    panel.stack.undo()
    assert _lineage(panel, telling["id"])["realizations"] == telling["realizations"]
    assert story_store.realizations_of_telling(panel.db.conn, telling["id"]) == realized
    assert story_store.transmissions_touching(panel.db.conn, telling["id"]) == links


def test_rename_and_delete_an_element_from_the_variant_table(panel, qtbot):
    story = choose(panel, "Varga's cells")
    row = 1
    element = story["elements"][row]
    realized = story_store.realizations_of_element(panel.db.conn, element["id"])
    _trigger(panel.menus.element_menu(row), "Rename element…")
    assert panel.dialog.label.text() == element["label"]
    panel.dialog.label.setText("The cells are formed")
    ok(qtbot, panel.dialog)
    assert panel.variant_model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) == \
        f"The cells are formed ({element['kind']})"
    panel.stack.undo()
    assert panel.story["elements"][row]["label"] == element["label"]
    _trigger(panel.menus.element_menu(row), "Delete element")
    assert element["id"] not in [e["id"] for e in panel.story["elements"]]
    assert panel.variant_model.rowCount() == len(story["elements"]) - 1
    panel.stack.undo()
    assert panel.story["elements"][row] == element
    assert story_store.realizations_of_element(panel.db.conn, element["id"]) == realized


def test_delete_a_story_and_undo_brings_it_back(panel, qtbot):
    story = choose(panel, "The container at Hamburg")
    menu = panel.menus.story_menu(panel.story_list.visualItemRect(panel.story_list.currentItem()).center())
    _trigger(menu, "Delete story")
    assert [s.title for s in stories.list_stories(panel.db)] == [s["title"] for s in ANNOTATION
                                                                 if s["title"] != story["title"]]
    assert panel.story_list.count() == len(ANNOTATION) - 1
    panel.stack.undo()
    choose(panel, story["title"])
    assert panel.story == story
    qtbot.mouseClick(panel.delete_story_button, Qt.MouseButton.LeftButton)
    assert panel.story_list.count() == len(ANNOTATION) - 1
