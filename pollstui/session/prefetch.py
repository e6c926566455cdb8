"""The first request, sent at process start while the app is still starting.

``pollstui`` knows which content item it will open before it imports Textual (the flags, the
environment or the profile say), so :func:`start` sends that GET from a thread right away; the
main screen's first :meth:`Session.load <pollstui.session.session.Session.load>` of that item
then takes the answer (:meth:`Prefetch.claim`) instead of asking again. With a server far away
the wait for the network overlaps Textual's import and the screen's composition.

The answer is what the session's own call gives (``list_polls_body(ref, results=True)``): the
bytes and their decoded JSON, or the :class:`~pollstui.api.errors.PollsError` it raised, which the
load treats as its own. Quitting before it arrives cancels the request (:meth:`Prefetch.cancel`).

The request itself, when nothing about it needs more than the standard library: one plain
HTTP/1.1 GET on a socket (:func:`plain_get`; :mod:`http.client` would bring the ``email``
package), so httpx, which takes longer to import than the request takes on a near server,
stays off the path to the first frame. That is the case for
a direct connection (no proxy variable set, no user and password in the endpoint URL), with
https verified exactly as the client verifies it (the CA bundle httpx uses, or
``SSL_CERT_FILE``/``SSL_CERT_DIR``). Its answer is taken only when it is clean: 200, not
compressed, not a web page, JSON. Anything else (another status, a redirect, a network error,
a timeout of one socket operation) falls back to the client, which asks again with its retries,
its error messages and what is left of the deadline: the user sees exactly what the client says.
Nothing here logs; the URL with the token in it goes into no message.

Standard library only at import time: httpx loads in the thread, and only for the fallback.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile
    from pollstui.settings import Connection

log = logging.getLogger("pollstui.session")


def start_ref(connection: Connection | None, profile: Profile | None) -> ContentRef | None:
    """The content item the app opens first: the connection's own, else the profile's most recent
    one of the same product (what :meth:`Session.start_refs` opens)."""
    if connection is None:
        return None
    if connection.ref is not None:
        return connection.ref
    if profile is not None:
        for ref in profile.recents:
            if ref.product == connection.product:
                return ref
    return None


class Prefetch:
    """One GET of ``ref``'s polls (with results), in its own daemon thread: the plain GET, and when
    that is not enough, the client in an event loop of that thread."""

    def __init__(self, connection: Connection, ref: ContentRef) -> None:
        self.ref = ref
        self._connection = connection
        self._future: concurrent.futures.Future[tuple[bytes, Any]] = concurrent.futures.Future()
        self._claimed = False
        self._lock = threading.Lock()
        self._cancelled = False
        self._socket: Any = None  # the plain GET's socket while it is open
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[tuple[bytes, Any]] | None = None
        self._on_wait: Callable[[float, str], None] | None = None
        self._wait: tuple[float, str] | None = None  # the client's last wait: (when it ends, why)
        self._thread = threading.Thread(target=self._run, name="pollstui-prefetch", daemon=True)

    def _run(self) -> None:
        try:
            result = self._fetch()
        except asyncio.CancelledError:
            self._future.cancel()
        except BaseException as exc:  # the load that claims it raises it, as if it had asked itself
            self._settle(self._future.set_exception, exc)
        else:
            if self._cancelled or result is None:
                self._future.cancel()
            else:
                self._settle(self._future.set_result, result)

    def _settle(self, settle: Callable[[Any], None], value: Any) -> None:
        """``settle(value)``, unless the future was cancelled meanwhile: the load that claimed it
        was itself cancelled (a newer load took its place), so nobody waits for the answer."""
        try:
            settle(value)
        except concurrent.futures.InvalidStateError:
            pass

    def _fetch(self) -> tuple[bytes, Any] | None:
        from pollstui.settings import request_timeout

        deadline = request_timeout() or DEFAULT_DEADLINE
        start = time.monotonic()
        plain = plain_get(self._connection, self.ref, deadline, on_open=self._opened)
        if plain is not None or self._cancelled:
            return plain
        left = max(deadline - (time.monotonic() - start), 0.001)
        with self._lock:
            if self._cancelled:
                return None
            loop = self._loop = asyncio.new_event_loop()
            task = self._task = loop.create_task(self._client_get(left))
        try:
            return loop.run_until_complete(task)
        finally:
            loop.close()

    async def _client_get(self, deadline: float) -> tuple[bytes, Any]:
        async with self._connection.make_client(deadline=deadline, on_wait=self._waits) as client:
            return await client.list_polls_body(self.ref, results=True)

    def _waits(self, seconds: float, reason: str) -> None:
        """The client's ``on_wait`` (in this thread): kept, and told to whoever watches."""
        with self._lock:
            self._wait = (time.monotonic() + seconds, reason)
            tell = self._on_wait
        if tell is not None:
            try:
                tell(seconds, reason)
            except RuntimeError:  # the watcher's event loop has closed: nobody left to tell
                pass

    def watch_waits(self, on_wait: Callable[[float, str], None]) -> None:
        """Tell ``on_wait(seconds, why)`` before the client waits to try again (a Retry-After), as
        a session's own client does: of a wait under way now (what is left of it), and of later
        ones, from this prefetch's thread."""
        with self._lock:
            self._on_wait = on_wait
            wait = self._wait
        left = wait[0] - time.monotonic() if wait is not None else 0.0
        if wait is not None and left > 0:
            on_wait(left, wait[1])

    def _opened(self, sock: Any) -> None:
        with self._lock:
            self._socket = sock
            cancelled = self._cancelled
        if cancelled:
            _abort(sock)

    def answer(self, ref: ContentRef) -> tuple[bytes, Any] | None:
        """The answer for ``ref`` when it is in already and is one (not an error), without
        claiming it; else None."""
        future = self._future
        if self._claimed or ref != self.ref or not future.done() or future.cancelled() or future.exception() is not None:
            return None
        return future.result()

    def claim(self, ref: ContentRef) -> concurrent.futures.Future[tuple[bytes, Any]] | None:
        """The answer for ``ref``, once (a second load asks the server again), or None."""
        if self._claimed or ref != self.ref or self._future.cancelled():
            return None
        self._claimed = True
        return self._future

    def cancel(self) -> None:
        """Stop a request still in flight (the user quit before it was needed); idempotent.

        The plain GET's socket is shut (its blocked read ends at once); the client's request is
        cancelled in its loop. The thread is a daemon: a connect still under way never holds the
        exit."""
        self._claimed = True
        if self._future.done():
            return
        with self._lock:
            self._cancelled = True
            sock, loop, task = self._socket, self._loop, self._task
        if sock is not None:
            _abort(sock)
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:  # the loop has just finished
                pass
        self._thread.join(2)


