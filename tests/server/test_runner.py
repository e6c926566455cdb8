"""The server on a real socket: ServerThread end to end, URL helpers, ``serve_forever``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from queue import Queue

import httpx
import pytest

from pollstui.server import PollStore, ServerThread, content_urls, create_app, endpoint_urls, seed_demo_data
from tests.example import STARS_ID

TOKEN = "runner-token-5b1e"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PollStore]:
    with PollStore(tmp_path / "polls.db") as s:
        yield s


async def test_end_to_end_over_loopback(store) -> None:
    seed_demo_data(store)
    with ServerThread(create_app(store, TOKEN)) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert int(server.base_url.rsplit(":", 1)[1]) > 0
        jira = endpoint_urls(server.base_url)["jira"]
        query = {"token": TOKEN, "type": "polls", "workspace": "PLAT", "content": "PLAT-254604"}
        async with httpx.AsyncClient(timeout=5) as client:
            r = await client.get(jira, params={**query, "expand": "results"})
            assert r.status_code == 200
            stars = r.json()[0]
            assert stars["id"] == STARS_ID
            assert stars["results"]["totalVotes"] == 9
            assert [o["optionId"] for o in stars["results"]["options"]] == ["1", "2", "3", "4", "5"]

            r = await client.post(jira, params=query, json={"title": "Over the wire ⚡", "options": []})
            created = r.json()
            assert (r.status_code, created["title"]) == (200, "Over the wire ⚡")
            r = await client.put(
                jira, params={**query, "pollId": created["id"]}, json={**created, "title": "Edited"}
            )
            assert r.json() == {**created, "title": "Edited"}
            r = await client.delete(jira, params={**query, "pollId": created["id"]})
            assert r.json() == {"id": created["id"], "deleted": True}

            r = await client.get(jira, params={**query, "token": "bad"})
            assert r.status_code == 403
            assert r.headers["content-type"] == "application/json"
            r = await client.patch(jira, params=query)
            assert r.status_code == 405
    assert [p["title"] for p in store.list_polls("jira", "PLAT", "PLAT-254604", "")][0] == stars["title"]


def test_stop_releases_the_port_and_is_idempotent(store) -> None:
    server = ServerThread(create_app(store, TOKEN)).start()
    port = int(server.base_url.rsplit(":", 1)[1])
    with httpx.Client() as client:
        assert client.get(f"{server.base_url}/x1/jira").status_code == 403
    server.stop()
    server.stop()
    with pytest.raises(RuntimeError):
        server.base_url
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_base_url_needs_a_started_server(store) -> None:
    with pytest.raises(RuntimeError, match="not started"):
        ServerThread(create_app(store, TOKEN)).base_url


def test_two_servers_get_two_ports(store) -> None:
    app = create_app(store, TOKEN)
    with ServerThread(app) as a, ServerThread(app) as b:
        assert a.base_url != b.base_url


def test_endpoint_urls() -> None:
    assert endpoint_urls("http://127.0.0.1:8765/") == {
        "jira": "http://127.0.0.1:8765/x1/jira",
        "confluence": "http://127.0.0.1:8765/x1/confluence",
    }


def test_content_urls(store) -> None:
    assert content_urls(store, "http://h:1", "t") == []
    seed_demo_data(store)
    urls = content_urls(store, "http://h:1", "t k")
    assert len(urls) == 9
    assert urls[0] == "http://h:1/x1/jira?token=t+k&type=polls&workspace=PLAT&content=PLAT-254604"
    assert urls[6] == (
        "http://h:1/x1/confluence?token=t+k&type=polls&workspace=98306&content=557057"
        "&container=a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    )


def test_create_app_refuses_an_empty_token(store) -> None:
    with pytest.raises(ValueError):
        create_app(store, "")


def test_server_package_imports_neither_textual_nor_the_client() -> None:
    code = (
        "import sys, pollstui.server\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('pollstui.api')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_serve_forever_prints_urls_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pollstui.server import PollStore, serve_forever\n"
        f"with PollStore({str(tmp_path / 'serve.db')!r}) as store:\n"
        f"    serve_forever(store, {TOKEN!r}, port=0, seed=True)\n"
        "print('exited')\n"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    errors = tmp_path / "stderr.txt"  # a file, not a pipe: a chatty failure must not block the child
    queue: Queue[str] = Queue()
    with errors.open("w") as stderr, subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=stderr, text=True, env=env
    ) as proc:
        # A reader thread, because select() cannot see lines already in the text buffer.
        stdout = proc.stdout
        assert stdout is not None
        reader = threading.Thread(target=lambda: [queue.put(x) for x in iter(stdout.readline, "")])
        reader.start()
        try:
            lines = [queue.get(timeout=30).rstrip("\n")]
            while "Press Ctrl-C" not in lines[-1]:
                lines.append(queue.get(timeout=30).rstrip("\n"))
            jira = next(line.split()[-1] for line in lines if line.strip().startswith("jira"))
            assert jira.startswith("http://127.0.0.1:") and jira.endswith("/x1/jira")
            base = jira.removesuffix("/x1/jira")
            assert f"  confluence  {base}/x1/confluence" in lines
            assert f"  token       {TOKEN}" in lines
            assert f"  {base}/x1/jira?token={TOKEN}&type=polls&workspace=MOBI&content=MOBI-1207" in lines
            assert "\n".join(lines).count("/x1/confluence?") == 3
            paste = next(line.strip() for line in lines if "content=PLAT-254611" in line)
            with httpx.Client() as client:
                r = client.get(paste)
            assert r.status_code == 200
            assert len(r.json()) == 2
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            reader.join(timeout=5)
    err = errors.read_text()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert [queue.get_nowait() for _ in range(queue.qsize())] == ["exited\n"]
