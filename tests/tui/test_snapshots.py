"""Snapshots of the main and help screens at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic on purpose: the reference server runs in-process behind httpx.ASGITransport with
a fixed endpoint host and token, on the seeded demo data (fixed ids and votes); no clock text
is shown for freshly loaded polls. Regenerate with ``pytest --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest

from pollstui.api.address import ContentRef
from pollstui.profiles import Profile, ProfileStore
from pollstui.tui.screens.help import HelpScreen
from tests.tui.helpers import polls_shown, settle, wait_for
from tests.tui.seeded import ENDPOINT, TOKEN, seeded_app

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
    profiles = ProfileStore()
    profiles.load()
    profiles.add(Profile("demo", ENDPOINT, TOKEN, "jira", recents=list(RECENTS)))
    app, store = seeded_app(tmp_path, RECENTS[0], profile_name="demo", profile_store=profiles)
    yield app
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
