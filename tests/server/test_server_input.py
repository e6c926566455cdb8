"""The reference server never answers 500 to bad input, refuses big bodies early, and keeps its
files private without touching folders it did not make (issue 8)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from pollstui.server import PollStore, create_app
from pollstui.server.app import MAX_BODY, MAX_DEPTH, MAX_OPTIONS

TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
PARAMS = {"token": TOKEN, "type": "polls", "workspace": "PLAT", "content": "PLAT-1"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PollStore]:
    with PollStore(tmp_path / "polls.db") as s:
        yield s


@pytest.fixture
async def client(store: PollStore) -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: a crash must show as the 500 a client would get, not pass silently
    transport = httpx.ASGITransport(app=create_app(store, TOKEN), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def with_options(count: int) -> bytes:
    return json.dumps({"title": "t", "options": [{"id": str(i), "title": f"o{i}", "order": i} for i in range(count)]}).encode()


def nested(depth: int) -> bytes:
    return b'{"title": "t", "options": [], "x": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b'{"title": "a\\ud800", "options": []}', "title holds a lone surrogate (\\ud800)"),
        (b'{"title": "t", "options": [], "\\udc00": 1}', "a key in the body holds a lone surrogate"),
        (b'{"title": "t", "options": [{"id": "1", "title": "\\udfff", "order": 0}]}', "options[0].title holds a lone surrogate"),
        (nested(100_000), f"nested more than {MAX_DEPTH} levels"),  # past Python's recursion limit
        (nested(MAX_DEPTH + 5), f"nested more than {MAX_DEPTH} levels"),
        (b'{"title": 5, "options": []}', "title must be a non-empty string"),
        (b'{"title": "t", "options": [{"id": 1, "title": "a", "order": 0}]}', "options[0].id must be a non-empty string"),
        (b'{"title": "t", "options": [], "settings": {"endDate": 20301231}}', "settings.endDate must be a string"),
        (b'{"title": "t", "options": [], "x": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b'{"title": "\xff", "options": []}', "not valid JSON"),
        (with_options(MAX_OPTIONS + 1), f"at most {MAX_OPTIONS} options; this one has {MAX_OPTIONS + 1}"),
        (with_options(10_000), "this one has 10,000. Remove some, or split the poll."),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_bad_input_is_a_400_with_a_message(client, store, raw: bytes, says: str, method: str) -> None:
    poll_id = store.create_poll("jira", "PLAT", "PLAT-1", "", {"title": "t", "options": []})["id"]
    params = {**PARAMS, "pollId": poll_id} if method == "PUT" else PARAMS
    r = await client.request(method, "/x1/jira", params=params, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_body" and says in r.json()["message"]
    assert [p["title"] for p in store.list_polls("jira", "PLAT", "PLAT-1", "")] == ["t"]  # nothing stored


async def test_a_poll_with_as_many_options_as_allowed_is_kept(client, store) -> None:
    r = await client.post("/x1/jira", params=PARAMS, content=with_options(MAX_OPTIONS))
    assert r.status_code == 200, r.text
    assert len(store.list_polls("jira", "PLAT", "PLAT-1", "")[0]["options"]) == MAX_OPTIONS


async def test_a_body_nested_just_deep_enough_is_kept(client) -> None:
    r = await client.post("/x1/jira", params=PARAMS, content=nested(MAX_DEPTH - 1))
    assert r.status_code == 200, r.text


async def test_a_query_that_is_not_utf8_is_no_crash(client) -> None:
    r = await client.get("/x1/jira?token=" + TOKEN + "&type=polls&workspace=PLAT&content=PLAT-%ED%B0%80")
    assert r.status_code < 500


async def test_a_body_over_the_limit_is_refused_by_its_length(client, store) -> None:
    body = json.dumps({"title": "t", "options": [], "x": "y" * MAX_BODY}).encode()
    r = await client.post("/x1/jira", params=PARAMS, content=body)
    assert r.status_code == 413 and r.json()["error"] == "too_large" and "1024 KiB" in r.json()["message"]
    assert store.count_polls() == 0


async def test_a_streamed_body_over_the_limit_is_refused_before_it_is_read_whole(client, store) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        nonlocal sent
        yield b'{"title": "t", "options": [], "x": "'
        for _ in range(64):  # 4 MiB if it were all read
            sent += 1
            yield b"y" * 65536
        yield b'"}'

    r = await client.post("/x1/jira", params=PARAMS, content=chunks())
    assert r.status_code == 413
    assert sent < 64  # the server stopped reading once the count passed 1 MiB
    assert store.count_polls() == 0


async def test_a_body_at_the_limit_is_taken(client) -> None:
    head = b'{"title": "t", "options": [], "x": "'
    body = head + b"y" * (MAX_BODY - len(head) - 2) + b'"}'
    assert len(body) == MAX_BODY
    r = await client.post("/x1/jira", params=PARAMS, content=body)
    assert r.status_code == 200


# --- files ------------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_serve_db_makes_missing_folders_private_and_leaves_existing_ones(tmp_path: Path, monkeypatch) -> None:
    from pollstui.cli import server_commands

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    db = shared / "new" / "deeper" / "polls.sqlite3"
    served: list[str] = []
    monkeypatch.setattr("pollstui.server.serve_forever", lambda store, *a, **k: served.append(store.path))
    args = type("Args", (), {"token": "t0ken-for-test", "db": str(db), "host": "127.0.0.1", "port": 0, "seed": False, "seed_items": 0, "simulate_votes": None, "vote_seed": None})
    assert server_commands.cmd_serve(args) == 0
    assert served == [str(db)]
    assert mode(shared) == 0o1777  # not ours: untouched
    assert mode(shared / "new") == mode(shared / "new" / "deeper") == 0o700
    assert mode(db) == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    db = tmp_path / "polls.sqlite3"
    PollStore(db).close()
    assert mode(db) == 0o600
    os.chmod(db, 0o640)
    PollStore(db).close()
    assert mode(db) == 0o640
