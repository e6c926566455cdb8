"""One fault-injecting layer for the client, CLI and TUI tests: an HTTP proxy on loopback.

:class:`FaultProxy` listens on ``127.0.0.1`` (its own event loop, in a daemon thread) in front of
an upstream server, normally the reference server (``ref_server``). Everything passes through
until a test injects a fault::

    proxy.inject("503")                          # every request answered 503
    proxy.inject("429", methods={"GET"}, times=2)  # the next two GETs only, then pass through
    proxy.inject("refused")                      # the proxy stops listening: connection refused
    proxy.inject("424", contents={"PLAT-2"})     # only the requests for that content item
    proxy.delays["PLAT-3"] = 0.5                 # that item answers half a second late ("*": every item)
    proxy.clear()                                # pass everything through again

Because it is a real socket, the same proxy serves the in-process client, ``main([...])`` and
``python -m pollstui`` in a subprocess, and the TUI. It counts what reached it
(:meth:`FaultProxy.count`), so retries are visible from outside the client, and the requests it
is handling at once (``in_flight``, ``max_in_flight``).

The faults (:data:`FAULTS`) are the ones issue 5 lists, and issue 8's servers we did not write
(424, a login page answering 200, JSON nested too deeply); :data:`OTHER_FAULTS` are injected
one test at a time (an answer lost after the server acted, one bad poll in a list, an answer
dripped a byte at a time, results in other shapes). Answers that depend on the operation
(a wrong shape, a huge body) are built from the docs' Stars poll: an array for GET of a
content item, one poll for GET with ``pollId``, POST and PUT. Bodies of error pages echo the
request line, token included, as real proxies' error pages do: the client must redact it.

It speaks just enough HTTP/1.1 for httpx: one request per connection (``Content-Length``
bodies), answered with ``Connection: close``. tests/api/test_client_faults.py keeps its
``MockTransport`` cases (redirects, odd headers, undecodable bodies); this is the socket-level
layer the CLI subprocesses and the TUI share. The token checks reuse tests/api/conftest.py.
"""

from __future__ import annotations

import asyncio
import functools
import json
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pollstui.api.errors import (
    NetworkError,
    NotPollsAPIError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
    UnreadableAnswerError,
)
from tests.example import STARS_POLL

#: Every fault the proxy can inject (besides "pass").
FAULTS = (
    "slow",  # answers nothing for longer than any test's timeout
    "refused",  # not listening: connection refused
    "reset",  # 200 and part of the body, then a TCP reset
    "html-500",  # 500 with an HTML error page
    "502",  # 502 with an HTML page
    "503",  # 503 with a JSON error body quoting the token
    "429",  # 429 with Retry-After
    "broken-json",  # 200, JSON cut short
    "shape-object",  # 200, an object where a list belongs (a list where a poll belongs)
    "shape-no-id",  # 200, poll(s) without "id"
    "shape-order-str",  # 200, an option's "order" as a string
    "empty",  # 200, no body at all
    "huge",  # 200, 20 MB of valid JSON of the right shape
    "huge-broken",  # 200, 20 MB that never becomes JSON
    "424",  # Forge's answer when the app's function ran past 55 s
    "html-200",  # 200 with an SSO proxy's login page
    "deep",  # 200, JSON nested 100,000 deep
)

#: Statuses the API names, injectable too (for exit codes): "400", "403", "404".
STATUS_FAULTS = ("400", "403", "404")

#: A 400 whose message is written to drive a terminal (clipboard, window title, clear screen,
#: a bidi override): what the user sees of it must be inert (tests/test_hostile_text.py).
HOSTILE_MESSAGE = "bad \x1b]52;c;cHduZWQ=\x1b\\ \x1b]2;pwned\x07 \x1b[2J \x9b31m \u202eevil"

#: Servers we did not write (issue 8), injectable one by one, not part of the every-operation matrix.
OTHER_FAULTS = (
    "lost",  # forwarded to the server (which acts on it), then the answer is lost: a TCP reset
    "acted-424",  # forwarded to the server (which acts on it), then answered 424 (Forge's 55 s cap)
    "acted-text",  # forwarded to the server (which acts on it), then answered 200 "OK" as plain text
    "one-bad-poll",  # a list holding the Stars poll, one poll of the wrong shape and a non-object
    "drip",  # 200, then the body one byte every DRIP_SECONDS: no read ever times out
    "results-tally",  # the Stars poll whose results are a mapping from option id to count
    "results-entries",  # the Stars poll whose results are a list of {"id", "count"} entries
    "too-large",  # 200, valid JSON of the right shape, just over the client's 16 MiB limit (TOO_LARGE)
)

