"""PollsClient against the real reference server: over ASGI for speed, over loopback end to end."""

from __future__ import annotations

import copy
import json
import logging
import re
import socket
import uuid
from typing import Any

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.api.errors import (
    BadRequestError,
    InvalidInputError,
    NetworkError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
)
from pollstui.api.models import DEFAULT_SETTINGS, Poll, PollOption
from pollstui.api.results import PollResults, percent
from pollstui.server.seed import UNKNOWN_FIELDS_POLL
from pollstui.cli.errors import exit_code, told
from tests.api.conftest import OFFSITE, PLAT_254604, PLAT_254630, Recorder
from tests.conftest import TOKEN
from tests.example import STARS_ID, STARS_POLL, STARS_TITLE

EMPTY_JIRA = ContentRef.create("jira", "NEW", "NEW-1")
EMPTY_CONFLUENCE = ContentRef.create("confluence", "11", "22", "macro-33")
MISSING_ID = "00000000-0000-4000-8000-000000000000"
WRONG_TOKEN = "wrong-token-9d8c7b6a"

PRODUCTS = pytest.mark.parametrize(
    ("product", "ref"), [("jira", EMPTY_JIRA), ("confluence", EMPTY_CONFLUENCE)], ids=["jira", "confluence"]
)


def wire(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def rich_body() -> dict[str, Any]:
    """A poll to create, with undocumented fields at every level and of every JSON type."""
    return {
        "title": "Naïve café ☕ — 日本語 👩‍👩‍👧",
        "description": "Fields the API does not document must survive.",
        "labels": ["audit", "q3"],
        "x-origin": {"importedFrom": "polls-v0", "revision": 7, "nested": [{"a": [1, 2.5, None, True]}]},
        "ratio": 0.1,
        "one": 1.0,
        "big": 12345678901234567890,
        "nothing": None,
        "options": [
            {"id": "pg", "title": "PostgreSQL 🐘", "order": 0, "color": "#336791", "weight": 2.5},
            {"id": "ch", "title": "ClickHouse", "order": 1, "meta": {"tags": [], "n": None}},
        ],
        "settings": {
            **DEFAULT_SETTINGS,
            "resultsVisibility": "onlyAdmins",
            "anonymousMode": "strict",
            "reminder": {"every": "P1D", "enabled": False, "at": [9, 17.5]},
        },
    }


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- reading --------------------------------------------------------------------------------


async def test_list_jira_polls(jira: PollsClient) -> None:
    listing = await jira.poll_listing(PLAT_254604)
    polls = listing.polls
    assert listing.unreadable == []
    assert [p.id for p in polls][0] == STARS_ID
    assert [p.title for p in polls] == [STARS_TITLE, "Which release train should 4.2 ship on? 🚆"]
    assert all(p.results is None and p.results_view is None for p in polls)
    assert wire(polls[0].model().to_api()) == wire(STARS_POLL)


async def test_list_confluence_polls(confluence: PollsClient) -> None:
    polls = (await confluence.poll_listing(OFFSITE)).polls
    assert [p.title for p in polls] == ["Where should the offsite be? 🏔️", "Lunch on day one 🍕"]
    assert [o.title for o in polls[0].ordered_options()] == ["Lisbon 🇵🇹", "Kraków 🇵🇱", "Tromsø 🇳🇴"]


async def test_list_of_an_item_without_polls_is_empty(jira: PollsClient, confluence: PollsClient) -> None:
    assert (await jira.poll_listing(EMPTY_JIRA)).polls == []
    assert (await confluence.poll_listing(EMPTY_CONFLUENCE)).polls == []


@PRODUCTS
async def test_list_and_get_with_results(make_client, store, product: str, ref: ContentRef) -> None:
    client = make_client(product)
    created = await client.create_poll(
        ref, Poll.new("Lunch", options=[{"id": "1", "title": "Pizza", "order": 1}, {"id": "2", "title": "Sushi", "order": 0}],
                      settings={"allowSelectionOfMultipleOptions": True})
    )
    store.add_vote(created.id, ["1"], "ana")
    store.add_vote(created.id, ["1", "2"], "ben")
    store.add_vote(created.id, ["1"], "chen")
    expected = PollResults((("2", 1), ("1", 3)), total_voters=3)

    [listed] = (await client.poll_listing(ref, results=True)).polls
    assert listed.results_view == expected
    assert percent(listed.results_view.votes_for("1"), listed.total_votes) == 75.0
    assert listed.total_votes == 4
    got = await client.get_poll(ref, created.id, results=True)
    assert got.results_view == expected
    assert "results" not in got.to_api()

    [plain] = (await client.poll_listing(ref)).polls
    assert plain.results is None
    assert (await client.get_poll(ref, created.id)).results is None


async def test_get_poll(jira: PollsClient) -> None:
    poll = await jira.get_poll(PLAT_254604, STARS_ID)
    assert wire(poll.to_api()) == wire(STARS_POLL)


async def test_raw_reads_return_the_servers_json(jira: PollsClient, store) -> None:
    raw, data = await jira.list_polls_body(PLAT_254604)
    assert json.loads(raw) == data == store.list_polls("jira", "PLAT", "PLAT-254604")
    raw = await jira.get_poll_raw(PLAT_254604, STARS_ID, results=True)
    assert json.loads(raw) == {**STARS_POLL, "results": store.results(STARS_ID)}


# --- writing --------------------------------------------------------------------------------


@PRODUCTS
async def test_create_update_delete(make_client, store, product: str, ref: ContentRef) -> None:
    client = make_client(product)
    body = Poll.new("Lunch 🍕", "Where do we eat?", [{"id": "1", "title": "Pizza", "order": 0}])
    created = await client.create_poll(ref, body)
    assert uuid.UUID(created.id).version == 4
    assert created.to_api() == {"id": created.id, **body.to_api()}
    assert store.get_poll(product, ref.workspace, ref.content, ref.container, created.id) == created.to_api()

    created.title = "Dinner 🍝"
    created.options.append(PollOption(id="2", title="Sushi", order=1))
    updated = await client.update_poll(ref, created)
    assert updated.to_api() == created.to_api()
    fetched = await client.get_poll(ref, created.id)
    assert fetched.title == "Dinner 🍝"
    assert [(o.id, o.title, o.order) for o in fetched.options] == [("1", "Pizza", 0), ("2", "Sushi", 1)]

    assert await client.delete_poll(ref, created.id) is None
    assert (await client.poll_listing(ref)).polls == []
    with pytest.raises(PollNotFoundError):
        await client.get_poll(ref, created.id)


async def test_create_ignores_an_id_and_results_in_the_body(jira: PollsClient) -> None:
    body = {**Poll.new("t").to_api(), "id": STARS_ID, "results": {"totalVotes": 99, "options": []}}
    created = await jira.create_poll(EMPTY_JIRA, body)
    assert created.id != STARS_ID
    assert created.results is None
    assert body["id"] == STARS_ID  # the caller's dict is not changed


async def test_create_and_update_accept_dicts(jira: PollsClient) -> None:
    created = await jira.create_poll(EMPTY_JIRA, {"title": "From a dict", "options": []})
    assert created.to_api() == {"id": created.id, "title": "From a dict", "options": []}
    updated = await jira.update_poll(EMPTY_JIRA, {**created.to_api(), "title": "Still a dict"})
    assert updated.to_api() == {"id": created.id, "title": "Still a dict", "options": []}


async def test_update_without_an_id_is_refused_before_sending(jira: PollsClient) -> None:
    with pytest.raises(PollsError) as info:
        await jira.update_poll(EMPTY_JIRA, Poll.new("no id"))
    assert str(info.value) == "This poll has no id, so it cannot be updated: create it instead."


@PRODUCTS
async def test_unknown_fields_survive_create_and_edit(make_client, product: str, ref: ContentRef) -> None:
    client = make_client(product)
    created = await client.create_poll(ref, rich_body())
    assert wire(created.to_api()) == wire({"id": created.id, **rich_body()})
    loaded = await client.get_poll(ref, created.id)
    loaded.title = "Edited ✏️"
    await client.update_poll(ref, loaded)
    again = await client.get_poll(ref, created.id)
    expected = {"id": created.id, **rich_body(), "title": "Edited ✏️"}
    assert wire(again.to_api()) == wire(expected)
    assert wire(json.loads(await client.get_poll_raw(ref, created.id))) == wire(expected)


async def test_the_seeded_poll_with_unknown_fields_survives_an_edit(jira: PollsClient, store) -> None:
    poll = (await jira.poll_listing(PLAT_254630, results=True)).polls[0].model()
    poll_id = poll.id
    poll.title = "Database for the audit log, v2"
    poll.settings.allow_revote = True
    await jira.update_poll(PLAT_254630, poll)
    stored = store.get_poll("jira", "PLAT", "PLAT-254630", "", poll_id)
    expected = copy.deepcopy(UNKNOWN_FIELDS_POLL)
    expected["title"] = "Database for the audit log, v2"
    expected["settings"]["allowRevote"] = True
    assert wire(stored) == wire({"id": poll_id, **expected})  # no results stored either


async def test_a_poll_sent_without_settings_stays_without_them(jira: PollsClient, store) -> None:
    created = await jira.create_poll(EMPTY_JIRA, {"title": "Bare", "options": []})
    loaded = await jira.get_poll(EMPTY_JIRA, created.id)
    loaded.description = "now with a description"
    await jira.update_poll(EMPTY_JIRA, loaded)
    assert store.get_poll("jira", "NEW", "NEW-1", "", created.id) == {
        "id": created.id, "title": "Bare", "options": [], "description": "now with a description",
    }


# --- errors ---------------------------------------------------------------------------------


async def test_wrong_token_is_not_permitted(make_client, assert_no_token) -> None:
    client = make_client("jira", token=WRONG_TOKEN)
    with pytest.raises(NotPermittedError) as info:
        await client.poll_listing(PLAT_254604)
    error = info.value
    assert (error.status_code, error.server_message, exit_code(error)) == (403, "The token is missing or not valid.", 3)
    assert told(error) == (
        "Loading polls on PLAT-254604: the server refused the token (403). It may be wrong or expired, "
        "or not cover project PLAT (an admin chooses the projects and spaces a token covers). Check the "
        "token in your profile or URL (pollstui profile show), or ask for one that covers it."
    )
    assert_no_token(error, WRONG_TOKEN)
    assert_no_token(error, TOKEN)


@pytest.mark.parametrize("operation", ["list", "get", "create", "update", "delete"])
async def test_every_operation_with_a_wrong_token_is_not_permitted(make_client, operation: str, assert_no_token) -> None:
    client = make_client("confluence", token=WRONG_TOKEN)
    calls = {
        "list": lambda: client.poll_listing(OFFSITE),
        "get": lambda: client.get_poll(OFFSITE, STARS_ID),
        "create": lambda: client.create_poll(OFFSITE, Poll.new("t")),
        "update": lambda: client.update_poll(OFFSITE, {"id": STARS_ID, "title": "t", "options": []}),
        "delete": lambda: client.delete_poll(OFFSITE, STARS_ID),
    }
    with pytest.raises(NotPermittedError) as info:
        await calls[operation]()
    assert info.value.status_code == 403
    assert_no_token(info.value, WRONG_TOKEN)


async def test_confluence_without_container_is_a_bad_request(confluence: PollsClient, assert_no_token) -> None:
    ref = ContentRef("confluence", "98306", "557057", "")  # bypasses create(), which would refuse it
    with pytest.raises(BadRequestError) as info:
        await confluence.poll_listing(ref)
    error = info.value
    assert (error.status_code, exit_code(error)) == (400, 5)
    assert error.server_message == "The query parameter 'container' is required."
    assert told(error) == (
        "Loading polls on 557057 · : the server refused the request as invalid (400). "
        "The server said: The query parameter 'container' is required. "
        "Check the workspace, content and container."
    )
    assert_no_token(error)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"title": "", "options": []}, "title must be a non-empty string."),
        ({"title": "t", "options": [{"id": "1", "title": "a", "order": 0}, {"id": "1", "title": "b", "order": 1}]},
         "Option id '1' is used more than once."),
        ({"title": "t", "options": [], "settings": {"allowRevote": "yes"}}, "settings.allowRevote must be true or false."),
    ],
)
async def test_an_invalid_poll_is_a_bad_request(jira: PollsClient, body: dict, said: str, assert_no_token) -> None:
    with pytest.raises(BadRequestError) as info:
        await jira.create_poll(EMPTY_JIRA, body)
    assert info.value.server_message == said
    assert told(info.value) == (
        f"Creating a poll on NEW-1: the server refused the poll as invalid (400). The server said: {said} "
        "Check the poll's fields."  # never the workspace or content: it was the body that was refused
    )
    assert_no_token(info.value)
    assert (await jira.poll_listing(EMPTY_JIRA)).polls == []


