"""What came back, as our result or our error: httpx's exceptions, error statuses and bodies.

:func:`translate` maps an httpx exception to a :class:`~pollstui.api.errors.PollsError` through one
table (:data:`TRANSLATIONS`, first match wins); :func:`status_error` does the same for an error
status; :func:`decode` turns a 2xx body into JSON or an UnexpectedResponseError. Every text is
built from redacted pieces and no httpx object is kept: the token travels in the URL.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from pollstui.api.errors import (
    AnswerTooLargeError,
    APIError,
    BadRequestError,
    CertificatesError,
    InvalidInputError,
    NetworkError,
    NotPermittedError,
    NotPollsAPIError,
    PollNotFoundError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TLSError,
    UnreadableAnswerError,
    redact,
)


@dataclass(frozen=True)
class Answer:
    """An answer read whole: its status, its headers and its body, decoded (as ``httpx.Response``
    names them, so one can stand in for the other)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


@dataclass(frozen=True)
class Request:
    """What a message needs to know about the request: its method, words for it, the host, the content item."""

    method: str
    what: str  # "Loading polls on PLAT-1"
    host: str
    place: str  # the project or space the content item is in, for a 403
    poll_id: str | None = None

    @property
    def write(self) -> bool:
        return self.method != "GET"

    def about(self, error: PollsError, *, maybe_done: bool = False) -> PollsError:
        """``error`` with this request's facts: a write?, which poll, ``maybe_done``."""
        error.write, error.poll_id, error.maybe_done = self.write, self.poll_id, maybe_done
        return error


def _timeout(request: Request, exc: Exception) -> PollsError:
    return RequestTimeoutError(f"{request.what}: {request.host} did not answer in time.")


def _broke_off(request: Request, exc: Exception) -> PollsError:
    # The server was reached; the connection broke off before its whole answer came.
    return NetworkError(f"{request.what}: the connection to {request.host} broke off before the answer was complete.")


def _undecodable(request: Request, exc: Exception) -> PollsError:
    return UnreadableAnswerError(f"{request.what}: {request.host} sent a body that could not be decoded.")


def _unreachable(request: Request, exc: Exception) -> PollsError:
    failure = _tls_failure(exc)
    if failure is not None:
        return TLSError(f"{request.what}: the secure connection to {request.host} failed ({failure}).")
    return NetworkError(f"{request.what}: could not reach {request.host} ({short_text(exc)}).")


def _tls_failure(exc: BaseException) -> str | None:
    """What failed in a TLS handshake, in OpenSSL's words, when one is behind ``exc``; else None."""
    import ssl

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return getattr(seen, "verify_message", None) or seen.reason or short_text(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def certificates_unusable(exc: OSError) -> CertificatesError:
    """The certificates httpx verifies servers with could not be loaded: from ``SSL_CERT_FILE``
    or ``SSL_CERT_DIR`` when set (httpx reads them, in that order), else certifi's bundle."""
    import os

    setting = next((name for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(name)), "")
    path = os.environ[setting] if setting else str(getattr(exc, "filename", None) or "")
    where = f"{setting}={path!r}" if setting else f"certifi's bundle {path!r}"
    problem = "there is no such file" if isinstance(exc, FileNotFoundError) else f"it holds no certificates ({short_text(exc)})"
    return CertificatesError(f"Cannot load the certificates to verify servers with from {where}: {problem}.", setting, path)


def proxy_unusable(exc: Exception) -> InvalidInputError:
    """httpx could not set up the proxy a ``*_proxy`` environment variable names (any case, as
    httpx reads them): a SOCKS proxy without httpx's socks extra, a scheme it has no transport
    for, or no URL at all. The variables set are named; a password in them is not shown."""
    import os

    names = ", ".join(f"{name}={redact(value)!r}" for name, value in sorted(os.environ.items())
                      if value and name.lower() in ("http_proxy", "https_proxy", "all_proxy"))  # fmt: skip
    if isinstance(exc, ImportError):
        problem = "a SOCKS proxy needs httpx's socks support: pip install 'httpx[socks]'"
    elif isinstance(exc, httpx.InvalidURL):
        problem = f"it is not a proxy URL ({short_text(exc)})"
    else:
        problem = "httpx reaches a proxy by http://, https:// or socks5:// only"
    return InvalidInputError(
        f"Cannot use the proxy named by {names or 'the environment'}: {problem}. Fix or unset it."
    )


#: httpx exception (or OSError) → our error; the first entry whose class matches is used.
TRANSLATIONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], Callable[[Request, Exception], PollsError]], ...] = (
    (httpx.DecodingError, _undecodable),
    (httpx.TimeoutException, _timeout),
    ((httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError), _broke_off),
    ((httpx.TransportError, OSError), _unreachable),
)