#: The votes of the "results-*" faults, per option id of the Stars poll (8 votes from 6 voters).
OTHER_RESULTS = {"1": 4, "2": 0, "3": 2, "4": 1, "5": 1}

#: Seconds between two bytes of a "drip" answer.
DRIP_SECONDS = 0.2

#: Size of the "huge" bodies: large, under the client's 16 MiB limit.
HUGE = 12 * 1024 * 1024
#: Size of the "too-large" bodies: over it.
TOO_LARGE = 16 * 1024 * 1024 + 1

#: Seconds a "slow" answer takes (the tests' timeouts are far shorter; stop() cancels it).
SLOW_SECONDS = 30.0


@dataclass
class Seen:
    """One request that reached the proxy."""

    method: str
    target: str
    fault: str  # "pass" or the fault it got

    @property
    def query(self) -> dict[str, str]:
        return _query(self.target)


def _query(target: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(target).query, keep_blank_values=True).items()}


@dataclass
class _Request:
    method: str
    target: str
    head: list[tuple[str, str]]
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        return _query(self.target)

    @property
    def wants_list(self) -> bool:
        return self.method == "GET" and not self.query.get("pollId")

    def upstream_bytes(self) -> bytes:
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in self.head if k.lower() not in ("connection", "keep-alive")]
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class _Injection:
    fault: str
    methods: frozenset[str] | None
    times: int | None
    contents: frozenset[str] | None = None

    def applies(self, method: str, content: str = "") -> bool:
        return (
            (self.methods is None or method in self.methods)
            and (self.contents is None or content in self.contents)
            and (self.times is None or self.times > 0)
        )


@dataclass
class FaultProxy:
    """The proxy. ``upstream`` is the base URL of the real server (``http://127.0.0.1:PORT``)."""

    upstream: str
    retry_after: str = "2"
    seen: list[Seen] = field(default_factory=list)
    #: The upstream's PollStore, when a fixture knows it (to check what reached the server).
    store: Any = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._injection = _Injection("pass", None, None)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task] = set()
        self.port = 0
        #: Seconds before a request for a content item (or "*": any) is handled: a slow item.
        self.delays: dict[str, float] = {}
        #: Requests being handled now, and the most there ever were at once.
        self.in_flight = 0
        self.max_in_flight = 0

    # --- what tests use ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        """How the client names this host in its messages."""
        return f"127.0.0.1:{self.port}"

    @property
    def jira_endpoint(self) -> str:
        return f"{self.base_url}/x1/jira"

    @property
    def confluence_endpoint(self) -> str:
        return f"{self.base_url}/x1/confluence"

    def inject(
        self, fault: str, *, methods: set[str] | None = None, times: int | None = None, contents: set[str] | None = None
    ) -> None:
        """Answer the matching requests with ``fault`` ("pass" for none); ``times`` of them, or all;
        only those for the content items in ``contents``, when given."""
        if fault not in (*FAULTS, *STATUS_FAULTS, *OTHER_FAULTS, "hostile", "pass"):
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._injection = _Injection(
                fault, frozenset(methods) if methods else None, times, frozenset(contents) if contents else None
            )
        self._call(self._set_listening(fault != "refused"))

    def clear(self) -> None:
        self.inject("pass")

    def count(self, method: str | None = None, *, fault: str | None = None) -> int:
        """How many requests reached the proxy (of ``method``; that got ``fault``)."""
        return sum(1 for s in self.seen if (method is None or s.method == method) and (fault is None or s.fault == fault))

    def reset_counts(self) -> None:
        self.seen.clear()

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        self._call(self._set_listening(True))
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, coro: Any) -> Any:
        assert self._loop is not None, "the proxy is not started"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _set_listening(self, on: bool) -> None:
        if on and self._server is None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)
            self.port = self._server.sockets[0].getsockname()[1]
        elif not on and self._server is not None:
            # Stop accepting; connections already open live on (as with a real listener that
            # goes away). No wait_closed(): since Python 3.12 it waits for those connections to
            # end, which a keep-alive client never does (3.11 returned at once).
            self._server.close()
            self._server = None

    async def _shutdown(self) -> None:
        await self._set_listening(False)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- serving -----------------------------------------------------------------------------

    def _pick(self, method: str, content: str = "") -> str:
        with self._lock:
            injection = self._injection
            if not injection.applies(method, content):
                return "pass"
            if injection.times is not None:
                injection.times -= 1
            return injection.fault

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        counted = False
        try:
            request = await _read_request(reader)
            if request is None:
                return
            content = request.query.get("content", "")
            fault = self._pick(request.method, content)
            self.seen.append(Seen(request.method, request.target, fault))
            self.in_flight += 1
            counted = True
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            delay = self.delays.get(content, self.delays.get("*"))
            if delay:
                await asyncio.sleep(delay)
            if fault == "pass":
                await self._forward(request, writer)
            elif fault == "lost":
                await self._forward(request, writer, answer=False)
                _reset(writer)
            elif fault.startswith("acted-"):  # the server did it; another answer comes back
                await self._forward(request, writer, answer=False)
                await _answer(fault, request, writer, self.retry_after)
            else:
                await _answer(fault, request, writer, self.retry_after)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:  # stop() ends a "slow" answer: quietly
            pass
        finally:
            if counted:
                self.in_flight -= 1
            self._tasks.discard(task)
            if not writer.transport.is_closing():
                writer.close()

    async def _forward(self, request: _Request, writer: asyncio.StreamWriter, *, answer: bool = True) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        try:
            up_writer.write(request.upstream_bytes())
            await up_writer.drain()
            data = await up_reader.read()
        finally:
            up_writer.close()
        if not answer:  # the server did it; the client never hears (or hears something else)
            return
        head, _, body = data.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        writer.write(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
        await writer.drain()


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = raw.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    head = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    length = next((int(v) for k, v in head if k.lower() == "content-length"), 0)
    body = await reader.readexactly(length) if length else b""
    return _Request(method, target, head, body)  # type: ignore[arg-type]


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()  # RST, not FIN


def _response(status: int, reason: str, body: bytes, content_type: str = "application/json", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _stars(**changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(STARS_POLL)), **changes}


def _shaped(request: _Request, poll: dict[str, Any]) -> Any:
    """``poll`` as the operation expects it: in an array for a list, alone otherwise."""
    if request.method == "DELETE":
        return {"id": request.query.get("pollId", ""), "deleted": True}
    return [poll] if request.wants_list else poll


def _page(title: str, request: _Request) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<p>while serving {request.method} {request.target}</p></body></html>"
    ).encode()