async def test_update_with_an_invalid_body_is_a_bad_request(jira: PollsClient, assert_no_token) -> None:
    poll = await jira.get_poll(PLAT_254604, STARS_ID)
    body = {**poll.to_api(), "options": [{"id": "1", "title": "⭐"}]}  # no order
    with pytest.raises(BadRequestError) as info:
        await jira.update_poll(PLAT_254604, body)
    assert info.value.server_message == "options[0].order must be an integer."
    assert_no_token(info.value)
    assert wire((await jira.get_poll(PLAT_254604, STARS_ID)).to_api()) == wire(STARS_POLL)


@PRODUCTS
@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ("get", "Loading poll {id} on {label}: the server has no such poll here (404). It may have been deleted; `pollstui list` shows the polls there."),
        ("update", "Saving poll {id} on {label}: the server has no such poll here (404). It may have been deleted; `pollstui list` shows the polls there."),
        ("delete", "Deleting poll {id} on {label}: the server has no such poll here (404). It may have been deleted; `pollstui list` shows the polls there."),
    ],
)
async def test_unknown_poll_id_is_not_found(make_client, product, ref, operation, message, assert_no_token) -> None:
    client = make_client(product)
    calls = {
        "get": lambda: client.get_poll(ref, MISSING_ID),
        "update": lambda: client.update_poll(ref, {"id": MISSING_ID, "title": "t", "options": []}),
        "delete": lambda: client.delete_poll(ref, MISSING_ID),
    }
    with pytest.raises(PollNotFoundError) as info:
        await calls[operation]()
    error = info.value
    assert (error.status_code, exit_code(error)) == (404, 4)
    assert error.server_message == f"No poll with id {MISSING_ID!r} on this content item."
    assert told(error) == message.format(id=MISSING_ID, label=ref.label)
    assert_no_token(error)


