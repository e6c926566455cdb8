"""The same app in a browser: ``pollstui demo --web`` and ``pollstui web``.

textual-serve listens on loopback (127.0.0.1) and, for every browser tab that connects, runs
one command whose terminal it relays to xterm.js in the page. The command is
``python -m pollstui`` (this interpreter) with the connection in its environment:

- ``POLLS_URL``: the docs-style URL (endpoint, token, workspace, content, container) of the
  content item to open, or just the endpoint and the token;
- ``POLLS_TOKEN``: the token again, so that a ``POLLS_TOKEN`` of the user's cannot override it;
- ``POLLS_PROFILE``: the profile the connection came from, for its recent content items.

The token is never on a command line (``ps`` shows those) and never printed. textual-serve
copies this process's environment for each session, so the variables are set here, in the
process that does nothing but serve. Its log lines are redacted, and an error in a session is
logged without the local variables textual-serve's handler would show (the environment, token
and all).

Only the page opened from the printed URL may use a session: it carries a secret drawn afresh
for each run, web sockets must come from the served origin, and the Host header must name this
loopback server (see :mod:`pollstui.web_guard`; applied as an aiohttp middleware on
textual-serve's Server, which stays as it is).

A session lives as long as its web socket: when the socket closes (the tab is closed, the
network drops, or ``pollstui web`` stops), the app is asked to quit as textual-serve asks it,
and an app that has not ended a few seconds later is terminated, then killed. The command is run
with ``exec``, so the process textual-serve holds is the app's, not a shell's. The terminal size a
page asks for is clamped (:func:`pollstui.web_guard.terminal_size`).

The page is textual-serve's, with the Roboto Mono font textual-serve ships served from this server
(``web_templates/app_index.html``), not fetched from Google's: nothing leaves the machine, and the
page works offline.

For the demo, the reference server and the simulated voters run in this process (see
``cmd_demo``); the served sessions get its URL, and a throwaway profiles file holding a "demo"
profile whose recents are the seeded issues (through ``XDG_CONFIG_HOME``, where platformdirs
honours it), so the sidebar lists them as it does in the terminal demo.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from pollstui.api.address import build_url
from pollstui.api.errors import PollsError, register_secret
from pollstui.settings import ENV_PROFILE, ENV_TOKEN, ENV_URL
from pollstui.web_guard import SECRET_PARAM, Guard, terminal_size

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.settings import Connection

#: Where the web server listens: loopback only. Only the page opened from the printed URL (which
#: carries the run's secret key) can use a session, and with it the token.
HOST = "127.0.0.1"

#: The default port (textual-serve's).
DEFAULT_PORT = 8000

#: Seconds a session's app has to quit after its web socket closed, before it is terminated
#: (``POLLSTUI_WEB_GRACE`` changes it); and then to end after SIGTERM, before it is killed (as
#: long again, at most ``TERM_GRACE``).
ENV_GRACE = "POLLSTUI_WEB_GRACE"
QUIT_GRACE = 5.0
TERM_GRACE = 3.0


def graces() -> tuple[float, float]:
    """Seconds a session's app has to quit, then to end after SIGTERM (``POLLSTUI_WEB_GRACE``);
    InvalidInputError when the variable is not a number of seconds above 0."""
    from pollstui.settings import seconds

    quit_grace = seconds(ENV_GRACE, example="10") or QUIT_GRACE
    return quit_grace, min(quit_grace, TERM_GRACE)

#: The page served: textual-serve's, with its own copy of the font (see the module's docstring).
TEMPLATES = Path(__file__).with_name("web_templates")


class WebServeError(PollsError):
    """The web server cannot listen where asked (exit 6, like ``serve``)."""


def served_command(args: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs per session: this Python, ``-m pollstui``, ``args``.

    ``exec`` (on POSIX) makes the shell become the app, so that ending the process textual-serve
    started ends the app."""
    exec_ = "exec " if os.name == "posix" else ""
    return exec_ + shlex.join([sys.executable, "-m", "pollstui", *args])


