"""The undo journal, and undo itself against the real reference server on loopback."""

from __future__ import annotations

import json
import stat

import httpx
import pytest

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.api.errors import ServerError
from pollstui.api.models import Poll
from pollstui.journal import Journal, JournalEntry, undo

REF = ContentRef.create("jira", "PLAT", "PLAT-254630")
ENDPOINT = "https://example.invalid/x1/abc"


def body(title: str = "Lunch?") -> dict:
    return {
        "title": title,
        "description": "",
        "options": [{"id": "1", "title": "Yes", "order": 0, "x": 1}],
        "settings": {"allowRevote": True, "unknownSetting": "kept"},
        "topLevelExtra": {"a": [1]},
    }


# -- the file ------------------------------------------------------------------------------------


def test_default_path_and_private_file():
    journal = Journal.default()
    assert journal.path == paths.journal_file()
    journal.record("create", REF, ENDPOINT, "p1", None, {"id": "p1", **body()})
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    line = json.loads(journal.path.read_text().splitlines()[0])
    assert set(line) == {"time", "action", "ref", "endpoint", "poll_id", "before", "after"}
    assert line["ref"] == REF.to_dict()
    assert line["before"] is None and line["after"]["topLevelExtra"] == {"a": [1]}


def test_record_last_pop_by_endpoint():
    journal = Journal.default()
    assert journal.last() is None and journal.pop_last() is None
    journal.record("create", REF, ENDPOINT, "p1", None, body())
    journal.record("update", REF, "https://other.invalid/x", "p2", body("a"), body("b"))
    journal.record("delete", REF, ENDPOINT, "p3", body("gone"), None)
    assert journal.last().poll_id == "p3"
    assert journal.last("https://other.invalid/x").poll_id == "p2"
    assert journal.pop_last(ENDPOINT).poll_id == "p3"
    assert [e.poll_id for e in journal.entries()] == ["p1", "p2"]
    assert journal.pop_last(ENDPOINT).poll_id == "p1"
    assert journal.pop_last(ENDPOINT) is None
    assert len(journal) == 1
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_results_are_never_journalled_and_polls_are_dumped_as_sent():
    journal = Journal.default()
    poll = Poll.from_api({**body(), "id": "p1", "results": {"totalVotes": 1, "options": []}})
    entry = journal.record("update", REF, ENDPOINT, "p1", poll, poll)
    assert "results" not in entry.before and "results" not in entry.after
    assert entry.before["settings"]["unknownSetting"] == "kept"


