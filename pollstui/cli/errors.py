"""The command line's own errors, and its exit code for every error (README, "Exit codes").

:data:`EXIT_CODES` maps an error class to its code; :func:`exit_code` looks an error up along
its class's MRO, so a subclass (a new API error, say) takes its parent's code unless it has its
own line. Everything not in the table is a network or server failure: 6.
"""

from __future__ import annotations

from collections.abc import Callable

from pollstui.api.errors import (
    BadRequestError,
    InvalidInputError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
)
from pollstui.profiles import ProfileFileError

#: The exit code when the user answers no at a confirmation (nothing was changed).
EXIT_DECLINED = 8


class UsageError(InvalidInputError):
    """The command line asks for something that cannot be done as given (exit 2)."""


class ReadOnlyError(PollsError):
    """A write through a read-only connection (exit 3, like a refused token)."""


class ServeError(PollsError):
    """The reference server cannot listen where asked (exit 6)."""


class MissingExtraError(PollsError):
    """The command needs an optional part of pollstui that is not installed (exit 2).

    Printed as it is, without the ``pollstui: error:`` prefix, since it names the program itself.
    """


class DeclinedError(PollsError):
    """The user said no (or could not be asked), or a save kept the change: nothing was sent (exit 8)."""


class UncertainCreateError(PollsError):
    """A POST that may have been carried out (answer lost, 424, 5xx, an unreadable 200), after
    which a poll like it arrived: it may be ours (exit 7)."""


class ImportIncompleteError(PollsError):
    """An import that stopped part-way; exits with the code of the error that stopped it."""

    def __init__(self, message: str, stopped_by: PollsError) -> None:
        super().__init__(message)
        self.stopped_by = stopped_by


#: Error class → exit code (or how to find it); looked up along the error's MRO.
EXIT_CODES: dict[type[PollsError], int | Callable[[PollsError], int]] = {
    InvalidInputError: 2,
    ProfileFileError: 2,  # the profiles file cannot be read, or must not be written
    MissingExtraError: 2,
    NotPermittedError: 3,
    ReadOnlyError: 3,
    PollNotFoundError: 4,
    BadRequestError: 5,
    UncertainCreateError: 7,
    DeclinedError: EXIT_DECLINED,
    ImportIncompleteError: lambda error: exit_code(error.stopped_by),  # type: ignore[attr-defined]
    PollsError: 6,  # a network or server failure, an unexpected answer
}


def exit_code(error: PollsError) -> int:
    """The CLI's exit code for ``error``: its class's line in :data:`EXIT_CODES`, or its nearest parent's."""
    code = next(EXIT_CODES[cls] for cls in type(error).__mro__ if cls in EXIT_CODES)
    return code if isinstance(code, int) else code(error)