def session_setup(connection: Connection) -> tuple[dict[str, str | None], list[str]]:
    """Environment (``None`` = unset) and arguments that give a served session ``connection``."""
    if connection.ref is not None:
        url = build_url(connection.endpoint, connection.token, connection.ref)
    else:
        url = f"{connection.endpoint}?{urlencode({'token': connection.token, 'type': 'polls'})}"
    env: dict[str, str | None] = {
        ENV_URL: url,
        ENV_TOKEN: connection.token,
        ENV_PROFILE: connection.profile_name or None,
    }
    args = ["--product", connection.product]
    if connection.allow_insecure:
        args.append("--insecure")
    if connection.read_only:
        args.append("--read-only")
    return env, args


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> int:
    """``port``, or a free one for 0; a clear error when it is taken."""
    if port == 0:
        return free_port()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if os.name == "posix":  # as aiohttp does: a port in TIME_WAIT is free, a listening one is not
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, port))
            sock.listen()
    except OSError as exc:
        raise WebServeError(
            f"Cannot listen on {HOST}:{port}: {exc.strerror or exc}. "
            "Choose another --port, or stop the program using it."
        ) from None
    return port


def _apply(env: dict[str, str | None]) -> None:
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


#: textual-serve's private methods :func:`_server_class` overrides (the access guard, the session's
#: messages and its end, the quick stop). The end also reads AppService's ``_process``.
PRIVATE_HOOKS = ("_make_app", "_process_messages")

#: The textual-serve versions those overrides were written and tested for (as in pyproject's ``web`` extra).
SUPPORTED_SERVE = "textual-serve>=1.1,<1.2"


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "version unknown"


