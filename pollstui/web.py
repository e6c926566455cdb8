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

For the demo, the reference server and the simulated voters run in this process (see
``cmd_demo``); the served sessions get its URL, and a throwaway profiles file holding a "demo"
profile whose recents are the seeded issues (through ``XDG_CONFIG_HOME``, where platformdirs
honours it), so the sidebar lists them as it does in the terminal demo.
"""

from __future__ import annotations

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
from pollstui.api.errors import PollsError, redact, register_secret
from pollstui.settings import ENV_PROFILE, ENV_TOKEN, ENV_URL
from pollstui.text import sanitize
from pollstui.web_guard import SECRET_PARAM, Guard

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.settings import Connection

#: Where the web server listens: loopback only. Only the page opened from the printed URL (which
#: carries the run's secret key) can use a session, and with it the token.
HOST = "127.0.0.1"

#: The default port (textual-serve's).
DEFAULT_PORT = 8000


class WebServeError(PollsError):
    """The web server cannot listen where asked (exit 6, like ``serve``)."""


def served_command(args: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs per session: this Python, ``-m pollstui``, ``args``."""
    return shlex.join([sys.executable, "-m", "pollstui", *args])


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


class _RedactingFormatter(logging.Formatter):
    """Log lines with every registered secret masked and made inert for the terminal.

    The standard traceback format shows no local variables (textual-serve's rich handler shows
    them all, the session's environment with the token among them)."""

    def format(self, record: logging.LogRecord) -> str:
        return sanitize(redact(super().format(record)))


#: textual-serve's private methods :func:`_server_class` overrides (the access guard, the quick stop).
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
    shuts down ends each browser session's app at once (the page says "Session ended").
    """
    import inspect

    from aiohttp import WSCloseCode, web
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
        def __init__(self, *args: object, guard: Guard, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.guard = guard
            self._open_sockets: set = set()

        def initialize_logging(self) -> None:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(_RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
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
            response = await handler(request)
            if request.path == "/" and guard.holds_secret(given):
                response.set_cookie(guard.cookie_name, guard.secret, httponly=True, samesite="Strict", path="/")
            return response

        async def _process_messages(self, websocket, app_service) -> None:  # noqa: ANN001
            self._open_sockets.add(websocket)
            try:
                await super()._process_messages(websocket, app_service)
            finally:
                self._open_sockets.discard(websocket)

        async def on_shutdown(self, app) -> None:  # noqa: ANN001
            for websocket in list(self._open_sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    return PollsServer


def serve(args: Sequence[str], port: int, *, title: str = "pollstui") -> int:
    """Serve ``python -m pollstui ARGS`` on http://127.0.0.1:PORT until Ctrl-C.

    The URL printed carries this run's secret: only a browser that opens it gets a session.
    """
    port = check_port(port)
    command = served_command(args)
    guard = Guard(port, HOST)
    register_secret(guard.secret)  # out of every log line
    print(f"pollstui in a browser: open {guard.url}", flush=True)
    print("(the key in it is this run's secret: only that URL opens the app; Ctrl-C stops the server)", flush=True)
    try:
        _server_class()(command, host=HOST, port=port, title=title, guard=guard).serve()
    except OSError as exc:
        raise WebServeError(f"Cannot serve on {HOST}:{port}: {exc.strerror or exc}.") from None
    return 0


def serve_connection(connection: Connection, port: int = DEFAULT_PORT) -> int:
    """``pollstui web``: the app on ``connection`` (a profile, flags or the environment) in a browser."""
    register_secret(connection.token)
    env, args = session_setup(connection)
    _apply(env)
    return serve(args, port)


def serve_demo(connection: Connection, refs: Sequence[ContentRef], port: int = DEFAULT_PORT) -> int:
    """``pollstui demo --web``: the app on the running demo server, in a browser.

    ``connection`` names the demo server (its "demo" profile); ``refs`` are the seeded content
    items the sidebar should list.
    """
    from pollstui import paths
    from pollstui.profiles import Profile, ProfileStore

    env, args = session_setup(connection)
    with tempfile.TemporaryDirectory(prefix="pollstui-web-demo-") as scratch:
        config_home = Path(scratch)
        os.environ["XDG_CONFIG_HOME"] = str(config_home)
        if config_home in paths.config_file().parents:
            store = ProfileStore().load()
            store.add(Profile("demo", connection.endpoint, connection.token, connection.product, recents=list(refs)))
            env[ENV_PROFILE] = "demo"
        else:  # platformdirs ignores XDG here (macOS, Windows): the sessions open the first issue only
            env[ENV_PROFILE] = None
        _apply(env)
        return serve(args, port, title="pollstui demo")
