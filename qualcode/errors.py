"""The one family of errors that mean "the user's or the environment's problem".

Anything raised from this family is shown as a plain message (``error: ...`` on the command
line, a dialog in the GUI) and leaves the project as it was. Any other exception is a bug and
is allowed to fail loudly, so tests catch it.
"""


class QualCodeError(Exception):
    """A problem the user can fix; the message says what happened and what to do."""


class ProjectError(QualCodeError):
    """The project file cannot be used: missing, not a project, too new, damaged."""


class ProjectLocked(ProjectError):
    """Another process holds the project open for writing."""

    def __init__(self, message: str, owner: dict | None = None):
        super().__init__(message)
        self.owner = owner or {}


class NotFound(QualCodeError):
    """A named document, code, coder, case or story does not exist."""


class InvalidInput(QualCodeError):
    """Input that fails validation: a bad span, a bad CSV row, an unreadable file."""