def _server_class() -> type:
    """textual-serve's Server behind the :class:`Guard`, logging safely, and quick to stop.

    On Ctrl-C, aiohttp waits up to a minute for open websockets; closing them when the server
    shuts down ends each browser session's app at once (the page says "Session ended"). Every
    session's app ends with its socket, and all of them before the server returns.
    """
    import inspect

    from aiohttp import WSCloseCode, WSMsgType, web
    from textual_serve.server import Server

    # The guard and the quick stop hook into two private methods; pyproject bounds textual-serve to
    # the minor version they were written for, and a version without them is refused here, not
    # served unguarded.
    missing = [name for name in PRIVATE_HOOKS if not inspect.iscoroutinefunction(getattr(Server, name, None))]
    if missing:
        raise WebServeError(
            f"This textual-serve ({_version('textual-serve')}) lacks {', '.join(missing)}, which pollstui's "
            f"access guard needs, so the app is not served. Install a supported one: pip install '{SUPPORTED_SERVE}'"
        )

    class PollsServer(Server):
        def __init__(
            self, *args: object, guard: Guard, graces: tuple[float, float] = (QUIT_GRACE, TERM_GRACE), **kwargs: object
        ) -> None:
            super().__init__(*args, **kwargs)
            self.guard = guard
            self.graces = graces  # to quit after the socket closed; then to end after SIGTERM
            self._open_sockets: set = set()
            self._endings: dict[asyncio.subprocess.Process, asyncio.Task[None]] = {}
            self._running: set[asyncio.subprocess.Process] = set()

        def initialize_logging(self) -> None:
            from pollstui.logs import SafeFormatter

            # The standard traceback format shows no local variables (textual-serve's rich
            # handler shows them all, the session's environment with the token among them).
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:  # noqa: ANN001
            pass  # (textual-serve prints a logo and the URL without the key; serve() prints it)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(self._guard_middleware)
            return app

        @web.middleware
        async def _guard_middleware(self, request: web.Request, handler) -> web.StreamResponse:  # noqa: ANN001
            guard = self.guard
            given = request.query.get(SECRET_PARAM)
            reason = guard.refusal(
                path=request.path,
                host=request.headers.get("Host"),
                origin=request.headers.get("Origin"),
                query_secret=given,
                cookie_secret=request.cookies.get(guard.cookie_name),
            )
            if reason is not None:
                logging.getLogger("pollstui.web").warning("refused %s %s: %s", request.method, request.path, reason)
                raise web.HTTPForbidden(text=f"pollstui: refused: {reason}\n")
            if request.path == "/" and request.host != f"{guard.host}:{guard.port}":
                raise web.HTTPFound(guard.origin + request.path_qs)  # the page's web socket goes there
            if request.path == "/ws":  # the size the session starts with, clamped as every resize is
                width, height = terminal_size(request.query.get("width"), request.query.get("height"))
                request = request.clone(rel_url=request.rel_url.update_query(width=width, height=height))
            response = await handler(request)
            if request.path == "/" and guard.holds_secret(given):
                response.set_cookie(guard.cookie_name, guard.secret, httponly=True, samesite="Strict", path="/")
            return response

        async def _process_messages(self, websocket, app_service) -> None:  # noqa: ANN001
            """textual-serve's loop, reading what the page sends as untrusted: sizes clamped,
            anything malformed skipped; and when the socket closes, the app is ended."""
            process = getattr(app_service, "_process", None)
            self._open_sockets.add(websocket)
            if process is not None:
                self._running.add(process)
            try:
                async for message in websocket:
                    if message.type == WSMsgType.TEXT:
                        await self._handle(websocket, app_service, message.data)
            finally:
                self._open_sockets.discard(websocket)
                if process is not None:
                    self._end(process)

        async def _handle(self, websocket, app_service, text: str) -> None:  # noqa: ANN001
            try:
                envelope = json.loads(text)
            except ValueError:
                return
            if not isinstance(envelope, list) or not envelope:
                return
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*terminal_size(data.get("width"), data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

        def _end(self, process: asyncio.subprocess.Process) -> asyncio.Task[None]:
            """The task that ends ``process`` (one per process, however often asked)."""
            if process not in self._endings:
                self._endings[process] = asyncio.create_task(self._end_process(process))
            return self._endings[process]

        async def _end_process(self, process: asyncio.subprocess.Process) -> None:
            # textual-serve asks the app to quit when the socket's loop ends; one that does not
            # (busy, hung, stopped) is terminated, then killed.
            try:
                for grace, then in zip(self.graces, (process.terminate, process.kill), strict=True):
                    try:
                        await asyncio.wait_for(process.wait(), grace)
                        return
                    except TimeoutError:
                        logging.getLogger("pollstui.web").warning(
                            "session %d did not end; sending %s", process.pid, then.__name__
                        )
                        try:
                            then()
                        except ProcessLookupError:
                            return
                await process.wait()
            finally:
                self._running.discard(process)
                self._endings.pop(process, None)

        async def on_shutdown(self, app) -> None:  # noqa: ANN001
            for websocket in list(self._open_sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
            await asyncio.gather(*(self._end(process) for process in list(self._running)))

    return PollsServer


def serve(args: Sequence[str], port: int, *, title: str = "pollstui") -> int:
    """Serve ``python -m pollstui ARGS`` on http://127.0.0.1:PORT until Ctrl-C.

    The URL printed carries this run's secret: only a browser that opens it gets a session.
    """
    port = check_port(port)
    ends = graces()
    command = served_command(args)
    guard = Guard(port, HOST)
    register_secret(guard.secret)  # out of every log line
    print(f"pollstui in a browser: open {guard.url}", flush=True)
    print("(the key in it is this run's secret: only that URL opens the app; Ctrl-C stops the server)", flush=True)
    try:
        server_class = _server_class()
        server_class(command, host=HOST, port=port, title=title, guard=guard, graces=ends,
                     templates_path=TEMPLATES).serve()
    except OSError as exc:
        raise WebServeError(f"Cannot serve on {HOST}:{port}: {exc.strerror or exc}.") from None
    return 0


def serve_connection(connection: Connection, port: int = DEFAULT_PORT) -> int:
    """``pollstui web``: the app on ``connection`` (a profile, flags or the environment) in a browser."""
    register_secret(connection.token)
    env, args = session_setup(connection)
    _apply(env)
    return serve(args, port)


def serve_demo(connection: Connection, refs: Sequence[ContentRef], port: int = DEFAULT_PORT, *, site: str = "") -> int:
    """``pollstui demo --web``: the app on the running demo server, in a browser.

    ``connection`` names the demo server (its "demo" profile); ``refs`` are the seeded content
    items the sidebar should list; ``site`` is where their pages are (the demo server itself).
    """
    from pollstui import paths
    from pollstui.profiles import Profile, ProfileStore

    env, args = session_setup(connection)
    with tempfile.TemporaryDirectory(prefix="pollstui-web-demo-") as scratch:
        config_home = Path(scratch)
        os.environ["XDG_CONFIG_HOME"] = str(config_home)
        if config_home in paths.config_file().parents:
            store = ProfileStore().load()
            store.add(
                Profile("demo", connection.endpoint, connection.token, connection.product, recents=list(refs),
                        pinned=list(refs), site=site)
            )
            env[ENV_PROFILE] = "demo"
        else:  # platformdirs ignores XDG here (macOS, Windows): the sessions open the first issue only
            env[ENV_PROFILE] = None
        _apply(env)
        return serve(args, port, title="pollstui demo")