@functools.lru_cache(maxsize=4)
def _huge(kind: str, size: int = HUGE) -> bytes:
    """A ``size``-byte padded answer, built once per kind: "list", "poll", "delete" (valid JSON) or "broken"."""
    if kind == "broken":
        return _response(200, "OK", b'[{"id": "' + b"9" * size)
    if kind == "delete":
        value: Any = {"id": STARS_POLL["id"], "deleted": True, "padding": "x" * size}
    else:
        poll = _stars(description="x" * size)
        value = [poll] if kind == "list" else poll
    return _response(200, "OK", json.dumps(value).encode())


async def _answer(fault: str, request: _Request, writer: asyncio.StreamWriter, retry_after: str) -> None:
    token = request.query.get("token", "")
    if fault == "slow":
        await asyncio.sleep(SLOW_SECONDS)  # time is the subject: longer than any client waits
        return
    if fault == "drip":
        body = json.dumps(_shaped(request, _stars())).encode()
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        for byte in body:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(DRIP_SECONDS)  # time is the subject: a pace slower than the read timeout
        return
    if fault == "reset":
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        writer.write(head.encode() + b'[{"id": "' + STARS_POLL["id"].encode() + b'", "title": "')
        await writer.drain()
        await asyncio.sleep(0.02)  # let the client read what was sent before the reset
        _reset(writer)
        return
    if fault == "acted-424":
        body = {"message": "The function did not complete within the time limit."}
        data = _response(424, "Failed Dependency", json.dumps(body).encode())
    elif fault == "acted-text":
        data = _response(200, "OK", b"OK", "text/plain")
    elif fault == "html-500":
        data = _response(500, "Internal Server Error", _page("Internal Server Error", request), "text/html; charset=utf-8")
    elif fault == "502":
        data = _response(502, "Bad Gateway", _page("502 Bad Gateway", request), "text/html")
    elif fault == "503":
        body = {"error": "unavailable", "message": f"Overloaded while serving the token {token}; try later."}
        data = _response(503, "Service Unavailable", json.dumps(body).encode())
    elif fault == "429":
        body = {"error": "rate_limited", "message": "Too many requests."}
        data = _response(429, "Too Many Requests", json.dumps(body).encode(), Retry_After=retry_after)
    elif fault in STATUS_FAULTS:
        status = int(fault)
        messages = {400: "The query parameter 'content' is required.", 403: "The token is missing or not valid.",
                    404: "No poll with that id on this content item."}  # fmt: skip
        body = {"error": "injected", "message": f"{messages[status]} (token={token})"}
        data = _response(status, "Injected", json.dumps(body).encode())
    elif fault == "hostile":
        data = _response(400, "Bad Request", json.dumps({"message": HOSTILE_MESSAGE}).encode())
    elif fault == "broken-json":
        data = _response(200, "OK", json.dumps(_shaped(request, _stars())).encode()[:-20])
    elif fault == "shape-object":
        stars = _stars()
        wrong = {"polls": [stars]} if request.wants_list else [stars]
        data = _response(200, "OK", json.dumps(wrong).encode())
    elif fault == "shape-no-id":
        stars = _stars()
        del stars["id"]
        data = _response(200, "OK", json.dumps(_shaped(request, stars)).encode())
    elif fault == "shape-order-str":
        stars = _stars()
        stars["options"] = [{**o, "order": str(o["order"])} for o in stars["options"]]
        data = _response(200, "OK", json.dumps(_shaped(request, stars)).encode())
    elif fault == "empty":
        data = _response(200, "OK", b"")
    elif fault == "424":
        data = _response(424, "Failed Dependency", b"Function invocation timed out", "text/plain")
    elif fault == "html-200":
        data = _response(200, "OK", _page("Sign in to continue", request), "text/html; charset=utf-8")
    elif fault == "deep":
        data = _response(200, "OK", b"[" * 100_000 + b"]" * 100_000)
    elif fault in ("results-tally", "results-entries"):
        if fault == "results-tally":
            results: Any = {"tally": OTHER_RESULTS, "voters": 6}
        else:
            results = [{"id": key, "count": value} for key, value in OTHER_RESULTS.items()]
        data = _response(200, "OK", json.dumps(_shaped(request, _stars(results=results))).encode())
    elif fault == "one-bad-poll":
        bad = _stars(id="bad-poll-1", title="Bad")
        bad["options"] = [{**o, "order": str(o["order"])} for o in bad["options"]]
        value = [_stars(), bad, 42] if request.wants_list else _shaped(request, _stars())
        data = _response(200, "OK", json.dumps(value).encode())
    elif fault in ("huge", "too-large"):
        kind = "delete" if request.method == "DELETE" else ("list" if request.wants_list else "poll")
        data = _huge(kind, HUGE if fault == "huge" else TOO_LARGE)
    elif fault == "huge-broken":
        data = _huge("broken")
    else:  # pragma: no cover
        raise AssertionError(fault)
    writer.write(data)
    await writer.drain()


