"""Coding in the workbench, driven through real widgets on the sample project: every way of
applying a code, the highlight and the stripe it paints, undo and redo, in-vivo codes,
removing and resizing, memo and evidence, and text with characters outside the BMP."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette, QTextCursor

from qualcode.services import coding, documents

from .conftest import code_id, doc_text

pytestmark = pytest.mark.gui

DOC = "02_varga"


@pytest.fixture
def window(window):
    """The workbench with the sample's second interview open."""
    window.show_document(DOC)
    return window


def stored(db, doc_name: str = DOC):
    return coding.codings_for_document(db, documents.document_id(db, doc_name))


def uncoded_span(db, doc_name: str = DOC, length: int = 40) -> tuple[int, int]:
    """A stretch of one paragraph that no coder has coded (so its highlight is one colour)."""
    text = doc_text(db, doc_name)
    covered = sorted((c.start, c.end) for c in stored(db, doc_name))
    pos = text.index("\n\n") + 2
    for start, end in covered + [(len(text), len(text))]:
        gap = text[pos:start]
        line_end = gap.find("\n")
        usable = gap if line_end < 0 else gap[:line_end]
        if len(usable) >= length + 20 and ":" not in usable[:40]:
            s = pos + 10
            return s, s + length
        pos = max(pos, end)
    raise AssertionError("no uncoded stretch found")


def select(window, start: int, end: int) -> None:
    window.view.select_span(start, end)
    window.view.setFocus()


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier, widget=None) -> None:
    window.activateWindow()
    qtbot.keyClick(widget or window.view, key, modifier)


def dominant(image, rect: QRect) -> QColor:
    """The commonest colour in a rectangle of an image (the highlight, not the glyphs)."""
    counts = Counter(image.pixel(x, y) for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom()))
    return QColor.fromRgb(counts.most_common(1)[0][0])


def assert_tinted(color: QColor, base: QColor, tint: QColor) -> None:
    """``color`` lies between the background and the code colour, and is not the background."""
    assert color.rgb() != base.rgb()
    for c, b, t in ((color.red(), base.red(), tint.red()), (color.green(), base.green(), tint.green()),
                    (color.blue(), base.blue(), tint.blue())):
        assert min(b, t) - 3 <= c <= max(b, t) + 3, (color.name(), base.name(), tint.name())


def assert_painted(window, qtbot, coding_id: int, start: int, end: int, code: int) -> None:
    """The coding shows as a tinted highlight on its text and as a bar in its code's colour."""
    view = window.view
    view.select_span(start, end)  # scrolls the coding into the middle of the view
    c = view.textCursor()
    c.clearSelection()  # no selection colour over the highlight
    view.setTextCursor(c)
    middle = QTextCursor(view.document())
    middle.setPosition((start + end) // 2)  # the sample's Latin text: code points = UTF-16 units here
    r = view.cursorRect(middle)
    image = view.viewport().grab().toImage()
    tint = window.session.color(code)
    assert_tinted(dominant(image, QRect(r.left() - 12, r.top() + 1, 24, r.height() - 2)),
                  view.palette().color(QPalette.ColorRole.Base), tint)
    view.margin.grab()  # paints the margin
    bars = [rect for rect, cid in view.margin.hits if cid == coding_id]
    assert bars, "no stripe for the new coding"
    margin_image = view.margin.grab().toImage()
    centre = bars[0].center().toPoint()
    assert QColor(margin_image.pixel(centre)).rgb() == tint.rgb()


def test_double_click_in_the_codebook_codes_the_selection(window, qtbot, reader):
    db = reader()
    start, end = uncoded_span(db)
    code = code_id(db, "lock-in/cognitive")
    before = {c.id for c in stored(db)}
    select(window, start, end)
    window.codebook.select_code(code)
    tree = window.codebook.tree
    at = tree.visualRect(tree.currentIndex()).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a real double click starts
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)  # with a press Qt's test omits
    (new,) = [c for c in stored(reader()) if c.id not in before]
    assert (new.code_id, new.start, new.end) == (code, start, end)
    assert window.session.coders[new.coder_id] == "Tester"
    assert new.id in window.view.painted.index
    assert_painted(window, qtbot, new.id, start, end, code)
    assert window.act["undo"].text() == "&Undo Code “lock-in/cognitive”"


