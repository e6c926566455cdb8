"""The first request, sent at process start while the app is still starting.

``pollstui`` knows which content item it will open before it imports Textual (the flags, the
environment or the profile say), so :func:`start` sends that GET from a thread right away; the
main screen's first :meth:`Session.load <pollstui.session.session.Session.load>` of that item
then takes the answer (:meth:`Prefetch.claim`) instead of asking again. With a server far away
the wait for the network overlaps Textual's import and the screen's composition.

The answer is what the session's own call gives (``list_polls_body(ref, results=True)``): the
bytes and their decoded JSON, or the :class:`~pollstui.api.errors.PollsError` it raised, which the
load treats as its own. Quitting before it arrives cancels the request (:meth:`Prefetch.cancel`).

The request itself (:func:`plain_get`) is made without httpx when nothing about it needs httpx,
so that httpx, which takes longer to import than the request takes on a near server, stays off
the path to the first frame. It is sent and read by h11, the HTTP/1.1 parser httpx reads every
answer with (through httpcore), driven as httpcore drives it: an answer is read exactly as the
client would read it, so the early GET never takes an answer the client would refuse. (The
standard library's :mod:`http.client` imports about as fast, but reads more leniently than h11:
chunk sizes such as ``0x10``, a ``Content-Length :`` line, control characters in headers; making
it agree would mean parsing HTTP here again.)

It is made when the connection is direct, as httpx would make it: no ``*_proxy`` variable in any
case (nor, on macOS and Windows, a system proxy), no user and password in the endpoint URL, a
path httpx sends as written (its request line is then the client's, byte for byte), https
verified against the certificates httpx uses (certifi's bundle, or ``SSL_CERT_FILE`` /
``SSL_CERT_DIR``). Its answer is taken only when it is clean: 200, not compressed, not a web
page, JSON, no larger than ``POLLSTUI_MAX_BODY``. Anything else (another status, a redirect, an
answer h11 refuses, a network error, no time left) falls back to the client, which asks again
with its retries, its error messages and what is left of the deadline: the user sees exactly what
the client says. The deadline covers the whole call (connecting, the handshake, every read), as
the client's does, however many addresses the host name has. Nothing here logs; the URL with
the token in it goes into no message.

Standard library and h11 only: httpx loads in the thread, and only for the fallback.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

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
#: Seconds connecting may take before the client takes over (pollstui.api.client.CONNECT_TIMEOUT, likewise).
PLAIN_TIMEOUT = 10.0
#: Bytes an answer may have, by default (pollstui.api.client.MAX_BODY, likewise).
MAX_BODY = 16 * 1024 * 1024
#: How httpcore, httpx's transport, drives h11: the longest status line and headers it takes,
#: and how much it asks the socket for at a time.
MAX_INCOMPLETE_EVENT_SIZE = 100 * 1024
READ_SIZE = 64 * 1024


def plain_get(
    connection: Connection, ref: ContentRef, deadline: float, *, results: bool = True,
    on_open: Callable[[Any], None] | None = None,
) -> tuple[bytes, Any] | None:
    """The polls of ``ref`` (``results``: with their results) by one GET without httpx: the body
    and its JSON when the answer is clean, else None (the client asks again: see the module
    docstring). ``on_open(socket)`` is told the socket once it is connected. ``deadline`` covers
    the whole call: connecting, the TLS handshake and every read."""
    from pollstui.api.address import check_endpoint, is_loopback_host
    from pollstui.api.errors import PollsError
    from pollstui.settings import max_body

    try:
        check_endpoint(connection.endpoint, allow_insecure=connection.allow_insecure)
        limit = max_body() or MAX_BODY
    except PollsError:
        return None  # the client refuses it, in its own words
    parts = urlsplit(connection.endpoint)
    host = parts.hostname or ""
    local = parts.scheme == "http" and is_loopback_host(host)  # the client reads no proxy for it either
    path = parts.path or "/"
    if parts.username is not None or parts.password is not None or not host.isascii() or (not local and _proxied()):
        return None
    if not _PATH_AS_IS.fullmatch(path) or {".", ".."} & set(path.split("/")):
        return None  # httpx would escape or shorten it: the client sends what it sends
    params = {"token": connection.token, "type": "polls", **ref.query(), **({"expand": "results"} if results else {})}
    target = path + "?" + urlencode(params)  # the query exactly as httpx encodes ``params``
    try:
        body = _get(parts.scheme, host, parts.port, target, time.monotonic() + deadline, limit, on_open)
    except Exception:  # noqa: BLE001 - whatever it was, the client asks again and says what it finds
        return None
    if body is None or not body.strip() or body.lstrip()[:1] == b"<":
        return None
    try:
        return body, json.loads(body)
    except (ValueError, RecursionError):
        return None


#: A path httpx sends as it is written: unreserved and sub-delimiter characters, ``:@/`` and
#: complete ``%XX`` escapes (it escapes the rest and removes dot segments).
_PATH_AS_IS = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*")


def _proxied() -> bool:
    """Whether httpx might send the request through a proxy: any ``*_proxy`` variable set, in any
    case (httpx reads ``urllib.request.getproxies()``, which takes every case and, on macOS and
    Windows, the system's settings too). ``NO_PROXY`` is the client's to apply."""
    if sys.platform == "darwin" or os.name == "nt":
        from urllib.request import getproxies

        return any(getproxies().get(scheme) for scheme in ("http", "https", "all"))
    return any(value and name.lower().endswith("_proxy") and name.lower() != "no_proxy" for name, value in os.environ.items())


def _get(scheme: str, host: str, port: int | None, target: str, end: float, limit: int,
         on_open: Callable[[Any], None] | None) -> bytes | None:  # fmt: skip
    """The body of a clean answer (200, not compressed, not a web page) to one GET, read by h11 as
    httpcore reads it, by ``end`` (a :func:`time.monotonic` time) and no longer than ``limit``
    bytes; else None. h11 raises for an answer it cannot read, TimeoutError past ``end``."""
    import socket

    import h11

    default = 443 if scheme == "https" else 80
    port = port or default
    sock = _connect(host, port, min(end, time.monotonic() + PLAIN_TIMEOUT))
    try:
        if scheme == "https":  # the handshake after on_open: quitting cuts a handshake that hangs
            sock = _tls_context().wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        if on_open is not None:
            on_open(sock)
        if scheme == "https":
            sock.settimeout(_left(end))
            sock.do_handshake()
        name = f"[{host}]" if ":" in host else host
        headers = [("Host", name if port == default else f"{name}:{port}"), ("Accept", "application/json"),
                   ("Accept-Encoding", "identity"), ("User-Agent", "pollstui")]  # fmt: skip
        http = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_INCOMPLETE_EVENT_SIZE)
        sock.settimeout(_left(end))
        sock.sendall(http.send(h11.Request(method="GET", target=target, headers=headers)) + http.send(h11.EndOfMessage()))
        body = bytearray()
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                sock.settimeout(_left(end))
                http.receive_data(sock.recv(READ_SIZE))
            elif isinstance(event, h11.Response):
                if event.status_code != 200 or any(
                    key == b"content-encoding" or (key == b"content-type" and b"html" in value) for key, value in event.headers
                ):
                    return None
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > limit:
                    return None
            elif isinstance(event, h11.EndOfMessage):
                return bytes(body)
            elif not isinstance(event, h11.InformationalResponse):
                return None
    finally:
        sock.close()


def _connect(host: str, port: int, end: float) -> Any:
    """A socket connected to one of ``host``'s addresses, each tried in turn (as
    :func:`socket.create_connection` tries them), all of them by ``end``: however many addresses
    the name has, connecting ends then. TimeoutError, or the last address's error."""
    import socket

    error: OSError = TimeoutError()
    # The host is ASCII (plain_get checks it): as bytes, the lookup needs no IDNA codec.
    for family, kind, proto, _, address in socket.getaddrinfo(host.encode("ascii"), port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(_left(end))
            sock.connect(address)
        except OSError as exc:  # TimeoutError included
            sock.close()
            error = exc
        else:
            return sock
    raise error


def _left(end: float) -> float:
    """Seconds until ``end``; TimeoutError once it has passed."""
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _tls_context() -> Any:
    """The context httpx's default client verifies with (certificates and host names checked),
    offering HTTP/1.1 as httpcore does."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context


def start(connection: Connection | None, profile: Profile | None = None) -> Prefetch | None:
    """Send the first request now (None when there is nothing to open yet, e.g. the setup)."""
    ref = start_ref(connection, profile)
    if connection is None or ref is None:
        return None
    prefetch = Prefetch(connection, ref)
    prefetch._thread.start()
    return prefetch

