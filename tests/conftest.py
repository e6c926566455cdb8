"""Shared fixtures: isolated user directories and the real reference server.

Every test runs with the XDG directories pointed into its own tmp_path, so no test reads or
writes the developer's real profiles, drafts, caches or journal, and with keyring's "no keyring"
backend, so none touches the developer's keyring.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TOKEN = "tok-3f9a1c2e-77b4-4d10-9e6b-5a0c2d8e1f43"


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: `-p no:xdist` runs go on without it
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core. A Pilot test waits about half of its time (key presses
    settle in 20 ms steps, timers, the loopback server), so one worker per core leaves the cores
    half idle; on this 2-core machine four workers ran the suite in 132 s against three's 159 s."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores * 2)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Fewer passes of the garbage collector while the tests run (only in the test processes; the
    ``pollstui`` processes that tests start run as a user's do).

    A Pilot test's app lives long enough for the collector's passes to carry its widgets into the
    oldest generation, where they die at the test's end; with Python's default thresholds the
    collector then took about a fifth of the TUI tests' CPU time, walking the same long-lived
    objects (the modules, Textual's caches) again and again. Collected garbage is the same, only
    collected in fewer, larger passes; what was imported is frozen out of them.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    for var in ("POLLS_URL", "POLLS_TOKEN", "POLLS_PROFILE", "NO_COLOR", "POLLSTUI_KEYRING_TIMEOUT", "POLLSTUI_WEB_GRACE"):
        monkeypatch.delenv(var, raising=False)
    # No keyring unless a test chooses one (tests/test_keyring.py): never the developer's own.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch) -> Iterator[None]:
    """Local time is UTC in every test (an end date without a zone is shown in local time), unless a
    test sets ``TZ`` itself and calls ``time.tzset()``."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class RefServer:
    """A running reference server on loopback."""

    base_url: str
    token: str
    store: object
    db_path: Path

    @property
    def jira_endpoint(self) -> str:
        return f"{self.base_url}/x1/jira"

    @property
    def confluence_endpoint(self) -> str:
        return f"{self.base_url}/x1/confluence"


class _Switchboard:
    """An ASGI app that hands each request to the app of the test running now.

    One uvicorn server per worker process serves every test (starting and stopping one per test
    cost ~0.15 s each, most of it uvicorn's shutdown); each test still gets its own store and
    ``create_app``, so no state passes from one test to the next. A request that arrives while no
    test owns the server is answered 503, and a test's store is closed only once its requests
    have finished.
    """

    def __init__(self) -> None:
        self.app = None
        self.active = 0
        self.idle = threading.Condition()

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        app = self.app
        if app is None:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"no test is using this server"})
            return
        with self.idle:
            self.active += 1
        try:
            await app(scope, receive, send)
        finally:
            with self.idle:
                self.active -= 1
                self.idle.notify_all()

    def hand_back(self) -> None:
        """Stop routing to the current app, once its requests are done (at most 10 s)."""
        with self.idle:
            self.idle.wait_for(lambda: self.active == 0, timeout=10)
            self.app = None


@pytest.fixture(scope="session")
def _loopback() -> Iterator[tuple[str, _Switchboard]]:
    """This worker's loopback uvicorn server (its base URL) and the switchboard it serves."""
    from pollstui.server import ServerThread

    board = _Switchboard()
    with ServerThread(board) as thread:
        yield thread.base_url, board


@pytest.fixture(scope="session")
def _seeded_db(tmp_path_factory) -> Path:
    """A store file holding the demo seed, made once per worker; each seeded test gets a copy."""
    from pollstui.server import PollStore, seed_demo_data

    path = tmp_path_factory.mktemp("seed") / "seeded.sqlite3"
    with PollStore(path) as store:
        seed_demo_data(store)
    return path


@contextmanager
def _serve(loopback: tuple[str, _Switchboard], tmp_path: Path, seeded: Path | None) -> Iterator[RefServer]:
    """Serve a store of this test's own: a copy of ``seeded`` when given, else empty."""
    from pollstui.server import PollStore, create_app

    base_url, board = loopback
    assert board.app is None, "one reference server per test"
    db = tmp_path / "server.sqlite3"
    if seeded is not None:
        db.touch(mode=0o600)  # (as the store makes its file)
        shutil.copyfile(seeded, db)
    with PollStore(db) as store:
        board.app = create_app(store, TOKEN)
        try:
            yield RefServer(base_url, TOKEN, store, db)
        finally:
            board.hand_back()


@pytest.fixture
def ref_server(_loopback, _seeded_db, tmp_path) -> Iterator[RefServer]:
    """The seeded reference server (its own store), uvicorn on a loopback port."""
    with _serve(_loopback, tmp_path, _seeded_db) as server:
        yield server


@pytest.fixture
def empty_server(_loopback, tmp_path) -> Iterator[RefServer]:
    """The reference server with no polls."""
    with _serve(_loopback, tmp_path, None) as server:
        yield server