async def test_a_poll_of_another_content_item_is_not_found(jira: PollsClient) -> None:
    with pytest.raises(PollNotFoundError):
        await jira.get_poll(PLAT_254630, STARS_ID)
    with pytest.raises(PollNotFoundError):
        await jira.delete_poll(PLAT_254630, STARS_ID)
    assert (await jira.get_poll(PLAT_254604, STARS_ID)).id == STARS_ID


async def test_a_refused_connection_is_a_network_error(assert_no_token) -> None:
    port = closed_port()
    sleep = Recorder()
    async with PollsClient(f"http://127.0.0.1:{port}/x1/jira", TOKEN, sleep=sleep, retries=3, backoff=0.25) as client:
        with pytest.raises(NetworkError) as info:
            await client.poll_listing(PLAT_254604)
    error = info.value
    assert re.fullmatch(
        rf"Loading polls on PLAT-254604: could not reach 127\.0\.0\.1:{port} \(.+\)\. "
        r"Check the endpoint URL and your network \(or VPN\), then try again\.",
        told(error),
    ), told(error)
    assert sleep.delays == [0.25, 0.5, 1.0]
    assert_no_token(error)


@pytest.mark.parametrize("operation", ["create", "update", "delete"])
async def test_a_refused_write_is_not_retried(operation: str, assert_no_token) -> None:
    sleep = Recorder()
    async with PollsClient(f"http://127.0.0.1:{closed_port()}/x1/jira", TOKEN, sleep=sleep) as client:
        calls = {
            "create": lambda: client.create_poll(EMPTY_JIRA, Poll.new("t")),
            "update": lambda: client.update_poll(EMPTY_JIRA, {"id": STARS_ID, "title": "t"}),
            "delete": lambda: client.delete_poll(EMPTY_JIRA, STARS_ID),
        }
        with pytest.raises(NetworkError) as info:
            await calls[operation]()
    assert sleep.delays == []
    assert_no_token(info.value)