@pytest.fixture
def fault_proxy(ref_server) -> Iterator[FaultProxy]:
    """A FaultProxy in front of this test's own seeded reference server (everything passes until told)."""
    with FaultProxy(ref_server.base_url, store=ref_server.store) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def _module_proxy(tmp_path_factory) -> Iterator[FaultProxy]:
    from pollstui.server import PollStore, ServerThread, create_app, seed_demo_data
    from tests.conftest import TOKEN

    with PollStore(tmp_path_factory.mktemp("faults") / "server.sqlite3") as store:
        seed_demo_data(store)
        with ServerThread(create_app(store, TOKEN)) as server, FaultProxy(server.base_url, store=store) as proxy:
            yield proxy


@pytest.fixture
def shared_proxy(_module_proxy: FaultProxy) -> Iterator[FaultProxy]:
    """A FaultProxy in front of one seeded reference server per module, reset for each test.

    For the big matrices (a server per test would cost more than the tests): only for tests
    whose requests never change the server, so every test sees the same seeded polls.
    """
    proxy = _module_proxy
    proxy.clear()
    proxy.reset_counts()
    proxy.retry_after = "2"
    before = proxy.store.list_polls("jira", "PLAT", "PLAT-254604", "")
    yield proxy
    proxy.clear()
    assert proxy.store.list_polls("jira", "PLAT", "PLAT-254604", "") == before, "a shared_proxy test changed the server"


