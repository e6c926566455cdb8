"""Every error the API layer raises, and the redaction that keeps the token out of them.

The tree (catch ``PollsError`` to catch them all)::

    PollsError
    ├── InvalidInputError          a value the user gave is not usable (bad key, bad URL, http to a remote host)
    │   └── CertificatesError      SSL_CERT_FILE names no file, or no certificates
    ├── TransportError             no usable HTTP answer arrived
    │   ├── NetworkError           refused, DNS failure, connection reset
    │   ├── TLSError               the secure connection failed (the server's certificate not trusted, …)
    │   └── RequestTimeoutError    the server did not answer in time
    ├── APIError                   the server answered with an error status
    │   ├── BadRequestError        400 (413): a parameter or the body was refused
    │   ├── NotPermittedError      401/403: the token is missing, not valid, or does not cover the project/space
    │   ├── PollNotFoundError      404, or an empty array for a GET with pollId: no poll has that id
    │   ├── RateLimitedError       429: too many requests
    │   └── ServerError            5xx, and 424 (the platform stopped a function that ran too long)
    └── UnexpectedResponseError    2xx, but JSON of a shape the API does not promise
        ├── NotPollsAPIError       not the Polls API's answer: a redirect, a web page, an empty body
        ├── UnreadableAnswerError  a body that cannot be read: broken or too deeply nested JSON,
        │                          an encoding that does not decode
        └── AnswerTooLargeError    an answer larger than the client reads (POLLSTUI_MAX_BODY)

An error carries facts, not a front end's words: its class (what kind of failure), a message
saying what happened (which request, which poll, what the server said) and no advice, whether
the request was a ``write``, its ``poll_id``, ``maybe_done``, and for an answer the server's
``status_code``, ``server_message`` and ``retry_after``. The CLI (exit codes, what to do) and the
TUI (titles, status-line words, what to do) each word them in a table of their own, looked up
along the class's MRO, with the advice they share in :mod:`pollstui.advice`. The access token
travels in the query string, so no exception carries an httpx request or response, nor an httpx
exception in its chain: the client builds these from redacted text (see :func:`redact`) and
raises them outside the ``except`` block that caught the transport error.
"""

from __future__ import annotations

import re

from pollstui.text import sanitize

#: Process-wide set of secrets to scrub from any text (filled by PollsClient and the CLI).
_SECRETS: set[str] = set()

_TOKEN_IN_QUERY = re.compile(r"(?i)(token=)[^&\s'\"<>]*")

#: What stands in for the token wherever it would appear.
MASK = "***"


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so :func:`redact` removes it from any text, everywhere."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


#: ``scheme://user:password@`` (or ``user@``) in a URL: the credentials part.
_USERINFO_IN_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s'\"<>]+@")


def mask_userinfo(text: str) -> str:
    """``text`` with the ``user:password@`` of every URL in it shown as ``***@``."""
    return _USERINFO_IN_URL.sub(lambda m: m.group(1) + MASK + "@", text)


def redact(text: str) -> str:
    """Remove every ``token=…`` query value, every URL's ``user:password@`` and every registered
    secret from ``text`` (each whole, also when a shorter one lies inside it)."""
    text = mask_userinfo(_TOKEN_IN_QUERY.sub(lambda m: m.group(1) + MASK, text))
    for secret in sorted(_SECRETS, key=len, reverse=True):  # a secret inside another: the longer first
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_token(token: str | None) -> str:
    """A token as shown to the user: enough to recognise it, not enough to use it, and inert (a
    token from a pasted URL can hold anything ``%1B`` decodes to: those show as placeholders)."""
    if not token:
        return "(none)"
    if len(token) <= 8:
        return MASK
    return f"{sanitize(token[:4], single_line=True)}…{sanitize(token[-2:], single_line=True)}"


