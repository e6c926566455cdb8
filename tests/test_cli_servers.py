"""The CLI against servers we did not write (issue 8): what it reports is what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from pollstui.settings import Connection
from tests.api.conftest import Recorder
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.test_cli import run
from tests.faults import OTHER_RESULTS, fault_proxy  # noqa: F401 (a fixture)

ISSUE = "PLAT-254604"
POLL_ID = STARS_POLL["id"]


def conn(server, content: str = ISSUE) -> list[str]:
    """Flags for the reference server or a FaultProxy in front of it (both take TOKEN)."""
    return ["--endpoint", server.jira_endpoint, "--token", TOKEN, "--content", content]


def stored(server, content: str = ISSUE) -> list[dict]:
    return server.store.list_polls("jira", "PLAT", content, "")


# --- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["get", POLL_ID], ["results", POLL_ID]])
def test_get_and_results_read_the_array_the_reference_server_sends(capsys, ref_server, command) -> None:
    code, out, err = run(capsys, *command, *conn(ref_server))
    assert (code, err) == (0, "")
    assert STARS_POLL["title"] in out


def test_get_of_a_poll_that_is_gone_is_exit_4(capsys, ref_server) -> None:
    code, out, err = run(capsys, "get", "00000000-0000-4000-8000-000000000000", *conn(ref_server))
    assert (code, out) == (4, "") and "no such poll" in err


def test_list_shows_the_readable_polls_and_names_the_unreadable_one(capsys, fault_proxy) -> None:
    fault_proxy.inject("one-bad-poll", methods={"GET"})
    code, out, err = run(capsys, "list", *conn(fault_proxy))
    assert code == 0
    assert POLL_ID[:8] in out and "Bad" not in out
    [line] = err.splitlines()
    assert line.startswith(f"pollstui: warning: 2 polls on {ISSUE} could not be read and are not shown")
    assert "poll 2 (id bad-poll-1): options.0.order" in line and "poll 3: (top): not an object" in line
    assert "pollstui list --json" in line


# --- writing --------------------------------------------------------------------------------------


def test_create_from_a_file_whose_options_have_no_ids(capsys, ref_server, tmp_path) -> None:
    path = tmp_path / "poll.json"
    path.write_text(json.dumps({"title": "Lunch?", "options": [{"title": "Pizza"}, {"title": "Sushi"}, "Tacos"]}))
    code, out, err = run(capsys, "create", "--file", str(path), *conn(ref_server, "PLAT-9"))
    assert (code, err) == (0, "")
    [poll] = stored(ref_server, "PLAT-9")
    assert poll["id"] == out.strip()
    assert [(o["id"], o["title"], o["order"]) for o in poll["options"]] == [("1", "Pizza", 0), ("2", "Sushi", 1), ("3", "Tacos", 2)]


def test_import_gives_options_ids_too(capsys, ref_server, tmp_path) -> None:
    path = tmp_path / "polls.json"
    path.write_text(json.dumps([{"title": "A?", "options": [{"title": "Yes"}, {"title": "No"}]}]))
    code, _, err = run(capsys, "import", str(path), *conn(ref_server, "PLAT-9"))
    assert (code, err) == (0, "")
    [poll] = stored(ref_server, "PLAT-9")
    assert [o["id"] for o in poll["options"]] == ["1", "2"]


def test_a_create_whose_answer_was_lost_reports_the_poll_that_arrived(capsys, fault_proxy, ref_server) -> None:
    before = {p["id"] for p in stored(ref_server)}
    fault_proxy.inject("lost", methods={"POST"})  # the server creates it; the answer never comes
    code, out, err = run(capsys, "create", "--template", "yes-no", "--title", "Ship it?", *conn(fault_proxy))
    [new] = [p for p in stored(ref_server) if p["id"] not in before]
    assert (code, out) == (7, "")
    [line] = err.splitlines()
    assert f"the poll may have been created: {new['id']}" in line.lower()
    assert f"pollstui get {new['id']}" in line
    assert fault_proxy.count("POST") == 1  # looked, never sent again


def test_a_create_whose_answer_was_lost_before_it_arrived_says_so(capsys, fault_proxy, ref_server) -> None:
    before = stored(ref_server)
    fault_proxy.inject("reset", methods={"POST"})  # the server never sees it
    code, out, err = run(capsys, "create", "--template", "yes-no", "--title", "Ship it?", *conn(fault_proxy))
    assert (code, out) == (6, "")
    assert "No poll with this title and options has arrived" in err and "most likely not created" in err
    assert stored(ref_server) == before


def test_a_lost_create_whose_look_fails_too_says_to_check_not_to_try_again(capsys, fault_proxy, ref_server, monkeypatch) -> None:
    from pollstui.api.client import PollsClient

    real, lists = PollsClient.poll_listing, []

    async def listing(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        lists.append(args)
        if len(lists) > 1:  # the ids before the POST are read; the look after it is refused
            fault_proxy.inject("refused")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(PollsClient, "poll_listing", listing)
    fault_proxy.inject("acted-424", methods={"POST"})
    code, out, err = run(capsys, "create", "--template", "yes-no", "--title", "Ship it?", *conn(fault_proxy))
    assert (code, out) == (6, "")
    [line] = err.splitlines()
    assert "may have been created" in line and "looking for it failed too" in line
    assert "Check with `pollstui list` before creating it again" in line
    assert "try again" not in line and "refresh the list" not in line  # neither a blind retry nor the TUI's words


@pytest.mark.parametrize("fault", ["acted-424", "acted-text"])
def test_a_create_answered_424_or_plain_text_after_the_server_acted_names_the_poll(capsys, fault_proxy, ref_server, fault) -> None:
    before = {p["id"] for p in stored(ref_server)}
    fault_proxy.inject(fault, methods={"POST"})  # Forge's 55 s cap (the function finished), or a bare "OK"
    code, out, err = run(capsys, "create", "--template", "yes-no", "--title", "Ship it?", *conn(fault_proxy))
    [new] = [p for p in stored(ref_server) if p["id"] not in before]
    assert (code, out) == (7, "")
    assert f"the poll may have been created: {new['id']}" in err.lower() and f"pollstui get {new['id']}" in err
    assert fault_proxy.count("POST") == 1


def test_an_import_stopped_by_a_424_says_that_poll_may_have_been_created(capsys, fault_proxy, ref_server, tmp_path) -> None:
    path = tmp_path / "polls.json"
    path.write_text(json.dumps([{"title": "A?", "options": []}, {"title": "B?", "options": []}]))
    fault_proxy.inject("acted-424", methods={"POST"}, times=1)
    code, out, err = run(capsys, "import", str(path), *conn(fault_proxy, "PLAT-9"))
    assert (code, out) == (6, "")
    assert [p["title"] for p in stored(ref_server, "PLAT-9")] == ["A?"]
    assert "#1 'A?' may have been created: check with `pollstui list`" in err
    assert "not created: #2 'B?'." in err and "not created: #1" not in err


def test_a_delete_answered_with_plain_text_ok_is_done(capsys, fault_proxy, ref_server) -> None:
    fault_proxy.inject("acted-text", methods={"DELETE"})
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(fault_proxy))
    assert (code, out, err) == (0, f"Deleted poll {POLL_ID}.\n", "")
    assert POLL_ID not in {p["id"] for p in stored(ref_server)}


@pytest.mark.parametrize(
    ("command", "said"), [(["update", POLL_ID, "--title", "Renamed"], "Updated poll"), (["delete", POLL_ID, "--yes"], "Deleted poll")]
)
def test_an_update_or_delete_answered_424_after_the_server_acted_is_read_back(capsys, fault_proxy, ref_server, command, said) -> None:
    fault_proxy.inject("acted-424", methods={"PUT", "DELETE"})  # the function finished; Forge gave up waiting
    code, out, err = run(capsys, *command, *conn(fault_proxy))
    assert (code, err) == (0, "") and out.startswith(said)
    assert [p["title"] for p in stored(ref_server) if p["id"] == POLL_ID] == ([] if command[0] == "delete" else ["Renamed"])


@pytest.mark.parametrize(
    ("command", "said"), [(["update", POLL_ID, "--title", "Renamed"], "not saved"), (["delete", POLL_ID, "--yes"], "not deleted")]
)
def test_an_update_or_delete_answered_500_that_did_nothing_says_so(capsys, fault_proxy, command, said) -> None:
    fault_proxy.inject("html-500", methods={"PUT", "DELETE"})  # answered without reaching the function
    code, out, err = run(capsys, *command, *conn(fault_proxy))
    assert (code, out) == (6, "")
    assert "failed (500)" in err and "may or may not" not in err
    assert said in err


def test_a_delete_whose_read_back_fails_too_says_maybe_and_how_to_check(capsys, fault_proxy, ref_server, monkeypatch) -> None:
    from pollstui.api.client import PollsClient

    real, reads = PollsClient.get_poll_json, []

    async def read(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        reads.append(args)
        fault_proxy.inject("refused")  # (--yes reads nothing before the DELETE): the look after it is refused
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(PollsClient, "get_poll_json", read)
    fault_proxy.inject("acted-424", methods={"DELETE"})
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(fault_proxy))
    assert len(reads) == 1
    assert (code, out) == (6, "")
    assert "may have been deleted" in err and "Check with `pollstui list` before deleting it again" in err
    assert "undo" not in err  # the CLI keeps no undo history


def test_an_update_whose_read_back_fails_too_says_maybe_and_how_to_check(capsys, fault_proxy, ref_server, monkeypatch) -> None:
    from pollstui.api.client import PollsClient

    real, reads = PollsClient.get_poll, []

    async def read(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        reads.append(args)
        if len(reads) > 1:  # the read before the PUT passes; the read back after it is refused
            fault_proxy.inject("refused")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(PollsClient, "get_poll", read)
    fault_proxy.inject("acted-424", methods={"PUT"})
    code, out, err = run(capsys, "update", POLL_ID, "--title", "Renamed", *conn(fault_proxy))
    assert (code, out) == (6, "")
    [line] = err.splitlines()
    assert "may have been saved" in line and f"Check with `pollstui get {POLL_ID}` before updating it again" in line


def test_an_update_reads_the_poll_once_then_writes_it(capsys, fault_proxy, ref_server) -> None:
    code, out, _ = run(capsys, "update", POLL_ID, "--title", "Renamed", *conn(fault_proxy))
    assert code == 0 and "Renamed" in out
    assert [seen.method for seen in fault_proxy.seen] == ["GET", "PUT"]


def test_delete_yes_sends_the_delete_alone_and_words_what_it_answered(capsys, fault_proxy, ref_server) -> None:
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(fault_proxy))
    assert (code, out, err) == (0, f"Deleted poll {POLL_ID}.\n", "")
    assert [seen.method for seen in fault_proxy.seen] == ["DELETE"]  # one request, no GET to word it
    assert POLL_ID not in {p["id"] for p in stored(ref_server)}

    fault_proxy.reset_counts()
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(fault_proxy))  # gone now: the DELETE says so
    assert (code, out) == (4, "") and [seen.method for seen in fault_proxy.seen] == ["DELETE"]
    [line] = err.splitlines()
    assert POLL_ID in line and "no such poll" in line, line


def test_a_create_answered_at_once_does_not_guess(capsys, fault_proxy) -> None:
    fault_proxy.inject("400", methods={"POST"})  # refused: certainly not created, nothing to look for
    code, _, err = run(capsys, "create", "--template", "yes-no", "--title", "Ship it?", *conn(fault_proxy))
    assert code == 5 and "arrived" not in err
    assert fault_proxy.count("GET") == 1  # the ids noted before, no look afterwards


# --- time -----------------------------------------------------------------------------------------


def test_a_dripping_server_does_not_hang_the_cli(fault_proxy) -> None:
    fault_proxy.inject("drip")
    env = {**os.environ, "POLLSTUI_TIMEOUT": "1.5", "POLLSTUI_DEBUG": ""}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pollstui", "list", *conn(fault_proxy)], capture_output=True, text=True, timeout=30, env=env
    )
    assert time.monotonic() - started < 10
    assert (result.returncode, result.stdout) == (6, "")
    assert "did not answer in time" in result.stderr and TOKEN not in result.stderr


def test_a_long_wait_before_a_retry_is_one_line_on_stderr(capsys, fault_proxy, monkeypatch) -> None:
    make_client = Connection.make_client
    monkeypatch.setattr(Connection, "make_client", lambda self, **kw: make_client(self, sleep=Recorder(), **kw))
    fault_proxy.retry_after = "7"
    fault_proxy.inject("429", times=1)
    code, out, err = run(capsys, "get", POLL_ID, *conn(fault_proxy))
    assert code == 0 and STARS_POLL["title"] in out
    assert err == f"pollstui: note: Loading poll {POLL_ID} on {ISSUE}: the server is rate limiting requests (429); trying again in 7 s.\n"
    fault_proxy.retry_after = "1"  # a short wait passes without a word
    fault_proxy.inject("429", times=1)
    code, _, err = run(capsys, "get", POLL_ID, *conn(fault_proxy))
    assert (code, err) == (0, "")


def test_a_delete_answered_with_a_login_page_is_not_reported_as_done(capsys, fault_proxy, ref_server) -> None:
    fault_proxy.inject("html-200", methods={"DELETE"})
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(fault_proxy))
    assert (code, out) == (6, "")
    assert "web page instead of JSON" in err and "Deleted" not in err


def test_a_delete_answered_with_json_is_done(capsys, ref_server) -> None:
    code, out, err = run(capsys, "delete", POLL_ID, "--yes", *conn(ref_server))
    assert (code, out, err) == (0, f"Deleted poll {POLL_ID}.\n", "")


def test_a_424_is_a_server_failure_never_an_endpoint_problem(capsys, fault_proxy) -> None:
    fault_proxy.inject("424")
    code, _, err = run(capsys, "results", POLL_ID, *conn(fault_proxy))
    assert code == 6
    assert "the server took too long to answer (424)" in err and "endpoint" not in err
    assert fault_proxy.count() == 1  # not tried again: it already ran for 55 s


# --- results of other shapes ------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["results-tally", "results-entries"])
def test_results_in_another_common_shape_are_read(capsys, fault_proxy, fault) -> None:
    fault_proxy.inject(fault, methods={"GET"})
    code, out, err = run(capsys, "results", POLL_ID, "--format", "csv", *conn(fault_proxy))
    assert (code, err) == (0, "")
    rows = [line.split(",") for line in out.splitlines()[1:]]
    total = sum(OTHER_RESULTS.values())  # percentages from the sum of the counts
    assert [row[1:] for row in rows] == [[str(n), f"{100 * n / total:.1f}"] for n in OTHER_RESULTS.values()]
    code, out, _ = run(capsys, "results", POLL_ID, *conn(fault_proxy))
    voters = " from 6 voters" if fault == "results-tally" else ""  # the entries carry no voter total
    assert code == 0 and f"Total: {total} votes{voters}\n" in out


def test_an_update_of_a_poll_pollstui_cannot_read_points_at_edit(capsys, fault_proxy) -> None:
    """update changes a field of a poll it has read; one it cannot read is left unchanged, and
    the message says how to change it anyway (its JSON, by hand)."""
    fault_proxy.inject("shape-order-str", methods={"GET"})
    code, out, err = run(capsys, "update", POLL_ID, "--title", "New", *conn(fault_proxy))
    assert (code, out) == (6, "")
    assert "not a poll" in err and f"pollstui edit {POLL_ID}" in err
    assert TOKEN not in err
