"""Running the reference server: in a background thread, or in the foreground.

:class:`ServerThread` is what the demo and the end-to-end tests use: uvicorn on
loopback in a daemon thread, on a free port by default. The listening socket
is bound *before* the thread starts, so the port is known at once and a bind
error is raised in the caller, not lost in the thread.

:func:`serve_forever` is ``pollstui serve``: it prints what a user needs to
connect (endpoints, token, one ready-to-paste URL per content item) and serves
until Ctrl-C.

Uvicorn is configured quietly (level warning, no access log) and, for the
thread, without touching global logging config — it may run inside a TUI.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlencode

import uvicorn

from pollstui.server.app import PRODUCTS, create_app
from pollstui.server.seed import seed_demo_data
from pollstui.server.store import PollStore

if TYPE_CHECKING:
    from pollstui.server.voters import VoteSimulator

__all__ = ["ServerThread", "content_urls", "endpoint_urls", "serve_forever"]


def _bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv4 or IPv6, whatever ``host`` is)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.create_server((host, port), family=family)
    # Accepted connections inherit this. asyncio sets it only on sockets whose proto is
    # IPPROTO_TCP (create_server's is 0), and without it every response after the first on a
    # kept-alive connection waits ~40 ms for a delayed ACK (headers and body are two writes).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _base_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def endpoint_urls(base_url: str) -> dict[str, str]:
    """``{"jira": "<base>/x1/jira", "confluence": "<base>/x1/confluence"}``."""
    base = base_url.rstrip("/")
    return {product: f"{base}/x1/{product}" for product in PRODUCTS}


def content_urls(store: PollStore, base_url: str, token: str) -> list[str]:
    """One full GET URL, in the API docs' form, per content item that holds polls."""
    endpoints = endpoint_urls(base_url)
    urls = []
    for item in store.contents_with_polls():
        params = {"token": token, "type": "polls", "workspace": item.workspace, "content": item.content}
        if item.product == "confluence":
            params["container"] = item.container
        urls.append(f"{endpoints[item.product]}?{urlencode(params)}")
    return urls


class ServerThread:
    """Uvicorn serving ``app`` from a daemon thread; use as a context manager.

    ``port=0`` picks a free port; :attr:`base_url` is valid once started.
    """

    def __init__(
        self, app: Any, host: str = "127.0.0.1", port: int = 0, *, startup_timeout: float = 10.0
    ) -> None:
        self.app, self.host, self.port = app, host, port
        self.startup_timeout = startup_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the server is not started")
        return self._base_url

    def start(self) -> ServerThread:
        """Bind, start serving in the background, and return once requests are accepted."""
        if self._thread is not None:
            raise RuntimeError("the server is already started")
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, log_config=None)
        self._server = uvicorn.Server(config)
        self._sock = _bind(self.host, self.port)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="pollstui-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._server.started:
            self.stop()
            raise RuntimeError("the reference server did not start")
        self._base_url = _base_url(self.host, self._sock)
        return self

    def stop(self) -> None:
        """Ask uvicorn to finish open requests and exit; wait for the thread (idempotent)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None
        self._base_url = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: Content URLs printed at start at most (a larger seed has dozens).
_URLS_SHOWN = 12


def serve_forever(
    store: PollStore,
    token: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: bool = False,
    out: TextIO | None = None,
    seed_items: int = 0,
    voters: VoteSimulator | None = None,
) -> None:
    """``pollstui serve``: optionally seed (``seed_items``: also polls on OPS-1 … OPS-N), print how
    to connect, serve until Ctrl-C. ``voters`` start once the store is seeded (so seeded voters
    vote alike every run, from the first vote) and stop when serving ends.

    Raises OSError (before printing anything) when the port cannot be bound.
    """
    out = sys.stdout if out is None else out
    if seed:
        seed_demo_data(store)
    if seed_items:
        from pollstui.server.seed import seed_overview_items

        seed_overview_items(store, seed_items)
    sock = _bind(host, port)
    base = _base_url(host, sock)
    print("Polls reference server", file=out)
    for product, url in endpoint_urls(base).items():
        print(f"  {product:<11} {url}", file=out)
    print(f"  token       {token}", file=out)
    urls = content_urls(store, base, token)
    if urls:
        print("\nContent items with polls (paste one into pollstui):", file=out)
        for url in urls[:_URLS_SHOWN]:
            print(f"  {url}", file=out)
        if len(urls) > _URLS_SHOWN:
            print(f"  … and {len(urls) - _URLS_SHOWN} more (pollstui overview lists them all)", file=out)
    print("\nPress Ctrl-C to stop.", file=out, flush=True)
    config = uvicorn.Config(create_app(store, token), log_level="warning", access_log=False)
    if voters is not None:
        voters.start()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the SIGINT it handled; the shutdown was already clean.
    finally:
        if voters is not None:
            voters.stop()
        sock.close()
