"""The app in a browser: ``pollstui demo --web`` end to end in headless Chromium, and ``pollstui web``.

textual-serve draws the terminal with xterm.js on a canvas (WebGL or 2D), so the page's DOM holds
no text to look for. The browser test therefore drives Chromium over the DevTools protocol
(aiohttp's websocket client; aiohttp comes with textual-serve): a script installed before the
page loads catches the xterm.js ``Terminal`` the page creates, and the test reads the rows of
its buffer — exactly what the canvas shows — until a seeded poll's title is there. Then it saves
a PNG screenshot of the page into the test's temp dir.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it); the test is skipped with a
reason when it is not installed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pollstui.api.address import ContentRef
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection
from pollstui.web import HOST, served_command, session_setup
from pollstui.web_guard import MAX_COLUMNS, MAX_ROWS, Guard, terminal_size
from tests.example import STARS_POLL

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does it)"
)

#: Runs before the page's own scripts: keeps every object assigned to a ``.terminal`` property
#: (textual.js does ``this.terminal = new Terminal(...)``), so the test can read its buffer.
CATCH_TERMINAL = """
(() => {
  const caught = [];
  window.__pollstuiTerminals = caught;
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
      if (value && typeof value === "object") caught.push(value);
    },
  });
})();
"""

#: A promise kept once the page has drawn two more animation frames (xterm.js draws on one).
NEXT_FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"

#: The text of the terminal's rows, as xterm.js holds them (wide characters as one character).
READ_TERMINAL = """
(() => {
  const term = (window.__pollstuiTerminals || []).find(t => t.buffer && t.buffer.active);
  if (!term) return null;
  const buffer = term.buffer.active, rows = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    if (line) rows.push(line.translateToString(true));
  }
  return rows.join("\\n");
})()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s:\n{log.read_text()}")


def printed_url(process: subprocess.Popen, log: Path, timeout: float = 60) -> str:
    """The URL the web server printed (it carries the run's secret key)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("pollstui in a browser: open "):
                return line.rsplit(" ", 1)[1]
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        time.sleep(0.1)
    raise AssertionError(f"no URL printed within {timeout} s:\n{log.read_text()}")


def start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``python -m pollstui ARGS`` in its own process group (so its sessions can be ended with it)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pollstui", *args], stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, env={**os.environ, **(env or {})},
        )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C (textual-serve shuts down cleanly on SIGINT), then the whole group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any session the server left behind
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=10)


class DevTools:
    """A minimal DevTools-protocol client for one page target."""

    def __init__(self, websocket) -> None:  # noqa: ANN001
        self.websocket = websocket
        self.next_id = 0
        self.events: list[dict] = []  # what the browser reported between answers

    async def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        await self.websocket.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.websocket.receive_json(), timeout=30)
            if "method" in message:
                self.events.append(message)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})


async def page_websocket_url(user_data: Path, timeout: float = 30) -> str:
    """The page target's DevTools URL (Chromium writes its port into DevToolsActivePort)."""
    port_file = user_data / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            port = port_file.read_text().split()[0]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                    targets = json.loads(response.read())
            except OSError:
                targets = []
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        await asyncio.sleep(0.2)
    raise AssertionError("chromium did not open its DevTools port")