# --- what pollstui says under each fault --------------------------------------------------------

POLL_ID = STARS_POLL["id"]
ISSUE = "PLAT-254604"
OPERATIONS = ("list", "get", "create", "update", "delete")
METHOD = {"list": "GET", "get": "GET", "create": "POST", "update": "PUT", "delete": "DELETE"}
#: What was being done, and to which poll: every message names the operation and the content item
#: (and the poll, for one poll), e.g. "Saving poll p1 on PLAT-254604: ...".
DOING = {
    "list": ("load", ISSUE),
    "get": ("load", POLL_ID, ISSUE),
    "create": ("creat", ISSUE),
    "update": ("sav", POLL_ID, ISSUE),
    "delete": ("delet", POLL_ID, ISSUE),
}
#: Faults after which a GET is tried again (transient); everything else fails at once.
RETRIED = frozenset({"slow", "refused", "reset", "502", "503", "429"})
#: Said by every write whose outcome is unknown (the server may have acted before the fault).
MAYBE_DONE = "may or may not have been made"


@dataclass(frozen=True)
class Says:
    """What a user needs from the message of a fault, not its wording: the error's kind; ``facts``,
    its first sentence's (what was being done, to which poll, what happened); ``more`` facts (the
    server's own words, whether a write may have been done); then what to do (``advice``, after
    every fact); never the token, a traceback or a whole body. Matched case-insensitively."""

    error: type[PollsError] | None
    facts: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    more: tuple[str, ...] = ()

    def check(self, message: str) -> None:
        from tests.conftest import TOKEN

        text = " ".join(message.split()).lower()
        facts = (*self.facts, *self.more)
        for fact in facts:
            assert fact.lower() in text, f"{fact!r} missing from {message!r}"
        said = max((text.index(fact.lower()) for fact in facts), default=0)
        for advice in self.advice:
            assert advice.lower() in text[said:], f"{advice!r} missing from what {message!r} says to do"
        assert TOKEN not in message and "Traceback" not in message
        assert len(message) < 400, message  # never a body, however huge

    def then_found(self, found: tuple[str, ...], advice: tuple[str, ...]) -> Says:
        """The first sentence, then what the CLI found when it looked what became of a write."""
        return Says(self.error, (*self.facts, *found), advice)


def says(operation: str, fault: str, host: str) -> Says:
    """What pollstui must tell a user after ``operation`` under ``fault`` (``error`` None: it succeeds)."""
    doing, write = DOING[operation], operation in ("create", "update", "delete")
    unsure = (MAYBE_DONE,) if write else ()  # the write went out: it may have been carried out
    check_first = ("check", "before trying again") if write else ("try again",)  # a write that may be done is checked first
    parsed = {"list": "a list of polls", "get": "a poll", "create": "the created poll", "update": "the updated poll"}
    if fault == "slow":
        return Says(RequestTimeoutError, (*doing, host, "in time"), check_first, unsure)
    if fault == "refused":
        return Says(NetworkError, (*doing, host, "could not reach"), ("endpoint URL", "try again"))
    if fault == "reset":
        return Says(NetworkError, (*doing, host, "broke off"), check_first, unsure)
    if fault in ("html-500", "502", "503"):  # (issue 8's review: a write answered 5xx may have been done)
        server_said = ("Overloaded", "***") if fault == "503" else ()  # its words, the token masked
        advice = check_first if write else ("try again", "administrators")
        return Says(ServerError, (*doing, "failed", fault.removeprefix("html-")), advice, (*server_said, *unsure))
    if fault == "429":
        return Says(RateLimitedError, (*doing, "rate limit", "429"), ("wait", "try again"))
    if fault == "424":  # never "check the endpoint URL": the server is there, it ran out of time
        return Says(ServerError, (*doing, "too long", "424"), check_first if write else ("try again", "administrators"), unsure)
    if fault == "html-200":  # a login page is not a success, not even for DELETE
        return Says(NotPollsAPIError, (*doing, host, "web page"), ("endpoint URL",), unsure)
    if operation == "delete" or fault == "huge":
        return Says(None)  # DELETE: the docs give only "200"; any answer but a web page is done
    if fault == "deep":  # unreadable, never a crash
        return Says(UnreadableAnswerError, (*doing, host, "nested too deeply"), ("try again",), unsure)
    if fault in ("broken-json", "huge-broken"):  # not JSON: not a success
        return Says(UnreadableAnswerError, (*doing, host, "broken JSON"), ("try again",), unsure)
    if fault == "empty" and operation == "update":  # "done" without the poll: read back (empty too, here)
        return Says(UnexpectedResponseError, (*doing, host, "saved", "no poll back"), ("check", "before trying again"), ("most likely saved",))
    if fault == "empty":
        return Says(NotPollsAPIError, (*doing, host, "empty body"), ("endpoint URL",), unsure)
    if fault == "shape-object" and operation == "get":
        return Says(None)  # an array holding the poll: how the docs read a GET with pollId
    if operation == "list" and fault == "shape-order-str":
        return Says(None)  # one poll pollstui cannot read: an unreadable row, the rest shown
    if fault in ("shape-object", "shape-order-str"):  # (these name no operation or poll)
        where = ("options.0.order",) if fault == "shape-order-str" else ()
        return Says(UnexpectedResponseError, (host, f"not {parsed[operation]}", *where), ("newer pollstui",), unsure)
    if fault == "shape-no-id":
        if operation == "create":
            return Says(UnexpectedResponseError, ("created", "no id"), ("check", "before trying again"))
        return Says(None)  # degraded: shown without an id (list), or given the id it was asked for
    raise AssertionError((operation, fault))


