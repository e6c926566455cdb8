"""How the TUI words an error: a heading for its notification, a few words for a status line,
and what to do after its message where it differs from :mod:`pollstui.advice`.

:data:`WORDS` maps an error class to its words; :func:`words_for` looks an error up along its
class's MRO, so a subclass takes its parent's words unless it has its own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pollstui import advice
from pollstui.advice import Advice
from pollstui.api.errors import (
    AnswerTooLargeError,
    APIError,
    InvalidInputError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TLSError,
    TransportError,
    UnexpectedResponseError,
)
from pollstui.session.overview import OverviewDeadlineError


@dataclass(frozen=True)
class Words:
    title: str
    """A heading (a notification's title): "Cannot reach the server"."""
    short: str | Callable[[Any], str]
    """What went wrong in a few words, lower case, for a status line: "the token was refused"."""
    advice: Advice | None = None
    """What to do, where the TUI says it its own way (else :data:`pollstui.advice.ADVICE`)."""


#: What to say of a write that may have been carried out (its answer was lost, a 424 or 5xx).
LOOK_FIRST = "The change may or may not have been made: refresh the list to check before trying again."


def _status(error: APIError) -> str:
    return f"the server answered {error.status_code}"


def _not_found(error: APIError) -> str:
    # 200: a GET with pollId answered by an empty array.
    return "not found (404)" if error.status_code == 404 else "no such poll"


def _server(error: APIError) -> str:
    return "the server took too long to answer" if error.status_code == 424 else _status(error)


#: Error class → its words; the nearest class of the error's MRO that is listed wins.
WORDS: dict[type[PollsError], Words] = {
    InvalidInputError: Words("Not usable", "not usable as given"),
    OverviewDeadlineError: Words("Took too long", "took too long"),
    RequestTimeoutError: Words("Cannot reach the server", "the server did not answer in time"),
    TLSError: Words("Secure connection failed", "the secure connection failed"),
    TransportError: Words("Cannot reach the server", "cannot reach the server"),
    NotPermittedError: Words("Token refused", "the token was refused"),
    PollNotFoundError: Words("The server said no", _not_found, lambda error: "It may have been deleted; refresh the list."
                             if error.poll_id else "Check the endpoint URL in your profile."),  # fmt: skip
    RateLimitedError: Words("Too many requests", "too many requests (429)"),
    ServerError: Words("The server said no", _server),
    APIError: Words("The server said no", _status),
    AnswerTooLargeError: Words("Answer too large", "the answer was too large"),
    UnexpectedResponseError: Words("Unexpected answer", "unexpected answer from the server"),
    PollsError: Words("Error", "something went wrong"),
}


def words_for(error: PollsError) -> Words:
    """The words of ``error``'s class, or of its nearest parent's."""
    return next(WORDS[cls] for cls in type(error).__mro__ if cls in WORDS)


def short(error: BaseException) -> str:
    """``error`` in a few words for a status line; "something went wrong" for anything not a PollsError."""
    if not isinstance(error, PollsError):
        return "something went wrong"
    said = words_for(error).short
    return said if isinstance(said, str) else said(error)


def told(error: PollsError) -> str:
    """``error`` in the TUI's words: what happened (its message), then what to do."""
    return advice.told(error, LOOK_FIRST, {cls: words.advice for cls, words in WORDS.items()})
