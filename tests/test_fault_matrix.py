"""The fault matrix: every client operation × every fault, through a real socket.

The faults come from :class:`tests.faults.FaultProxy` in front of the reference server. For each
pair: the exact error type and what its message tells a user (what failed, on which poll, what
happened, what to do: tests.faults.says), no token in the exception, its
chain, the logs or what the CLI prints, how many requests reached the proxy (GET retried with
back-off honouring ``Retry-After``; POST, PUT and DELETE never), and the CLI's exit code.

Timeouts are short and back-off does not sleep (the client's ``sleep`` is a recorder), so the
whole file runs in seconds; one test checks the real waiting once.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from pollstui.api.client import PollsClient
from pollstui.api.errors import (
    BadRequestError,
    NetworkError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
    ServerError,
)
from pollstui.api.models import Poll
from pollstui.cli import main
from pollstui.settings import Connection
from pollstui.cli.errors import exit_code, told
from tests.api.conftest import PLAT_254604, Recorder
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import (  # noqa: F401 (fault_proxy, shared_proxy and _module_proxy are fixtures)
    FAULTS,
    FOUND,
    HUGE,
    ISSUE,
    METHOD,
    OPERATIONS,
    POLL_ID,
    RETRIED,
    FaultProxy,
    _module_proxy,
    assert_logs_token_free,
    assert_token_free,
    fault_proxy,
    looked,
    says,
    shared_proxy,
)

RETRIES = 2
BACKOFF = 0.25
TIMEOUT = 0.25
RETRY_AFTER = "2"


def attempts(operation: str, fault: str) -> int:
    """Requests that reach the proxy: GETs are retried on transient faults; nothing reaches a closed port."""
    if fault == "refused":
        return 0
    return 1 + RETRIES if METHOD[operation] == "GET" and fault in RETRIED else 1


def delays(operation: str, fault: str) -> list[float]:
    if METHOD[operation] != "GET" or fault not in RETRIED:
        return []
    if fault == "429":
        return [float(RETRY_AFTER)] * RETRIES
    return [BACKOFF * 2**i for i in range(RETRIES)]


async def call(client: PollsClient, operation: str) -> Any:
    if operation == "list":
        return await client.poll_listing(PLAT_254604)
    if operation == "get":
        return await client.get_poll(PLAT_254604, POLL_ID)
    if operation == "create":
        return await client.create_poll(PLAT_254604, Poll.new("Fault matrix", options=[{"id": "1", "title": "A", "order": 0}]))
    if operation == "update":
        return await client.update_poll(PLAT_254604, {**STARS_POLL, "title": "Changed"})
    return await client.delete_poll(PLAT_254604, POLL_ID)


def stored_polls(ref_server) -> list[dict]:
    return ref_server.store.list_polls("jira", "PLAT", ISSUE, "")


@pytest.fixture
def debug_logs(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "pollstui"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


# --- the client ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
async def test_client(shared_proxy: FaultProxy, debug_logs, operation: str, fault: str) -> None:
    fault_proxy = shared_proxy
    fault_proxy.retry_after = RETRY_AFTER
    fault_proxy.inject(fault)
    said = says(operation, fault, fault_proxy.host)
    sleep = Recorder()
    # Only "slow" needs the short one (httpx's per-read timeout, so retries happen within the
    # client's 60 s deadline); 20 MB must not race it.
    timeout = httpx.Timeout(TIMEOUT) if fault == "slow" else 10.0
    async with PollsClient(
        fault_proxy.jira_endpoint, TOKEN, timeout=timeout, retries=RETRIES, backoff=BACKOFF, sleep=sleep
    ) as client:
        if said.error is None:
            result = await call(client, operation)
        else:
            with pytest.raises(PollsError) as info:
                await call(client, operation)

    read_back = int((operation, fault) == ("update", "empty"))  # a PUT answered without the poll: one GET
    assert fault_proxy.count() - read_back == fault_proxy.count(METHOD[operation]) == attempts(operation, fault)
    assert sleep.delays == delays(operation, fault)
    retry_logs = [r.getMessage() for r in debug_logs.records if r.name == "pollstui.api"]
    assert len(retry_logs) == len(delays(operation, fault))
    assert_logs_token_free(debug_logs.records, TOKEN)
    assert TOKEN not in debug_logs.text

    if said.error is None:
        if operation == "delete":
            assert result is None
        elif operation == "list" and fault == "shape-order-str":  # one bad poll: named where it was
            [unreadable] = result.unreadable
            assert (result.polls, unreadable.label) == ([], f"poll 1 (id {POLL_ID})")
            assert unreadable.reason.startswith("options.0.order: ")
        elif operation == "list":
            [poll] = result.polls
            assert poll.id == (None if fault == "shape-no-id" else POLL_ID)
            assert len(poll.description) == (HUGE if fault == "huge" else len(STARS_POLL["description"]))
        else:
            assert result.id == POLL_ID  # shape-no-id: the poll asked for keeps its id
            assert len(result.description) == (HUGE if fault == "huge" else len(STARS_POLL["description"]))
        return
    error = info.value
    assert type(error) is said.error
    said.check(told(error))
    assert exit_code(error) == 6
    assert_token_free(error, TOKEN)


async def test_a_get_recovers_after_transient_faults_with_back_off(shared_proxy: FaultProxy) -> None:
    fault_proxy = shared_proxy
    fault_proxy.inject("503", times=2)
    sleep = Recorder()
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, retries=3, backoff=0.5, sleep=sleep) as client:
        listing = await client.poll_listing(PLAT_254604)
    assert [p.id for p in listing.polls][0] == POLL_ID
    assert [s.fault for s in fault_proxy.seen] == ["503", "503", "pass"]
    assert sleep.delays == [0.5, 1.0]


async def test_retry_after_is_honoured_between_gets(shared_proxy: FaultProxy) -> None:
    fault_proxy = shared_proxy
    fault_proxy.retry_after = "7"
    fault_proxy.inject("429", times=3)
    sleep = Recorder()
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, retries=3, backoff=0.1, sleep=sleep) as client:
        poll = await client.get_poll(PLAT_254604, POLL_ID)
    assert poll.title == STARS_POLL["title"]
    assert [(s.method, s.fault) for s in fault_proxy.seen] == [("GET", "429")] * 3 + [("GET", "pass")]
    assert sleep.delays == [7.0, 7.0, 7.0]


async def test_retry_after_really_waits(shared_proxy: FaultProxy) -> None:
    fault_proxy = shared_proxy
    fault_proxy.retry_after = "0.4"
    fault_proxy.inject("429", times=1)
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, retries=1) as client:  # the real asyncio.sleep
        started = time.monotonic()
        await client.poll_listing(PLAT_254604)
        waited = time.monotonic() - started
    assert fault_proxy.count("GET") == 2
    assert 0.4 <= waited < 3.0


# Each fault a GET would be retried after, once; the three writes share one path in turn.
@pytest.mark.parametrize(
    ("fault", "operation"), [("reset", "create"), ("503", "update"), ("429", "delete"), ("slow", "create")]
)
async def test_a_write_is_never_sent_twice(shared_proxy: FaultProxy, operation: str, fault: str) -> None:
    """Even when the next answer would be fine: only the user decides to send a write again.

    (shared_proxy checks afterwards that the server's polls did not change.)
    """
    fault_proxy = shared_proxy
    fault_proxy.inject(fault, times=1)
    sleep = Recorder()
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, timeout=TIMEOUT, retries=5, sleep=sleep) as client:
        with pytest.raises(PollsError):
            await call(client, operation)
    assert [(s.method, s.fault) for s in fault_proxy.seen] == [(METHOD[operation], fault)]
    assert sleep.delays == []


async def test_the_proxy_passes_through_and_counts(fault_proxy: FaultProxy, ref_server) -> None:
    """The fault layer itself: without a fault, the reference server answers through it."""
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, sleep=Recorder()) as client:
        created = await call(client, "create")
        assert (await client.get_poll(PLAT_254604, created.id)).title == "Fault matrix"
        await client.delete_poll(PLAT_254604, created.id)
    assert [(s.method, s.fault) for s in fault_proxy.seen] == [("POST", "pass"), ("GET", "pass"), ("DELETE", "pass")]
    assert fault_proxy.seen[1].query["pollId"] == created.id
    assert [p["id"] for p in stored_polls(ref_server)][0] == POLL_ID


# --- the CLI, in-process --------------------------------------------------------------------------

CLI_ARGS = {
    "list": ["list"],
    "get": ["get", POLL_ID],
    "create": ["create", "--template", "yes-no", "--title", "From the CLI"],
    "update": ["update", POLL_ID, "--title", "Changed"],
    "delete": ["delete", POLL_ID, "--yes"],
}
CLI_RETRIES = 3  # the CLI's client uses PollsClient's defaults: retries=3, back-off 0.25 s


@pytest.fixture
def cli_sleep(monkeypatch) -> Recorder:
    """The CLI's clients record their back-off instead of sleeping; POLLSTUI_TIMEOUT is short."""
    sleep = Recorder()
    make_client = Connection.make_client

    def recording(self: Connection, **kwargs: Any) -> PollsClient:
        kwargs.setdefault("sleep", sleep)
        return make_client(self, **kwargs)

    monkeypatch.setattr(Connection, "make_client", recording)
    monkeypatch.setenv("POLLSTUI_TIMEOUT", "10")
    return sleep


def conn(proxy: FaultProxy, token: str = TOKEN) -> list[str]:
    return ["--endpoint", proxy.jira_endpoint, "--token", token, "--content", ISSUE]


#: The CLI cases that differ. Every error takes one path in the CLI (message, exit code 6) once the
#: client has raised it, and test_client checks every operation's error under every fault; so the
#: CLI sees every fault on `list`, and on the other commands the faults that take their own paths:
#: retried or not, a refused first GET (create, update), a create that may have arrived (slow,
#: reset), a write whose outcome is unknown (html-200), and answers that are a success (huge,
#: shape-no-id; a create without an id is an error).
CLI_CASES = [("list", fault) for fault in FAULTS] + [
    (operation, fault)
    for operation in OPERATIONS[1:]
    for fault in ("slow", "refused", "reset", "503", "429", "html-200", "huge", "shape-no-id")
]


#: The CLI looks whether a create that may have been done arrived: it most likely was not created.
#: `pollstui delete --yes` reads nothing before its DELETE, so it names the poll by its id, not its title.
CLI_FOUND = {
    **FOUND,
    "create": (("has arrived", "most likely not created"), ("pollstui list",)),
    "delete": ((f"poll {POLL_ID} is still on {ISSUE}", "not deleted"), ("try again",)),
}


@pytest.mark.parametrize(("operation", "fault"), CLI_CASES)
def test_cli(
    shared_proxy: FaultProxy, cli_sleep: Recorder, capsys, debug_logs, monkeypatch, operation: str, fault: str
) -> None:
    fault_proxy = shared_proxy
    if fault == "slow":  # (`update` reads the poll first, through the proxy: give that GET time)
        monkeypatch.setenv("POLLSTUI_TIMEOUT", "1" if operation == "update" else str(TIMEOUT))
    fault_proxy.retry_after = RETRY_AFTER
    fault_proxy.inject(fault, methods={METHOD[operation]})  # `update` reads the poll first: that GET passes
    if operation in ("update", "create", "delete") and fault == "refused":
        operation = "list" if operation == "create" else "get"  # a closed port refuses the GET they begin with
    said = looked(operation, fault, says(operation, fault, fault_proxy.host), CLI_FOUND)
    unreadable = operation == "list" and fault == "shape-order-str"  # one bad poll hides nothing

    code = main([*CLI_ARGS[operation], *conn(fault_proxy)])
    out, err = capsys.readouterr()

    assert TOKEN not in out + err
    assert_logs_token_free(debug_logs.records, TOKEN)
    # POLLSTUI_TIMEOUT is the deadline of the whole call: a "slow" GET spends it, no time is left to retry.
    retried = METHOD[operation] == "GET" and fault in RETRIED and fault != "slow"
    tries = 0 if fault == "refused" else (1 + CLI_RETRIES if retried else 1)
    assert fault_proxy.count(METHOD[operation]) == tries
    if retried:
        assert cli_sleep.delays == ([2.0] * 3 if fault == "429" else [0.25, 0.5, 1.0])
    else:
        assert cli_sleep.delays == []
    if unreadable:
        assert code == 0
        assert err.startswith(f"pollstui: warning: 1 poll on {ISSUE} could not be read and is not shown (poll 1 (id {POLL_ID}): options.0.order")
        assert "`pollstui list --json` shows them" in err
        return
    if said.error is None:
        assert (code, err) == (0, "")
        first = {
            "list": "ID",
            "get": STARS_POLL["title"],
            "create": POLL_ID,  # the id the (faulty) answer carried
            "update": f"Updated poll {POLL_ID}: {STARS_POLL['title']}",
            "delete": f"Deleted poll {POLL_ID}.",
        }[operation]
        assert out.splitlines()[0].startswith(first), out[:200]
        return
    assert (code, out) == (6, "")
    assert err.startswith("pollstui: error: ") and err.count("\n") == 1, err
    said.check(err)


# The exit code follows the error, whatever the command: each error once, each command in turn;
# success on every command.
@pytest.mark.parametrize(
    ("fault", "code", "error", "operation"),
    [("pass", 0, None, operation) for operation in OPERATIONS]
    + [("403", 3, NotPermittedError, "list"), ("404", 4, PollNotFoundError, "get"), ("400", 5, BadRequestError, "create"),
       ("503", 6, ServerError, "update"), ("refused", 6, NetworkError, "delete")],
)  # fmt: skip
def test_cli_exit_codes_as_documented(request, cli_sleep, capsys, operation: str, fault: str, code: int, error) -> None:
    changes_the_server = fault == "pass" and METHOD[operation] != "GET"
    fault_proxy = request.getfixturevalue("fault_proxy" if changes_the_server else "shared_proxy")
    fault_proxy.inject(fault, methods={METHOD[operation]})
    got = main([*CLI_ARGS[operation], *conn(fault_proxy)])
    out, err = capsys.readouterr()
    assert got == code
    assert TOKEN not in out + err
    if code:
        assert out == "" and err.count("\n") == 1 and err.startswith("pollstui: error: "), err
    else:
        assert err == "" and out


def test_cli_usage_is_exit_2_before_any_request(shared_proxy, capsys, monkeypatch) -> None:
    fault_proxy = shared_proxy
    monkeypatch.setenv("POLLSTUI_TIMEOUT", "soon")
    assert main(["list", *conn(fault_proxy)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "pollstui: error: POLLSTUI_TIMEOUT='soon' is not a number of seconds above 0: unset it, or set it to e.g. 30.\n")
    assert main(["update", POLL_ID, *conn(fault_proxy)]) == 2  # nothing to change
    assert fault_proxy.count() == 0


def test_cli_update_is_never_sent_twice(fault_proxy, ref_server, cli_sleep, capsys) -> None:
    fault_proxy.inject("reset", methods={"PUT"})
    assert main(["update", POLL_ID, "--title", "Changed", *conn(fault_proxy)]) == 6
    _, err = capsys.readouterr()
    looked("update", "reset", says("update", "reset", fault_proxy.host), CLI_FOUND).check(err)  # read back after the reset
    assert fault_proxy.count("PUT") == 1 and [s.fault for s in fault_proxy.seen if s.method == "PUT"] == ["reset"]
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", POLL_ID)["title"] == STARS_POLL["title"]


def test_cli_list_json_under_faults(shared_proxy, cli_sleep, capsysbinary) -> None:
    fault_proxy = shared_proxy
    fault_proxy.inject("huge-broken")
    assert main(["list", "--json", *conn(fault_proxy)]) == 6
    out, err = capsysbinary.readouterr()
    assert out == b"" and err.decode().startswith("pollstui: error: ") and len(err) < 300
    fault_proxy.inject("shape-object")  # valid JSON passes through as sent: --json does not judge the shape
    assert main(["list", "--json", *conn(fault_proxy)]) == 0
    out, err = capsysbinary.readouterr()
    assert out.startswith(b'{"polls": [{"id": "' + STARS_POLL["id"].encode()) and err == b""


def test_cli_update_reads_the_poll_out_of_its_array(fault_proxy, ref_server, cli_sleep, capsys) -> None:
    """`update --title` reads the poll first: answered as an array holding it (as the docs read), it
    changes that poll and sends the poll object back, not the array."""
    fault_proxy.inject("shape-object", methods={"GET"})
    assert main(["update", POLL_ID, "--title", "Changed", *conn(fault_proxy)]) == 0
    assert capsys.readouterr().out == f"Updated poll {POLL_ID}: Changed\n"
    stored = ref_server.store.get_poll("jira", "PLAT", ISSUE, "", POLL_ID)
    assert stored == {**STARS_POLL, "title": "Changed"}


# --- the CLI as a process -------------------------------------------------------------------------


def run_cli(*argv: str, timeout: str = "0.5") -> subprocess.CompletedProcess:
    env = {**os.environ, "POLLSTUI_TIMEOUT": timeout, "POLLSTUI_DEBUG": ""}
    return subprocess.run(
        [sys.executable, "-m", "pollstui", *argv], capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize(
    ("operation", "fault", "code", "requests"),
    [
        ("list", "pass", 0, 1),
        ("list", "429", 6, 4),  # Retry-After: 0, so the three retries do not wait
        ("create", "slow", 6, 1),  # POLLSTUI_TIMEOUT, and a POST is not sent again
        ("delete", "reset", 6, 1),
        ("get", "403", 3, 1),
        ("get", "404", 4, 1),
        ("create", "400", 5, 1),
    ],
)
def test_cli_subprocess(shared_proxy: FaultProxy, operation: str, fault: str, code: int, requests: int) -> None:
    fault_proxy = shared_proxy
    fault_proxy.retry_after = "0"
    fault_proxy.inject(fault, methods={METHOD[operation]})  # (create lists the polls first: that GET passes)
    started = time.monotonic()
    result = run_cli(*CLI_ARGS[operation], *conn(fault_proxy))
    assert time.monotonic() - started < 15
    assert result.returncode == code, result.stderr
    assert fault_proxy.count(METHOD[operation]) == requests
    assert TOKEN not in result.stdout + result.stderr
    if code:
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("pollstui: error: ") and "Traceback" not in result.stderr
        if fault in FAULTS:
            looked(operation, fault, says(operation, fault, fault_proxy.host), CLI_FOUND).check(line)
    else:
        assert STARS_POLL["title"][:10] in result.stdout


def test_cli_subprocess_refused_and_bad_timeout(shared_proxy: FaultProxy) -> None:
    fault_proxy = shared_proxy
    fault_proxy.inject("refused")
    result = run_cli("create", "--template", "stars", "--title", "T", *conn(fault_proxy))
    assert result.returncode == 6
    assert result.stderr.startswith("pollstui: error: ") and result.stderr.count("\n") == 1
    says("create", "refused", fault_proxy.host).check(result.stderr)  # the list before it failed too: the create's own error is said
    result = run_cli("list", *conn(fault_proxy), timeout="-1")
    assert (result.returncode, result.stdout) == (2, "")
    assert "POLLSTUI_TIMEOUT='-1' is not a number of seconds above 0" in result.stderr
    assert TOKEN not in result.stderr
