"""The command line's own errors, and how it tells every error: its exit code (README, "Exit
codes") and what to do where it differs from :mod:`pollstui.advice` (the commands to run).

:data:`TOLD` maps an error class to a :class:`Told`; :func:`exit_code` and :func:`told` look an
error up along its class's MRO, so a subclass (a new API error, say) is told as its parent
unless it has its own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pollstui import advice
from pollstui.advice import Advice
from pollstui.api.errors import BadRequestError, InvalidInputError, NotPermittedError, PollNotFoundError, PollsError
from pollstui.profiles import KeyringError, ProfileFileError
from pollstui.session.overview import OverviewDeadlineError

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


#: What to say of a write that may have been carried out (its answer was lost, a 424 or 5xx).
LOOK_FIRST = "The change may or may not have been made: check with `pollstui list` before trying again."


@dataclass(frozen=True)
class Told:
    code: int | Callable[[Any], int]
    """The exit code, or how to find it."""
    advice: Advice | None = None
    """What to do, where the CLI says it its own way (else :data:`pollstui.advice.ADVICE`)."""


#: Error class → how the CLI tells it; the nearest class of the error's MRO that is listed wins.
TOLD: dict[type[PollsError], Told] = {
    InvalidInputError: Told(2),
    ProfileFileError: Told(2),  # the profiles file cannot be read, or must not be written
    KeyringError: Told(2),  # a token kept in the keyring cannot be read (none here, locked, too slow)
    MissingExtraError: Told(2),
    NotPermittedError: Told(3, "Check the token in your profile or URL (pollstui profile show), or ask for one that covers it."),
    ReadOnlyError: Told(3),
    PollNotFoundError: Told(4, lambda error: "It may have been deleted; `pollstui list` shows the polls there."
                            if error.poll_id else "Check the endpoint URL in your profile."),  # fmt: skip
    BadRequestError: Told(5),
    OverviewDeadlineError: Told(6, "Try again, or pass a longer --deadline."),
    UncertainCreateError: Told(7),
    DeclinedError: Told(EXIT_DECLINED),
    ImportIncompleteError: Told(lambda error: exit_code(error.stopped_by)),
    PollsError: Told(6),  # a network or server failure, an unexpected answer
}


def exit_code(error: PollsError) -> int:
    """The CLI's exit code for ``error``: its class's line in :data:`TOLD`, or its nearest parent's."""
    code = next(TOLD[cls] for cls in type(error).__mro__ if cls in TOLD).code
    return code if isinstance(code, int) else code(error)


def told(error: PollsError) -> str:
    """``error`` in the CLI's words: what happened (its message), then what to do."""
    return advice.told(error, LOOK_FIRST, {cls: row.advice for cls, row in TOLD.items()})
