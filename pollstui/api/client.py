"""PollsClient: the typed async client for the Polls REST API.

One ``httpx.AsyncClient`` for the client's life (connections are reused) and a transport seam:
tests pass ``httpx.ASGITransport(app=reference_server)``.

Time: every call has a total deadline (``timeout``, default 60 s: a Forge web trigger may run
55 s), covering its attempts and the waits between them, so a server that drips its answer a
byte at a time cannot hold a caller forever; connecting gives up after 10 s at most.

Retries: GET is retried on transient failures (network errors, timeouts, 429, 502, 503, 504)
with exponential back-off, honouring ``Retry-After`` up to ``max_retry_after`` (30 s; a server
asking for longer gets no retry, and its error says so). POST, PUT and DELETE are never retried:
a POST that reached the server but whose answer was lost must not create a second poll.

One 429 slows every request of the client, not only the one that got it (:mod:`pollstui.api.pause`).

Waits are reported: ``on_wait(seconds, reason)`` is called before each one, ``reason`` a short
phrase ("Loading polls on PLAT-1: the server is rate limiting requests (429)"). The CLI prints
one stderr line for a wait over 2 s; the TUI shows it on its status line. The callback must not
raise or block (it runs on the event loop).

How httpx's exceptions, statuses and bodies become our errors: :mod:`pollstui.api.answers`.
Every URL that could reach a message or a log is redacted (see :mod:`pollstui.api.errors`);
httpx's own log records pass through a redacting filter.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import httpx
from pollstui.api import CONNECT_TIMEOUT, DEFAULT_DEADLINE, MAX_BODY, answers
from pollstui.api.address import ContentRef, check_endpoint, endpoint_host, is_loopback_host
from pollstui.api.errors import (
    APIError,
    InvalidInputError,
    NetworkError,
    PollNotFoundError,
    PollsError,
    RequestTimeoutError,
    UnexpectedResponseError,
    redact,
    register_secret,
)
from pollstui.api.pause import Pause

if TYPE_CHECKING:
    from pollstui.api.listing import PollListing
    from pollstui.api.models import Poll

# pydantic and the models load on first use, not at import: `pollstui list --json` passes the
# server's JSON through and never needs them (tests/test_import_hygiene.py).

log = logging.getLogger("pollstui.api")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: A wait callback: seconds about to be waited, and why.
OnWait = Callable[[float, str], None]


class _RedactingFilter(logging.Filter):
    """Scrubs the token from httpx's and httpcore's log records (they log full URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        record.msg = redact(message)
        record.args = None
        return True


# A logger's filters see only the records logged on that very logger, not its children's, and
# httpcore logs on "httpcore.http11" (response headers, a redirect's Location included) and others.
_LOGGERS = (
    "httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy", "httpcore.socks",
)
for _name in _LOGGERS:
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, _RedactingFilter) for f in _logger.filters):
        _logger.addFilter(_RedactingFilter())


