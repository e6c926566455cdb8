"""The first request, sent at process start (pollstui.session.prefetch), against the real server."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import subprocess
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.errors import NotPermittedError, PollsError
from pollstui.profiles import Profile
from pollstui.session.listing import Source
from pollstui.session.session import Session
from pollstui.session import prefetch as prefetching
from pollstui.session.cache import PollsCache
from pollstui.settings import Connection
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import FaultProxy, RawServer, fault_proxy  # noqa: F401 (a fixture)

STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
OTHER = ContentRef.create("jira", "PLAT", "PLAT-254611")


def no_client(connection):  # noqa: ANN001, ANN201
    raise AssertionError("the session asked the server itself instead of taking the prefetched answer")


def test_the_app_opens_the_connections_item_else_the_profiles_latest_of_its_product():
    confluence = ContentRef.create("confluence", "SPACE", "557057", "macro-1")
    profile = Profile("work", "https://x.example/x1", "tok-12345678", "jira", recents=[confluence, OTHER])
    bare = Connection("https://x.example/x1", "tok-12345678", "jira", profile_name="work")
    assert prefetching.start_ref(bare, profile) == OTHER  # the Confluence item is of another product
    assert prefetching.start_ref(Connection(bare.endpoint, bare.token, "jira", ref=STARS), profile) == STARS
    assert prefetching.start_ref(bare, None) is None
    assert prefetching.start(None) is None  # the first-run setup: nothing to fetch


async def test_the_first_load_takes_the_prefetched_answer_and_later_ones_ask_again(ref_server, tmp_path):
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=STARS)
    early = prefetching.start(connection)
    session = Session(connection, client_factory=no_client, prefetch=early)
    try:
        listing = await session.load(STARS)
        assert listing.source is Source.FRESH
        assert listing.polls[0].title == STARS_POLL["title"]
        assert all(poll.results_view is not None for poll in listing.polls)  # with results, as a load asks
        with pytest.raises(AssertionError, match="asked the server itself"):
            await session.load(STARS)  # claimed once: a refresh is a new request
    finally:
        await session.aclose()


async def test_a_prefetch_for_another_item_is_not_taken(ref_server):
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=STARS)
    early = prefetching.start(connection)
    session = Session(connection, prefetch=early)
    try:
        listing = await session.load(OTHER)
        assert listing.source is Source.FRESH and listing.ref == OTHER
        assert early.claim(STARS) is not None  # still there for the item it was sent for
    finally:
        await session.aclose()


async def test_a_failed_prefetch_fails_the_load_as_its_own_request_would(ref_server):
    connection = Connection(ref_server.jira_endpoint, "tok-not-the-right-one", "jira", ref=STARS)
    session = Session(connection, client_factory=no_client, prefetch=prefetching.start(connection))
    try:
        listing = await session.load(STARS)
        assert listing.source is Source.FAILED
        assert isinstance(listing.error, NotPermittedError)
        assert "tok-not-the-right-one" not in str(listing.error)
    finally:
        await session.aclose()


def request_in(silent: socket.socket, timeout: float = 10) -> socket.socket:
    """The connection of the request sent to ``silent``, once the whole GET is in (never answered)."""
    silent.settimeout(timeout)
    conn, _ = silent.accept()
    conn.settimeout(timeout)
    request = b""
    while b"\r\n\r\n" not in request:
        request += conn.recv(4096)
    return conn


@contextlib.contextmanager
def silent_server() -> Iterator[tuple[socket.socket, int]]:
    """A socket that accepts connections and never answers, and its port."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        yield silent, silent.getsockname()[1]
    finally:
        silent.close()


def test_quitting_before_the_answer_cancels_the_request():
    with silent_server() as (silent, port):
        connection = Connection(f"http://127.0.0.1:{port}/x1/jira", "tok-12345678", "jira", ref=STARS)
        early = prefetching.start(connection)
        with request_in(silent) as conn:  # the GET is sent: the client waits for the answer
            started = time.monotonic()
            early.cancel()
            assert time.monotonic() - started < 2
            assert early.claim(STARS) is None
            assert not early._thread.is_alive()
            assert conn.recv(1) == b""  # the connection is closed, not left waiting for the answer


