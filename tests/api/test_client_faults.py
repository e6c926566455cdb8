"""PollsClient when the server misbehaves: statuses, retries, timeouts, bodies that are not the API's.

Most faults come from ``httpx.MockTransport`` (a real server rarely sends them on demand); timeouts
and redirects also come from a real uvicorn server on loopback.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.api.errors import (
    NetworkError,
    PollNotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
)
from pollstui.api.models import Poll
from pollstui.server import ServerThread
from pollstui.cli.errors import exit_code, told
from tests.api.conftest import PLAT_254604, Recorder
from tests.conftest import TOKEN
from tests.example import STARS_POLL

ENDPOINT = "https://polls.example.com/x1/jira"
HOST = "polls.example.com"
POLL_ID = STARS_POLL["id"]


class Server:
    """A scripted server: each request gets the next answer (the last one repeats).

    An answer is an httpx.Response, an exception class to raise, or a callable(request).
    """

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, type) and issubclass(answer, Exception):
            # httpx's own texts name the URL, and with it the token.
            raise answer(f"failed: {request.method} {request.url}", request=request)
        if callable(answer):
            return answer(request)
        return answer

    @property
    def count(self) -> int:
        return len(self.requests)


def ok(data: Any) -> httpx.Response:
    return httpx.Response(200, json=data)


def status(code: int, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    if not kwargs:
        kwargs["json"] = {"error": "x", "message": f"Something went wrong ({code})."}
    return httpx.Response(code, headers=headers, **kwargs)


@pytest.fixture
async def mock_client() -> AsyncIterator[Callable[..., tuple[PollsClient, Server, Recorder]]]:
    clients: list[PollsClient] = []

    def make(*answers: Any, **kwargs: Any) -> tuple[PollsClient, Server, Recorder]:
        server = Server(*answers)
        sleep = Recorder()
        kwargs.setdefault("sleep", sleep)
        client = PollsClient(ENDPOINT, TOKEN, transport=httpx.MockTransport(server), **kwargs)
        clients.append(client)
        return client, server, sleep

    yield make
    for client in clients:
        await client.aclose()


async def call(client: PollsClient, operation: str) -> Any:
    ref = PLAT_254604
    if operation == "list":
        return await client.poll_listing(ref)
    if operation == "get":
        return await client.get_poll(ref, POLL_ID)
    if operation == "create":
        return await client.create_poll(ref, Poll.new("t"))
    if operation == "update":
        return await client.update_poll(ref, {**STARS_POLL})
    if operation == "delete":
        return await client.delete_poll(ref, POLL_ID)
    raise AssertionError(operation)


WRITES = ["create", "update", "delete"]


# --- status codes ---------------------------------------------------------------------------


async def test_500_is_a_server_error_and_not_retried(mock_client, assert_no_token) -> None:
    client, server, sleep = mock_client(status(500, json={"message": f"crash near token={TOKEN}"}))
    with pytest.raises(ServerError) as info:
        await client.poll_listing(PLAT_254604)
    error = info.value
    assert (server.count, sleep.delays) == (1, [])
    assert (error.status_code, exit_code(error)) == (500, 6)
    assert error.server_message == "crash near token=***"
    assert told(error) == (
        "Loading polls on PLAT-254604: the server failed (500). The server said: crash near token=*** "
        "Try again in a moment; if it keeps happening, tell the server's administrators."
    )
    assert_no_token(error)


async def test_500_with_an_html_page(mock_client, assert_no_token) -> None:
    page = f"<html><body><h1>Internal Server Error</h1><a href='{ENDPOINT}?token={TOKEN}'>retry</a></body></html>"
    client, _, _ = mock_client(status(500, headers={"content-type": "text/html"}, text=page))
    with pytest.raises(ServerError) as info:
        await client.get_poll(PLAT_254604, POLL_ID)
    assert info.value.server_message is None
    assert told(info.value) == (
        f"Loading poll {POLL_ID} on PLAT-254604: the server failed (500). "
        "Try again in a moment; if it keeps happening, tell the server's administrators."
    )
    assert_no_token(info.value)


@pytest.mark.parametrize("code", [502, 503, 504])
async def test_gateway_errors_of_a_get_are_retried_then_raised(mock_client, code: int, assert_no_token) -> None:
    client, server, sleep = mock_client(status(code, text="Bad gateway"), retries=3, backoff=0.25)
    with pytest.raises(ServerError) as info:
        await client.poll_listing(PLAT_254604)
    assert server.count == 4
    assert sleep.delays == [0.25, 0.5, 1.0]
    assert info.value.status_code == code
    assert told(info.value) == (
        f"Loading polls on PLAT-254604: the server failed ({code}). "
        "Try again in a moment; if it keeps happening, tell the server's administrators."
    )
    assert_no_token(info.value)


async def test_a_gateway_error_then_success(mock_client) -> None:
    client, server, sleep = mock_client(status(503), status(502), ok([STARS_POLL]), backoff=1.0)
    listing = await client.poll_listing(PLAT_254604)
    assert [p.id for p in listing.polls] == [POLL_ID]
    assert (server.count, sleep.delays) == (3, [1.0, 2.0])
    # Every attempt is the same request.
    assert len({str(r.url) for r in server.requests}) == 1


async def test_on_send_is_told_as_each_attempt_is_handed_over(mock_client) -> None:
    """``on_send`` (what All items waits for before it draws itself) hears of every attempt,
    before the transport has it: once per request, again for a retry."""
    handed: list[int] = []
    client, server, _ = mock_client(status(503), ok([STARS_POLL]), backoff=0.1)
    _, polls = await client.list_polls_body(PLAT_254604, on_send=lambda: handed.append(server.count))
    assert [p["id"] for p in polls] == [POLL_ID]
    assert handed == [0, 1]  # each time before the server saw the attempt


async def test_429_honours_retry_after_seconds(mock_client) -> None:
    client, server, sleep = mock_client(status(429, {"Retry-After": "7"}), status(429, {"Retry-After": "0"}), ok([]))
    assert (await client.poll_listing(PLAT_254604)).polls == []
    assert (server.count, sleep.delays) == (3, [7.0, 0.0])


async def test_429_honours_retry_after_as_a_date(mock_client) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    client, _, sleep = mock_client(status(429, {"Retry-After": when}), ok([]))
    await client.poll_listing(PLAT_254604)
    [delay] = sleep.delays
    assert 18.0 <= delay <= 20.0


@pytest.mark.parametrize(
    ("value", "delay"),
    [("30", 30.0), ("-5", 0.0), ("soon", 0.25), ("nan", 0.25), ("inf", 0.25)],
)
async def test_retry_after_is_capped_and_sane(mock_client, value: str, delay: float) -> None:
    client, _, sleep = mock_client(status(429, {"Retry-After": value}), ok([]), backoff=0.25, max_retry_after=30.0)
    await client.poll_listing(PLAT_254604)
    assert sleep.delays == [delay]


async def test_retry_after_beyond_the_cap_is_not_waited_for_and_says_so(mock_client) -> None:
    client, server, sleep = mock_client(status(429, {"Retry-After": "3600"}), ok([]), max_retry_after=30.0)
    with pytest.raises(RateLimitedError) as info:
        await client.poll_listing(PLAT_254604)
    assert (server.count, sleep.delays) == (1, [])
    assert str(info.value).endswith("(The server asks to wait 60 min before trying again.)")


@pytest.mark.parametrize("reset", ["5", lambda: f"{time.time() + 5:.3f}", lambda: str(int((time.time() + 5) * 1000))])
async def test_a_429_with_only_x_ratelimit_reset_waits_for_it(mock_client, reset) -> None:
    value = reset() if callable(reset) else reset
    client, _, sleep = mock_client(status(429, {"X-RateLimit-Reset": value}), ok([]), backoff=0.25)
    await client.poll_listing(PLAT_254604)
    [delay] = sleep.delays
    assert 3.9 <= delay <= 5.0


def test_x_ratelimit_reset_as_a_date_and_unreadable() -> None:
    from pollstui.api.answers import rate_limit_reset

    assert rate_limit_reset("2030-01-01T00:00:10Z", now=datetime(2030, 1, 1, tzinfo=timezone.utc).timestamp()) == 10.0
    assert rate_limit_reset("Tue, 01 Jan 2030 00:00:10 GMT", now=datetime(2030, 1, 1, tzinfo=timezone.utc).timestamp()) == 10.0
    assert [rate_limit_reset(v) for v in ("", None, "soon", "nan", "-3")] == [None, None, None, None, 0.0]


async def test_waits_are_reported_to_on_wait(mock_client) -> None:
    waits: list[tuple[float, str]] = []
    client, _, sleep = mock_client(status(429, {"Retry-After": "7"}), status(503), ok([]), on_wait=lambda s, r: waits.append((s, r)))
    await client.poll_listing(PLAT_254604)
    assert waits == [
        (7.0, "Loading polls on PLAT-254604: the server is rate limiting requests (429)"),
        (0.5, "Loading polls on PLAT-254604: the server failed (503)"),
    ]
    assert sleep.delays == [7.0, 0.5]


async def test_retry_after_on_a_503_is_honoured_too(mock_client) -> None:
    client, _, sleep = mock_client(status(503, {"Retry-After": "4"}), ok([]))
    await client.poll_listing(PLAT_254604)
    assert sleep.delays == [4.0]


async def test_429_that_persists_is_rate_limited(mock_client, assert_no_token) -> None:
    client, server, sleep = mock_client(status(429, {"Retry-After": "1"}), retries=2)
    with pytest.raises(RateLimitedError) as info:
        await client.get_poll(PLAT_254604, POLL_ID)
    assert (server.count, sleep.delays) == (3, [1.0, 1.0])
    assert told(info.value) == (
        f"Loading poll {POLL_ID} on PLAT-254604: the server is rate limiting requests (429). "
        "Wait a moment, then try again."
    )
    assert info.value.retry_after == 1.0
    assert_no_token(info.value)


@pytest.mark.parametrize("code", [401, 403])
async def test_401_and_403_are_not_permitted_and_not_retried(mock_client, code: int) -> None:
    from pollstui.api.errors import NotPermittedError

    client, server, _ = mock_client(status(code))
    with pytest.raises(NotPermittedError):
        await client.poll_listing(PLAT_254604)
    assert server.count == 1


async def test_404_without_a_poll_id_means_a_wrong_endpoint(mock_client) -> None:
    from pollstui.api.errors import PollNotFoundError

    client, _, _ = mock_client(status(404, text="Not Found"))
    with pytest.raises(PollNotFoundError) as info:
        await client.poll_listing(PLAT_254604)
    assert told(info.value) == (
        "Loading polls on PLAT-254604: the server has no such endpoint (404). Check the endpoint URL in your profile."
    )


async def test_another_error_status(mock_client, assert_no_token) -> None:
    from pollstui.api.errors import APIError

    client, server, _ = mock_client(status(418, json={"detail": "I'm a teapot"}))
    with pytest.raises(APIError) as info:
        await client.poll_listing(PLAT_254604)
    assert type(info.value) is APIError
    assert told(info.value) == (
        "Loading polls on PLAT-254604: the server answered 418. The server said: I'm a teapot "
        "Check the endpoint URL, then try again."
    )
    assert server.count == 1
    assert_no_token(info.value)


# --- writes are never retried ---------------------------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.ConnectError, NetworkError),
        (httpx.ReadTimeout, RequestTimeoutError),
        (httpx.RemoteProtocolError, NetworkError),
        (status(503), ServerError),
        (status(502), ServerError),
        (status(429, {"Retry-After": "1"}), RateLimitedError),
    ],
    ids=["connect", "read-timeout", "protocol", "503", "502", "429"],
)
async def test_writes_are_never_retried(mock_client, operation: str, answer: Any, error: type, assert_no_token) -> None:
    client, server, sleep = mock_client(answer, ok({**STARS_POLL}), retries=5)
    with pytest.raises(error) as info:
        await call(client, operation)
    assert server.count == 1
    assert sleep.delays == []
    assert server.requests[0].method == {"create": "POST", "update": "PUT", "delete": "DELETE"}[operation]
    assert_no_token(info.value)


# --- transport failures of a GET ------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError, httpx.ReadTimeout, httpx.ConnectTimeout, httpx.ReadError, httpx.RemoteProtocolError],
)
async def test_get_is_retried_on_transport_failures_with_backoff(mock_client, failure: type) -> None:
    client, server, sleep = mock_client(failure, failure, failure, ok([STARS_POLL]), retries=3, backoff=0.5)
    [poll] = (await client.poll_listing(PLAT_254604)).polls
    assert poll.id == POLL_ID
    assert server.count == 4
    assert sleep.delays == [0.5, 1.0, 2.0]


async def test_connect_errors_that_persist(mock_client, assert_no_token) -> None:
    client, server, sleep = mock_client(httpx.ConnectError, retries=2, backoff=0.1)
    with pytest.raises(NetworkError) as info:
        await client.poll_listing(PLAT_254604)
    assert (server.count, sleep.delays) == (3, [0.1, 0.2])
    assert told(info.value) == (
        "Loading polls on PLAT-254604: could not reach polls.example.com "
        "(failed: GET https://polls.example.com/x1/jira?token=***&type=polls&workspace=PLAT&content=PLAT-254604). "
        "Check the endpoint URL and your network (or VPN), then try again."
    )
    assert_no_token(info.value)


async def test_timeouts_that_persist(mock_client, assert_no_token) -> None:
    client, server, sleep = mock_client(httpx.ReadTimeout, retries=1)
    with pytest.raises(RequestTimeoutError) as info:
        await client.get_poll(PLAT_254604, POLL_ID)
    assert server.count == 2
    assert told(info.value) == (
        f"Loading poll {POLL_ID} on PLAT-254604: polls.example.com did not answer in time. "
        "Check your connection or VPN, then try again."
    )
    assert exit_code(info.value) == 6
    assert_no_token(info.value)


async def test_no_retries_when_told(mock_client) -> None:
    client, server, sleep = mock_client(httpx.ConnectError, ok([]), retries=0)
    with pytest.raises(NetworkError):
        await client.poll_listing(PLAT_254604)
    assert (server.count, sleep.delays) == (1, [])


async def test_retries_are_logged_without_the_token(mock_client, debug_logs) -> None:
    client, _, _ = mock_client(httpx.ConnectError, status(503), ok([]))
    await client.poll_listing(PLAT_254604)
    retries = [r.getMessage() for r in debug_logs.records if r.name == "pollstui.api"]
    assert len(retries) == 2
    assert retries == [
        "Loading polls on PLAT-254604: could not reach polls.example.com (failed: GET "
        "https://polls.example.com/x1/jira?token=***&type=polls&workspace=PLAT&content=PLAT-254604); retry 1/3 in 0.25s",
        "Loading polls on PLAT-254604: the server failed (503); retry 2/3 in 0.50s",
    ]
    assert TOKEN not in debug_logs.text


# --- 200, but not the API's JSON -------------------------------------------------------------


PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in to continue</body></html>"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, text=PAGE),
            f"Loading polls on PLAT-254604: {HOST} answered with a web page instead of JSON. "
            "Check that the endpoint URL is the Polls API's, not a login or proxy page.",
        ),
        (
            httpx.Response(200, headers={"content-type": "application/json"}, text="  \n<html>oops</html>"),
            f"Loading polls on PLAT-254604: {HOST} answered with a web page instead of JSON. "
            "Check that the endpoint URL is the Polls API's, not a login or proxy page.",
        ),
        (
            httpx.Response(200, headers={"content-type": "application/json"}, text='[{"id": "1", "title": '),
            f"Loading polls on PLAT-254604: {HOST} answered with broken JSON. Try again; if it persists, the server or a proxy in between is misbehaving.",
        ),
        (
            httpx.Response(200, headers={"content-type": "application/json"}, content=b"\xff\xfe[]"),
            f"Loading polls on PLAT-254604: {HOST} answered with broken JSON. Try again; if it persists, the server or a proxy in between is misbehaving.",
        ),
        (
            httpx.Response(200, text=""),
            f"Loading polls on PLAT-254604: {HOST} answered with an empty body where JSON was expected. "
            "Check that the endpoint URL is the Polls API's, not a login or proxy page.",
        ),
        (
            httpx.Response(200, text=" \r\n "),
            f"Loading polls on PLAT-254604: {HOST} answered with an empty body where JSON was expected. "
            "Check that the endpoint URL is the Polls API's, not a login or proxy page.",
        ),
        (
            ok({"polls": [STARS_POLL]}),
            f"{HOST} sent JSON that is not a list of polls (expected a JSON array of polls, got dict). "
            "The API may have changed; check for a newer pollstui.",
        ),
        (
            ok("polls"),
            f"{HOST} sent JSON that is not a list of polls (expected a JSON array of polls, got str). "
            "The API may have changed; check for a newer pollstui.",
        ),
    ],
    ids=["html", "html-as-json", "broken", "not-utf8", "empty", "blank", "object", "string"],
)
async def test_a_list_that_is_not_the_apis_json(mock_client, response, message: str, assert_no_token) -> None:
    client, server, sleep = mock_client(response, ok([]))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.poll_listing(PLAT_254604)
    assert told(info.value) == message
    assert (server.count, sleep.delays) == (1, [])  # not retried: the next answer would be fine
    assert exit_code(info.value) == 6
    assert_no_token(info.value)


async def test_raw_list_checks_for_json_too(mock_client) -> None:
    client, _, _ = mock_client(httpx.Response(200, text="<html></html>"))
    with pytest.raises(UnexpectedResponseError, match="web page instead of JSON"):
        await client.list_polls_body(PLAT_254604)
    client, _, _ = mock_client(httpx.Response(200, text="[1, 2"))
    with pytest.raises(UnexpectedResponseError, match="broken JSON"):
        await client.get_poll_raw(PLAT_254604, POLL_ID)


async def test_raw_list_is_the_bytes_as_sent(mock_client) -> None:
    body = '[ {"id": "a", "weird": 1.50} ]'.encode()
    client, _, _ = mock_client(httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    assert (await client.list_polls_body(PLAT_254604))[0] == body


async def test_get_answered_with_an_array_of_one_poll_is_that_poll(mock_client) -> None:
    client, _, _ = mock_client(ok([STARS_POLL]))
    poll = await client.get_poll(PLAT_254604, POLL_ID)
    assert poll.to_api() == STARS_POLL
    assert json.loads(await client.get_poll_raw(PLAT_254604, POLL_ID)) == STARS_POLL  # the object, not the array


async def test_get_answered_with_several_polls_picks_the_one_asked_for(mock_client) -> None:
    other = {**STARS_POLL, "id": "other", "title": "Other"}
    client, _, _ = mock_client(ok([other, STARS_POLL]))
    assert (await client.get_poll(PLAT_254604, POLL_ID)).title == STARS_POLL["title"]


async def test_get_answered_with_several_polls_none_of_them_asked_for(mock_client) -> None:
    client, _, _ = mock_client(ok([{**STARS_POLL, "id": "a"}, {**STARS_POLL, "id": "b"}]))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.get_poll(PLAT_254604, POLL_ID)
    assert "not a poll" in str(info.value) and "2 items, 0 of them with id" in str(info.value)
    assert exit_code(info.value) == 6


async def test_get_answered_with_an_empty_array_is_not_found(mock_client) -> None:
    client, _, _ = mock_client(ok([]))
    with pytest.raises(PollNotFoundError) as info:
        await client.get_poll(PLAT_254604, POLL_ID)
    assert exit_code(info.value) == 4
    assert "no such poll" in told(info.value) and "`pollstui list` shows the polls there" in told(info.value)


async def test_get_answered_with_an_array_holding_no_object(mock_client) -> None:
    client, _, _ = mock_client(ok(["not a poll"]))
    with pytest.raises(UnexpectedResponseError, match="not a poll .expected a poll object, got str"):
        await client.get_poll(PLAT_254604, POLL_ID)


@pytest.mark.parametrize("created", [{k: v for k, v in STARS_POLL.items() if k != "id"}, {**STARS_POLL, "id": ""}, {**STARS_POLL, "id": None}])
async def test_create_that_returns_no_id(mock_client, created: dict, assert_no_token) -> None:
    client, server, _ = mock_client(ok(created))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.create_poll(PLAT_254604, Poll.new("t"))
    assert told(info.value) == (
        "The server said the poll was created but returned no id. "
        "The change may or may not have been made: check with `pollstui list` before trying again. "
        "The API may have changed; check for a newer pollstui."
    )
    assert server.count == 1
    assert_no_token(info.value)


async def test_create_that_returns_a_numeric_id(mock_client) -> None:
    client, _, _ = mock_client(ok({**STARS_POLL, "id": 42}))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.create_poll(PLAT_254604, Poll.new("t"))
    assert told(info.value) == (
        f"{HOST} sent JSON that is not the created poll (id: input should be a valid string). "
        "The change may or may not have been made: check with `pollstui list` before trying again. "
        "The API may have changed; check for a newer pollstui."
    )
    assert info.value.maybe_done  # the server answered 200: look for the poll before creating another


async def test_update_that_returns_something_else(mock_client) -> None:
    client, _, _ = mock_client(ok({"ok": True, "options": "none"}))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.update_poll(PLAT_254604, {**STARS_POLL})
    assert told(info.value) == (
        f"{HOST} sent JSON that is not the updated poll (options: input should be a valid list). "
        "The change may or may not have been made: check with `pollstui list` before trying again. "
        "The API may have changed; check for a newer pollstui."
    )
    assert info.value.maybe_done


# --- a write answered "done" without the API's JSON (the docs give DELETE only "200") ---------


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="OK"),
        httpx.Response(200, headers={"content-type": "text/plain"}, text="Deleted."),
        httpx.Response(200, text=""),
        httpx.Response(204),
    ],
    ids=["ok", "text-plain", "empty", "204"],
)
async def test_delete_answered_with_plain_text_is_done(mock_client, answer) -> None:
    client, server, _ = mock_client(answer)
    assert await client.delete_poll(PLAT_254604, POLL_ID) is None
    assert server.count == 1


async def test_delete_answered_with_a_login_page_is_not_done(mock_client) -> None:
    client, _, _ = mock_client(httpx.Response(200, headers={"content-type": "text/plain"}, text="<html>Sign in</html>"))
    with pytest.raises(UnexpectedResponseError, match="web page instead of JSON") as info:
        await client.delete_poll(PLAT_254604, POLL_ID)
    assert info.value.maybe_done and "may or may not have been made" in told(info.value)


async def test_update_answered_with_plain_text_reads_the_poll_back(mock_client) -> None:
    saved = {**STARS_POLL, "title": "Saved"}
    client, server, _ = mock_client(httpx.Response(200, text="OK"), ok([saved]))
    poll = await client.update_poll(PLAT_254604, saved)
    assert poll.title == "Saved"
    assert [r.method for r in server.requests] == ["PUT", "GET"]


@pytest.mark.parametrize("answer", [{"ok": True}, {"id": POLL_ID, "updated": True}], ids=["ok", "id-only"])
async def test_update_answered_with_json_that_holds_no_poll_reads_the_poll_back(mock_client, answer) -> None:
    """Not the poll the docs promise, but "done": the poll reported saved is the server's, not
    a poll with no title and no options made of the acknowledgement."""
    saved = {**STARS_POLL, "title": "Saved"}
    client, server, _ = mock_client(httpx.Response(200, json=answer), ok([saved]))
    poll = await client.update_poll(PLAT_254604, saved)
    assert poll.title == "Saved" and len(poll.options) == len(STARS_POLL["options"])
    assert [r.method for r in server.requests] == ["PUT", "GET"]


async def test_update_answered_with_plain_text_whose_read_back_fails_may_have_saved(mock_client) -> None:
    client, server, _ = mock_client(httpx.Response(200, text="OK"), status(503), retries=0)
    with pytest.raises(UnexpectedResponseError) as info:
        await client.update_poll(PLAT_254604, {**STARS_POLL})
    assert info.value.maybe_done
    assert "said it was saved (200) but sent no poll back" in str(info.value)
    assert "most likely saved" in told(info.value)


async def test_create_answered_with_plain_text_may_have_created(mock_client) -> None:
    client, _, _ = mock_client(httpx.Response(200, text="Created"))
    with pytest.raises(UnexpectedResponseError, match="broken JSON") as info:
        await client.create_poll(PLAT_254604, Poll.new("t"))
    assert info.value.maybe_done  # no id to return: the caller looks for the poll that arrived


@pytest.mark.parametrize(("code", "operation"), [(424, "create"), (500, "update"), (502, "delete")])
async def test_a_write_answered_424_or_5xx_may_have_been_done(mock_client, code: int, operation: str) -> None:
    client, _, _ = mock_client(status(code))
    with pytest.raises(ServerError) as info:
        await call(client, operation)
    assert info.value.maybe_done
    assert told(info.value).endswith("The change may or may not have been made: check with `pollstui list` before trying again.")


@pytest.mark.parametrize("code", [424, 500])
async def test_a_read_answered_424_or_5xx_did_nothing(mock_client, code: int) -> None:
    client, _, _ = mock_client(status(code), retries=0)
    with pytest.raises(ServerError) as info:
        await client.poll_listing(PLAT_254604)
    assert not info.value.maybe_done and "may or may not" not in str(info.value)


async def test_a_body_that_cannot_be_decoded(mock_client, assert_no_token) -> None:
    garbage = httpx.Response(
        200, headers={"content-encoding": "gzip", "content-type": "application/json"}, stream=httpx.ByteStream(b"not gzip")
    )
    client, server, sleep = mock_client(garbage, ok([]))
    with pytest.raises(UnexpectedResponseError) as info:
        await client.poll_listing(PLAT_254604)
    assert told(info.value) == (
        f"Loading polls on PLAT-254604: {HOST} sent a body that could not be decoded. "
        "Try again; if it persists, the server or a proxy in between is misbehaving."
    )
    assert (server.count, sleep.delays) == (1, [])
    assert_no_token(info.value)


# Every redirect takes one branch: each code once, each operation once.
@pytest.mark.parametrize(
    ("code", "operation"), [(301, "list"), (302, "get"), (303, "create"), (307, "update"), (308, "delete")]
)
async def test_a_redirect_is_never_followed_nor_taken_for_success(mock_client, operation: str, code: int, assert_no_token) -> None:
    location = f"https://sso.example.com/login?next=https%3A%2F%2Fpolls.example.com%2Fx1%2Fjira%3Ftoken%3D{TOKEN}"
    client, server, _ = mock_client(httpx.Response(code, headers={"location": location}), ok([]))
    with pytest.raises(UnexpectedResponseError) as info:
        await call(client, operation)
    assert server.count == 1
    message = str(info.value)
    what = {"list": "Loading polls", "get": "Loading poll", "create": "Creating a poll", "update": "Saving poll",
            "delete": "Deleting poll"}[operation]  # fmt: skip
    assert message.startswith(what) and "PLAT-254604" in message  # what, and where
    assert (POLL_ID in message) == (operation in ("get", "update", "delete"))  # which poll
    assert f"redirected the request elsewhere ({code})" in message  # what happened
    assert "Check that the endpoint URL is the Polls API's" in told(info.value)  # what to do
    assert_no_token(info.value)


# --- a real misbehaving server on loopback --------------------------------------------------


async def _slow(request: Request) -> Response:
    """Answers only once the client has given up waiting (or after 30 s)."""
    deadline = asyncio.get_running_loop().time() + 30
    while not await request.is_disconnected() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    return JSONResponse([])


async def _redirect(request: Request) -> Response:
    return RedirectResponse(f"http://127.0.0.1:1/login?next={request.url}", status_code=302)


async def _html(request: Request) -> Response:
    return Response("<html><body>Proxy error</body></html>", status_code=200, media_type="text/html")


@pytest.fixture
def misbehaving_server():
    app = Starlette(
        routes=[
            Route("/slow", _slow, methods=["GET", "POST"]),
            Route("/redirect", _redirect, methods=["GET", "DELETE"]),
            Route("/html", _html),
        ]
    )
    with ServerThread(app) as server:
        yield server.base_url


async def test_a_real_timeout(misbehaving_server: str, assert_no_token) -> None:
    host = misbehaving_server.removeprefix("http://")
    sleep = Recorder()
    async with PollsClient(f"{misbehaving_server}/slow", TOKEN, timeout=httpx.Timeout(0.1), retries=1, sleep=sleep) as client:
        with pytest.raises(RequestTimeoutError) as info:  # httpx's read timeout, then one retry
            await client.poll_listing(PLAT_254604)
    assert told(info.value) == (
        f"Loading polls on PLAT-254604: {host} did not answer in time. Check your connection or VPN, then try again."
    )
    assert sleep.delays == [0.25]
    assert_no_token(info.value)


async def test_a_real_timeout_of_a_post_is_not_retried(misbehaving_server: str) -> None:
    sleep = Recorder()
    async with PollsClient(f"{misbehaving_server}/slow", TOKEN, timeout=0.1, sleep=sleep) as client:
        with pytest.raises(RequestTimeoutError, match=r"^Creating a poll on PLAT-254604: .* did not answer in time"):
            await client.create_poll(PLAT_254604, Poll.new("t"))
    assert sleep.delays == []


async def test_a_real_redirect_leaks_the_token_nowhere(misbehaving_server: str, debug_logs, assert_no_token) -> None:
    async with PollsClient(f"{misbehaving_server}/redirect", TOKEN) as client:
        for operation in ("list", "delete"):
            with pytest.raises(UnexpectedResponseError) as info:
                await call(client, operation)
            assert "(302)" in str(info.value)
            assert_no_token(info.value)
    messages = [r.getMessage() for r in debug_logs.records]
    assert any("302" in m for m in messages if "HTTP Request" in m)
    assert any(m.startswith("receive_response_headers.complete") for m in messages)
    for record in debug_logs.records:
        assert TOKEN not in record.getMessage(), (record.name, record.getMessage())
    assert TOKEN not in debug_logs.text


async def test_a_real_html_page(misbehaving_server: str) -> None:
    async with PollsClient(f"{misbehaving_server}/html", TOKEN) as client:
        with pytest.raises(UnexpectedResponseError, match="answered with a web page instead of JSON"):
            await client.poll_listing(PLAT_254604)