def test_dropping_a_code_on_the_selection_codes_it(window, reader):
    db = reader()
    start, end = uncoded_span(db)
    code = code_id(db, "trust/distrust")
    select(window, start, end)
    model = window.codebook.model
    mime = model.mimeData([model.index_of(code)])
    at = QPointF(window.view.viewport().rect().center())
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.view.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(at, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.view.dropEvent(drop)
    assert drop.isAccepted()
    assert [(c.code_id, c.start, c.end) for c in stored(reader()) if (c.start, c.end) == (start, end)] == \
        [(code, start, end)]
    # the text selection is untouched by the drop: dropping does not move the cursor
    assert window.view.selection_span() == (start, end)


def test_picker_filters_as_you_type_and_enter_applies(window, qtbot, reader):
    db = reader()
    start, end = uncoded_span(db)
    select(window, start, end)
    press(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    picker = window.picker
    assert picker.isVisible() and picker.input.hasFocus()
    qtbot.keyClicks(picker.input, "design steal")
    shown = [picker.list.item(i).text() for i in range(picker.list.count())]
    assert shown[0] == "free-riding/design-stealing"
    assert all("design" in s and "steal" in s for s in shown if not s.startswith("+ New code"))
    qtbot.keyClick(picker.input, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert (code_id(db, "free-riding/design-stealing"), start, end) in \
        {(c.code_id, c.start, c.end) for c in stored(reader())}


def test_picker_can_create_the_code_it_does_not_find(window, qtbot, reader):
    start, end = uncoded_span(reader())
    select(window, start, end)
    window.open_picker()
    qtbot.keyClicks(window.picker.input, "night shifts")
    last = window.picker.list.item(window.picker.list.count() - 1)
    assert last.text() == "+ New code “night shifts”"
    window.picker.list.setCurrentItem(last)
    qtbot.keyClick(window.picker.input, Qt.Key.Key_Return)
    db = reader()
    new_code = code_id(db, "night shifts")
    assert (new_code, start, end) in {(c.code_id, c.start, c.end) for c in stored(db)}
    window.session.undo_stack.undo()  # one step removes both the coding and the code
    db = reader()
    assert not [c for c in stored(db) if (c.start, c.end) == (start, end)]
    with pytest.raises(Exception):
        code_id(db, "night shifts")


def test_recent_code_quick_key(window, qtbot, reader):
    db = reader()
    text = doc_text(db, DOC)
    first = uncoded_span(db)
    code = code_id(db, "joint-action/horizontal")
    select(window, *first)
    assert window.coding_actions.apply(code)
    assert window.recent_actions[0].text() == "1 horizontal" and window.recent_actions[0].isVisible()
    second = (first[1] + 5, first[1] + 25)
    assert "\n" not in text[second[0]:second[1]]
    select(window, *second)
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert (code, *second) in {(c.code_id, c.start, c.end) for c in stored(reader())}


def test_undo_and_redo_from_the_keyboard(window, qtbot, reader):
    db = reader()
    start, end = uncoded_span(db)
    code = code_id(db, "trust/building")
    select(window, start, end)
    window.coding_actions.apply(code)
    (made,) = [c for c in stored(reader()) if (c.start, c.end) == (start, end)]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not [c for c in stored(reader()) if c.id == made.id]
    assert made.id not in window.view.painted.index
    assert window.act["redo"].text() == "&Redo Code “trust/building”"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    (back,) = [c for c in stored(reader()) if c.id == made.id]
    assert back == made  # same id, GUID and creation time
    assert made.id in window.view.painted.index


def test_in_vivo_code_named_from_the_selection(window, qtbot, reader):
    db = reader()
    text = doc_text(db, DOC)
    start = text.index("we don't knit, except in emergencies")
    end = start + len("we don't knit, except in emergencies")
    codes_before = len(window.session.codes)
    select(window, start, end)
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    db = reader()
    new_code = code_id(db, "we don't knit, except in emergencies")
    assert (new_code, start, end) in {(c.code_id, c.start, c.end) for c in stored(db)}
    assert len(window.session.codes) == codes_before + 1
    assert window.session.undo_stack.undoText() == "In-vivo code “we don't knit, except in emergencies”"
    window.session.undo_stack.undo()
    assert len(window.session.codes) == codes_before
    window.session.undo_stack.redo()
    assert code_id(reader(), "we don't knit, except in emergencies") == new_code


def click_stripe(window, qtbot, coding_id: int) -> None:
    view = window.view
    c = view.coding(coding_id)
    view.select_span(c.start, c.end)  # scrolls it into view
    view.margin.grab()
    (rect,) = [r for r, cid in view.margin.hits if cid == coding_id][:1]
    qtbot.mouseClick(view.margin, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_clicking_a_stripe_picks_the_coding_and_delete_removes_it(window, qtbot, reader):
    target = stored(reader())[3]
    click_stripe(window, qtbot, target.id)
    assert window.view.current_coding == target.id
    assert window.view.selection_span() == (target.start, target.end)
    assert window.memos.current_target() == ("coding", target.id)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert target.id not in {c.id for c in stored(reader())}
    window.session.undo_stack.undo()
    assert target in stored(reader())


def test_fit_coding_to_a_new_selection(window, qtbot, reader):
    target = stored(reader())[5]
    click_stripe(window, qtbot, target.id)
    new_start, new_end = target.start + 3, target.end - 2
    window.view.select_span(new_start, new_end)
    assert window.view.current_coding == target.id  # a selection inside the coding keeps it picked
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    (after,) = [c for c in stored(reader()) if c.id == target.id]
    assert (after.start, after.end) == (new_start, new_end)
    window.session.undo_stack.undo()
    (after,) = [c for c in stored(reader()) if c.id == target.id]
    assert (after.start, after.end) == (target.start, target.end)


def test_memo_and_evidence_on_a_coding(window, qtbot, reader):
    target = stored(reader())[0]
    click_stripe(window, qtbot, target.id)
    panel = window.memos
    assert panel.pages.currentIndex() == 1
    assert panel.evidence.currentData() == target.evidence
    choice = next(e for e in coding.EVIDENCE if e != target.evidence)
    panel.evidence.setFocus()
    panel.evidence.setCurrentIndex(panel.evidence.findData(choice))
    panel.evidence.activated.emit(panel.evidence.currentIndex())
    panel.coding_memo.setPlainText("")
    qtbot.keyClicks(panel.coding_memo, "Says it twice")
    qtbot.mouseClick(panel.coding_save, Qt.MouseButton.LeftButton)
    (after,) = [c for c in stored(reader()) if c.id == target.id]
    assert (after.evidence, after.memo) == (choice, "Says it twice")
    assert "Says it twice" in window.view.describe(window.view.coding(target.id))  # the hover text
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    (after,) = [c for c in stored(reader()) if c.id == target.id]
    assert (after.evidence, after.memo) == (target.evidence, target.memo)


def test_document_memo_added_edited_and_undone(window, qtbot, reader):
    from qualcode.services import memos

    panel = window.memos
    doc_id = window.view.document_id
    assert panel.current_target() == ("document", doc_id)
    panel.new_memo()
    qtbot.keyClicks(panel.editor, "First pass: lots on silence.")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (m,) = memos.list_memos(reader(), "document", doc_id)
    assert m.text == "First pass: lots on silence."
    assert panel.memo_list.count() == 1
    panel.editor.setPlainText("Second pass.")
    panel.save()
    assert [x.text for x in memos.list_memos(reader(), "document", doc_id)] == ["Second pass."]
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert memos.list_memos(reader(), "document", doc_id) == []
    assert panel.memo_list.count() == 0


def test_offsets_after_an_emoji_are_code_points_in_the_store(qtbot, sample_copy, reader):
    from qualcode.services import project
    from qualcode.ui.main_window import MainWindow

    text = "Interviewer: Any symbol for it? 🧶🧶\n\nLenz: The yarn 🧶 came from Kessler, always."
    db = project.open_project(sample_copy)
    documents.store_document(db, name="00_emoji", text=text)
    db.close()
    w = MainWindow(restore_state=False)
    qtbot.addWidget(w)
    w.show()
    w.open_project(sample_copy)
    w.show_document("00_emoji")
    start = text.index("came")
    end = start + len("came from Kessler")
    u16 = lambda i: len(text[:i].encode("utf-16-le")) // 2  # noqa: E731 - independent conversion
    cursor = QTextCursor(w.view.document())
    cursor.setPosition(u16(start))
    cursor.setPosition(u16(end), QTextCursor.MoveMode.KeepAnchor)
    w.view.setTextCursor(cursor)  # the user's selection, in Qt's UTF-16 units
    assert w.view.selected_text() == "came from Kessler"
    assert w.coding_actions.apply(code_id(reader(), "trust/reputation"))
    (c,) = stored(reader(), "00_emoji")
    assert (c.start, c.end) == (start, end)
    assert text[c.start:c.end] == "came from Kessler"
    assert (w.view.painted.starts[0], w.view.painted.ends[0]) == (u16(start), u16(end))
    w.close_project()


def test_tooltip_names_code_and_coder(window, reader):
    c = stored(reader())[0]
    line = window.view.describe(c)
    assert window.session.path(c.code_id) in line and window.session.coders[c.coder_id] in line
    hits = window.view.codings_at((c.start + c.end) // 2)
    assert c.id in {h.id for h in hits}


def test_nothing_selected_is_a_gentle_message_not_a_coding(window, qtbot, reader):
    before = len(stored(reader()))
    window.view.setTextCursor(QTextCursor(window.view.document()))
    assert not window.coding_actions.apply(code_id(reader(), "trust/building"))
    assert "Select some text" in window.statusBar().currentMessage()
    assert len(stored(reader())) == before