def test_quitting_during_a_tls_handshake_that_hangs_cancels_it_at_once():
    with silent_server() as (silent, port):  # it never answers the TLS hello
        connection = Connection(f"https://127.0.0.1:{port}/x1/jira", "tok-12345678", "jira", ref=STARS)
        early = prefetching.start(connection)
        silent.settimeout(10)
        conn, _ = silent.accept()
        conn.settimeout(10)
        with conn:
            conn.recv(1)  # the client hello has begun: the handshake waits for our answer
            started = time.monotonic()
            early.cancel()
            assert time.monotonic() - started < 1
            assert not early._thread.is_alive()
            while conn.recv(4096):  # the rest of the hello, then the end: the connection is shut at once
                pass
            assert time.monotonic() - started < 1


CHILD = """
import importlib.abc, importlib.util, json, sys

class App(importlib.abc.Loader, importlib.abc.MetaPathFinder):
    # pollstui.tui.app, standing in for the real one: importing it loads Textual, as the real one does.
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name == "pollstui.tui.app" else None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        import textual  # noqa: F401
        def run_tui(connection, profile_store=None, read_only=False, prefetch=None):
            raw, polls = prefetch.claim(connection.ref).result(timeout=10)
            assert json.loads(raw) == polls  # the bytes as sent, and their JSON
            print(json.dumps({"ref": prefetch.ref.content, "polls": len(polls), "textual_at_start": seen,
                              "httpx": "httpx" in sys.modules, "pydantic": "pydantic" in sys.modules}))
        module.run_tui = run_tui

sys.meta_path.insert(0, App())
from pollstui.session import prefetch
seen = []
real = prefetch.start
def start(connection, profile=None):
    seen.append("textual" in sys.modules)
    return real(connection, profile)
prefetch.start = start
from pollstui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_tui_command_sends_the_first_request_before_textual_loads(ref_server):
    """`pollstui` (no command) starts the prefetch, then imports the app and hands it over."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token,
         "--content", STARS.content],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"},  # no terminal here
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {"ref": STARS.content, "polls": seen["polls"], "textual_at_start": [False],
                    "httpx": False, "pydantic": False}  # a clean answer needs neither: see plain_get
    assert seen["polls"] > 0


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "all_proxy", "Https_Proxy", "All_Proxy", "hTTps_pROXY"])
async def test_with_a_proxy_set_the_client_makes_the_request(monkeypatch, variable):
    """httpx sends through the proxy the environment names, in any case (urllib's reading); the
    plain GET never goes around it: it does not even connect, and the client's request goes to
    the proxy."""
    for name in [name for name in os.environ if name.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    with RawServer(TAKEN["length"]) as server, RawServer(answer(b"Content-Length: 0", status=b"HTTP/1.1 403 No")) as proxy:
        monkeypatch.setenv(variable, proxy.url(""))
        plain, own = await _both(server.url(scheme="https"))
    assert plain is None and server.connections == 0
    assert isinstance(own, type) and issubclass(own, PollsError)  # the proxy said no
    assert proxy.requests[0].startswith(b"CONNECT 127.0.0.1:%d " % server.port)


def test_a_plain_get_takes_only_a_clean_json_answer(ref_server):
    good = Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=STARS)
    raw, polls = prefetching.plain_get(good, STARS, 5.0)
    assert json.loads(raw) == polls and polls[0]["title"] == STARS_POLL["title"]
    assert "results" in polls[0]  # asked with expand=results, as the session's load asks
    refused = Connection(ref_server.jira_endpoint, "tok-not-the-right-one", "jira", ref=STARS)
    assert prefetching.plain_get(refused, STARS, 5.0) is None  # a 401: the client asks and explains
    closed = Connection(f"http://127.0.0.1:{_closed_port()}/x1/jira", ref_server.token, "jira", ref=STARS)
    assert prefetching.plain_get(closed, STARS, 5.0) is None


BODY = b'[{"id": "3f2a9c", "title": "Ship it?"}]'
LENGTH = b"%d" % len(BODY)
SIZE = b"%x" % len(BODY)


