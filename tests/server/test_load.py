"""The reference server under load, on a real socket: concurrent writes, and restarts.

- 50 concurrent creates on one content item give exactly 50 polls, each as sent.
- Concurrent PUTs and DELETEs of one poll never corrupt the database: every answer is 200 or
  404, the poll is afterwards either whole (one PUT's body, exactly) or gone, and SQLite's
  ``integrity_check`` and ``foreign_key_check`` stay clean.
- A restart loses nothing that was answered 200: after a clean stop, and after a ``kill -9``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Queue
from typing import Any

import httpx
import pytest

from pollstui.server import PollStore, ServerThread, create_app

TOKEN = "load-token-7c1d9e2f"
ITEM = {"type": "polls", "workspace": "LOAD", "content": "LOAD-1"}


def body(title: str, n_options: int = 3, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "description": f"about {title}",
        "options": [{"id": str(i + 1), "title": f"{title} / {i}", "order": i} for i in range(n_options)],
        "settings": {"allowSelectionOfMultipleOptions": True},
        **extra,
    }


def check_database(path: Path) -> None:
    # closing(): a sqlite3 connection's own context manager commits but does not close, and
    # Python 3.13 warns (an error here) about a connection left to the garbage collector.
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = db.execute("SELECT COUNT(*) FROM votes WHERE poll_id NOT IN (SELECT id FROM polls)").fetchone()
        assert orphans == (0,)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "load.sqlite3"


@pytest.fixture
def server(db_path: Path) -> Iterator[tuple[str, PollStore]]:
    with PollStore(db_path) as store, ServerThread(create_app(store, TOKEN)) as thread:
        yield f"{thread.base_url}/x1/jira", store


def params(**more: str) -> dict[str, str]:
    return {"token": TOKEN, **ITEM, **more}


async def test_50_concurrent_creates_give_exactly_50_polls(server, db_path) -> None:
    endpoint, store = server
    sent = [body(f"poll {n:02d}", n_options=1 + n % 5, marker={"n": n}) for n in range(50)]
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        responses = await asyncio.gather(*(client.post(endpoint, params=params(), json=b) for b in sent))
        assert [r.status_code for r in responses] == [200] * 50
        created = [r.json() for r in responses]
        listed = (await client.get(endpoint, params=params())).json()
    ids = [c["id"] for c in created]
    assert len(set(ids)) == 50
    assert [{k: v for k, v in c.items() if k != "id"} for c in created] == sent  # each answer is its own poll
    assert len(listed) == 50
    assert {p["id"]: p for p in listed} == {c["id"]: c for c in created}
    assert len(store.list_polls("jira", "LOAD", "LOAD-1", "")) == store.count_polls() == 50
    check_database(db_path)


@pytest.mark.parametrize("deletes", [0, 1, 3])
async def test_concurrent_puts_and_deletes_never_corrupt_a_poll(server, db_path, deletes: int) -> None:
    endpoint, store = server
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=40)) as client:
        for round_ in range(8):
            original = (await client.post(endpoint, params=params(), json=body(f"round {round_}"))).json()
            poll_id = original["id"]
            for voter in range(5):
                store.add_vote(poll_id, ["1", "2"], f"voter-{voter}")
            versions = [
                {**body(f"round {round_} version {v}", n_options=1 + v % 6, version=v), "id": poll_id}
                for v in range(12)
            ]
            requests = [client.put(endpoint, params=params(pollId=poll_id), json=v) for v in versions]
            requests += [client.delete(endpoint, params=params(pollId=poll_id)) for _ in range(deletes)]
            order = list(range(len(requests)))
            order = order[round_ % len(order) :] + order[: round_ % len(order)]  # vary who goes first
            answers = await asyncio.gather(*(requests[i] for i in order))
            by_request = dict(zip(order, answers))
            puts = [by_request[i] for i in range(len(versions))]
            dels = [by_request[i] for i in range(len(versions), len(requests))]

            assert {r.status_code for r in puts + dels} <= {200, 404}
            for version, answer in zip(versions, puts):
                if answer.status_code == 200:
                    assert answer.json() == version  # whole, never a mix of two bodies
                else:
                    assert answer.json()["error"] == "not_found"
            assert [r.status_code for r in dels].count(200) == (1 if deletes else 0)

            final = await client.get(endpoint, params=params(pollId=poll_id))
            if deletes:
                assert final.status_code == 404
                assert store.results(poll_id) is None
            else:
                assert final.status_code == 200
                [final_poll] = final.json()
                assert final_poll in versions  # exactly one writer's version, whole
                assert store.results(poll_id)["totalVoters"] == 5
    check_database(db_path)
    assert store.count_polls() == (0 if deletes else 8)


# --- restarts -------------------------------------------------------------------------------------


async def write_a_lot(endpoint: str) -> dict[str, dict[str, Any]]:
    """Concurrent creates, then concurrent updates and deletes; what the server holds by its 200s."""
    expected: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(timeout=30) as client:
        created = await asyncio.gather(*(client.post(endpoint, params=params(), json=body(f"p{n}")) for n in range(30)))
        for answer in created:
            assert answer.status_code == 200
            expected[answer.json()["id"]] = answer.json()
        ids = list(expected)
        updates = [{**expected[i], "title": f"updated {n}", "extra": {"n": n}} for n, i in enumerate(ids[:10])]
        answers = await asyncio.gather(
            *(client.put(endpoint, params=params(pollId=u["id"]), json=u) for u in updates),
            *(client.delete(endpoint, params=params(pollId=i)) for i in ids[10:16]),
        )
        for update, answer in zip(updates, answers):
            assert answer.status_code == 200
            expected[update["id"]] = answer.json()
        for poll_id, answer in zip(ids[10:16], answers[10:]):
            assert answer.status_code == 200
            del expected[poll_id]
    return expected


async def test_a_restart_loses_nothing_that_was_answered_200(db_path: Path) -> None:
    store = PollStore(db_path)
    thread = ServerThread(create_app(store, TOKEN)).start()
    try:
        expected = await write_a_lot(f"{thread.base_url}/x1/jira")
    finally:
        thread.stop()
    # The old store is left open, as a crashed process would leave it: nothing is flushed on the way out.
    try:
        with PollStore(db_path) as again, ServerThread(create_app(again, TOKEN)) as restarted:
            async with httpx.AsyncClient(timeout=30) as client:
                listed = (await client.get(f"{restarted.base_url}/x1/jira", params=params())).json()
    finally:
        store.close()
    assert {p["id"]: p for p in listed} == expected
    assert len(listed) == 24
    check_database(db_path)


@contextmanager
def served(db: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``serve_forever`` in a child process on a free port; yields its Jira endpoint and the process."""
    code = (
        "from pollstui.server import PollStore, serve_forever\n"
        f"serve_forever(PollStore({str(db)!r}), {TOKEN!r}, port=0)\n"
    )
    lines: Queue[str] = Queue()
    errors = db.with_suffix(".stderr")
    with errors.open("a") as stderr, subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=stderr, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as proc:  # fmt: skip
        stdout = proc.stdout
        assert stdout is not None
        reader = threading.Thread(target=lambda: [lines.put(x) for x in iter(stdout.readline, "")], daemon=True)
        reader.start()
        try:
            seen = [lines.get(timeout=30)]
            while "Press Ctrl-C" not in seen[-1]:
                seen.append(lines.get(timeout=30))
            yield next(line.split()[-1] for line in seen if line.strip().startswith("jira")), proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
async def test_a_killed_server_loses_nothing_that_was_answered_200(db_path: Path) -> None:
    with served(db_path) as (endpoint, proc):
        expected = await write_a_lot(endpoint)
        proc.kill()  # SIGKILL: no shutdown, no checkpoint, no close
        assert proc.wait(timeout=30) == -9
    with served(db_path) as (endpoint, _):
        async with httpx.AsyncClient(timeout=30) as client:
            listed = (await client.get(endpoint, params=params())).json()
    assert {p["id"]: p for p in listed} == expected
    assert json.dumps(sorted(expected)) == json.dumps(sorted(p["id"] for p in listed))
    check_database(db_path)
