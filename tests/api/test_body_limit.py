"""The most bytes an answer may have (POLLSTUI_MAX_BODY, 16 MiB by default): the client stops
reading there, the first GET leaves such an answer to the client, the CLI says what to set."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from pollstui.api.address import ContentRef
from pollstui.cli.errors import LOOK_FIRST, told
from pollstui.api.client import MAX_BODY, PollsClient
from pollstui.api.errors import AnswerTooLargeError, InvalidInputError
from pollstui.cli import main
from pollstui.cli.errors import exit_code
from pollstui.session import prefetch
from pollstui.settings import Connection, max_body
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import TOO_LARGE, FaultProxy, RawServer, fault_proxy  # noqa: F401 (a fixture)

STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
MiB = 1024 * 1024


def padded(size: int) -> bytes:
    """A list of polls of about ``size`` bytes, valid JSON."""
    return json.dumps([{**STARS_POLL, "description": "x" * size}]).encode()


def answer(body: bytes, *head: str, length: int | None = None) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: application/json", f"Content-Length: {len(body) if length is None else length}", *head]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def test_reading_stops_at_the_limit_however_long_the_answer_says_it_is():
    """The server says 100 MiB follow and sends 2: the client stops at 1 MiB read, at once, and
    neither waits for the rest nor keeps it."""
    with RawServer(answer(b"[" + b" " * 2 * MiB, length=100 * MiB), close=False) as server:
        async with PollsClient(server.url(), TOKEN, max_body=MiB, timeout=20) as client:
            started = time.monotonic()
            with pytest.raises(AnswerTooLargeError) as caught:
                await client.list_polls_body(STARS)
            assert time.monotonic() - started < 10  # not the deadline: the limit ended it
    error = caught.value
    assert error.limit == MiB and not error.maybe_done and exit_code(error) == 6
    assert "the server's answer is larger than 1 MiB" in str(error) and "POLLSTUI_MAX_BODY" in told(error)


async def test_the_limit_counts_the_answer_as_decoded():
    """2 MiB that travel gzipped in a few KiB are still 2 MiB once read."""
    body = gzip.compress(padded(2 * MiB))
    assert len(body) < 64 * 1024
    with RawServer(answer(body, "Content-Encoding: gzip")) as server:
        async with PollsClient(server.url(), TOKEN, max_body=MiB) as client:
            with pytest.raises(AnswerTooLargeError):
                await client.list_polls_body(STARS)
        async with PollsClient(server.url(), TOKEN, max_body=3 * MiB) as client:  # under it: read as ever
            raw, polls = await client.list_polls_body(STARS)
    assert json.loads(raw) == polls and len(polls[0]["description"]) == 2 * MiB


async def test_a_write_answered_too_largely_may_have_been_done():
    with RawServer(answer(padded(2 * MiB)[1:-1])) as server:
        async with PollsClient(server.url(), TOKEN, max_body=MiB) as client:
            with pytest.raises(AnswerTooLargeError) as caught:
                await client.update_poll(STARS, dict(STARS_POLL))
    assert caught.value.maybe_done and LOOK_FIRST in told(caught.value)


async def test_by_default_an_answer_over_16_mib_is_refused(fault_proxy: FaultProxy):  # noqa: F811
    assert MAX_BODY == 16 * MiB == TOO_LARGE - 1
    fault_proxy.inject("too-large")
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN) as client:
        with pytest.raises(AnswerTooLargeError, match="larger than 16 MiB"):
            await client.poll_listing(STARS)
    assert fault_proxy.count("GET") == 1  # not retried: the same answer would come again
    connection = Connection(fault_proxy.jira_endpoint, TOKEN, "jira", ref=STARS)
    assert prefetch.plain_get(connection, STARS, 10.0) is None  # the first GET leaves it to the client


@pytest.mark.parametrize("json_flag", [["--json"], []], ids=["list-json", "list"])
def test_the_cli_says_what_to_set(capsys, monkeypatch, json_flag):
    monkeypatch.setenv("POLLSTUI_MAX_BODY", "1MiB")
    with RawServer(answer(padded(2 * MiB))) as server:
        code = main(["list", *json_flag, "--endpoint", server.url(), "--token", TOKEN, "--content", STARS.content])
        out, err = capsys.readouterr()
        assert (code, out) == (6, "")
        assert err.count("\n") == 1 and "larger than 1 MiB" in err and "POLLSTUI_MAX_BODY" in err
        monkeypatch.setenv("POLLSTUI_MAX_BODY", "3 MiB")
        assert main(["list", *json_flag, "--endpoint", server.url(), "--token", TOKEN, "--content", STARS.content]) == 0


@pytest.mark.parametrize(("text", "size"), [("1000", 1000), ("512k", 512 * 1024), ("16MiB", 16 * MiB), ("1.5 GB", 1536 * MiB), ("", None)])
def test_max_body_reads_bytes_or_a_unit(text, size):
    assert max_body({"POLLSTUI_MAX_BODY": text}) == size


@pytest.mark.parametrize("text", ["lots", "0", "-1", "inf", "16 MiBs", "0.5"])
def test_a_max_body_that_is_not_a_size_is_refused_naming_it(capsys, monkeypatch, text):
    with pytest.raises(InvalidInputError, match="POLLSTUI_MAX_BODY"):
        max_body({"POLLSTUI_MAX_BODY": text})
    monkeypatch.setenv("POLLSTUI_MAX_BODY", text)
    code = main(["list", "--endpoint", "http://127.0.0.1:9/x1/jira", "--token", TOKEN, "--content", STARS.content])
    assert code == 2 and "POLLSTUI_MAX_BODY" in capsys.readouterr().err