def chunked(size: bytes = SIZE, last: bytes = b"0", head: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + head + b"\r\n" + size + b"\r\n" + BODY + b"\r\n" + last + b"\r\n\r\n"


def answer(*head: bytes, status: bytes = b"HTTP/1.1 200 OK", body: bytes = BODY) -> bytes:
    return b"\r\n".join([status, *head]) + b"\r\n\r\n" + body


JSON = b"Content-Type: application/json"


#: Plainly clean answers: the prefetch takes them, and reads them as the client does.
TAKEN = {
    "length": answer(JSON, b"Content-Length: " + LENGTH),
    "http-1.0": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.0 200 OK"),
    "no-reason": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.1 200"),
    "tab-in-value": answer(b"X-Note: a\tb", JSON, b"Content-Length: " + LENGTH),
    "bare-newlines": answer(JSON, b"Content-Length: " + LENGTH).replace(b"\r\n", b"\n"),
    "obs-text-in-value": answer(b"X-Note: caf\xe9", JSON, b"Content-Length: " + LENGTH),
    "charset": answer(b"Content-Type: application/json; charset=utf-8", b"Content-Length: " + LENGTH),
}
#: Answers the client reads (the polls) that are not plainly clean: the prefetch leaves them to
#: the client, which then shows the same polls.
LEFT = {
    "chunked": chunked(),
    "chunked-extension-trailer": chunked(SIZE + b";x=y", b"0\r\nX-Trailer: 1"),
    "until-close": answer(JSON, status=b"HTTP/1.0 200 OK"),
    "continue-first": b"HTTP/1.1 100 Continue\r\n\r\n" + answer(JSON, b"Content-Length: " + LENGTH),
    "length-folded-whole": answer(JSON, b"Content-Length:", b" " + LENGTH),
    "same-length-twice": answer(JSON, b"Content-Length: " + LENGTH, b"Content-Length: " + LENGTH),
    "no-content-type": answer(b"Content-Length: " + LENGTH),
    "length-padded": answer(JSON, b"Content-Length: " + LENGTH + b" "),
    "http-1.5": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.5 200 OK"),
}
#: Answers the client refuses (h11 does), many of which http.client or a reader of our own once
#: took: the prefetch must leave every one to the client, whose error the user then sees.
BAD = {
    "chunk-0x": chunked(b"0x" + SIZE),
    "chunk-underscore": chunked(SIZE[:1] + b"_" + SIZE[1:]),
    "chunk-plus": chunked(b"+" + SIZE),
    "chunk-minus-zero-last": chunked(last=b"-0"),
    "chunk-space-before": chunked(b" " + SIZE),
    "length-space-before-colon": answer(JSON, b"Content-Length : " + LENGTH),
    # (Read as "2", it would be `[]`: no polls at all.)
    "length-folded-in-two": answer(JSON, b"Content-Length: 2", b" " + LENGTH, body=b"[]" + BODY[2:]),
    "nul-in-value": answer(b"X-Note: a\x00b", JSON, b"Content-Length: " + LENGTH),
    "cr-in-value": answer(b"X-Note: a\rb", JSON, b"Content-Length: " + LENGTH),
    "cr-line-before-length": answer(b"X-Note: a", b"\rContent-Length: " + LENGTH, JSON),
    "cr-line-before-chunked": answer(JSON, b"Content-Length: " + LENGTH, b"\rTransfer-Encoding: chunked"),
    # (http.client splits the line at the CR: two clean headers, and `[]`, no polls.)
    "cr-splits-a-line-in-two": answer(JSON, b"X-Note: a\rContent-Length: 2", body=b"[]" + BODY[2:]),
    "two-lengths": answer(JSON, b"Content-Length: " + LENGTH, b"Content-Length: 5"),
    "length-plus": answer(JSON, b"Content-Length: +" + LENGTH),
    "length-underscore": answer(JSON, b"Content-Length: " + LENGTH[:1] + b"_" + LENGTH[1:]),
    "length-empty": answer(JSON, b"Content-Length:"),
    "ends-early": answer(JSON, b"Content-Length: 100"),
    "name-not-a-token": answer(b"X(y): 1", JSON, b"Content-Length: " + LENGTH),
    "name-with-space-last": answer(JSON, b"Content-Length: " + LENGTH, b"X y: 1"),
    "mbox-from-line-first": answer(b"From somebody", JSON, b"Content-Length: " + LENGTH),
    "mbox-from-line-between": answer(JSON, b"From somebody", b"Content-Length: " + LENGTH),
    "space-before-first-header": answer(b" Content-Length: " + LENGTH, JSON),
    "space-before-first-header-then-clean": answer(b" X-Note: 1", JSON, b"Content-Length: " + LENGTH),
    "colon-first": answer(b": 1", JSON, b"Content-Length: " + LENGTH),
    "transfer-encoding-gzip": answer(JSON, b"Transfer-Encoding: gzip"),
    "transfer-encoding-gzip-and-length": answer(JSON, b"Transfer-Encoding: gzip", b"Content-Length: " + LENGTH),
    "not-a-chunk-size": chunked(b"zz"),
    "status-two-digits": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.1 20 OK"),
    "status-two-spaces": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.1  200 OK"),
    "status-tab": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.1\t200 OK"),
    "status-leading-space": answer(JSON, b"Content-Length: " + LENGTH, status=b" HTTP/1.1 200 OK"),
    "status-version-1.x": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.x 200 OK"),
    "status-version-1.10": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.10 200 OK"),
    "status-nul-in-reason": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/1.1 200 O\x00K"),
    "status-http-0.9-ish": answer(JSON, b"Content-Length: " + LENGTH, status=b"HTTP/0.9"),
    # (h11 refuses a head it has more than 100 KiB of while it is incomplete; http.client
    # takes 100 lines of 64 KiB.)
    "head-of-200-kib": answer(*[b"X-Pad-%d: %s" % (i, b"x" * 4000) for i in range(50)], JSON,
                              b"Content-Length: " + LENGTH),  # fmt: skip
    "not-http": b"nonsense\r\n\r\n",
}


async def _both(endpoint: str) -> tuple[object, object]:
    """What the prefetch's GET takes, and what the client's own call gives (its answer, or the
    type of its error), for the same answer."""
    import asyncio

    from pollstui.api.client import PollsClient
    from pollstui.api.errors import PollsError

    connection = Connection(endpoint, TOKEN, "jira", ref=STARS)
    plain = await asyncio.to_thread(prefetching.plain_get, connection, STARS, 5.0)
    async with PollsClient(endpoint, TOKEN, retries=0, timeout=5.0) as client:
        try:
            own: object = await client.list_polls_body(STARS, results=True)
        except PollsError as exc:
            own = type(exc)
    return plain, own


@pytest.mark.parametrize("case", [*TAKEN, *LEFT, *BAD])
async def test_the_prefetch_takes_an_answer_only_as_the_client_reads_it(case):
    """The same raw answer to both paths: the prefetch takes a plainly clean one, exactly as the
    client reads it (the same bytes and polls); it leaves any other to the client, both those the
    client reads and those it refuses."""
    with RawServer(TAKEN.get(case) or LEFT.get(case) or BAD[case]) as server:
        plain, own = await _both(server.url())
    if case in BAD:
        assert isinstance(own, type) and issubclass(own, PollsError), own
    else:
        assert own == (BODY, json.loads(BODY))
    assert plain == (own if case in TAKEN else None)


#: A token and endpoint paths the two paths could write differently in the request line.
ODD_TOKEN = "tok " + "".join(chr(code) for code in range(0x21, 0x7F)) + "é\u200b"
ODD_PATHS = ["/x1/jira", "/x1/ji{r}a", '/x1/"jira"', "/x1/ji`ra", "/x1/a/../jira", "/x1/./jira", "/x1/ji%zza", "/x1/ji%41a",
             "/x1/$(touch${IFS}x)", "/x1/a|b^c[d]"]  # fmt: skip


@pytest.mark.parametrize("path", ODD_PATHS)
async def test_the_plain_get_asks_for_exactly_what_the_client_asks_for(path):
    """The same request line as the client's, or no request at all (the client then asks): a
    token of every printable character, and paths httpx rewrites (escapes, dot segments)."""
    import asyncio

    from pollstui.api.client import PollsClient

    with RawServer(TAKEN["length"]) as plain_server, RawServer(TAKEN["length"]) as client_server:
        connection = Connection(plain_server.url(path), ODD_TOKEN, "jira", ref=STARS)
        plain = await asyncio.to_thread(prefetching.plain_get, connection, STARS, 5.0)
        async with PollsClient(client_server.url(path), ODD_TOKEN, retries=0, timeout=5.0) as client:
            assert await client.list_polls_body(STARS, results=True) == (BODY, json.loads(BODY))
    asked = client_server.requests[0].split(b"\r\n")[0]
    if plain is None:
        assert path != "/x1/jira" and plain_server.connections == 0, plain_server.requests
    else:
        assert plain_server.requests[0].split(b"\r\n")[0] == asked


@pytest.mark.parametrize("close", [False, True])
def test_the_plain_get_does_not_wait_for_the_server_to_close(close):
    with RawServer(TAKEN["length"], close=close) as server:
        connection = Connection(server.url(), "tok-12345678", "jira", ref=STARS)
        started = time.monotonic()
        assert prefetching.plain_get(connection, STARS, 5.0) == (BODY, json.loads(BODY))
        assert time.monotonic() - started < 2  # the answer's length says where it ends
    request = server.requests[0].decode("ascii")
    assert request.startswith("GET /x1/jira?token=tok-12345678&type=polls&") and "content=PLAT-254604" in request
    assert f"\r\nhost: 127.0.0.1:{server.port}\r\n" in request.lower()


@pytest.mark.parametrize(
    "answer",
    [
        answer(JSON, b"Content-Encoding: gzip", b"Content-Length: " + LENGTH),
        answer(b"Location: /elsewhere", b"Content-Length: 0", status=b"HTTP/1.1 301 Moved"),
        answer(b"Content-Type: text/html", b"Content-Length: " + LENGTH),
        answer(JSON, b"Content-Length: 0", body=b""),
        answer(b"Content-Type: application/json", b"Content-Type: text/html", b"Content-Length: " + LENGTH),
        answer(JSON, b"Content-Length: " + LENGTH, body=b" <html>"),
    ],
    ids=["gzip", "redirect", "web-page", "empty", "json-and-html", "page-in-json"],
)
def test_the_plain_get_leaves_any_other_answer_to_the_client(answer):
    with RawServer(answer) as server:
        connection = Connection(server.url(), "tok-12345678", "jira", ref=STARS)
        assert prefetching.plain_get(connection, STARS, 5.0) is None


def test_the_whole_call_has_one_deadline_however_slowly_the_answer_drips(monkeypatch, capsys):
    """A server sending a byte every 2 s holds no read for long, so only a deadline on the whole
    call stops it: `list --json` with POLLSTUI_TIMEOUT=3 ends at 3 s, not at the first read
    after it, as the client alone would."""
    from pollstui.cli import main

    monkeypatch.setenv("POLLSTUI_TIMEOUT", "3")
    with RawServer(TAKEN["length"], drip=2.0) as server:
        started = time.monotonic()
        code = main(["list", "--json", "--endpoint", server.url(), "--token", TOKEN, "--content", STARS.content])
        took = time.monotonic() - started
    assert code == 6 and "did not answer in time" in capsys.readouterr().err
    assert 2.9 < took < 3.6


@contextlib.contextmanager
def _unanswered_address() -> Iterator[tuple[str, int]]:
    """A loopback address whose connects hang, as an address that drops them does: a listener
    with a full backlog, never accepting."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    held = []
    try:
        while True:  # fill the backlog until a connect hangs
            filler = socket.socket()
            held.append(filler)
            filler.settimeout(0.2)
            try:
                filler.connect(listener.getsockname())
            except TimeoutError:
                break
        yield listener.getsockname()
    finally:
        for filler in held:
            filler.close()
        listener.close()


def test_connecting_ends_with_the_deadline_however_many_addresses_the_name_has(monkeypatch):
    """A name with three addresses that never answer: connecting to all of them together ends
    at the whole call's deadline (not once per address)."""
    with _unanswered_address() as (ip, port):
        addresses = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))] * 3
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: addresses)  # what DNS answers
        connection = Connection(f"https://polls.example.test:{port}/x1/jira", TOKEN, "jira", ref=STARS)
        started = time.monotonic()
        assert prefetching.plain_get(connection, STARS, 1.5) is None
        assert time.monotonic() - started < 2.2


