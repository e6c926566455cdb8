"""The first request, sent at process start while the app is still starting.

``pollstui`` knows which content item it will open before it imports Textual, so :func:`start`
sends that GET from a thread at once and the main screen's first :meth:`Session.load
<pollstui.session.session.Session.load>` of that item takes the answer (:meth:`Prefetch.claim`):
the wait for a far server overlaps Textual's import. The answer is what the session's own
``list_polls_body(ref, results=True)`` gives (bytes and JSON, or the
:class:`~pollstui.api.errors.PollsError` it raised). Quitting first cancels it (:meth:`Prefetch.cancel`).

:func:`plain_get` makes the request with the standard library's :mod:`http.client`, because
importing httpx beside Textual takes longer than a request to a near server. It goes only where
httpx would connect directly and send the same bytes: no ``*_proxy`` variable in any case (nor, on
macOS and Windows, a system proxy), no user and password in the endpoint, a path httpx sends as
written; https verified against httpx's certificates (certifi, or ``SSL_CERT_FILE`` /
``SSL_CERT_DIR``); no redirects; an address that connects within :data:`HAPPY_EYEBALLS_DELAY`.
It runs in a daemon thread, waited for no longer than the one deadline of the whole call (the
lookup, the connect, the handshake, every read). http.client reads more leniently than httpx's
h11, so an answer is taken only when plainly clean (:func:`_clean`); anything else (another status, anything unusual, a
network error, no time left) goes to the client, which asks again with its retries, its messages
and what is left of the deadline (:func:`first_get`). Nothing here logs: the URL holds the token.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode, urlsplit

from pollstui.api import DEFAULT_DEADLINE, MAX_BODY
from pollstui.session.threads import DaemonThreads

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile
    from pollstui.settings import Connection

R = TypeVar("R")


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
        self._stop: concurrent.futures.Future[None] = concurrent.futures.Future()  # set: the plain GET ends
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[tuple[bytes, Any]] | None = None
        self._on_wait: Callable[[float, str], None] | None = None
        self._wait: tuple[float, str] | None = None  # the client's last wait: (when it ends, why)
        self._thread = threading.Thread(target=self._run, name="pollstui-prefetch", daemon=True)

    def _run(self) -> None:
        # A future cancelled meanwhile takes no answer: the load that claimed it was itself
        # cancelled (a newer load took its place), so nobody waits for it.
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            try:
                result = first_get(self._connection, self.ref, self._client_get, stop=self._stop)
            except asyncio.CancelledError:
                self._future.cancel()
            except BaseException as exc:  # the load that claims it raises it, as if it had asked itself
                self._future.set_exception(exc)
            else:
                if self._cancelled or result is None:
                    self._future.cancel()
                else:
                    self._future.set_result(result)

    def _client_get(self, deadline: float) -> tuple[bytes, Any] | None:
        """The client's GET, in an event loop of this thread that :meth:`cancel` can stop."""
        with self._lock:
            if self._cancelled:
                return None
            loop = self._loop = asyncio.new_event_loop()
            loop.set_default_executor(DaemonThreads())  # a name lookup that hangs holds no exit
            task = self._task = loop.create_task(self._ask(deadline))
        try:
            return loop.run_until_complete(task)
        finally:
            loop.close()

    async def _ask(self, deadline: float) -> tuple[bytes, Any]:
        async with self._connection.make_client(deadline=deadline, on_wait=self._waits) as client:
            return await client.list_polls_body(self.ref, results=True)

    def _waits(self, seconds: float, reason: str) -> None:
        """The client's ``on_wait`` (in this thread): kept, and told to whoever watches."""
        with self._lock:
            self._wait = (time.monotonic() + seconds, reason)
            tell = self._on_wait
        if tell is not None:
            with contextlib.suppress(RuntimeError):  # the watcher's event loop has closed: nobody left to tell
                tell(seconds, reason)

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

        The plain GET is stopped (:func:`plain_get`); the client's request is cancelled in its
        loop; either ends at once, and the thread with it."""
        self._claimed = True
        if self._future.done():
            return
        with self._lock:
            self._cancelled = True
            loop, task = self._loop, self._task
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            self._stop.set_result(None)
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                loop.call_soon_threadsafe(task.cancel)
        self._thread.join(2)


#: Bytes of status line and headers the client always takes (h11's limit as httpcore sets it).
MAX_HEAD = 100 * 1024


def first_get(
    connection: Connection, ref: ContentRef, then: Callable[[float], R], *, results: bool = True, plain: bool = True,
    stop: concurrent.futures.Future[None] | None = None,
) -> tuple[bytes, Any] | R:
    """``ref``'s polls by :func:`plain_get` (unless not ``plain``) when it takes the answer, else
    ``then(seconds left)``: one deadline (``POLLSTUI_TIMEOUT``, else the client's) covers both."""
    from pollstui.settings import request_timeout

    deadline = request_timeout() or DEFAULT_DEADLINE
    end = time.monotonic() + deadline
    got = plain_get(connection, ref, deadline, results=results, stop=stop) if plain else None
    return got if got is not None else then(max(end - time.monotonic(), 0.001))


def plain_get(
    connection: Connection, ref: ContentRef, deadline: float, *, results: bool = True,
    stop: concurrent.futures.Future[None] | None = None,
) -> tuple[bytes, Any] | None:
    """The polls of ``ref`` (``results``: with their results) by one GET without httpx: the body
    and its JSON when the answer is plainly clean, else None. ``deadline`` covers the whole call;
    setting ``stop`` ends it at once."""
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
    target = path + "?" + urlencode({"token": connection.token, **ref.query(results=results)})  # as httpx encodes it
    try:
        body = _get(parts.scheme, host, parts.port, target, time.monotonic() + deadline, limit, stop)
        return (body, json.loads(body)) if body is not None and body.strip() and body.lstrip()[:1] != b"<" else None
    except Exception:  # noqa: BLE001 - whatever it was (broken JSON too), the client asks again and says what it finds
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
         stop: concurrent.futures.Future[None] | None) -> bytes | None:  # fmt: skip
    """The body of a plainly clean answer to one GET (:func:`_clean`, no larger than ``limit``),
    made by :mod:`http.client` (connect, handshake, request, answer) in a daemon thread of its
    own; else None.

    The call is waited for until ``end`` (a :func:`time.monotonic` time) or until ``stop`` is
    set, whichever comes first; then its socket is shut, so a handshake or read still under way
    ends at once (a lookup or connect ends by itself, and the thread with it, sending nothing).
    Each address has :data:`HAPPY_EYEBALLS_DELAY` to connect; the handshake and the rest have
    what is left of the deadline."""
    import http.client

    left = _left(end)
    if stop is not None and stop.done():
        return None
    over, lock = threading.Event(), threading.Lock()
    opened: list[Any] = []  # the socket, once connected

    def hold(sock: Any) -> None:
        """Keep ``sock`` to shut at the end and give it the rest of the deadline; fail when
        nobody waits for the answer any more (then nothing is asked)."""
        with lock:
            if over.is_set():
                raise TimeoutError
            opened.append(sock)
        sock.settimeout(_left(end))

    connecting = min(left, HAPPY_EYEBALLS_DELAY)
    if scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(host, port, timeout=connecting, context=_tls_context(hold))
    else:
        conn = http.client.HTTPConnection(host, port, timeout=connecting)
    conn.response_class = _HeadKept

    def ask() -> bytes | None:
        try:
            conn.connect()
            hold(conn.sock)
            conn.request("GET", target, headers={"Accept": "application/json", "User-Agent": "pollstui"})
            with conn.getresponse() as answer:  # closed: the socket with it
                return answer.read() if _clean(answer) and answer.length <= limit else None
        finally:
            conn.close()

    call = DaemonThreads().submit(ask)
    try:
        concurrent.futures.wait([call] if stop is None else [call, stop], left, concurrent.futures.FIRST_COMPLETED)
        return call.result(0) if call.done() else None
    finally:
        with lock:
            over.set()
        for sock in opened:  # what is under way fails at once
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