async def terminal_text_in_browser(
    url: str, tmp_path: Path, expected: str, screenshot: Path, requested: list[str] | None = None
) -> str:
    """Open ``url`` in headless Chromium; wait until the terminal shows ``expected``; save a PNG.

    ``requested`` gets the URL of every request the page made."""
    import aiohttp

    user_data = tmp_path / "chromium-profile"
    browser_log = tmp_path / "chromium.log"
    with browser_log.open("wb") as out:
        browser = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", "--remote-debugging-port=0",
             "--window-size=1280,800", "about:blank"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    text = ""
    try:
        ws_url = await page_websocket_url(user_data)
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url, max_msg_size=0) as websocket:
            devtools = DevTools(websocket)
            await devtools.call("Page.enable")
            await devtools.call("Network.enable")
            await devtools.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
            await devtools.call("Page.navigate", url=url)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                result = await devtools.call("Runtime.evaluate", expression=READ_TERMINAL, returnByValue=True)
                text = result.get("result", {}).get("value") or ""
                if expected in text:
                    break
                await asyncio.sleep(0.5)
            # The canvas drawn from the buffer just read: two animation frames later, the picture.
            await devtools.call("Runtime.evaluate", expression=NEXT_FRAMES, awaitPromise=True, returnByValue=True)
            shot = await devtools.call("Page.captureScreenshot", format="png")
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            if requested is not None:
                requested.extend(
                    e["params"]["request"]["url"] for e in devtools.events if e["method"] == "Network.requestWillBeSent"
                )
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=15)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait(timeout=10)
    return text


@needs_chromium
async def test_demo_web_shows_a_seeded_poll_in_chromium(tmp_path):
    port = free_port()
    log = tmp_path / "demo-web.log"
    server = start(["demo", "--web", "--port", str(port)], log)
    try:
        url = await asyncio.to_thread(printed_url, server, log)
        assert url.startswith(f"http://{HOST}:{port}/?key=")
        await asyncio.to_thread(wait_for_http, url, server, log)
        screenshot = tmp_path / "demo-web.png"
        requested: list[str] = []
        text = await terminal_text_in_browser(url, tmp_path, STARS_POLL["title"], screenshot, requested)
        assert STARS_POLL["title"] in text, f"the page's terminal shows:\n{text}"
        assert any(r.endswith(".ttf") for r in requested), requested  # the font, from this server
        assert all(r.startswith((f"http://{HOST}:{port}/", f"ws://{HOST}:{port}/")) for r in requested), requested
        assert "profile demo" in text  # the served session got the demo profile (its recents)
        assert "PLAT-254611" in text  # … so the sidebar lists the other seeded issues
        assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert screenshot.stat().st_size > 10_000
    finally:
        stop(server)
    output = log.read_text()
    assert "token=" not in output and "POLLS_TOKEN" not in output


# --- pollstui web ------------------------------------------------------------------------------


async def test_web_serves_a_saved_profile_and_ctrl_c_ends_open_sessions(ref_server):
    """One textual-serve session over its websocket, as the page opens it, without a browser."""
    import aiohttp

    first = ContentRef.create("jira", "PLAT", "PLAT-254604")
    store = ProfileStore().load()
    store.add(Profile("work", ref_server.jira_endpoint, ref_server.token, "jira", recents=[first]))
    port = free_port()
    log = Path(ref_server.db_path).parent / "web.log"
    server = start(["web", "--profile", "work", "--port", str(port)], log)
    received = bytearray()
    try:
        url = await asyncio.to_thread(printed_url, server, log)
        await asyncio.to_thread(wait_for_http, url, server, log)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # (IP hosts too)
            async with session.get(url) as page:  # as a browser opens it: the page sets the key's cookie
                assert page.status == 200
            origin = {"Origin": f"http://{HOST}:{port}"}
            async with session.ws_connect(
                f"ws://{HOST}:{port}/ws?width=120&height=40", max_msg_size=0, headers=origin
            ) as websocket:
                deadline = time.monotonic() + 60
                while b"profile work" not in received or b"Stars from" not in received:
                    assert time.monotonic() < deadline, received.decode("utf-8", "replace")
                    message = await asyncio.wait_for(websocket.receive(), timeout=60)
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                    received.extend(message.data)
                # Ctrl-C with the session still open: the server closes it and exits promptly.
                server.send_signal(signal.SIGINT)
                while (await asyncio.wait_for(websocket.receive(), timeout=15)).type == aiohttp.WSMsgType.BINARY:
                    pass
        assert await asyncio.to_thread(server.wait, 15) == 0
    finally:
        stop(server)
    assert ref_server.token not in log.read_text()