#: The faults after which a write may have been done (it went out): pollstui looks what became of it.
MAYBE_DONE_FAULTS = frozenset({"slow", "reset", "424", "html-500", "502", "503", "html-200"})
#: What pollstui says once it looked (the proxy never passed these writes on): the facts it found,
#: then what to do. The CLI and the TUI look for a create each their own way (their tests say how).
FOUND = {
    "update": (("not saved", "unchanged"), ("try again",)),
    "delete": ((STARS_POLL["title"], f"still on {ISSUE}", "not deleted"), ("try again",)),
}


def looked(operation: str, fault: str, said: Says, found: dict = FOUND) -> Says:
    """What pollstui tells after looking what became of a write: the first sentence's facts, then
    what it found (a create that answered without an id is looked for too)."""
    faults = MAYBE_DONE_FAULTS | ({"shape-no-id"} if operation == "create" else set())
    if operation not in found or fault not in faults:
        return said
    return said.then_found(*found[operation])


# --- a server of raw answers ---------------------------------------------------------------------


@dataclass
class RawServer:
    """A loopback server that answers every request with the same bytes, as given: answers no
    framework sends (malformed framing, control characters in the head). ``requests`` holds the
    request heads it read, ``connections`` how many it accepted."""

    answer: bytes
    close: bool = True  # close after answering (else wait for the client to close)
    drip: float | None = None  # seconds between two bytes of the answer
    context: Any = None  # an ssl.SSLContext: speak TLS
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, name="raw-server", daemon=True).start()

    def url(self, path: str = "/x1/jira", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        import time

        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            conn.settimeout(30)
            request = b""
            while b"\r\n\r\n" not in request and (data := conn.recv(65536)):
                request += data
            head, _, body = request.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")), 0)
            while len(body) < length and (data := conn.recv(65536)):
                body += data  # the request's body, read before answering (as a server does)
            self.requests.append(head + b"\r\n\r\n")
            if self.drip is None:
                conn.sendall(self.answer)
            else:
                for byte in self.answer:
                    conn.sendall(bytes([byte]))
                    time.sleep(self.drip)  # time is the subject: a pace slower than any one read's timeout
            if not self.close:
                conn.recv(1)  # the client lets go once the answer's length says it has it all
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()


# --- checks shared by the fault tests ---------------------------------------------------------


def assert_token_free(exc: BaseException, token: str) -> None:
    """No text of ``exc`` or of its chain (str, repr, args, attributes, traceback) holds ``token``,
    and no httpx request or response hides anywhere in it (their URL carries the token)."""
    import httpx

    from tests.api.conftest import _chain, texts_of

    assert len(token) >= 8, "checking for a short token proves little"
    for text in texts_of(exc):
        assert token not in text, text
    for item in _chain(exc):
        assert not isinstance(item, httpx.HTTPError), repr(item)
        for value in vars(item).values():
            assert not isinstance(value, (httpx.Request, httpx.Response)), repr(value)


def assert_logs_token_free(records: list, token: str) -> None:
    """No log record, formatted or raw, holds ``token``."""
    for record in records:
        assert token not in record.getMessage(), (record.name, record.getMessage())
        assert token not in str(record.msg) and token not in repr(record.args), record.name
