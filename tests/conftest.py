"""Shared fixtures: isolated user directories and the real reference server.

Every test runs with the XDG directories pointed into its own tmp_path, so no test reads or
writes the developer's real profiles, drafts, caches or journal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TOKEN = "tok-3f9a1c2e-77b4-4d10-9e6b-5a0c2d8e1f43"


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
    for var in ("POLLS_URL", "POLLS_TOKEN", "POLLS_PROFILE", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
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


def _start(tmp_path: Path, seed: bool):
    from pollstui.server import PollStore, ServerThread, create_app, seed_demo_data

    db = tmp_path / "server.sqlite3"
    store = PollStore(db)
    if seed:
        seed_demo_data(store)
    thread = ServerThread(create_app(store, TOKEN))
    thread.start()
    return thread, RefServer(thread.base_url, TOKEN, store, db)


@pytest.fixture
def ref_server(tmp_path):
    """The seeded reference server, uvicorn on a free loopback port."""
    thread, server = _start(tmp_path, seed=True)
    try:
        yield server
    finally:
        thread.stop()
        close = getattr(server.store, "close", None)
        if close:
            close()


@pytest.fixture
def empty_server(tmp_path):
    """The reference server with no polls."""
    thread, server = _start(tmp_path, seed=False)
    try:
        yield server
    finally:
        thread.stop()
        close = getattr(server.store, "close", None)
        if close:
            close()