def test_session_setup_keeps_the_token_out_of_the_command_line():
    token = "tok-web-0123456789abcdef"
    ref = ContentRef.create("confluence", "98306", "557057", "a1b2c3d4")
    connection = Connection("https://polls.example.test/x1/c", token, "confluence", profile_name="work",
                            read_only=True, ref=ref)
    env, args = session_setup(connection)
    command = served_command(args)
    assert token not in command
    assert command.startswith(f"exec {sys.executable}") and "-m pollstui" in command  # the shell becomes the app
    assert args == ["--product", "confluence", "--read-only"]
    assert env["POLLS_TOKEN"] == token
    assert env["POLLS_PROFILE"] == "work"
    assert env["POLLS_URL"].startswith("https://polls.example.test/x1/c?token=")
    assert "container=a1b2c3d4" in env["POLLS_URL"]

    bare, _ = session_setup(Connection("https://polls.example.test/x1/j", token, "jira"))
    assert bare["POLLS_PROFILE"] is None  # unset: no profile of the user's sneaks in
    assert bare["POLLS_URL"] == f"https://polls.example.test/x1/j?token={token}&type=polls"


def test_served_session_resolves_the_same_connection():
    """What a served session's CLI makes of the environment and arguments it is given."""
    from pollstui.cli import build_parser
    from pollstui.cli.common import connection_kwargs as _connection_kwargs
    from pollstui.settings import resolve_connection

    ref = ContentRef.create("jira", "PLAT", "PLAT-254604")
    connection = Connection("http://127.0.0.1:9/x1/jira", "tok-web-session-42", "jira", read_only=True, ref=ref)
    env, args = session_setup(connection)
    parsed = build_parser().parse_args(args)
    got = resolve_connection(**_connection_kwargs(parsed), env={k: v for k, v in env.items() if v is not None},
                             store=ProfileStore())
    assert (got.endpoint, got.token, got.product, got.ref, got.read_only) == (
        connection.endpoint, connection.token, "jira", ref, True)


def test_web_refuses_a_port_in_use(ref_server):
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pollstui", "web", "--endpoint", ref_server.jira_endpoint, "--port", str(port)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "POLLS_TOKEN": ref_server.token},
        )  # fmt: skip
    assert result.returncode == 6
    assert f"Cannot listen on {HOST}:{port}" in result.stderr
    assert ref_server.token not in result.stderr + result.stdout


def test_the_grace_a_session_gets_to_end_is_five_seconds_then_three_or_as_set(monkeypatch, capsys):
    """``POLLSTUI_WEB_GRACE`` sets the seconds to quit; the wait after SIGTERM is as long, at most 3 s.
    A value that is not a number of seconds is refused before anything is served."""
    from pollstui.api.errors import InvalidInputError
    from pollstui.web import ENV_GRACE, graces, serve

    monkeypatch.delenv(ENV_GRACE, raising=False)
    assert graces() == (5.0, 3.0)
    for value, expected in (("10", (10.0, 3.0)), (" 0.25 ", (0.25, 0.25)), ("", (5.0, 3.0))):
        monkeypatch.setenv(ENV_GRACE, value)
        assert graces() == expected
    for value in ("soon", "0", "-1", "nan", "inf"):
        monkeypatch.setenv(ENV_GRACE, value)
        with pytest.raises(InvalidInputError, match=f"^{ENV_GRACE}=.* is not a number of seconds above 0: unset it"):
            serve([], 0)
    assert capsys.readouterr().out == ""


# --- who may connect -----------------------------------------------------------------------------