def test_a_name_whose_first_address_hangs_is_connected_as_the_client_connects(monkeypatch, ref_server):
    """The client tries a name's next address 0.25 s after the last (happy eyeballs): the first GET
    leaves such a name to it then, instead of waiting 10 s for the first address."""
    from pollstui.cli import main

    port = urlsplit(ref_server.jira_endpoint).port
    with _unanswered_address() as dead:
        addresses = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", dead), (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: addresses)  # what DNS answers
        started = time.monotonic()
        code = main(["list", "--json", "--endpoint", f"http://localhost:{port}/x1/jira", "--token", ref_server.token,
                     "--content", STARS.content])  # fmt: skip
    assert code == 0 and time.monotonic() - started < 3


def test_a_name_lookup_that_hangs_ends_with_the_deadline(monkeypatch):
    """DNS that never answers: the plain GET gives up at the whole call's deadline, not when the
    lookup ends (getaddrinfo itself has no time limit)."""
    answered = threading.Event()

    def lookup(*args, **kwargs):
        answered.wait(30)
        raise socket.gaierror("no answer")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    connection = Connection("https://polls.example.test/x1/jira", TOKEN, "jira", ref=STARS)
    started = time.monotonic()
    try:
        assert prefetching.plain_get(connection, STARS, 0.5) is None
        assert time.monotonic() - started < 2.0
    finally:
        answered.set()


