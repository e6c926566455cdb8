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
process that does nothing but serve.

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
from pollstui.api.errors import PollsError
from pollstui.settings import ENV_PROFILE, ENV_TOKEN, ENV_URL

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.settings import Connection

#: Where the web server listens: loopback only. Anyone who can open the page can use the token.
HOST = "127.0.0.1"

#: The default port (textual-serve's).
DEFAULT_PORT = 8000


class WebServeError(PollsError):
    """The web server cannot listen where asked (exit 6, like ``serve``)."""

    exit_code = 6


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


def _server_class() -> type:
    """textual-serve's Server, without a line per HTTP request, and quick to stop.

    On Ctrl-C, aiohttp waits up to a minute for open websockets; closing them when the server
    shuts down ends each browser session's app at once (the page says "Session ended").
    """
    from aiohttp import WSCloseCode
    from textual_serve.server import Server

    class PollsServer(Server):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._open_sockets: set = set()

        def initialize_logging(self) -> None:
            super().initialize_logging()
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

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
    """Serve ``python -m pollstui ARGS`` on http://127.0.0.1:PORT until Ctrl-C."""
    port = check_port(port)
    command = served_command(args)
    print(f"pollstui in a browser: open http://{HOST}:{port} (Ctrl-C stops the server)", flush=True)
    try:
        _server_class()(command, host=HOST, port=port, title=title).serve()
    except OSError as exc:
        raise WebServeError(f"Cannot serve on {HOST}:{port}: {exc.strerror or exc}.") from None
    return 0


def serve_connection(connection: Connection, port: int = DEFAULT_PORT) -> int:
    """``pollstui web``: the app on ``connection`` (a profile, flags or the environment) in a browser."""
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