#: Seconds an address has to connect: anyio (httpx's async backend) gives it as long before it
#: tries the next address beside it. A slower connect is left to the client, which waits for it.
HAPPY_EYEBALLS_DELAY = 0.25


def _HeadKept(sock: Any, **kwargs: Any) -> Any:  # noqa: N802 - http.client calls it as a class
    """http.client's reader of an answer (an ``HTTPConnection.response_class``) that keeps, in its
    ``head``, the lines it reads before the body as they came: the status line and the headers."""
    import http.client

    answer = http.client.HTTPResponse(sock, **kwargs)
    answer.fp = answer.head = _Lines(answer.fp)
    return answer


class _Lines:
    """A reader that keeps the lines read from it (up to a little over :data:`MAX_HEAD` bytes) in
    ``kept``; every other read passes through."""

    def __init__(self, fp: Any) -> None:
        self.fp, self.kept = fp, bytearray()

    def readline(self, limit: int = -1) -> bytes:
        line = self.fp.readline(limit)
        if len(self.kept) <= MAX_HEAD:
            self.kept += line
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fp, name)


def _clean(answer: Any) -> bool:
    """Whether ``answer`` is plainly clean, and so read by http.client as httpx reads it with h11:
    its head within :data:`MAX_HEAD`, its first line h11's ``HTTP/1.x 200``, every header line read
    whole (none set aside, none folded), named by a token, free of control characters; one
    Content-Length of digits; one JSON Content-Type; no Transfer-Encoding, no Content-Encoding."""
    head, headers = bytes(answer.head.kept), answer.msg
    lengths = headers.get_all("Content-Length") or []
    types = headers.get_all("Content-Type") or []
    return (
        len(head) <= MAX_HEAD and _STATUS_200.fullmatch(head.split(b"\n", 1)[0]) is not None
        and b"\r" not in head.replace(b"\r\n", b"")  # a lone CR ends a line for http.client, not for h11
        and not headers.defects and not headers.get_payload() and headers.get_unixfrom() is None
        and all(_TOKEN.fullmatch(name) and not _CONTROL.search(value) for name, value in headers.raw_items())
        and len(lengths) == 1 and lengths[0].isascii() and lengths[0].isdigit()
        and len(types) == 1 and "json" in types[0] and "html" not in types[0]
        and not headers.get_all("Transfer-Encoding") and not headers.get_all("Content-Encoding")
    )  # fmt: skip