def test_quitting_while_the_name_lookup_hangs_returns_at_once(monkeypatch):
    """DNS that never answers (or a connect to a host that drops it, up to 10 s): quitting does not
    wait for it. The thread is a daemon and, should the lookup end later, takes nothing further."""
    looked_up, answered = threading.Event(), threading.Event()

    def lookup(*args, **kwargs):
        looked_up.set()
        answered.wait(30)
        raise socket.gaierror("no answer")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    early = prefetching.start(Connection("https://polls.example.test/x1/jira", TOKEN, "jira", ref=STARS))
    try:
        assert looked_up.wait(10)
        started = time.monotonic()
        early.cancel()
        assert time.monotonic() - started < 1
        assert early.claim(STARS) is None
    finally:
        answered.set()
    early._thread.join(10)
    assert not early._thread.is_alive()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("fault", ["html-200", "broken-json", "empty", "404", "shape-object", "one-bad-poll", "reset"])
async def test_a_prefetched_load_ends_as_the_sessions_own_load_would(fault_proxy: FaultProxy, fault, tmp_path):  # noqa: F811
    """Whatever the server answers, the load that takes the prefetch shows what a load that asked
    itself shows: the same polls, or the same error in the same words (the token in none)."""
    connection = Connection(fault_proxy.jira_endpoint, TOKEN, "jira", ref=STARS)
    fault_proxy.inject(fault)
    ends = []
    for early in (prefetching.start(connection), None):
        session = Session(connection, prefetch=early, cache=PollsCache(tmp_path / "cache"))
        try:
            listing = await session.load(STARS, cache=False)
        finally:
            await session.aclose()
        ends.append((listing.source, [p.raw for p in listing.polls], [(u.index, u.reason) for u in listing.unreadable],
                     type(listing.error), str(listing.error) if listing.error else None))  # fmt: skip
        assert TOKEN not in repr(ends[-1])
    assert ends[0] == ends[1]


