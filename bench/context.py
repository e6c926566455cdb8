"""What every benchmark shares: the interpreter, isolated user directories, the servers.

The reference servers run as their own processes (``pollstui serve … --db tmp``) on loopback,
started once per ``make bench``: the seeded demo content, and on demand a content item with
1,000 polls × 10 options with votes, written straight into a PollStore before serving it.
Every child process gets fresh XDG directories (no profile, no polls cache, no journal), so no
run profits from another's files and nothing touches the developer's own; Python bytecode is
cached (in the temporary directory) even where PYTHONDONTWRITEBYTECODE is set, as an installed
pollstui would run.

The measured programs run as a user's install runs them: in a client venv (``.venv-client`` at
the top of the tree, made on first use and again when pyproject.toml changes) holding
``pip install -e .`` without extras, pinned to the versions of Textual, rich, httpx and pydantic
the bench's own venv has. That venv has no click (uvicorn brings it, with the [server] extra),
so httpx's command-line module does not load there, as it does not for a user of the client.
The reference servers run from the bench's own venv (they need the [server] extra).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import BenchError

CHILDREN = Path(__file__).resolve().parent / "children"

#: The seeded content item the benchmarks open, and a title that only the poll list shows.
SEEDED_CONTENT = "PLAT-254604"
SEEDED_TITLE = "Which release train"

SCALE_WORKSPACE = "SCALE"
SCALE_CONTENT = "SCALE-1000"
SCALE_POLLS = 1000
SCALE_OPTIONS = 10
SCALE_VOTERS = 5  # per poll


@dataclass(frozen=True)
class Server:
    """A reference server process on loopback."""

    base_url: str
    token: str
    workspace: str
    content: str
    process: subprocess.Popen
    db: Path | None = None  # its SQLite file, for what a bench reads after a window (votes cast)

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/x1/jira"

    def url(self, *, results: bool = False) -> str:
        params = {"token": self.token, "type": "polls", "workspace": self.workspace, "content": self.content}
        if results:
            params["expand"] = "results"
        return f"{self.endpoint}?{urlencode(params)}"

    def cli_args(self) -> list[str]:
        return ["--endpoint", self.endpoint, "--token", self.token, "--content", self.content]


class BenchContext:
    """Run settings, the temporary directory, child environments and the servers."""

    def __init__(self, *, runs: int, warmup: int, quick: bool, tmp: Path) -> None:
        self.runs = runs
        self.warmup = warmup
        self.quick = quick
        self.tmp = tmp
        #: The bench's own venv (the dev venv: every extra, click with uvicorn): runs the servers.
        self.dev_python = sys.executable
        self.server_pollstui = str(Path(sys.executable).with_name("pollstui"))
        #: The client venv (see the module docstring): runs every measured program, both sides.
        self.python = client_python()
        self.pollstui = str(Path(self.python).with_name("pollstui"))
        self._servers: dict[str, Server] = {}
        self._proxies: list[DelayProxy] = []
        self._count = 0

    # --- child processes -----------------------------------------------------------------------

    def child(self, name: str) -> str:
        """The path of a child program in bench/children/."""
        return str(CHILDREN / name)

    def env(self, **extra: str) -> dict[str, str]:
        """A child environment: fresh XDG directories, no POLLS_* variables, a 100×30 size."""
        self._count += 1
        home = self.tmp / "homes" / f"run{self._count}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("POLLS_", "POLLSTUI_", "TEXTUAL_"))}
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_STATE_HOME", "state"),
        ):
            path = home / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env["COLUMNS"], env["LINES"] = "100", "30"
        env.pop("NO_COLOR", None)
        # As on a user's machine, modules load from cached bytecode (the warm-up writes it). The
        # cache lives in the bench's temporary directory: nothing is written into the tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.tmp / "pycache")
        env.update(extra)
        return env

    def headless_env(self, **extra: str) -> dict[str, str]:
        """Like :meth:`env`, with Textual's headless driver (both sides of a comparison use it)."""
        return self.env(TEXTUAL_DRIVER="textual.drivers.headless_driver:HeadlessDriver", **extra)

    # --- servers -------------------------------------------------------------------------------

    def seeded_server(self) -> Server:
        if "seeded" not in self._servers:
            db = self.tmp / "seeded.sqlite3"
            self._servers["seeded"] = self._serve(db, seed=True, workspace="PLAT", content=SEEDED_CONTENT)
        return self._servers["seeded"]

    def voting_server(self, rate: float, seed: int) -> Server:
        """The seeded content on a server of its own whose simulated voters cast ``rate`` votes a
        second, their choices seeded with ``seed``: the same votes on the same polls every run."""
        key = f"voting-{rate:g}-{seed}"
        if key not in self._servers:
            db = self.tmp / f"{key}.sqlite3"
            extra = ["--simulate-votes", f"{rate:g}", "--vote-seed", str(seed)]
            self._servers[key] = self._serve(db, seed=True, workspace="PLAT", content=SEEDED_CONTENT, extra=extra)
        return self._servers[key]

    def scale_server(self) -> Server:
        if "scale" not in self._servers:
            db = self.tmp / "scale.sqlite3"
            build_scale_db(db)
            self._servers["scale"] = self._serve(db, seed=False, workspace=SCALE_WORKSPACE, content=SCALE_CONTENT)
        return self._servers["scale"]

    def overview_server(self, items: int) -> Server:
        """The seeded server with polls on OPS-1 … OPS-``items`` too (``--seed-items``)."""
        key = f"overview-{items}"
        if key not in self._servers:
            db = self.tmp / f"overview-{items}.sqlite3"
            self._servers[key] = self._serve(db, seed=True, workspace="OPS", content="OPS-1", extra=["--seed-items", str(items)])
        return self._servers[key]

    def _serve(self, db: Path, *, seed: bool, workspace: str, content: str, extra: list[str] | None = None) -> Server:
        token = "bench-" + secrets.token_hex(12)
        port = free_port()
        argv = [self.server_pollstui, "serve", "--port", str(port), "--token", token, "--db", str(db)]
        if seed:
            argv.append("--seed")
        argv += extra or []
        log = open(self.tmp / f"server-{port}.log", "wb")  # noqa: SIM115 (kept open for the process's life)
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env())
        server = Server(f"http://127.0.0.1:{port}", token, workspace, content, process, db)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(server.url(), timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise BenchError(f"the reference server did not start (see {log.name})") from None
                time.sleep(0.05)
        return server

    def delayed(self, server: Server, delay: float) -> Server:
        """``server`` behind a proxy that holds every request ``delay`` seconds: a server far away."""
        key = f"delayed-{server.base_url}-{delay}"
        if key not in self._servers:
            proxy = DelayProxy(int(server.base_url.rsplit(":", 1)[1]), delay)
            self._proxies.append(proxy)
            self._servers[key] = Server(
                f"http://127.0.0.1:{proxy.port}", server.token, server.workspace, server.content, server.process
            )
        return self._servers[key]

    def close(self) -> None:
        for proxy in self._proxies:
            proxy.close()
        self._proxies.clear()
        for server in {id(s.process): s for s in self._servers.values()}.values():
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
        self._servers.clear()


class DelayProxy:
    """A TCP proxy on loopback that forwards each chunk a client sends ``delay`` seconds late.

    An HTTP request is one chunk here, so every request (the first, and each on a kept-alive
    connection) reaches the server ``delay`` seconds after it was sent, as if the server were far
    away; answers come back at once. Runs its own event loop in a thread.
    """

    def __init__(self, target_port: int, delay: float) -> None:
        import asyncio
        import threading

        self.delay = delay
        self.target_port = target_port
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._server = None

        async def start() -> None:
            self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()

        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(start())
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="bench-delay-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise BenchError("the delay proxy did not start")

    async def _client(self, reader, writer) -> None:  # noqa: ANN001
        import asyncio

        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return

        async def pipe(src, dst, delay: float) -> None:  # noqa: ANN001
            try:
                while chunk := await src.read(65536):
                    if delay:
                        await asyncio.sleep(delay)
                    dst.write(chunk)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, self.delay), pipe(up_reader, writer, 0.0))

    def close(self) -> None:
        def stop() -> None:
            if self._server is not None:
                self._server.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(5)


