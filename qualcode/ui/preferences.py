"""User preferences (coder name, document font, spaCy model, backup count) and where they live.

Everything the window remembers between runs goes through :func:`settings`: an INI file in
the user's configuration folder, so tests can point it at a temporary folder.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ..services import coding

ORGANISATION = APPLICATION = "QualCode"
DEFAULT_SPACY_MODEL = "en_core_web_sm"
DEFAULT_FONT_SIZE = 10
DEFAULT_BACKUPS = 5


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _default_coder() -> str:
    try:
        return getpass.getuser() or "coder"
    except Exception:  # getuser raises OSError or KeyError when there is no login name
        return "coder"


def starting_coder(prefs: "Preferences", db) -> str:
    """Whom a project opens coding as: the coder named in the preferences, else whoever coded
    last in this project (so reopening a colleague's copy does not add a coder called after
    the login), else the login name."""
    return prefs.coder or coding.last_coder(db) or _default_coder()


@dataclass
class Preferences:
    coder: str
    font_family: str
    font_size: int
    spacy_model: str
    backups: int

    @classmethod
    def load(cls) -> "Preferences":
        s = settings()
        family = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        return cls(
            coder=" ".join(str(s.value("coder/name", "") or "").split()),  # "": not chosen
            font_family=str(s.value("view/font_family", "") or family),
            font_size=int(s.value("view/font_size", DEFAULT_FONT_SIZE)),
            spacy_model=str(s.value("nlp/spacy_model", "") or DEFAULT_SPACY_MODEL),
            backups=int(s.value("project/backup_count", DEFAULT_BACKUPS)),
        )

    def save(self) -> None:
        s = settings()
        s.setValue("coder/name", self.coder)
        s.setValue("view/font_family", self.font_family)
        s.setValue("view/font_size", self.font_size)
        s.setValue("nlp/spacy_model", self.spacy_model)
        s.setValue("project/backup_count", self.backups)

    def document_font(self) -> QFont:
        font = QFont(self.font_family)
        font.setPointSize(self.font_size)
        return font


class PreferencesDialog(QDialog):
    """Edits a copy of the preferences; :meth:`result_preferences` gives the accepted values."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.coder = QLineEdit(prefs.coder)
        self.coder.setObjectName("pref_coder")
        self.coder.setPlaceholderText(f"the project's last coder, else {_default_coder()}")
        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(QFont(prefs.font_family))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 48)
        self.font_size.setValue(prefs.font_size)
        self.spacy_model = QLineEdit(prefs.spacy_model)
        self.spacy_model.setToolTip("Name of an installed spaCy pipeline, used for sentence splitting "
                                    "and suggestions (for example en_core_web_sm)")
        self.backups = QSpinBox()
        self.backups.setRange(0, 100)
        self.backups.setValue(prefs.backups)
        self.backups.setToolTip("How many backup copies of a project to keep")
        form = QFormLayout(self)
        form.addRow("Coder name", self.coder)
        form.addRow("Document font", self.font_family)
        form.addRow("Font size", self.font_size)
        form.addRow("spaCy model", self.spacy_model)
        form.addRow("Backups to keep", self.backups)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def result_preferences(self) -> Preferences:
        return Preferences(
            coder=" ".join(self.coder.text().split()),
            font_family=self.font_family.currentFont().family(),
            font_size=self.font_size.value(),
            spacy_model=self.spacy_model.text().strip() or DEFAULT_SPACY_MODEL,
            backups=self.backups.value(),
        )