def test_plain_http_to_a_remote_host_is_refused_by_the_client() -> None:
    with pytest.raises(InvalidInputError, match=r"^Refusing plain http:// to polls\.example\.com"):
        PollsClient("http://polls.example.com/x1/jira", TOKEN)


async def test_the_client_repr_hides_the_token(jira: PollsClient) -> None:
    assert repr(jira) == "PollsClient(endpoint='http://testserver/x1/jira', token='***')"
    assert TOKEN not in repr(jira) and TOKEN not in str(jira)


async def test_no_token_in_logs_over_asgi(make_client, debug_logs) -> None:
    client = make_client("jira")
    await client.poll_listing(PLAT_254604, results=True)
    with pytest.raises(PollNotFoundError):
        await client.get_poll(PLAT_254604, MISSING_ID)
    with pytest.raises(NotPermittedError):
        await make_client("jira", token=WRONG_TOKEN).poll_listing(PLAT_254604)
    assert_logs_clean(debug_logs, min_records=3)


def assert_logs_clean(caplog: pytest.LogCaptureFixture, min_records: int) -> None:
    records = [r for r in caplog.records if r.name.split(".")[0] in ("httpx", "httpcore", "pollstui")]
    assert len(records) >= min_records, [r.name for r in caplog.records]
    assert any("token=***" in r.getMessage() for r in records)  # the URLs were logged, redacted
    for record in records:
        for text in (record.getMessage(), str(record.msg), repr(record.args)):
            assert TOKEN not in text and WRONG_TOKEN not in text, text
    assert TOKEN not in caplog.text and WRONG_TOKEN not in caplog.text