async def test_a_first_request_told_to_wait_says_so_as_later_loads_do(fault_proxy: FaultProxy, tmp_path):  # noqa: F811
    """The plain GET is answered 429, so the client asks again in the prefetch's thread, is
    answered 429 with Retry-After too, and waits: the session's on_wait hears of it, as it hears
    of its own client's waits (the main screen's "waiting N s")."""
    connection = Connection(fault_proxy.jira_endpoint, TOKEN, "jira", ref=STARS)
    fault_proxy.retry_after = "1"
    fault_proxy.inject("429", times=2)
    waits: list[tuple[float, str]] = []
    session = Session(connection, prefetch=prefetching.start(connection), cache=PollsCache(tmp_path / "cache"),
                      client_factory=no_client, on_wait=lambda seconds, why: waits.append((seconds, why)))  # fmt: skip
    try:
        listing = await session.load(STARS, cache=False)
    finally:
        await session.aclose()
    assert listing.source is Source.FRESH and fault_proxy.count("GET") == 3
    [(seconds, why)] = waits
    assert 0 < seconds <= 1 and "429" in why


def test_quitting_while_the_first_request_hangs_ends_the_process_at_once():
    """The request's thread never holds the exit, cancelled or not (a server that never answers)."""
    with silent_server() as (silent, port):
        code = (
            "import sys\n"
            "from pollstui.api.address import ContentRef\n"
            "from pollstui.session import prefetch\n"
            "from pollstui.settings import Connection\n"
            "ref = ContentRef.create('jira', 'PLAT', 'PLAT-254604')\n"
            f"early = prefetch.start(Connection('http://127.0.0.1:{port}/x1/jira', 'tok-12345678', 'jira', ref=ref))\n"
            "sys.stdin.readline()\n"  # quit when the test says so
        )
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
        try:
            with request_in(silent, timeout=30):  # the GET is sent: the child waits for an answer that never comes
                started = time.monotonic()
                child.communicate(b"quit\n", timeout=30)
                assert child.returncode == 0
                assert time.monotonic() - started < 5  # the plain GET's socket waits up to 10 s for an answer
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()


