"""The story panel's edits as QUndoCommands, and the context they report to.

Built on :class:`~qualcode.ui.undo_commands.Command`: ``do`` (first time), ``back`` (undo) and
``again`` (redo after undo) each call one service function. A delete returns a snapshot and the
restore brings rows back under their old ids, so later steps on the stack stay valid.

Signals (StoryContext):
    changed(): stories, elements, tellings, realizations or rejected passages changed.
    errorRaised(str): a user-level problem, in the service's words.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..errors import QualCodeError
from ..services import stories, story_suggest, transmissions
from ..store.database import Database
from .undo_commands import Command


class StoryContext(QObject):
    changed = Signal()
    errorRaised = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack

    def push(self, command: Command) -> bool:
        """Do ``command`` once and stack it; a refused edit is reported and not stacked."""
        try:
            command.first()
        except QualCodeError as exc:
            self.report(exc)
            return False
        self.undo_stack.push(command)
        return True

    def report(self, exc: QualCodeError) -> None:
        self.errorRaised.emit(str(exc))


class _StoryCommand(Command):
    def changed(self) -> None:
        self.s.changed.emit()


class AddStory(_StoryCommand):
    def __init__(self, ctx: StoryContext, title: str, summary: str | None = None):
        super().__init__(ctx, f"New story “{title.strip()}”")
        self.title, self.summary = title, summary
        self.story_id: int | None = None
        self.snapshot = None

    def do(self):
        self.story_id = stories.add_story(self.s.db, self.title, self.summary)

    def back(self) -> None:
        self.snapshot = stories.delete_story(self.s.db, self.story_id)

    def again(self) -> None:
        self.story_id = stories.restore_story(self.s.db, self.snapshot)


class AddElement(_StoryCommand):
    def __init__(self, ctx: StoryContext, story_id: int, label: str, kind: str):
        super().__init__(ctx, f"New element “{label.strip()}”")
        self.story_id, self.label, self.kind = story_id, label, kind
        self.element_id: int | None = None
        self.snapshot = None

    def do(self):
        self.element_id = stories.add_element(self.s.db, self.story_id, self.label, self.kind)

    def back(self) -> None:
        self.snapshot = stories.delete_element(self.s.db, self.element_id)

    def again(self) -> None:
        self.element_id = stories.restore_element(self.s.db, self.snapshot)


class Tell(_StoryCommand):
    """Mark a passage as a telling (also how an accepted suggestion becomes one)."""

    def __init__(self, ctx: StoryContext, story_id: int, document: str, start: int, end: int, teller: str,
                 role: str, heard_from: int | str | None = None, basis: str = "stated", told_on: str | None = None):
        super().__init__(ctx, f"Telling by {teller}")
        self.args = dict(story=story_id, document=document, start=start, end=end, teller=teller, role=role,
                         heard_from=heard_from, basis=basis, told_on=told_on)
        self.telling_id: int | None = None
        self.snapshot = None

    def do(self):
        self.telling_id = stories.tell(self.s.db, **self.args)

    def back(self) -> None:
        self.snapshot = stories.delete_telling(self.s.db, self.telling_id)

    def again(self) -> None:
        self.telling_id = stories.restore_telling(self.s.db, self.snapshot)


class RemoveTelling(_StoryCommand):
    def __init__(self, ctx: StoryContext, telling_id: int):
        super().__init__(ctx, f"Remove telling #{telling_id}")
        self.telling_id = telling_id
        self.snapshot = None

    def do(self):
        self.snapshot = stories.delete_telling(self.s.db, self.telling_id)

    def back(self) -> None:
        self.telling_id = stories.restore_telling(self.s.db, self.snapshot)


class Realize(_StoryCommand):
    def __init__(self, ctx: StoryContext, telling_id: int, element_id: int, status: str, position: int | None = None,
                 start: int | None = None, end: int | None = None, variant: str | None = None):
        super().__init__(ctx, f"Telling #{telling_id}: element {status}")
        self.telling_id, self.element_id = telling_id, element_id
        self.values = dict(status=status, position=position, start=start, end=end, variant=variant)
        self.previous = None

    def do(self):
        self.previous = stories.realize(self.s.db, self.telling_id, self.element_id, **self.values)

    def back(self) -> None:
        stories.restore_realization(self.s.db, self.telling_id, self.element_id, self.previous)


class RejectPassage(_StoryCommand):
    def __init__(self, ctx: StoryContext, story_id: int, document: str, start: int, end: int):
        super().__init__(ctx, f"Reject passage of {document}")
        self.args = (story_id, document, start, end)

    def do(self):
        story_suggest.reject_passage(self.s.db, *self.args)

    def back(self) -> None:
        story_suggest.unreject_passage(self.s.db, *self.args)


class RemoveStory(_StoryCommand):
    """Delete a story with everything under it; undo brings it all back under the old ids."""

    def __init__(self, ctx: StoryContext, story_id: int, title: str):
        super().__init__(ctx, f"Delete story “{title}”")
        self.story_id = story_id
        self.snapshot = None

    def do(self):
        self.snapshot = stories.delete_story(self.s.db, self.story_id)

    def back(self) -> None:
        self.story_id = stories.restore_story(self.s.db, self.snapshot)


class RenameElement(_StoryCommand):
    def __init__(self, ctx: StoryContext, element_id: int, label: str):
        super().__init__(ctx, f"Rename element to “{label.strip()}”")
        self.element_id, self.label = element_id, label
        self.previous: dict = {}

    def do(self):
        self.previous = stories.edit_element(self.s.db, self.element_id, label=self.label)

    def back(self) -> None:
        stories.edit_element(self.s.db, self.element_id, **self.previous)


class RemoveElement(_StoryCommand):
    def __init__(self, ctx: StoryContext, element_id: int, label: str):
        super().__init__(ctx, f"Delete element “{label}”")
        self.element_id = element_id
        self.snapshot = None

    def do(self):
        self.snapshot = stories.delete_element(self.s.db, self.element_id)

    def back(self) -> None:
        self.element_id = stories.restore_element(self.s.db, self.snapshot)


class AddTransmission(_StoryCommand):
    """Record after the fact that one telling's teller heard the story from another telling."""

    def __init__(self, ctx: StoryContext, to_telling: int, from_telling: int, basis: str):
        super().__init__(ctx, f"Telling #{to_telling} heard from #{from_telling}")
        self.args = dict(to_telling=to_telling, from_telling=from_telling, basis=basis)
        self.transmission_id: int | None = None
        self.snapshot = None

    def do(self):
        self.transmission_id = transmissions.add_transmission(self.s.db, **self.args)

    def back(self) -> None:
        self.snapshot = transmissions.delete_transmission(self.s.db, self.transmission_id)

    def again(self) -> None:
        self.transmission_id = transmissions.restore_transmission(self.s.db, self.snapshot)


class RemoveTransmission(_StoryCommand):
    def __init__(self, ctx: StoryContext, transmission_id: int):
        super().__init__(ctx, f"Remove transmission #{transmission_id}")
        self.transmission_id = transmission_id
        self.snapshot = None

    def do(self):
        self.snapshot = transmissions.delete_transmission(self.s.db, self.transmission_id)

    def back(self) -> None:
        self.transmission_id = transmissions.restore_transmission(self.s.db, self.snapshot)