class PollsError(Exception):
    """Base class: every error pollstui's API layer raises."""

    #: A write that may have been carried out although no usable answer said so (a lost
    #: answer, 424, a 5xx, a 200 that cannot be read): look before trying again.
    maybe_done: bool = False
    #: The request would have changed the server (a POST, PUT or DELETE).
    write: bool = False
    #: The poll the request was about, when it was about one.
    poll_id: str | None = None
    #: The message says what to do as well: a caller told it anew (:meth:`retold`) after it
    #: looked what became of a write, so a front end adds no advice of its own.
    advised: bool = False

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def retold(self, message: str, *, maybe_done: bool) -> PollsError:
        """This error told anew (after a caller looked what became of a write): same type and
        status, ``message`` as its whole text (what happened, what was found, what to do)."""
        import copy

        error = copy.copy(self)
        error.message = redact(message)
        error.args = (error.message,)
        error.maybe_done = maybe_done
        error.advised = True
        return error

    @property
    def first_sentence(self) -> str:
        """What happened, without what follows: the message up to its first ". "."""
        end = self.message.find(". ")
        return self.message if end < 0 else self.message[: end + 1]

    @property
    def happened(self) -> str:
        """:attr:`first_sentence` as a clause, to quote inside another sentence ("reading it back
        failed too (Loading poll 7 on PLAT-1: the server failed (500))")."""
        return self.first_sentence.removesuffix(".")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InvalidInputError(PollsError, ValueError):
    """A value the user gave cannot be used (bad issue key, URL, option)."""


class CertificatesError(InvalidInputError):
    """The certificates to verify servers with cannot be loaded from ``path`` (named by the
    environment variable ``setting``, e.g. ``SSL_CERT_FILE``)."""

    def __init__(self, message: str, setting: str, path: str) -> None:
        self.setting = setting
        self.path = path
        super().__init__(message)

    def __reduce__(self) -> tuple:
        return (type(self), (self.message, self.setting, self.path), self.__dict__)


class TransportError(PollsError):
    """No usable HTTP answer arrived (``maybe_done`` when a write's request may have reached the
    server before the answer was lost; see :mod:`pollstui.api.arrivals`)."""


class NetworkError(TransportError):
    """The connection failed: refused, DNS, reset."""


class TLSError(TransportError):
    """The TLS handshake with the server failed (its certificate not verified, no common
    protocol): never retried, as the same handshake would fail again."""


class RequestTimeoutError(TransportError):
    """The server did not answer in time (within the client's deadline)."""


class APIError(PollsError):
    """The server answered with an error status (``status_code``; ``server_message``, what its
    body said, when it said something)."""

    #: Seconds the server asked to wait (``Retry-After``: 429, 5xx), when it said.
    retry_after: float | None = None

    def __init__(self, message: str, status_code: int, server_message: str | None = None) -> None:
        self.status_code = status_code
        self.server_message = redact(server_message) if server_message else None
        super().__init__(message)

    def __reduce__(self) -> tuple:
        # args holds only the message; pickle and copy need the status code as well.
        return (type(self), (self.message, self.status_code, self.server_message), self.__dict__)


class BadRequestError(APIError):
    """400 or 413: a parameter or the body was refused."""


class NotPermittedError(APIError):
    """401 or 403: the token is missing, not valid, or does not cover the project or space."""


class PollNotFoundError(APIError):
    """404; or 200 with an empty array for a GET with pollId (no poll has that id)."""


class RateLimitedError(APIError):
    """429: too many requests."""


class ServerError(APIError):
    """5xx; or 424 (the platform stopped a function that ran too long)."""


class UnexpectedResponseError(PollsError):
    """The server said 2xx but did not send the JSON the API promises."""


class NotPollsAPIError(UnexpectedResponseError):
    """What answered is not the Polls API: a redirect, a web page, an empty body where JSON was due."""


class UnreadableAnswerError(UnexpectedResponseError):
    """A body that cannot be read: broken or too deeply nested JSON, an encoding that does not decode."""


class AnswerTooLargeError(UnexpectedResponseError):
    """An answer passed the most bytes the client reads (``limit``); reading stopped there."""

    def __init__(self, message: str, limit: int) -> None:
        self.limit = limit
        super().__init__(message)

    def __reduce__(self) -> tuple:
        return (type(self), (self.message, self.limit), self.__dict__)
