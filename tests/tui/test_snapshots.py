"""Snapshots of the main and help screens at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic on purpose: the reference server runs in-process behind httpx.ASGITransport with
a fixed endpoint host and token, on the seeded demo data (fixed ids and votes); no clock text
is shown for freshly loaded polls. Regenerate with ``pytest --snapshot-update`` and look at them.
"""

from __future__ import annotations

import httpx
import pytest

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.profiles import Profile, ProfileStore
from pollstui.server import PollStore, create_app, seed_demo_data
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.help import HelpScreen
from tests.tui.helpers import polls_shown, settle, wait_for

TOKEN = "snapshot-token-0000-1111"
ENDPOINT = "https://polls.example.test/x1/jira"
RECENTS = [
    ContentRef.create("jira", "PLAT", "PLAT-254604"),
    ContentRef.create("jira", "PLAT", "PLAT-254611"),
    ContentRef.create("jira", "PLAT", "PLAT-254630"),
    ContentRef.create("jira", "MOBI", "MOBI-1207"),
    ContentRef.create("jira", "MOBI", "MOBI-1230"),
]


@pytest.fixture
def demo_app(tmp_path):
    """A PollsApp on profile "demo", talking to the seeded reference server in-process."""
    store = PollStore(tmp_path / "snap.sqlite3")
    seed_demo_data(store)
    server = create_app(store, TOKEN)
    profiles = ProfileStore()
    profiles.load()
    profiles.add(Profile("demo", ENDPOINT, TOKEN, "jira", recents=list(RECENTS)))
    connection = Connection(ENDPOINT, TOKEN, "jira", profile_name="demo", ref=RECENTS[0])

    def factory(conn: Connection) -> PollsClient:
        return PollsClient(conn.endpoint, conn.token, transport=httpx.ASGITransport(app=server))

    yield PollsApp(connection, profile_store=profiles, client_factory=factory)
    store.close()


async def _loaded(pilot) -> None:  # noqa: ANN001
    await polls_shown(pilot)


async def _help(pilot) -> None:  # noqa: ANN001
    await _loaded(pilot)
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_help_screen(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_help)


def test_main_screen_hidden_numbers_and_sidebar_collapsed(snap_compare, demo_app):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        pilot.app.screen.open_content(RECENTS[3])
        await polls_shown(pilot, RECENTS[3])
        await pilot.press("b")
        await wait_for(pilot, lambda: not pilot.app.screen.sidebar.display)
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)