#: What h11 reads as a status line of 200 (its reason phrase: spaces, tabs, visible and obs-text).
_STATUS_200 = re.compile(rb"HTTP/1\.[01] 200(?: [\t\x20-\x7e\x80-\xff]*)?\r?")
#: An RFC 9110 token, what a header's name must be; a character no header value may hold.
_TOKEN = re.compile(r"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _left(end: float) -> float:
    """Seconds until ``end``; TimeoutError once it has passed."""
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _tls_context(on_handshake: Callable[[Any], None]) -> Any:
    """The context httpx's default client verifies with (certificates and host names checked),
    offering HTTP/1.1 as httpcore does. Its sockets tell ``on_handshake`` of themselves before
    their handshake (``SSLContext.sslsocket_class``), so a handshake that hangs can be shut."""
    import ssl

    class Told(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            on_handshake(self)
            super().do_handshake(block)

    cafile, capath = os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None
    if cafile is None and capath is None:
        import certifi

        cafile = certifi.where()
    context = ssl.create_default_context(cafile=cafile, capath=None if cafile else capath)
    context.set_alpn_protocols(["http/1.1"])
    context.sslsocket_class = Told
    return context


def start(connection: Connection | None, profile: Profile | None = None) -> Prefetch | None:
    """Send the first request now (None when there is nothing to open yet, e.g. the setup)."""
    ref = start_ref(connection, profile)
    if connection is None or ref is None:
        return None
    prefetch = Prefetch(connection, ref)
    prefetch._thread.start()
    return prefetch