class PollsClient:
    """Talks to one Polls endpoint with one token.

    Use it as an async context manager, or call :meth:`aclose`.

    ``timeout``: the total deadline of each call in seconds (an ``httpx.Timeout`` sets httpx's
    per-phase timeouts instead, and ``deadline`` the total). ``on_wait(seconds, reason)``: called
    before each wait between retries (see the module docstring). ``max_body``: the most bytes an
    answer may have, decoded; reading stops there (AnswerTooLargeError). ``sleep`` and ``clock``
    are seams for tests.
    """

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_DEADLINE,
        deadline: float | None = None,
        retries: int = 3,
        backoff: float = 0.25,
        max_retry_after: float = 30.0,
        allow_insecure: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_wait: OnWait | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_body: int = MAX_BODY,
    ) -> None:
        self.endpoint = check_endpoint(endpoint, allow_insecure=allow_insecure)
        self._token = token
        register_secret(token)
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_body = max_body
        self.on_wait = on_wait
        self._sleep = sleep
        self._clock = clock
        self.pause = Pause(clock)
        if isinstance(timeout, httpx.Timeout):
            phases = timeout
            self.deadline = deadline if deadline is not None else DEFAULT_DEADLINE
        else:
            self.deadline = deadline if deadline is not None else float(timeout)
            phases = httpx.Timeout(float(timeout), connect=min(CONNECT_TIMEOUT, float(timeout)))
        # A plain-http loopback endpoint (the reference server) never speaks TLS and is never
        # reached through a proxy: skip loading the CA bundle and the
        # proxy variables. Every other endpoint verifies certificates as usual.
        local = self.endpoint.startswith("http://") and is_loopback_host(urlsplit(self.endpoint).hostname or "")
        try:
            self._http = httpx.AsyncClient(
                transport=transport,
                timeout=phases,
                headers={"Accept": "application/json", "User-Agent": "pollstui"},
                follow_redirects=False,
                verify=not local,
                trust_env=not local,
            )
        except OSError as exc:  # the CA bundle could not be loaded (ssl.SSLError is an OSError)
            raise answers.certificates_unusable(exc) from None
        except (ImportError, ValueError, httpx.InvalidURL) as exc:  # a *_proxy variable httpx cannot use
            raise answers.proxy_unusable(exc) from None
        try:
            self._http.build_request("GET", self.endpoint)  # where httpx encodes the host name (IDNA)
        except (httpx.InvalidURL, UnicodeError):
            host = urlsplit(self.endpoint).hostname
            raise InvalidInputError(
                f"The endpoint URL's host name {host!r} is not a valid domain name: copy it again from the Polls "
                "app into --endpoint, --url, POLLS_URL or the profile (pollstui profile show)."
            ) from None

    def __repr__(self) -> str:
        return f"PollsClient(endpoint={self.endpoint!r}, token='***')"

    @property
    def host(self) -> str:
        return endpoint_host(self.endpoint)

    async def __aenter__(self) -> PollsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- the operations -----------------------------------------------------------------------

    async def poll_listing(self, ref: ContentRef, results: bool = False) -> PollListing:
        """The polls of ``ref``: each one that can be read as a :class:`~pollstui.api.poll_view.PollView`
        (its :meth:`~pollstui.api.poll_view.PollView.model` is the write model), and each item that
        cannot, where it was (see :mod:`pollstui.api.listing`): one bad poll hides nothing.

        Raises UnexpectedResponseError only when the answer is not an array at all.
        """
        from pollstui.api.listing import read_poll_listing

        data = await self._json("GET", ref, expand_results=results)
        return self._parse(lambda: read_poll_listing(data), "a list of polls")

    async def list_polls_body(
        self, ref: ContentRef, results: bool = False, *, on_send: Callable[[], None] | None = None
    ) -> tuple[bytes, Any]:
        """The server's answer for ``ref``'s polls: its bytes exactly as sent, and their JSON
        (decoded once, not parsed into models; not checked to be an array). ``on_send`` is
        called as each attempt is handed to the connection pool (what waits for the request to
        be on its way, such as a screen that is drawn after it, waits for that)."""
        response = await self._send("GET", ref, expand_results=results, on_send=on_send)
        return response.content, answers.decode(response, self._request("GET", ref, None))

    async def get_poll(self, ref: ContentRef, poll_id: str, results: bool = False) -> Poll:
        """The poll ``poll_id`` of ``ref``: the server may answer an array holding it (as the docs
        read) or the bare object. An empty array is PollNotFoundError, like a 404."""
        from pollstui.api.models import Poll

        data = await self.get_poll_json(ref, poll_id, results=results)
        return _with_id(self._parse(lambda: Poll.from_api(data), "a poll"), poll_id)

    async def get_poll_json(self, ref: ContentRef, poll_id: str, results: bool = False) -> dict[str, Any]:
        """The poll ``poll_id`` as the server sent it (decoded JSON, not parsed into a model)."""
        data = await self._json("GET", ref, poll_id=poll_id, expand_results=results)
        return self._one_poll(data, ref, poll_id)

    async def get_poll_raw(self, ref: ContentRef, poll_id: str, results: bool = False) -> bytes:
        """The poll object's JSON: the server's bytes when it sent the bare object, else the one
        poll taken out of its array (re-encoded, keys and values as sent)."""
        response = await self._send("GET", ref, poll_id=poll_id, expand_results=results)
        data = answers.decode(response, self._request("GET", ref, poll_id))
        poll = self._one_poll(data, ref, poll_id)
        if poll is data:
            return response.content
        return json.dumps(poll, ensure_ascii=False).encode("utf-8")

    def _one_poll(self, data: Any, ref: ContentRef, poll_id: str) -> dict[str, Any]:
        from pollstui.api.listing import find_poll

        what = describe("GET", ref, poll_id)
        try:
            poll = find_poll(data, poll_id)
        except LookupError:
            error = PollNotFoundError(f"{what}: the server has no such poll here (it answered an empty list).", 200)
            error.poll_id = poll_id
            raise error from None
        except ValueError as exc:
            problem = str(exc)
        else:
            if isinstance(poll, dict):
                return poll
            problem = f"expected a poll object, got {type(poll).__name__}"
        raise UnexpectedResponseError(f"{self.host} sent JSON that is not a poll ({problem}).")

    async def create_poll(self, ref: ContentRef, poll: Poll | dict[str, Any]) -> Poll:
        from pollstui.api.models import Poll

        body = poll.to_api() if isinstance(poll, Poll) else dict(poll)
        body.pop("id", None)
        body.pop("results", None)
        data = await self._json("POST", ref, body=body)
        created = self._parse(lambda: Poll.from_api(data), "the created poll", write=True)
        if not created.id:
            error = UnexpectedResponseError("The server said the poll was created but returned no id.")
            error.write = error.maybe_done = True
            raise error
        return created

    async def update_poll(self, ref: ContentRef, poll: Poll | dict[str, Any]) -> Poll:
        from pollstui.api.models import Poll

        body = poll.to_api() if isinstance(poll, Poll) else dict(poll)
        body.pop("results", None)
        poll_id = body.get("id")
        if not poll_id:
            raise PollsError("This poll has no id, so it cannot be updated: create it instead.")
        response = await self._send("PUT", ref, poll_id=poll_id, body=body)
        request = self._request("PUT", ref, poll_id)
        if answers.is_plain_text(response):
            return await self._read_back(ref, poll_id, request, response.status_code)
        data = answers.decode(response, request)
        if isinstance(data, dict) and data.keys().isdisjoint(_POLL_FIELDS):  # {"ok": true}: done, no poll
            return await self._read_back(ref, poll_id, request, response.status_code)
        return _with_id(self._parse(lambda: Poll.from_api(data), "the updated poll", write=True), poll_id)

    async def _read_back(self, ref: ContentRef, poll_id: str, request: answers.Request, status: int) -> Poll:
        """The poll after a PUT answered "done" with no poll (empty or plain text): read it back."""
        try:
            return await self.get_poll(ref, poll_id)
        except PollsError as exc:
            failure = exc.happened.removeprefix(f"{describe('GET', ref, poll_id)}: ")  # the same poll: said once
        raise request.about(
            UnexpectedResponseError(
                f"{request.what}: {self.host} said it was saved ({status}) but sent no poll back, and reading "
                f"it back failed ({failure}). It was most likely saved."
            ),
            maybe_done=True,
        )

    async def delete_poll(self, ref: ContentRef, poll_id: str) -> None:
        """Delete the poll. Done when the server answers 2xx with anything but a web page: empty,
        JSON or plain text ("OK"), as the docs give only the status. A web page (a login or proxy
        page answering 200) is UnexpectedResponseError."""
        response = await self._send("DELETE", ref, poll_id=poll_id)
        answers.acknowledged(response, self._request("DELETE", ref, poll_id))

    # --- plumbing ---------------------------------------------------------------------------

    def url(self, ref: ContentRef, poll_id: str | None = None, *, expand_results: bool = False) -> str:
        """The URL a request for ``ref`` (and ``poll_id``) goes to, without the token: what the
        TUI's "copy curl" copies (curl adds the token from ``$POLLS_TOKEN``)."""
        return f"{self.endpoint}?{urlencode(ref.query(poll_id, results=expand_results))}"

    def _request(self, method: str, ref: ContentRef, poll_id: str | None) -> answers.Request:
        place = f"project {ref.workspace}" if ref.product == "jira" else f"space {ref.workspace}"
        return answers.Request(method, describe(method, ref, poll_id), self.host, place, poll_id)

    async def _json(self, method: str, ref: ContentRef, **kwargs: Any) -> Any:
        response = await self._send(method, ref, **kwargs)
        return answers.decode(response, self._request(method, ref, kwargs.get("poll_id")))

    async def _send(
        self,
        method: str,
        ref: ContentRef,
        *,
        poll_id: str | None = None,
        expand_results: bool = False,
        body: dict[str, Any] | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> answers.Answer:
        """The retry wrapper: attempts under one deadline, waits between them (GET only)."""
        params = {"token": self._token, **ref.query(poll_id, results=expand_results)}
        content = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        request = self._request(method, ref, poll_id)
        attempts = 1 + (self.retries if method == "GET" else 0)
        end = self._clock() + self.deadline
        waited_out = 0  # the last pause this request waited out (its own retry delay covers the one it set)
        for attempt in range(1, attempts + 1):
            waited_out = await self.pause.wait(waited_out, end, self._sleep)
            result = await self._attempt(request, params, content, headers, end - self._clock(), on_send)
            if isinstance(result, answers.Answer):
                return result
            failure = result
            retryable = isinstance(failure, (NetworkError, RequestTimeoutError)) or (
                isinstance(failure, APIError) and failure.status_code in RETRY_STATUSES
            )
            if attempt >= attempts or not retryable:
                raise failure
            asked = failure.retry_after if isinstance(failure, APIError) else None
            if isinstance(failure, APIError) and failure.status_code == 429:
                wait = max(asked, 0.0) if asked is not None else self.backoff * (2 ** (attempt - 1))
                waited_out = self.pause.hold(wait, failure)
            if asked is not None and asked > self.max_retry_after:
                raise failure.retold(
                    f"{failure.message} (The server asks to wait {_duration(asked)} before trying again.)",
                    maybe_done=failure.maybe_done,
                )
            delay = max(asked, 0.0) if asked is not None else self.backoff * (2 ** (attempt - 1))
            if delay >= end - self._clock():
                raise failure  # no time left to wait and try again
            reason = failure.happened
            log.info("%s; retry %d/%d in %.2fs", reason, attempt, self.retries, delay)
            if self.on_wait is not None:
                self.on_wait(delay, reason)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self, request: answers.Request, params: dict[str, str], content: bytes | None, headers: dict[str, str],
        budget: float, on_send: Callable[[], None] | None = None,
    ) -> answers.Answer | PollsError:  # fmt: skip
        """One request, read whole within ``budget`` seconds: the response (any status < 300), or our error."""
        error: PollsError | None = None
        try:
            exchange = self._exchange(request.method, params, content, headers, on_send)
            response = await asyncio.wait_for(exchange, max(budget, 0.001))
        except _TooLarge:
            error = answers.too_large(request, self.max_body)
        except asyncio.TimeoutError:
            error = answers.deadline_passed(request, self.deadline)
        except (httpx.HTTPError, OSError) as exc:
            error = answers.translate(request, exc)
        # Returned outside the except blocks above, so no httpx exception (whose text holds the
        # URL and with it the token) ends up in the error's __context__.
        if error is not None:
            return error
        if response.status_code < 300:
            return response
        return answers.status_error(request, response)

    async def _exchange(
        self, method: str, params: dict[str, str], content: bytes | None, headers: dict[str, str],
        on_send: Callable[[], None] | None = None,
    ) -> answers.Answer:  # fmt: skip
        """The answer, read whole (decoded), or _TooLarge as soon as it passes ``max_body``."""
        asked = self._http.build_request(method, self.endpoint, params=params, content=content, headers=headers)
        if on_send is not None:
            on_send()  # the request is httpx's from here
        response = await self._http.send(asked, stream=True)
        try:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > self.max_body:
                    raise _TooLarge
        finally:
            await response.aclose()
        return answers.Answer(response.status_code, response.headers, bytes(body))

    def _parse(self, build: Callable[[], Any], what: str, *, write: bool = False) -> Any:
        """``build()``, or UnexpectedResponseError naming ``what`` (``maybe_done`` for a write's answer)."""
        problem = None
        try:
            return build()
        except _validation_error() as exc:
            from pollstui.api.listing import describe_validation

            problem = describe_validation(exc)
        except TypeError as exc:
            problem = str(exc)
        except RecursionError:
            problem = "nested too deeply to read"
        error = UnexpectedResponseError(f"{self.host} sent JSON that is not {what} ({problem}).")
        error.write = error.maybe_done = write
        raise error


class _TooLarge(Exception):
    """An answer passed the client's ``max_body`` while it was read."""


#: The API's fields of a poll: a JSON object answering a PUT with none of them ({"ok": true},
#: {"id": …, "updated": true}) says "done" without the poll, which is then read back.
_POLL_FIELDS = frozenset({"title", "description", "options", "settings"})


def _with_id(poll: Poll, poll_id: str) -> Poll:
    """A poll answered for ``pollId`` carries that id, even when the server's JSON left it out."""
    if not poll.id:
        poll.id = poll_id
    return poll


def _validation_error() -> type[Exception]:
    from pydantic import ValidationError

    return ValidationError


def describe(method: str, ref: ContentRef, poll_id: str | None) -> str:
    """Words for a request, to begin its messages: "Loading polls on PLAT-1"."""
    verb = {"GET": "Loading", "POST": "Creating", "PUT": "Saving", "DELETE": "Deleting"}[method]
    target = f"poll {poll_id}" if poll_id else ("a poll" if method == "POST" else "polls")
    return f"{verb} {target} on {ref.label}"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"