def translate(request: Request, exc: Exception) -> PollsError:
    """Our error for an exception raised while sending ``request`` (``maybe_done`` set for a write
    that may have reached the server). Anything not in :data:`TRANSLATIONS` is re-raised: a bug."""
    for kinds, build in TRANSLATIONS:
        if isinstance(exc, kinds):
            error = build(request, exc)
            return request.about(error, maybe_done=isinstance(error, (RequestTimeoutError, NetworkError)) and maybe_sent(request, exc))
    raise exc


def deadline_passed(request: Request, seconds: float) -> PollsError:
    """The whole request took longer than the client's deadline (a server dripping its answer)."""
    return request.about(RequestTimeoutError(f"{request.what}: {request.host} did not answer in time."), maybe_done=request.write)


def too_large(request: Request, limit: int) -> AnswerTooLargeError:
    """An answer that passed ``limit`` bytes while it was read (``maybe_done`` for a write: the
    server answered, so the request reached it)."""
    error = AnswerTooLargeError(f"{request.what}: the server's answer is larger than {size(limit)}; reading stopped there.", limit)
    request.about(error, maybe_done=request.write)
    return error


def size(count: int) -> str:
    """A number of bytes in words: "16 MiB", "512 KiB", "1000 bytes"."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def maybe_sent(request: Request, exc: Exception) -> bool:
    """True for a write that failed after its request may have reached the server."""
    return request.write and not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def short_text(exc: BaseException) -> str:
    text = redact(str(exc) or type(exc).__name__)
    return text if len(text) <= 120 else text[:117] + "…"


# --- statuses ---------------------------------------------------------------------------------


def status_error(request: Request, response: Answer) -> PollsError:
    """Our error for a status that is not 2xx (``maybe_done`` for a write answered 424 or 5xx)."""
    status = response.status_code
    error = _status_error(request, status, _server_message(response))
    if isinstance(error, (RateLimitedError, ServerError)):
        error.retry_after = retry_after(response)
    return request.about(error, maybe_done=isinstance(error, ServerError) and request.write)


def _status_error(request: Request, status: int, said: str | None) -> PollsError:
    detail = f" The server said: {said}" if said else ""
    what = request.what
    if status < 400:
        # Never followed (the token would go along), never taken for success (a DELETE
        # answered by a login page's redirect deleted nothing).
        return NotPollsAPIError(f"{what}: the server redirected the request elsewhere ({status}).")
    if status in (400, 413):
        if status == 413:
            reason = "refused the poll as too large (413)"
        elif request.write:
            reason = "refused the poll as invalid (400)"
        else:
            reason = "refused the request as invalid (400)"
        return BadRequestError(f"{what}: the server {reason}.{detail}", status, said)
    if status in (401, 403):
        return NotPermittedError(
            f"{what}: the server refused the token ({status}). It may be wrong or expired, or not cover "
            f"{request.place} (an admin chooses the projects and spaces a token covers).",
            status, said,
        )  # fmt: skip
    if status == 404:
        found = "has no such endpoint" if request.poll_id is None else "has no such poll here"
        return PollNotFoundError(f"{what}: the server {found} (404).", status, said)
    if status == 429:
        return RateLimitedError(f"{what}: the server is rate limiting requests (429).", status, said)
    if status == 424 or status >= 500:
        # 424: Forge's answer when the app's function ran past its time limit (55 s); 5xx: the
        # function failed, or a gateway did. Either may come after a write was carried out.
        happened = "took too long to answer (424)." if status == 424 else f"failed ({status}).{detail}"
        return ServerError(f"{what}: the server {happened}", status, said)
    if status == 405:
        return APIError(f"{what}: this address does not take {request.method} requests (405).", status, said)
    return APIError(f"{what}: the server answered {status}.{detail}", status, said)


def _server_message(response: Answer) -> str | None:
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict):
        for key in ("message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                return text if len(text) <= 200 else text[:197] + "…"
    return None


def retry_after(response: Answer) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date); without it ``X-RateLimit-Reset`` (see
    :func:`rate_limit_reset`); None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if not value:
        return rate_limit_reset(response.headers.get("x-ratelimit-reset"))
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


#: An ``X-RateLimit-Reset`` above this is a moment (Unix seconds), not a number of seconds to wait.
_EPOCH_THRESHOLD = 1e9


def rate_limit_reset(value: str | None, now: float | None = None) -> float | None:
    """``X-RateLimit-Reset`` (a gateway's 429 may send only that) as seconds to wait: gateways give
    it as seconds from now, as a moment in Unix seconds (or milliseconds), or as an ISO 8601 or
    HTTP date. None when absent or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    now = time.time() if now is None else now
    try:
        number = float(text)
    except ValueError:
        from pollstui.dates import parse_end_date

        try:
            when = email.utils.parsedate_to_datetime(text).timestamp()
        except (TypeError, ValueError, IndexError):
            moment = parse_end_date(text)
            if moment is None:
                return None
            when = moment.timestamp()
        return max(0.0, when - now)
    if not math.isfinite(number):
        return None
    if number > _EPOCH_THRESHOLD * 1000:
        number /= 1000  # milliseconds
    return max(0.0, number - now) if number > _EPOCH_THRESHOLD else max(0.0, number)


# --- bodies -----------------------------------------------------------------------------------

def is_page(response: Answer) -> bool:
    """Whether a body is a web page (a login or proxy page answering 200), by its type or its first character."""
    return "html" in response.headers.get("content-type", "") or response.content.lstrip()[:1] == b"<"


def is_plain_text(response: Answer) -> bool:
    """An empty body, or text that is neither JSON nor a web page ("OK", "Deleted."): how a server
    says "done" to a write when the docs give only the status."""
    raw = response.content
    if not raw.strip():
        return True
    if is_page(response) or "json" in response.headers.get("content-type", ""):
        return False
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return True
    return False


def acknowledged(response: Answer, request: Request) -> None:
    """A 2xx answer to a write the docs answer with a bare ``200`` (DELETE): done, whatever the
    body (empty, JSON, plain text), unless it is a web page: a login or proxy page answering 200
    never passed the request on, so that is an UnexpectedResponseError."""
    if is_page(response):
        decode(response, request)  # raises, with the words every write uses


def decode(response: Answer, request: Request) -> Any:
    """The JSON of a 2xx answer; raises UnexpectedResponseError for anything else (a web page,
    an empty body, broken JSON). For a write, the error says it may have been done
    (``maybe_done``): the server answered, so the request reached something."""
    raw = response.content
    host = request.host
    if not raw.strip():
        raise request.about(
            NotPollsAPIError(f"{request.what}: {host} answered with an empty body where JSON was expected."),
            maybe_done=request.write,
        )
    if is_page(response):
        raise request.about(
            NotPollsAPIError(f"{request.what}: {host} answered with a web page instead of JSON."), maybe_done=request.write
        )
    try:
        return json.loads(raw)
    except RecursionError:
        problem = "JSON nested too deeply to read"
    except ValueError:
        problem = "broken JSON"
    # Raised here, not inside the except block: the decoder's error is no part of ours.
    raise request.about(UnreadableAnswerError(f"{request.what}: {host} answered with {problem}."), maybe_done=request.write)
