"""One exception family. Every error a user can cause is a `DlpilotError`.

The message is one line: what is wrong, what was got, how to fix it. The CLI
prints it without a traceback (set ``DLPILOT_DEBUG=1`` to see one).
"""

from __future__ import annotations


class DlpilotError(Exception):
    """Root of every error dlpilot raises on purpose.

    The message is a `dlpilot.core.messages.Msg` (or plain text): ``str(error)`` is English,
    `render` is the user's language.
    """

    exit_code: int = 2

    def __init__(self, message: object = "", *args: object) -> None:
        super().__init__(str(message), *args)
        self.message = message

    def render(self, language: str) -> str:
        render = getattr(self.message, "render", None)
        return render(language) if callable(render) else str(self)


class DataError(DlpilotError, ValueError):
    """The data cannot be used as given (bad file, bad target, bad values)."""


class SourceNotFoundError(DataError, FileNotFoundError):
    """A file, folder or built-in dataset that does not exist or is not installed."""


class ConfigError(DlpilotError, ValueError):
    """An option or combination of options that cannot work."""


class SealedTestSetError(DlpilotError, PermissionError):
    """Something tried to read the test set before the final stage."""


class BudgetError(DlpilotError, ValueError):
    """The time budget cannot be parsed or is too small to train anything."""


class StorageError(DlpilotError, ConnectionError):
    """The Optuna storage cannot be reached or used."""


class BundleError(DlpilotError, ValueError):
    """A saved model bundle cannot be loaded."""


class HistoryError(DataError):
    """A learning-curve history file cannot be read."""