#: The client venv: pollstui as ``pip install pollstui`` installs it (no extras).
CLIENT_VENV = Path(__file__).resolve().parent.parent / ".venv-client"
_PINNED = ("textual", "rich", "httpx", "pydantic")


def client_python() -> str:
    """The client venv's interpreter, made (or remade, when pyproject.toml is newer) first."""
    from importlib import metadata

    root = CLIENT_VENV.parent
    python = CLIENT_VENV / "bin" / "python"
    stamp = CLIENT_VENV / ".installed"
    if stamp.exists() and stamp.stat().st_mtime >= (root / "pyproject.toml").stat().st_mtime and python.exists():
        return str(python)
    print(f"  (making the client venv {CLIENT_VENV.name}: pip install -e . without extras)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(CLIENT_VENV)], check=True)
    pins = [f"{name}=={metadata.version(name)}" for name in _PINNED]
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", str(root), *pins], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BenchError(f"could not make the client venv: {result.stderr.strip()[-500:]}")
    stamp.touch()
    return str(python)


def has_click(python: str) -> bool:
    """Whether ``python`` can import click (then httpx imports its command-line module)."""
    code = "import importlib.util, sys; sys.exit(importlib.util.find_spec('click') is None)"
    return subprocess.run([python, "-c", code]).returncode == 0


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def build_scale_db(path: Path) -> None:
    """1,000 polls × 10 options on one Jira issue, each with votes, straight into a PollStore."""
    from pollstui.server import PollStore

    store = PollStore(path)
    try:
        if store.count_polls():
            return
        for n in range(SCALE_POLLS):
            body = {
                "title": f"Scale poll {n:04d}: which option should win this round of the benchmark?",
                "description": f"Poll {n} of {SCALE_POLLS}, made by `make bench`.",
                "options": [{"id": f"o{k}", "title": f"Option {k} of poll {n}", "order": k} for k in range(SCALE_OPTIONS)],
                "settings": {
                    "allowSelectionOfMultipleOptions": n % 3 == 0,
                    "resultsVisibility": "alwaysPublic",
                    "endDate": "2031-06-30T17:00:00Z" if n % 2 else "",
                    "hideAbsoluteNumbers": n % 7 == 0,
                    "allowRevote": n % 2 == 0,
                    "saveParticipantNames": False,
                    "closePollOnEndDate": n % 5 == 0,
                    "allowComment": n % 4 == 0,
                },
            }
            poll = store.create_poll("jira", SCALE_WORKSPACE, SCALE_CONTENT, "", body, poll_id=f"scale-{n:04d}")
            for v in range(SCALE_VOTERS):
                store.add_vote(poll["id"], [f"o{(n + v * 3) % SCALE_OPTIONS}"], f"voter{v}")
    finally:
        store.close()


@contextlib.contextmanager
def bench_context(*, runs: int, warmup: int, quick: bool):
    with tempfile.TemporaryDirectory(prefix="pollstui-bench-") as tmp:
        ctx = BenchContext(runs=runs, warmup=warmup, quick=quick, tmp=Path(tmp))
        try:
            yield ctx
        finally:
            ctx.close()
