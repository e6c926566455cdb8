"""End to end through Pilot: a load in flight (shown, cancelled with escape, a Retry-After wait
on the status line), a poll pollstui cannot read, and a create whose answer was lost.

The session-level behaviour is in tests/session; these check that the screens show and answer it.
"""

from __future__ import annotations

import asyncio

import pytest

from pollstui.api.client import PollsClient
from pollstui.session.journal import Journal
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.arrived import ArrivedScreen
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.widgets.poll_table import PollTable
from tests.example import STARS_POLL
from tests.transports import FaultTransport
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import screen_text, settle, status, toast_text, wait_for


def errors(app: PollsApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def stored_titles(server) -> list[str]:
    ref = FIRST_JIRA
    return [p["title"] for p in server.store.list_polls(ref.product, ref.workspace, ref.content, ref.container)]


def app_whose_first_load_waits(jira_connection) -> tuple[PollsApp, asyncio.Event]:
    """The app, and the gate its first item's list waits behind until it is set."""
    gate = asyncio.Event()
    transport = FaultTransport()
    transport.gates[FIRST_JIRA.content] = gate
    return PollsApp(jira_connection, client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport)), gate


async def test_escape_cancels_a_load_in_flight_and_r_loads_again(ref_server, jira_connection):
    app, gate = app_whose_first_load_waits(jira_connection)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.busy)
        assert "loading" in status(app) and app.screen.query_one("#status-spinner").display
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.busy)
        assert "was cancelled" in screen_text(app) and "not loaded" in status(app)
        assert "Loading cancelled" in toast_text(app) and errors(app) == []
        gate.set()
        await pilot.press("r")
        await wait_for(pilot, lambda: STARS_POLL["title"] in [p.title for p in app.screen.polls])
        assert not app.screen.query_one("#status-spinner").display


async def test_a_retry_after_wait_is_shown_on_the_status_line(ref_server, jira_connection):
    transport = FaultTransport(retry_after="7")
    transport.once["GET"] = 429
    released = asyncio.Event()

    async def sleep(seconds: float) -> None:  # the client's wait, held until the test has looked
        await released.wait()

    app = PollsApp(jira_connection, client_factory=lambda c: PollsClient(
        c.endpoint, c.token, transport=transport, sleep=sleep))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: "waiting 7 s to try again" in status(app))
        released.set()
        await wait_for(pilot, lambda: STARS_POLL["title"] in [p.title for p in app.screen.polls])
        await wait_for(pilot, lambda: "waiting" not in status(app))
        assert errors(app) == []


async def test_an_unreadable_poll_is_a_row_that_shows_its_json_and_can_be_deleted_not_edited(ref_server, jira_connection):
    ref = FIRST_JIRA
    bad = ref_server.store.create_poll(ref.product, ref.workspace, ref.content, ref.container,
                                       {"title": "Broken one", "options": "not a list"})  # fmt: skip
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert "1 unreadable" in status(app)
        table = app.screen.query_one(PollTable)
        await pilot.press("end")  # created last: listed last
        await pilot.pause()
        assert table.current_item.id == bad["id"] and table.current_poll is None
        assert "Unreadable poll" in screen_text(app) and '"options": "not a list"' in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and "cannot be edited" in toast_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Broken one" in app.screen.title_text
        await pilot.press("y")
        await wait_for(pilot, lambda: "unreadable" not in status(app) and "Deleted" in toast_text(app))
    assert "Broken one" not in stored_titles(ref_server)


@pytest.mark.parametrize("fault", ["lost", "acted-424"])
async def test_after_a_lost_create_ctrl_s_offers_the_poll_that_arrived(ref_server, jira_connection, fault):
    transport = FaultTransport()
    transport.fail["POST"] = fault  # it reaches the server; its answer is lost, or Forge's 424 (55 s cap)
    app = PollsApp(jira_connection, client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        await pilot.pause()
        await pilot.press(*"Lunch?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Maybe saved" in str(editor.query_one("#editor-status").render()))
        assert "saving again looks for it first" in str(editor.query_one("#editor-status").render())
        assert app.screen is editor and Journal.default().last().uncertain
        del transport.fail["POST"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ArrivedScreen))
        assert app.focused.id == "open"  # enter never creates a second poll by accident
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: app.screen.query_one(PollTable).current_poll is not None
                       and app.screen.query_one(PollTable).current_poll.title == "Lunch?")  # fmt: skip
        assert "arrived after all" in toast_text(app)
    assert stored_titles(ref_server).count("Lunch?") == 1
    entry = Journal.default().last()
    assert entry.action == "create" and not entry.uncertain and entry.title == "Lunch?"


async def test_removing_the_last_item_while_it_loads_stops_the_spinner(ref_server, jira_connection):
    app, gate = app_whose_first_load_waits(jira_connection)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.busy)
        await pilot.press("x")  # the only item, on screen and loading
        await settle(pilot)
        assert app.screen.ref is None and "No content item yet" in screen_text(app)
        assert not app.screen.busy and not app.screen.query_one("#status-spinner").display
        gate.set()