async def test_only_the_printed_url_from_the_served_origin_on_a_loopback_host_gets_in(ref_server):
    """A missing or wrong key, a forged Origin and a foreign Host are each refused (403)."""
    import aiohttp

    port = free_port()
    log = Path(ref_server.db_path).parent / "web-guard.log"
    env = {"POLLS_TOKEN": ref_server.token}
    server = start(["web", "--endpoint", ref_server.jira_endpoint, "--content", "PLAT-254604", "--port", str(port)], log, env)
    base, origin = f"http://{HOST}:{port}", {"Origin": f"http://{HOST}:{port}"}
    ws = f"ws://{HOST}:{port}/ws?width=80&height=24"

    async def ws_status(session: aiohttp.ClientSession, headers: dict[str, str]) -> int:
        try:
            async with session.ws_connect(ws, headers=headers) as websocket:
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status

    try:
        url = await asyncio.to_thread(printed_url, server, log)
        await asyncio.to_thread(wait_for_http, url, server, log)
        key = url.split("?key=", 1)[1]
        async with aiohttp.ClientSession() as stranger:  # never saw the URL
            for target in (f"{base}/", f"{base}/?key=", f"{base}/?key={key[:-1]}x", f"{base}/download/x"):
                async with stranger.get(target) as response:
                    assert response.status == 403, target
                    assert "open the whole URL pollstui printed" in await response.text()
            assert await ws_status(stranger, origin) == 403
            async with stranger.get(f"{base}/static/css/xterm.css") as response:
                assert response.status == 200  # textual-serve's own files hold nothing of the user's

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:  # (IP hosts too)
            async with browser.get(url) as response:  # the printed URL: the page, and the key as a cookie
                assert response.status == 200
                assert response.cookies[f"pollstui-key-{port}"]["httponly"]
            assert await ws_status(browser, {"Origin": "http://evil.example"}) == 403  # another site's page
            assert await ws_status(browser, {"Origin": f"http://{HOST}:{port + 1}"}) == 403
            assert await ws_status(browser, {}) == 403  # no Origin: not the page
            for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", f"localhost:{port + 1}"):
                async with browser.get(url, headers={"Host": host}) as response:
                    assert response.status == 403, host  # DNS rebinding: a foreign name for this address
            async with browser.get(url.replace(HOST, "localhost"), allow_redirects=False) as response:
                assert response.status == 302  # to 127.0.0.1, where the page's web socket goes
                assert response.headers["Location"] == url
            assert await ws_status(browser, origin) == 101
    finally:
        stop(server)
    output = log.read_text()
    assert "refused" in output and ref_server.token not in output
    assert "\x1b" not in output


def test_every_run_draws_a_fresh_unguessable_key():
    keys = {Guard(8000).secret for _ in range(50)}
    assert len(keys) == 50 and all(len(k) >= 43 for k in keys)  # 32 random bytes each
    assert "key=" in Guard(8000).url and repr(Guard(8000)).count("secret") == 0


def test_a_failing_session_logs_neither_its_environment_nor_the_token(capsys):
    """textual-serve logs an error in a session with rich's traceback and its local variables,
    the session's environment among them (POLLS_URL holds the token): ours shows neither."""
    import logging

    from pollstui.api.errors import register_secret
    from pollstui.web import _server_class

    token = "tok-web-failing-session-0123456789"
    register_secret(token)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    server = _server_class()("true", host=HOST, port=free_port(), guard=Guard(8000))

    def open_app_process(environment: dict[str, str]) -> None:
        raise OSError(f"cannot start the session for {environment['POLLS_URL']}")

    unseen = "only-in-a-" + "local-variable"  # (joined here, so no source line shows it either)
    try:
        server.initialize_logging()
        try:
            open_app_process({"POLLS_URL": f"https://polls.example.test/x1/j?token={token}", "OTHER": unseen})
        except OSError as error:
            logging.getLogger("textual-serve").exception(error)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert "cannot start the session" in err and "Traceback" in err
    assert token not in err
    assert unseen not in err  # no local variables shown