# --- end to end over loopback ---------------------------------------------------------------


@pytest.mark.parametrize("product", ["jira", "confluence"])
async def test_end_to_end_over_loopback(ref_server, product: str, debug_logs, assert_no_token) -> None:
    endpoint = ref_server.jira_endpoint if product == "jira" else ref_server.confluence_endpoint
    ref = EMPTY_JIRA if product == "jira" else EMPTY_CONFLUENCE
    seeded = PLAT_254604 if product == "jira" else OFFSITE
    async with PollsClient(endpoint, ref_server.token, sleep=Recorder()) as client:
        assert len((await client.poll_listing(seeded, results=True)).polls) == 2
        created = await client.create_poll(ref, rich_body())
        created.title = "Over the wire ⚡"
        await client.update_poll(ref, created)
        [listed] = (await client.poll_listing(ref, results=True)).polls
        assert wire(listed.model().to_api()) == wire({"id": created.id, **rich_body(), "title": "Over the wire ⚡"})
        assert listed.results == {
            "totalVotes": 0, "totalVoters": 0, "options": [{"optionId": "pg", "votes": 0}, {"optionId": "ch", "votes": 0}]
        }
        await client.delete_poll(ref, created.id)
        with pytest.raises(PollNotFoundError) as info:
            await client.delete_poll(ref, created.id)
        assert_no_token(info.value)
        assert (await client.poll_listing(ref)).polls == []
    async with PollsClient(endpoint, WRONG_TOKEN) as client:
        with pytest.raises(NotPermittedError) as info:
            await client.poll_listing(seeded)
        assert_no_token(info.value, WRONG_TOKEN)
    assert_logs_clean(debug_logs, min_records=10)
    assert any(r.name.startswith("httpcore") for r in debug_logs.records)


def test_every_httpx_and_httpcore_logger_redacts() -> None:
    # A logger's filters do not apply to its children's records, so each one needs its own.
    import httpcore  # noqa: F401 - make sure all of its loggers exist

    names = [
        name for name, logger in logging.Logger.manager.loggerDict.items()
        if name.split(".")[0] in ("httpx", "httpcore") and isinstance(logger, logging.Logger)
    ]
    assert {"httpx", "httpcore.http11", "httpcore.connection"} <= set(names)
    for name in names:
        filters = logging.getLogger(name).filters
        assert any(type(f).__name__ == "_RedactingFilter" for f in filters), name


def test_the_log_filter_redacts_arguments() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", f"http://h/x?token={TOKEN}"), None)
    logger = logging.getLogger("httpcore.http11")
    assert logger.filter(record)
    assert record.getMessage() == "HTTP Request: GET http://h/x?token=***"
    assert record.args is None


async def test_the_url_shown_for_a_request_is_the_one_sent_but_the_token(make_client, asgi_transport):
    """``url()`` (the TUI's "copy curl") comes from the same query building as the requests."""
    import httpx

    sent: list[httpx.URL] = []

    class Seen(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(request.url)
            return await asgi_transport.handle_async_request(request)

    confluence = ContentRef.create("confluence", "DOCS", "12345", "67890")
    client = make_client("confluence", transport=Seen())
    for ref, poll_id in ((confluence, STARS_ID), (confluence, None)):
        try:
            await (client.get_poll(ref, poll_id, results=True) if poll_id else client.poll_listing(ref, results=True))
        except PollsError:
            pass  # what the server answers does not matter here: what was asked does
        shown = httpx.URL(client.url(ref, poll_id, expand_results=True))
        assert TOKEN not in str(shown)
        assert dict(shown.params) == {k: v for k, v in sent[-1].params.items() if k != "token"}
        assert shown.copy_with(query=None) == sent[-1].copy_with(query=None)