def _abort(sock: Any) -> None:
    """End a plain GET from another thread: its blocked read fails at once."""
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


#: Seconds the client gives a call by default (pollstui.api.client.DEFAULT_DEADLINE; that module
#: imports httpx, so the number is repeated here and a test holds the two equal).
DEFAULT_DEADLINE = 60.0
#: Seconds one socket operation of the plain GET may take before the client takes over
#: (pollstui.api.client.CONNECT_TIMEOUT, likewise).
PLAIN_TIMEOUT = 10.0

#: Environment variables that send requests through a proxy (httpx reads them, any case):
#: with one set, the client makes the request.
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def plain_get(
    connection: Connection, ref: ContentRef, deadline: float, *, results: bool = True,
    on_open: Callable[[Any], None] | None = None,
) -> tuple[bytes, Any] | None:
    """The polls of ``ref`` (``results``: with their results) by one standard-library GET: the
    body and its JSON when the answer is clean, else None (the client asks again: see the module
    docstring). ``on_open(socket)`` is told the socket once it is connected."""
    from pollstui.api.address import check_endpoint, is_loopback_host
    from pollstui.api.errors import PollsError

    try:
        check_endpoint(connection.endpoint, allow_insecure=connection.allow_insecure)
    except PollsError:
        return None  # the client refuses it, in its own words
    parts = urlsplit(connection.endpoint)
    host = parts.hostname or ""
    local = parts.scheme == "http" and is_loopback_host(host)
    if parts.username is not None or parts.password is not None or not host.isascii():
        return None
    if not local and any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES):
        return None
    params = {"token": connection.token, "type": "polls", **ref.query(), **({"expand": "results"} if results else {})}
    target = (parts.path or "/") + "?" + urlencode(params, quote_via=quote)
    timeout = min(PLAIN_TIMEOUT, deadline)
    try:
        return _get(parts.scheme, host, parts.port, target, timeout, start=time.monotonic(), deadline=deadline,
                    on_open=on_open)  # fmt: skip
    except Exception:  # noqa: BLE001 - whatever it was, the client asks again and says what it finds
        return None


