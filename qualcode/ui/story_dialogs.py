"""Small forms of the story panel: a new story, an element, a telling, a realization, a
transmission between two tellings, a new label.

Each dialog only collects values (``values()``); the panel turns them into an undoable command,
so a refused value is reported by the service, in its words, and nothing is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

ROLES = ("hearsay", "eyewitness", "protagonist")
STATUSES = ("present", "implied", "contradicted", "absent")


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.form.addRow(self.buttons)
        self.setMinimumWidth(420)


class StoryDialog(_Form):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("New story", parent)
        self.title = QLineEdit()
        self.title.setObjectName("story_title")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("story_summary")
        self.summary.setFixedHeight(70)
        self.form.addRow("Title", self.title)
        self.form.addRow("Summary", self.summary)
        self.finish()

    def values(self) -> dict:
        return {"title": self.title.text(), "summary": self.summary.toPlainText()}


class ElementDialog(_Form):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("New element", parent)
        self.label = QLineEdit()
        self.label.setObjectName("element_label")
        self.kind = QComboBox()
        self.kind.addItems(["core", "detail"])
        self.form.addRow("What happens", self.label)
        self.form.addRow("Kind", self.kind)
        self.finish()

    def values(self) -> dict:
        return {"label": self.label.text(), "kind": self.kind.currentText()}


class TellDialog(_Form):
    """Teller (a case), role, and who the teller heard it from (a telling of the story, a case,
    or not known) for a passage."""

    def __init__(self, passage: str, cases: list[tuple[str, str]], tellings: list[tuple[int, str]],
                 parent: QWidget | None = None):
        super().__init__("Mark as telling", parent)
        where = QLabel(passage)
        where.setWordWrap(True)
        self.teller = QComboBox()
        self.teller.setObjectName("teller")
        informants = sorted(name for name, kind in cases if kind == "informant")
        self.teller.addItems(informants + sorted(name for name, kind in cases if kind != "informant"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.role.addItems(ROLES)
        self.source = QComboBox()
        self.source.setObjectName("source")
        self.source.addItem("(not known)", None)
        for tid, label in tellings:
            self.source.addItem(f"telling #{tid}: {label}", tid)
        for name in informants:
            self.source.addItem(f"case: {name}", name)
        self.basis = QComboBox()
        self.basis.addItems(["stated", "inferred"])
        self.told_on = QLineEdit()
        self.told_on.setPlaceholderText("YYYY-MM-DD (optional)")
        self.form.addRow("Passage", where)
        self.form.addRow("Teller", self.teller)
        self.form.addRow("Role", self.role)
        self.form.addRow("Heard from", self.source)
        self.form.addRow("Basis", self.basis)
        self.form.addRow("Told on", self.told_on)
        self.finish()

    def values(self) -> dict:
        return {"teller": self.teller.currentText(), "role": self.role.currentText(),
                "heard_from": self.source.currentData(), "basis": self.basis.currentText(),
                "told_on": self.told_on.text() or None}


class RealizationDialog(_Form):
    """How one telling renders one element; the span comes from the current selection."""

    def __init__(self, title: str, current: dict | None, selection: tuple[int, int] | None,
                 parent: QWidget | None = None):
        super().__init__(title, parent)
        current = current or {"status": "present", "position": None, "variant": None}
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.status.addItems(STATUSES)
        self.status.setCurrentText(current["status"])
        self.position = QSpinBox()
        self.position.setObjectName("position")
        self.position.setRange(0, 999)
        self.position.setSpecialValueText("not known")
        self.position.setValue(current["position"] or 0)
        self.variant = QLineEdit(current["variant"] or "")
        self.variant.setObjectName("variant")
        self.variant.setPlaceholderText("how this telling differs from the element (empty: as labelled)")
        self.use_selection = QCheckBox("use the selected text as its span" if selection else "no text selected")
        self.use_selection.setObjectName("use_selection")
        self.use_selection.setEnabled(selection is not None)
        self.use_selection.setChecked(selection is not None)
        self.selection = selection
        self.form.addRow("Status", self.status)
        self.form.addRow("Told as", self.position)
        self.form.addRow("Variant", self.variant)
        self.form.addRow("", self.use_selection)
        self.finish()

    def values(self) -> dict:
        absent = self.status.currentText() == "absent"
        span = self.selection if self.use_selection.isChecked() and not absent else None
        return {"status": self.status.currentText(),
                "position": None if absent or not self.position.value() else self.position.value(),
                "start": span[0] if span else None, "end": span[1] if span else None,
                "variant": self.variant.text() or None}


class TransmissionDialog(_Form):
    """Which other telling of the story the teller of ``target`` heard it from, and whether the
    transcript says so (stated) or the researcher concludes it (inferred)."""

    def __init__(self, target: str, tellings: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__("Heard from", parent)
        self.source = QComboBox()
        self.source.setObjectName("source")
        for tid, label in tellings:
            self.source.addItem(f"telling #{tid}: {label}", tid)
        self.basis = QComboBox()
        self.basis.setObjectName("basis")
        self.basis.addItems(["stated", "inferred"])
        self.form.addRow("Telling", QLabel(target))
        self.form.addRow("Heard from", self.source)
        self.form.addRow("Basis", self.basis)
        self.finish()

    def values(self) -> dict:
        return {"from_telling": self.source.currentData(), "basis": self.basis.currentText()}


class RenameDialog(_Form):
    def __init__(self, title: str, current: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.label = QLineEdit(current)
        self.label.setObjectName("new_label")
        self.form.addRow("Label", self.label)
        self.finish()

    def values(self) -> dict:
        return {"label": self.label.text()}
