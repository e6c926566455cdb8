"""PollsClient: the typed async client for the Polls REST API.

One ``httpx.AsyncClient`` for the client's life (connections are reused), explicit timeouts,
and a transport seam: tests pass ``httpx.ASGITransport(app=reference_server)``.

Retries: GET is retried on transient failures (network errors, timeouts, 429, 502, 503, 504)
with exponential back-off, honouring ``Retry-After``. POST, PUT and DELETE are never retried:
a POST that reached the server but whose answer was lost must not create a second poll.

Every URL that could reach a message or a log is redacted (see :mod:`pollstui.api.errors`);
httpx's own log records pass through a redacting filter.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from pollstui.api.address import ContentRef, check_endpoint, endpoint_host, is_loopback_host
from pollstui.api.errors import (
    APIError,
    BadRequestError,
    NetworkError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    redact,
    register_secret,
)

if TYPE_CHECKING:
    from pollstui.api.listing import PollListing
    from pollstui.api.models import Poll

# pydantic and the models load on first use, not at import: `pollstui list --json` passes the
# server's JSON through and never needs them (tests/test_import_hygiene.py).

log = logging.getLogger("pollstui.api")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


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
    """

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff: float = 0.25,
        max_retry_after: float = 30.0,
        allow_insecure: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.endpoint = check_endpoint(endpoint, allow_insecure=allow_insecure)
        self._token = token
        register_secret(token)
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        # A plain-http loopback endpoint (the reference server) never speaks TLS and is never
        # reached through a proxy: skip loading the CA bundle (~20–40 ms of start-up) and the
        # proxy variables. Every other endpoint verifies certificates as usual.
        local = self.endpoint.startswith("http://") and is_loopback_host(urlsplit(self.endpoint).hostname or "")
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            headers={"Accept": "application/json", "User-Agent": "pollstui"},
            follow_redirects=False,
            verify=not local,
            trust_env=not local,
        )

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

    # --- the five operations -----------------------------------------------------------------

    async def list_polls(self, ref: ContentRef, results: bool = False) -> list[Poll]:
        """Every poll of ``ref``; UnexpectedResponseError when any one of them cannot be read.

        :meth:`poll_listing` is the lenient reading: one bad poll does not hide the others.
        """
        from pollstui.api.models import parse_poll_list

        data = await self._json("GET", ref, expand_results=results)
        return self._parse(lambda: parse_poll_list(data), "a list of polls")

    async def poll_listing(self, ref: ContentRef, results: bool = False) -> PollListing:
        """The polls of ``ref`` that can be read, and the items that cannot (see :mod:`pollstui.api.listing`).

        Raises UnexpectedResponseError only when the answer is not an array at all.
        """
        from pollstui.api.listing import parse_poll_listing

        data = await self._json("GET", ref, expand_results=results)
        return self._parse(lambda: parse_poll_listing(data), "a list of polls")

    async def list_polls_raw(self, ref: ContentRef, results: bool = False) -> bytes:
        """The server's JSON array exactly as sent (checked to be JSON, not parsed into models)."""
        response = await self._send("GET", ref, expand_results=results)
        self._decode(response)
        return response.content

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
        data = self._decode(response)
        poll = self._one_poll(data, ref, poll_id)
        if poll is data:
            return response.content
        return json.dumps(poll, ensure_ascii=False).encode("utf-8")

    def _one_poll(self, data: Any, ref: ContentRef, poll_id: str) -> dict[str, Any]:
        from pollstui.api.listing import find_poll

        what = _describe("GET", ref, poll_id)
        try:
            poll = find_poll(data, poll_id)
        except LookupError:
            raise PollNotFoundError(
                f"{what}: no such poll here (the server answered an empty list). "
                "It may have been deleted; refresh the list.",
                200,
            ) from None
        except ValueError as exc:
            problem = str(exc)
        else:
            if isinstance(poll, dict):
                return poll
            problem = f"expected a poll object, got {type(poll).__name__}"
        raise UnexpectedResponseError(
            f"{self.host} sent JSON that is not a poll ({problem}). The API may have changed; check for a newer pollstui."
        )

    async def create_poll(self, ref: ContentRef, poll: Poll | dict[str, Any]) -> Poll:
        from pollstui.api.models import Poll

        body = poll.to_api() if isinstance(poll, Poll) else dict(poll)
        body.pop("id", None)
        body.pop("results", None)
        data = await self._json("POST", ref, body=body)
        created = self._parse(lambda: Poll.from_api(data), "the created poll")
        if not created.id:
            raise UnexpectedResponseError(
                "The server said the poll was created but returned no id. "
                "Refresh the list to see whether it exists before trying again."
            )
        return created

    async def update_poll(self, ref: ContentRef, poll: Poll | dict[str, Any]) -> Poll:
        from pollstui.api.models import Poll

        body = poll.to_api() if isinstance(poll, Poll) else dict(poll)
        body.pop("results", None)
        poll_id = body.get("id")
        if not poll_id:
            raise PollsError("This poll has no id, so it cannot be updated: create it instead.")
        data = await self._json("PUT", ref, poll_id=poll_id, body=body)
        return _with_id(self._parse(lambda: Poll.from_api(data), "the updated poll"), poll_id)

    async def delete_poll(self, ref: ContentRef, poll_id: str) -> None:
        await self._send("DELETE", ref, poll_id=poll_id)

    # --- plumbing ---------------------------------------------------------------------------

    def _params(self, ref: ContentRef, poll_id: str | None, expand_results: bool) -> dict[str, str]:
        params = {"token": self._token, "type": "polls", **ref.query()}
        if poll_id is not None:
            params["pollId"] = poll_id
        if expand_results:
            params["expand"] = "results"
        return params

    async def _json(self, method: str, ref: ContentRef, **kwargs: Any) -> Any:
        response = await self._send(method, ref, **kwargs)
        return self._decode(response)

    async def _send(
        self,
        method: str,
        ref: ContentRef,
        *,
        poll_id: str | None = None,
        expand_results: bool = False,
        body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        params = self._params(ref, poll_id, expand_results)
        content = None
        headers = {}
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        what = _describe(method, ref, poll_id)
        attempts = 1 + (self.retries if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            failure: PollsError | None = None
            failure_sent = False
            try:
                response = await self._http.request(
                    method, self.endpoint, params=params, content=content, headers=headers
                )
                await response.aread()
            except httpx.DecodingError:
                failure = UnexpectedResponseError(
                    f"{what}: {self.host} sent a body that could not be decoded. "
                    "Try again; if it persists, the server or a proxy in between is misbehaving."
                )
            except httpx.TimeoutException as exc:
                failure_sent = _maybe_sent(method, exc)
                failure = RequestTimeoutError(
                    f"{what}: {self.host} did not answer in time. "
                    + (_MAYBE_DONE if _maybe_sent(method, exc) else "Check your connection or VPN, then try again.")
                )
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
                # The server was reached; the connection broke off before its whole answer came.
                failure_sent = _maybe_sent(method, exc)
                failure = NetworkError(
                    f"{what}: the connection to {self.host} broke off before the answer was complete. "
                    + (_MAYBE_DONE if _maybe_sent(method, exc) else "Check your network or VPN, then try again.")
                )
            except (httpx.TransportError, OSError) as exc:
                failure = NetworkError(
                    f"{what}: could not reach {self.host} ({_short(exc)}). "
                    "Check the endpoint URL and your network, then try again."
                )
            else:
                if response.status_code < 300:
                    return response
                if response.status_code < 400:
                    # Never followed (the token would go along), never taken for success (a
                    # DELETE answered by a login page's redirect deleted nothing).
                    failure = UnexpectedResponseError(
                        f"{what}: the server redirected the request elsewhere ({response.status_code}). "
                        "Check that the endpoint URL is the Polls API's, not a login or proxy page."
                    )
                else:
                    failure = _status_error(what, response, poll_id)
            if isinstance(failure, TransportError) and failure_sent:
                failure.maybe_done = True
            # Raised outside the except block above, so no httpx exception (whose text holds
            # the URL and with it the token) ends up in the error's __context__.
            retryable = isinstance(failure, (NetworkError, RequestTimeoutError)) or (
                isinstance(failure, APIError) and failure.status_code in RETRY_STATUSES
            )
            if attempt >= attempts or not retryable:
                raise failure
            delay = self._delay(attempt, getattr(failure, "retry_after", None))
            log.info("%s failed (%s); retry %d/%d in %.2fs", what, failure, attempt, self.retries, delay)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return self.backoff * (2 ** (attempt - 1))

    def _decode(self, response: httpx.Response) -> Any:
        content_type = response.headers.get("content-type", "")
        raw = response.content
        if not raw.strip():
            raise UnexpectedResponseError(
                f"{self.host} answered with an empty body where JSON was expected. "
                "Check that the endpoint URL is the Polls API's."
            )
        if "html" in content_type or raw.lstrip()[:1] == b"<":
            raise UnexpectedResponseError(
                f"{self.host} answered with a web page instead of JSON. "
                "Check that the endpoint URL is the Polls API's, not a login or proxy page."
            )
        try:
            return json.loads(raw)
        except ValueError:
            pass
        raise UnexpectedResponseError(
            f"{self.host} answered with broken JSON. Try again; if it persists, the server is misbehaving."
        )

    def _parse(self, build: Callable[[], Any], what: str) -> Any:
        problem = None
        try:
            return build()
        except _validation_error() as exc:
            locations = ", ".join(".".join(str(p) for p in err["loc"]) or "(top)" for err in exc.errors()[:3])
            problem = f"unexpected values at {locations}"
        except TypeError as exc:
            problem = str(exc)
        raise UnexpectedResponseError(
            f"{self.host} sent JSON that is not {what} ({problem}). "
            "The API may have changed; check for a newer pollstui."
        )


def _with_id(poll: Poll, poll_id: str) -> Poll:
    """A poll answered for ``pollId`` carries that id, even when the server's JSON left it out."""
    if not poll.id:
        poll.id = poll_id
    return poll


#: A write whose answer was lost may have been carried out: say so, or a retry creates a second poll.
_MAYBE_DONE = "The change may or may not have been made: refresh the list to check before trying again."


def _maybe_sent(method: str, exc: Exception) -> bool:
    """True for a write that failed after its request may have reached the server."""
    return method != "GET" and not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def _validation_error() -> type[Exception]:
    from pydantic import ValidationError

    return ValidationError


def _describe(method: str, ref: ContentRef, poll_id: str | None) -> str:
    verb = {"GET": "Loading", "POST": "Creating", "PUT": "Saving", "DELETE": "Deleting"}[method]
    target = f"poll {poll_id}" if poll_id else ("a poll" if method == "POST" else "polls")
    return f"{verb} {target} on {ref.label}"


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    text = redact(text)
    return text if len(text) <= 120 else text[:117] + "…"


def _server_message(response: httpx.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    if isinstance(data, dict):
        for key in ("message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                return text if len(text) <= 200 else text[:197] + "…"
    return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _status_error(what: str, response: httpx.Response, poll_id: str | None) -> APIError:
    status = response.status_code
    said = _server_message(response)
    detail = f" The server said: {said}" if said else ""
    if status == 400:
        return BadRequestError(
            f"{what}: the server refused the request as invalid (400).{detail} "
            "Check the workspace, content and container, and the poll's fields.",
            status, said,
        )
    if status in (401, 403):
        return NotPermittedError(
            f"{what}: the server refused the token ({status}). "
            "Check the token in your profile or URL (pollstui profile show), or ask for a new one.",
            status, said,
        )
    if status == 404 and poll_id is None:
        return PollNotFoundError(
            f"{what}: the server has no such endpoint (404). Check the endpoint URL in your profile.",
            status, said,
        )
    if status == 404:
        return PollNotFoundError(
            f"{what}: no such poll here (404). It may have been deleted; refresh the list.",
            status, said,
        )
    if status == 429:
        error = RateLimitedError(
            f"{what}: the server is rate limiting requests (429). Wait a moment, then try again.",
            status, said,
        )
        error.retry_after = _retry_after(response)  # type: ignore[attr-defined]
        return error
    if status >= 500:
        error = ServerError(
            f"{what}: the server failed ({status}).{detail} Try again in a moment; "
            "if it persists, tell the server's administrators.",
            status, said,
        )
        error.retry_after = _retry_after(response)  # type: ignore[attr-defined]
        return error
    return APIError(f"{what}: the server answered {status}.{detail} Check the endpoint URL.", status, said)
