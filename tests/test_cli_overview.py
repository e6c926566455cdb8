"""`pollstui overview`: many items in one table or JSON object, against the reference server behind
the fault proxy (a failing item, a slow item, the in-flight bound), and Ctrl-C in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from pollstui.cli import main
from pollstui.profiles import Profile, ProfileStore
from tests.conftest import TOKEN
from tests.faults import fault_proxy  # noqa: F401 (fixture)
from tests.hostile import add_hostile_poll, controls_in

ITEMS = ["PLAT-254604", "PLAT-254611", "PLAT-254630", "MOBI-1207", "MOBI-1213", "MOBI-1230"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pinned(fault_proxy):  # noqa: F811
    """A default profile on the proxy, with the seeded Jira items pinned."""
    store = ProfileStore().load()
    store.add(Profile("work", fault_proxy.jira_endpoint, TOKEN))
    from pollstui.api.address import ContentRef

    store.pin("work", [ContentRef.create("jira", "", key) for key in ITEMS])
    return fault_proxy


def server_list(proxy, content: str) -> list:
    query = urlencode({"token": TOKEN, "type": "polls", "workspace": content.split("-")[0], "content": content,
                       "expand": "results"})  # fmt: skip
    with urllib.request.urlopen(f"{proxy.jira_endpoint}?{query}") as response:
        return json.loads(response.read())


def test_the_pinned_items_in_one_table_open_polls_closing_soonest_first(capsys, pinned):
    code, out, err = run(capsys, "overview")
    assert code == 0 and err == ""
    assert pinned.count("GET") == len(ITEMS)  # one request per item
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0] == ["ITEM", "TITLE", "VOTES", "OPTIONS", "ENDS", "FLAGS"]
    rows = lines[1:]
    assert {row[0] for row in rows} == set(ITEMS) - {"PLAT-1"}
    assert len(rows) == sum(len(server_list(pinned, item)) for item in ITEMS)
    ends = [row[4] for row in rows]
    # dated open polls first (soonest first), then those without an end, then the closed ones
    closed = [i for i, e in enumerate(ends) if e in ("closed", "ended")]
    undated = [i for i, e in enumerate(ends) if e == "—"]
    dated = [i for i, e in enumerate(ends) if i not in closed and i not in undated]
    assert dated and undated and closed and max(dated) < min(undated) and max(undated) < min(closed)


def test_json_gives_every_poll_as_the_server_sent_it_with_its_item(capsys, pinned):
    code, out, _ = run(capsys, "overview", "PLAT-254604", "MOBI-1207", "--json")
    data = json.loads(out)
    assert code == 0 and data["errors"] == []
    expected = [{"item": item, "poll": poll} for item in ("PLAT-254604", "MOBI-1207") for poll in server_list(pinned, item)]
    assert data["polls"] == expected


def test_a_failing_item_is_named_on_stderr_and_the_others_are_still_printed(capsys, pinned):
    pinned.inject("403", contents={"MOBI-1213"})
    code, out, err = run(capsys, "overview", "PLAT-254604", "MOBI-1213", "MOBI-1207")
    assert code == 3  # the failed item's error: a refused token
    assert "MOBI-1213" in err and "403" in err and TOKEN not in err
    assert {line.split("\t")[0] for line in out.splitlines()[1:]} == {"PLAT-254604", "MOBI-1207"}
    pinned.inject("424", contents={"MOBI-1207", "PLAT-254604"})
    code, out, err = run(capsys, "overview", "MOBI-1213", "MOBI-1207", "PLAT-254604", "--json")
    data = json.loads(out)
    assert code == 6 and [e["item"] for e in data["errors"]] == ["MOBI-1207", "PLAT-254604"]
    assert {p["item"] for p in data["polls"]} == {"MOBI-1213"}
    assert err.count("pollstui: error:") == 2


def test_never_more_requests_in_flight_than_asked(capsys, pinned):
    pinned.delays["*"] = 0.15
    code, _, _ = run(capsys, "overview", "--concurrency", "2")
    assert code == 0 and pinned.max_in_flight == 2 and pinned.count("GET") == len(ITEMS)


def test_the_deadline_names_the_item_not_read_and_prints_the_rest(capsys, pinned):
    pinned.delays["MOBI-1230"] = 5
    started = time.monotonic()
    code, out, err = run(capsys, "overview", "--deadline", "1", "--json")
    assert time.monotonic() - started < 4
    data = json.loads(out)
    assert code == 6 and [e["item"] for e in data["errors"]] == ["MOBI-1230"]
    assert "MOBI-1230" in err and "--deadline" in err
    assert {p["item"] for p in data["polls"]} == set(ITEMS) - {"MOBI-1230"}


def test_open_and_ends_within_filter(capsys, pinned):
    _, everything, _ = run(capsys, "overview", "--no-headers")
    _, open_only, _ = run(capsys, "overview", "--open", "--no-headers")
    assert any("\tclosed\t" in line for line in everything.splitlines())
    assert open_only and not any("\tclosed\t" in line or "\tended\t" in line for line in open_only.splitlines())
    _, soon, _ = run(capsys, "overview", "--ends-within", "100000d", "--no-headers")
    assert soon and all(line.split("\t")[4] not in ("—", "closed", "ended") for line in soon.splitlines())
    code, _, err = run(capsys, "overview", "--ends-within", "soon")
    assert code == 2 and "'soon'" in err


def test_without_items_or_pins_it_says_how_to_give_some(capsys, fault_proxy):  # noqa: F811
    store = ProfileStore().load()
    store.add(Profile("work", fault_proxy.jira_endpoint, TOKEN))
    code, out, err = run(capsys, "overview")
    assert code == 2 and out == "" and "pollstui profile items add" in err
    code, _, err = run(capsys, "overview", "PLAT-1", "nope")
    assert code == 2 and "'nope'" in err


def test_titles_from_the_server_are_inert_in_the_table(capsys, pinned):
    add_hostile_poll(pinned.store, "MOBI-1207")
    code, out, _ = run(capsys, "overview", "MOBI-1207")
    assert code == 0 and controls_in(out) == [] and "pwned" in out
    code, out, _ = run(capsys, "overview", "MOBI-1207", "--json")
    assert controls_in(out) == [] and "\\u001b" in out


def as_a_shell_starts_it() -> None:
    """In the child before it runs: Ctrl-C as a terminal's shell leaves it to a command it starts
    (the default action, not blocked), whatever the test worker that forks it has inherited (in
    full runs the child was seen alone in its event loop's select 10 s after the SIGINT: it never
    took it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_ctrl_c_stops_at_once_with_130(pinned, tmp_path):
    pinned.delays["*"] = 30
    env = {**os.environ, "POLLSTUI_DEBUG": "", "PYTHONFAULTHANDLER": "1"}  # SIGABRT: every thread's stack
    process = subprocess.Popen(
        [sys.executable, "-m", "pollstui", "overview"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=as_a_shell_starts_it,
    )
    try:
        deadline = time.monotonic() + 20
        while pinned.in_flight < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pinned.in_flight == 4  # the default bound
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            with open(f"/proc/{process.pid}/status") as status:  # how it takes signals, for the message
                taken = [line for line in status.read().splitlines() if line.startswith(("Sig", "Threads"))]
            process.send_signal(signal.SIGABRT)  # and where it hangs
            pytest.fail("still running 10 s after Ctrl-C:\n" + "\n".join(taken) + "\n" + process.communicate(timeout=10)[1])
    finally:
        process.kill()
    assert process.returncode == 130 and time.monotonic() - started < 3
    assert "Traceback" not in err