def test_damaged_lines_are_skipped(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.record("create", REF, ENDPOINT, "p1", None, body())
    with journal.path.open("a") as fh:
        fh.write('{"action": "create", "ref": {"produ')  # a crash mid-append
    assert [e.poll_id for e in journal.entries()] == ["p1"]
    journal.record("create", REF, ENDPOINT, "p2", None, body())
    assert [e.poll_id for e in journal.entries()] == ["p1"]  # appended to the broken line…
    journal.pop_last()
    assert journal.entries() == []


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        Journal.default().record("rename", REF, ENDPOINT, "p1", None, None)  # type: ignore[arg-type]


def test_remap_poll_id():
    journal = Journal.default()
    journal.record("update", REF, ENDPOINT, "old", {"id": "old", **body()}, {"id": "old", **body("b")})
    journal.record("update", REF, ENDPOINT, "keep", {"id": "keep"}, {"id": "keep"})
    assert journal.remap_poll_id(ENDPOINT, REF, "old", "new") == 1
    first = journal.entries()[0]
    assert first.poll_id == "new" and first.before["id"] == "new" and first.after["id"] == "new"


def test_entry_round_trip():
    entry = JournalEntry("delete", REF, ENDPOINT, "p1", body(), None, "2025-01-01T00:00:00+00:00")
    assert JournalEntry.from_dict(entry.to_dict()) == entry
    assert entry.title == "Lunch?"


# -- undo against the reference server -------------------------------------------------------------


@pytest.fixture
async def client(ref_server):
    async with PollsClient(ref_server.jira_endpoint, ref_server.token) as c:
        yield c


def on_server(ref_server, poll_id):
    return ref_server.store.get_poll("jira", REF.workspace, REF.content, "", poll_id)


async def test_undo_with_an_empty_journal(client):
    outcome = await undo(client, Journal.default(), client.endpoint)
    assert outcome.entry is None and not outcome.done
    assert "Nothing to undo" in outcome.message


async def test_undo_delete_recreates_with_a_new_id(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("Doomed"))
    before = await client.get_poll(REF, created.id)
    await client.delete_poll(REF, created.id)
    journal.record("delete", REF, client.endpoint, created.id, before, None)

    outcome = await undo(client, journal, client.endpoint)
    assert outcome.done and outcome.new_id and outcome.new_id != created.id
    assert "new id" in outcome.message
    assert on_server(ref_server, created.id) is None
    restored = on_server(ref_server, outcome.new_id)
    expected = {**before.to_api(), "id": outcome.new_id}
    assert restored == expected  # unknown fields included
    assert journal.entries() == []


async def test_undo_delete_remaps_older_entries(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("v1"))
    journal.record("create", REF, client.endpoint, created.id, None, created)
    v2 = created.clone()
    v2.title = "v2"
    updated = await client.update_poll(REF, v2)
    journal.record("update", REF, client.endpoint, created.id, created, updated)
    await client.delete_poll(REF, created.id)
    journal.record("delete", REF, client.endpoint, created.id, updated, None)

    first = await undo(client, journal, client.endpoint)  # delete → re-created as v2
    second = await undo(client, journal, client.endpoint)  # update → back to v1, on the new id
    assert second.done, second.message
    assert on_server(ref_server, first.new_id)["title"] == "v1"
    third = await undo(client, journal, client.endpoint)  # create → deleted
    assert third.done
    assert on_server(ref_server, first.new_id) is None
    assert journal.entries() == []


async def test_undo_update_puts_the_previous_version_back(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("Before"))
    edited = created.clone()
    edited.title = "After"
    edited.options[0].title = "Renamed"
    after = await client.update_poll(REF, edited)
    journal.record("update", REF, client.endpoint, created.id, created, after)

    outcome = await undo(client, journal, client.endpoint)
    assert outcome.done and outcome.poll.title == "Before"
    assert on_server(ref_server, created.id) == created.to_api()
    assert journal.last() is None


async def test_undo_update_asks_when_the_poll_changed_since(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("Before"))
    edited = created.clone()
    edited.title = "Mine"
    after = await client.update_poll(REF, edited)
    journal.record("update", REF, client.endpoint, created.id, created, after)
    ref_server.store.replace_poll("jira", "PLAT", REF.content, "", created.id, {**after.to_api(), "title": "Theirs"})

    outcome = await undo(client, journal, client.endpoint)
    assert outcome.needs_confirmation and not outcome.done
    assert on_server(ref_server, created.id)["title"] == "Theirs"
    assert journal.last() is not None
    forced = await undo(client, journal, client.endpoint, force=True)
    assert forced.done and on_server(ref_server, created.id)["title"] == "Before"


async def test_undo_create_deletes_and_asks_when_it_has_votes(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("New"))
    journal.record("create", REF, client.endpoint, created.id, None, created)
    ref_server.store.add_vote(created.id, ["1"], "ana")

    outcome = await undo(client, journal, client.endpoint)
    assert outcome.needs_confirmation and "1 vote" in outcome.message
    assert on_server(ref_server, created.id) is not None
    outcome = await undo(client, journal, client.endpoint, force=True)
    assert outcome.done and on_server(ref_server, created.id) is None
    assert journal.last() is None


async def test_undo_create_of_a_poll_already_gone(client):
    journal = Journal.default()
    created = await client.create_poll(REF, body("New"))
    journal.record("create", REF, client.endpoint, created.id, None, created)
    await client.delete_poll(REF, created.id)
    outcome = await undo(client, journal, client.endpoint)
    assert outcome.done and "already deleted" in outcome.message
    assert journal.last() is None


async def test_undo_update_of_a_poll_gone_drops_the_entry(client):
    journal = Journal.default()
    created = await client.create_poll(REF, body("New"))
    journal.record("update", REF, client.endpoint, created.id, created, created)
    await client.delete_poll(REF, created.id)
    outcome = await undo(client, journal, client.endpoint)
    assert not outcome.done and outcome.dropped
    assert "no longer exists" in outcome.message
    assert journal.last() is None


class FailingWrites(httpx.AsyncBaseTransport):
    """Reads reach the real server; every write answers 500."""

    def __init__(self) -> None:
        self.real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            return httpx.Response(500, json={"error": "boom", "message": "Injected failure."})
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


async def test_failed_undo_keeps_the_entry(client, ref_server):
    journal = Journal.default()
    created = await client.create_poll(REF, body("Keep me"))
    journal.record("create", REF, client.endpoint, created.id, None, created)
    async with PollsClient(ref_server.jira_endpoint, ref_server.token, transport=FailingWrites()) as failing:
        with pytest.raises(ServerError):
            await undo(failing, journal, failing.endpoint)
    assert journal.last().poll_id == created.id
    outcome = await undo(client, journal, client.endpoint)
    assert outcome.done
