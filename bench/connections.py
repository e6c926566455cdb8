"""6. Connection reuse: 200 sequential requests through PollsClient vs a bare httpx loop.

Both are child processes (children/many_requests.py) timing their own loop of 200 GETs of the
seeded content's polls (``list_polls_body``: the retry loop, error mapping and JSON check, vs
``client.get`` and ``response.json()``), alternating, straight to the server. Then one more run
of each goes through a counting TCP proxy in front of the server, which tells how many
connections each opened: one is the target (the proxy is left out of the timed runs).
"""

from __future__ import annotations

import json
import socket
import threading
from urllib.parse import urlsplit

from bench.context import BenchContext
from bench.measure import Figure, alternate, median, run_process, spread

NAME = "connections"
TARGET = 1.2
REQUESTS = 200


class CountingProxy:
    """A TCP relay on a free loopback port that counts the connections it accepts."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.accepted = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._sock.settimeout(0.1)  # so the accepting thread notices close()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self.accepted += 1
            threading.Thread(target=_relay, args=(client, self.upstream), daemon=True).start()

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def __enter__(self) -> CountingProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _relay(client: socket.socket, upstream_address: tuple[str, int]) -> None:
    with client, socket.create_connection(upstream_address) as upstream:
        back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
        back.start()
        _pump(client, upstream)
        back.join(timeout=10)


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    n = REQUESTS

    def argv(mode: str, endpoint: str) -> list[str]:
        return [ctx.python, ctx.child("many_requests.py"), mode, endpoint, server.token, server.workspace, server.content, str(n)]

    def timed(mode: str) -> float:
        return json.loads(run_process(argv(mode, server.endpoint), env=ctx.env()).stdout)["seconds"]

    a, b = alternate(lambda: timed("httpx"), lambda: timed("pollsclient"), ctx.runs, warmup=ctx.warmup)
    parts = urlsplit(server.base_url)
    counts = {}
    for mode in ("pollsclient", "httpx"):
        with CountingProxy((parts.hostname, parts.port)) as proxy:
            run_process(argv(mode, f"http://127.0.0.1:{proxy.port}/x1/jira"), env=ctx.env())
            counts[mode] = proxy.accepted
    return [
        Figure(
            NAME, f"{n} requests through PollsClient", median(b), "s", baseline=median(a),
            baseline_label="bare httpx.AsyncClient loop", limit=TARGET, runs=ctx.runs,
            note=f"runs: PollsClient {spread(b)} s, httpx {spread(a)} s",
            extra={"pollsclient_s": b, "httpx_s": a},
        ),
        Figure(
            NAME, f"Connections the server saw ({n} requests)", counts["pollsclient"], "",
            baseline=counts["httpx"], baseline_label="bare httpx", met=counts["pollsclient"] == 1,
            note="counted by a TCP proxy in front of the server", extra={"target": "1"},
        ),
    ]  # fmt: skip