def _get(scheme: str, host: str, port: int | None, target: str, timeout: float, *, start: float,
         deadline: float, on_open: Callable[[Any], None] | None) -> tuple[bytes, Any] | None:  # fmt: skip
    """One HTTP/1.1 GET on a socket of its own (``Connection: close``). :mod:`http.client` would
    bring the ``email`` package (~10 ms, on the path to the first frame); the answer taken is the
    simple one, so the socket is enough, and whatever else comes back is None (the client asks)."""
    import socket

    default = 443 if scheme == "https" else 80
    port = port or default
    # The host is ASCII (plain_get checks it): as bytes, the lookup needs no IDNA codec.
    sock = socket.create_connection((host.encode("ascii"), port), timeout=timeout)
    try:
        if scheme == "https":  # the handshake after on_open: quitting cuts a handshake that hangs
            sock = _tls_context().wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        if on_open is not None:
            on_open(sock)
        if scheme == "https":
            sock.do_handshake()
        name = f"[{host}]" if ":" in host else host
        authority = name if port == default else f"{name}:{port}"
        sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\n"
            "Accept-Encoding: identity\r\nUser-Agent: pollstui\r\nConnection: close\r\n\r\n".encode("ascii")
        )
        body = _read_answer(_Reader(sock, start, deadline))
    except (ValueError, TimeoutError):
        return None
    finally:
        sock.close()
    if body is None or not body.strip() or body.lstrip()[:1] == b"<":
        return None
    try:
        return body, json.loads(body)
    except (ValueError, RecursionError):
        return None


class _Reader:
    """The bytes of an answer as they arrive; ValueError when the answer ends too soon or a part
    of it is longer than it may be, TimeoutError past the deadline."""

    def __init__(self, sock: Any, start: float, deadline: float) -> None:
        self._sock = sock
        self._start = start
        self._deadline = deadline
        self._buffer = bytearray()
        self._ended = False

    def _more(self) -> bool:
        if time.monotonic() - self._start > self._deadline:
            raise TimeoutError
        chunk = b"" if self._ended else self._sock.recv(65536)
        self._ended = not chunk
        self._buffer += chunk
        return bool(chunk)

    def line(self, mark: bytes = b"\r\n", *, limit: int = 1024) -> bytes:
        """The bytes up to ``mark`` (taken, not returned)."""
        while (at := self._buffer.find(mark)) < 0:
            if len(self._buffer) > limit or not self._more():
                raise ValueError("no end of line")
        data = bytes(self._buffer[:at])
        del self._buffer[: at + len(mark)]
        return data

    def exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._more():
                raise ValueError("the answer ended early")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def rest(self) -> bytes:
        while self._more():
            pass
        return bytes(self._buffer)


def _read_answer(reader: _Reader) -> bytes | None:
    """The body of a clean answer (200, not compressed, not a web page), else None."""
    status, *lines = reader.line(b"\r\n\r\n", limit=65536).split(b"\r\n")
    version, _, rest = status.partition(b" ")
    if not version.startswith(b"HTTP/1.") or rest.split(b" ", 1)[0] != b"200":
        return None
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = (part.strip().decode("latin-1") for part in line.partition(b":"))
        if not colon:
            return None
        key = name.lower()  # a header given twice is one, its values joined (a length twice: no number)
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    if headers.get("content-encoding", "identity").lower() != "identity" or "html" in headers.get("content-type", ""):
        return None
    if "transfer-encoding" in headers:
        return _chunked(reader) if headers["transfer-encoding"].lower() == "chunked" else None
    if "content-length" in headers:
        length = headers["content-length"]
        return reader.exactly(int(length)) if length.isdigit() and length.isascii() else None
    return reader.rest()


def _chunked(reader: _Reader) -> bytes:
    parts = []
    while size_line := reader.line().split(b";", 1)[0].strip():
        size = int(size_line, 16)  # ValueError when it is not a size
        if size == 0:
            return b"".join(parts)  # trailers, if any, are not read: the socket closes
        parts.append(reader.exactly(size))
        if reader.exactly(2) != b"\r\n":
            raise ValueError("a chunk longer than its size")
    raise ValueError("no chunk size")


def _tls_context() -> Any:
    """The context httpx's default client verifies with (certificates and host names checked)."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def start(connection: Connection | None, profile: Profile | None = None) -> Prefetch | None:
    """Send the first request now (None when there is nothing to open yet, e.g. the setup)."""
    ref = start_ref(connection, profile)
    if connection is None or ref is None:
        return None
    prefetch = Prefetch(connection, ref)
    prefetch._thread.start()
    return prefetch