def test_quitting_while_the_clients_name_lookup_hangs_ends_the_process_at_once():
    """Where the client makes the first request (here: a user:password@ in the endpoint; a proxy
    does the same), a name lookup that never answers does not hold the process's exit either."""
    code = (
        "import socket, sys, threading, time\n"
        "asked = threading.Event()\n"
        "def lookup(*args, **kwargs):\n"
        "    asked.set()\n"
        "    time.sleep(60)\n"
        "socket.getaddrinfo = lookup\n"
        "from pollstui.api.address import ContentRef\n"
        "from pollstui.session import prefetch\n"
        "from pollstui.settings import Connection\n"
        "ref = ContentRef.create('jira', 'PLAT', 'PLAT-254604')\n"
        "early = prefetch.start(Connection('https://user:pw@polls.example.test/x1/jira', 'tok-12345678', 'jira', ref=ref))\n"
        "assert asked.wait(20)\n"
        "early.cancel()\n"
        "print('cancelled', flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"cancelled\n"
        started = time.monotonic()
        child.wait(timeout=30)
        assert child.returncode == 0
        assert time.monotonic() - started < 5  # the lookup sleeps for 60 s
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]


def test_the_plain_get_sends_nothing_the_client_would_refuse():
    """Plain http to another machine is the client's to refuse (the token would travel in clear)."""
    remote = Connection("http://polls.example.invalid/x1/jira", "tok-12345678", "jira", ref=STARS)
    assert prefetching.plain_get(remote, STARS, 5.0) is None


async def test_a_load_cancelled_while_it_waits_for_the_first_request_leaves_the_thread_quiet(monkeypatch):
    """A second load (r, another item) cancels the first one, which was waiting for the prefetched
    answer; the answer that comes afterwards is dropped without an exception in the thread (which
    Python would print on the terminal)."""
    import asyncio
    import threading

    crashes = []
    monkeypatch.setattr(threading, "excepthook", crashes.append)
    answer = threading.Event()
    asked = threading.Event()  # the request reached the server
    body = json.dumps([STARS_POLL]).encode()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:  # one request, answered once the test says so
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            asked.set()
            answer.wait(10)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)  # fmt: skip

    threading.Thread(target=serve, daemon=True).start()
    try:
        connection = Connection(f"http://127.0.0.1:{server.getsockname()[1]}/x1/jira", TOKEN, "jira", ref=STARS)
        early = prefetching.start(connection)
        session = Session(connection, client_factory=no_client, prefetch=early)
        first = asyncio.ensure_future(session.load(STARS, cache=False))
        assert await asyncio.to_thread(asked.wait, 10)
        while not early._claimed:  # the load took the prefetched request and waits for its answer
            await asyncio.sleep(0.01)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        answer.set()
        await asyncio.to_thread(early._thread.join, 10)
        assert not early._thread.is_alive()
        assert crashes == []
        await session.aclose()
    finally:
        answer.set()
        server.close()


async def test_an_answer_already_in_is_the_first_listing_at_once_an_error_is_left_to_load(ref_server, tmp_path):
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=STARS)
    early = prefetching.start(connection)
    early._thread.join(10)
    session = Session(connection, prefetch=early, cache=PollsCache(tmp_path / "cache"))
    try:
        assert session.prefetched(OTHER) is None  # not the item it was sent for
        listing = session.prefetched(STARS)
        assert listing is not None and listing.source is Source.FRESH
        assert listing.polls[0].title == STARS_POLL["title"]
        assert session.prefetched(STARS) is None  # taken once: the next load asks the server
        assert session.latest(STARS) is listing
        assert (await session.cached(STARS)).polls[0].title == STARS_POLL["title"]  # and it was cached
    finally:
        await session.aclose()

    refused = Connection(ref_server.jira_endpoint, "tok-not-the-right-one", "jira", ref=STARS)
    early = prefetching.start(refused)
    early._thread.join(10)
    session = Session(refused, client_factory=no_client, prefetch=early, cache=PollsCache(tmp_path / "other"))
    try:
        assert session.prefetched(STARS) is None  # an error is load's to report …
        failed = await session.load(STARS)
        assert failed.source is Source.FAILED and isinstance(failed.error, NotPermittedError)  # … from that answer
    finally:
        await session.aclose()