def test_textual_serve_is_bounded_to_the_version_whose_private_methods_we_override():
    """pollstui.web overrides two private methods of textual-serve's Server: the web extra allows only
    the minor version they were written for, and that is the one installed for the tests."""
    import tomllib
    from importlib.metadata import version

    from pollstui.web import SUPPORTED_SERVE

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["optional-dependencies"]["web"] == [SUPPORTED_SERVE]
    low, high = (part.lstrip("<>=") for part in SUPPORTED_SERVE.removeprefix("textual-serve").split(","))
    installed = tuple(int(n) for n in version("textual-serve").split(".")[:2])
    assert tuple(int(n) for n in low.split(".")[:2]) <= installed < tuple(int(n) for n in high.split(".")[:2])


def test_a_textual_serve_without_the_hooks_is_refused_not_served_unguarded(monkeypatch):
    from textual_serve.server import Server

    from pollstui.web import WebServeError, _server_class

    monkeypatch.delattr(Server, "_make_app")
    with pytest.raises(WebServeError) as info:
        _server_class()
    assert "_make_app" in str(info.value) and "pip install" in str(info.value)


# --- what a session may grow to, and how long it lives ------------------------------------------


def test_a_page_cannot_ask_for_a_terminal_beyond_the_maximum():
    assert terminal_size(100_000, 100_000) == (MAX_COLUMNS, MAX_ROWS) == (500, 200)
    assert terminal_size("120", "40") == (120, 40)  # (the query's strings)
    assert terminal_size(0, -5) == (1, 1)
    assert terminal_size(1e308, "1e400") == (500, 200)
    for junk in (None, "wide", [80], {"w": 1}, True, "nan"):
        assert terminal_size(junk, junk) == (80, 24), junk


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def rows_drawn(output: bytes) -> int:
    """The lowest row the app moved the cursor to (Textual places every line it draws with CSI row;col H)."""
    import re

    return max((int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", output)), default=0)


async def read_until(websocket, received: bytearray, *wanted: bytes, timeout: float = 60) -> None:  # noqa: ANN001
    import aiohttp

    deadline = time.monotonic() + timeout
    while not all(w in received for w in wanted):
        assert time.monotonic() < deadline, received[-2000:].decode("utf-8", "replace")
        message = await asyncio.wait_for(websocket.receive(), timeout=timeout)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        received.extend(message.data)


async def drain(websocket, received: bytearray, quiet: float = 1.0) -> None:  # noqa: ANN001
    """Read what the app sends until it has sent nothing for ``quiet`` seconds."""
    while True:
        try:
            message = await asyncio.wait_for(websocket.receive(), timeout=quiet)
        except TimeoutError:
            return
        received.extend(message.data)


def web_server(ref_server, name: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, Path, int]:
    port = free_port()
    log = Path(ref_server.db_path).parent / f"{name}.log"
    args = ["web", "--endpoint", ref_server.jira_endpoint, "--content", "PLAT-254604", "--port", str(port)]
    return start(args, log, {"POLLS_TOKEN": ref_server.token, **(env or {})}), log, port


async def test_a_session_cannot_grow_its_terminal_beyond_the_maximum(ref_server):
    """A page asking for 2000 x 1000 cells, at connection and by resize, gets at most 500 x 200."""
    import aiohttp

    server, log, port = web_server(ref_server, "web-size")
    try:
        url = await asyncio.to_thread(printed_url, server, log)
        await asyncio.to_thread(wait_for_http, url, server, log)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(url) as page:
                assert page.status == 200
            origin = {"Origin": f"http://{HOST}:{port}"}
            async with session.ws_connect(
                f"ws://{HOST}:{port}/ws?width=2000&height=1000", max_msg_size=0, headers=origin
            ) as websocket:
                received = bytearray()
                await read_until(websocket, received, b"Stars from")
                assert rows_drawn(received) == MAX_ROWS
                for junk in ('["resize", {"width": "x"}]', '["resize"]', "[]", "{}", "not json", '["stdin", 5]'):
                    await websocket.send_str(junk)  # skipped, the session goes on
                await websocket.send_json(["resize", {"width": 60, "height": 20}])
                await read_until(websocket, received, b"\x1b[20;1H")
                await drain(websocket, received)
                received.clear()
                await websocket.send_json(["resize", {"width": 2000, "height": 1000}])
                await read_until(websocket, received, b"Stars from", b"\x1b[200;1H")
                await drain(websocket, received)  # (anything more the resize drew)
                assert rows_drawn(received) == MAX_ROWS
    finally:
        stop(server)


async def test_a_session_that_does_not_quit_ends_with_its_socket_and_with_the_server(ref_server):
    """A session's app stopped (SIGSTOP: as one too busy to read "quit") is ended when its web socket
    closes, and when ``pollstui web`` stops; the server does not linger for it either. (With
    ``POLLSTUI_WEB_GRACE`` short: the app is terminated after it, then killed as long after.)"""
    import aiohttp

    from pollstui.web import ENV_GRACE

    grace = 0.3
    server, log, port = web_server(ref_server, "web-end", {ENV_GRACE: str(grace)})
    stopped: list[int] = []
    try:
        url = await asyncio.to_thread(printed_url, server, log)
        await asyncio.to_thread(wait_for_http, url, server, log)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(url) as page:
                assert page.status == 200
            origin = {"Origin": f"http://{HOST}:{port}"}
            ws = f"ws://{HOST}:{port}/ws?width=80&height=24"

            async def open_session():  # noqa: ANN202
                websocket = await session.ws_connect(ws, max_msg_size=0, headers=origin)
                before = set(children(server.pid))
                await read_until(websocket, bytearray(), b"Stars from")
                return websocket, before

            websocket, _ = await open_session()
            (app,) = children(server.pid)  # the app itself (the shell exec'd it)
            assert "pollstui" in Path(f"/proc/{app}/cmdline").read_text()
            os.kill(app, signal.SIGSTOP)
            stopped.append(app)
            await websocket.close()
            deadline = time.monotonic() + 2 * grace + 10
            while running(app):
                assert time.monotonic() < deadline, "the session's app outlived its socket"
                await asyncio.sleep(0.2)

            websocket, _ = await open_session()
            (app,) = [pid for pid in children(server.pid) if running(pid)]
            os.kill(app, signal.SIGSTOP)
            stopped.append(app)
            server.send_signal(signal.SIGINT)
            assert await asyncio.to_thread(server.wait, 2 * grace + 15) == 0
            assert not running(app), "the session's app outlived pollstui web"
            await websocket.close()
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        stop(server)
    assert "did not end; sending terminate" in log.read_text()
    assert "did not end; sending kill" in log.read_text()


async def test_the_page_loads_nothing_from_another_host(ref_server):
    """The served page (and the stylesheet it links) names no outside host: the font is served here."""
    import re

    import aiohttp

    server, log, port = web_server(ref_server, "web-page")
    base = f"http://{HOST}:{port}"
    try:
        url = await asyncio.to_thread(printed_url, server, log)
        await asyncio.to_thread(wait_for_http, url, server, log)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(url) as page:
                html = await page.text()
            loaded = re.findall(r'(?:href|src)\s*=\s*"([^"]*)"|url\(\s*"?([^")]*)', html)
            addresses = [a or b for a, b in loaded]
            assert any(a.endswith(".ttf") for a in addresses), html
            for address in addresses:
                assert address.startswith((f"{base}/", "/")), address
                async with session.get(address if address.startswith("http") else base + address) as response:
                    assert response.status == 200, address
                    body = await response.read()
                if address.endswith(".css"):
                    assert not re.search(rb"(?:url\(|@import)\s*[\"']?(?:https?:)?//", body), address
            assert "googleapis" not in html and "Roboto Mono" in html
    finally:
        stop(server)
