"""What to do after an error, where the CLI and the TUI say the same thing.

The API's errors say only what happened (:mod:`pollstui.api.errors`). Each front end words them
in its own table (``cli/errors.py``: exit codes; ``tui/errors.py``: headings and status-line
words), which also gives its own advice where it differs from :data:`ADVICE` (a command to run,
a list to refresh), and its words for looking first when a write may have been done. Both
tables and this one are looked up along the error class's MRO.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pollstui.api.errors import (
    AnswerTooLargeError,
    APIError,
    BadRequestError,
    CertificatesError,
    InvalidInputError,
    NotPermittedError,
    NotPollsAPIError,
    PollNotFoundError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TLSError,
    TransportError,
    UnexpectedResponseError,
    UnreadableAnswerError,
)

#: What to do after an error's message: a sentence, or how to make one from the error's facts.
Advice = str | Callable[[Any], str]


def _certificates(error: CertificatesError) -> str:
    if error.setting:
        return f"Set {error.setting} to a file of PEM certificates (your organisation's CA bundle), or unset it."
    return "Reinstall certifi (pip install --force-reinstall certifi), or set SSL_CERT_FILE."


#: Error class → what to do, for both front ends (the nearest class of the error's MRO that is listed wins).
ADVICE: dict[type[PollsError], Advice] = {
    CertificatesError: _certificates,
    InvalidInputError: "",  # the message names the value and how it should be
    TLSError: "If your network inspects TLS with a certificate authority of its own, set SSL_CERT_FILE to a file "
              "of its certificates; else check the endpoint URL.",  # fmt: skip
    RequestTimeoutError: "Check your connection or VPN, then try again.",
    TransportError: "Check the endpoint URL and your network (or VPN), then try again.",
    BadRequestError: lambda error: "Check the poll's fields." if error.write else "Check the workspace, content and container.",
    NotPermittedError: "Check the token in your profile or URL, or ask for one that covers it.",
    PollNotFoundError: lambda error: "It may have been deleted." if error.poll_id else "Check the endpoint URL in your profile.",
    RateLimitedError: "Wait a moment, then try again.",
    ServerError: "Try again in a moment; if it keeps happening, tell the server's administrators.",
    APIError: "Check the endpoint URL, then try again.",
    NotPollsAPIError: "Check that the endpoint URL is the Polls API's, not a login or proxy page.",
    UnreadableAnswerError: "Try again; if it persists, the server or a proxy in between is misbehaving.",
    AnswerTooLargeError: "Set POLLSTUI_MAX_BODY to allow more (e.g. POLLSTUI_MAX_BODY=64MiB).",
    UnexpectedResponseError: "The API may have changed; check for a newer pollstui.",
    PollsError: "",
}

#: Advice to try again: when the write may have been done, looking first stands instead of it.
RETRIES = (TransportError, ServerError)


def told(error: PollsError, look_first: str, own: Mapping[type[PollsError], Advice | None]) -> str:
    """``error``'s message, then what to do: ``own`` (a front end's) or :data:`ADVICE`, after
    ``look_first`` when the write may have been done. Nothing is added to a message that says
    what to do already (``advised``: told anew after a look)."""
    if error.advised:
        return str(error)
    advice = next(a for cls in type(error).__mro__ for a in (own.get(cls), ADVICE.get(cls)) if a is not None)
    said = advice if isinstance(advice, str) else advice(error)
    if error.maybe_done:
        said = look_first if isinstance(error, RETRIES) else f"{look_first} {said}"
    return f"{error} {said}".rstrip()
