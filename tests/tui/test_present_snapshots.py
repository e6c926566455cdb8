"""Snapshots of present mode at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic: the seeded reference server in-process behind httpx.ASGITransport (fixed data, no
simulated voters), and present mode's clocks injected and frozen, so "updated just now" and the
time left never change. Regenerate with ``pytest --snapshot-update`` and look at them.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pollstui.api.address import ContentRef
from pollstui.tui.screens.present import PresentScreen
from tests.tui.helpers import polls_shown, settle
from tests.tui.seeded import seeded_app

PLAT_254604 = ContentRef.create("jira", "PLAT", "PLAT-254604")
MOBI_1207 = ContentRef.create("jira", "MOBI", "MOBI-1207")
NOW = datetime(2031, 6, 30, 14, 12, tzinfo=timezone.utc)


@pytest.fixture
def release_train_app(tmp_path):
    app, store = seeded_app(tmp_path, PLAT_254604)
    yield app
    store.close()


@pytest.fixture
def hidden_numbers_app(tmp_path):
    app, store = seeded_app(tmp_path, MOBI_1207)
    yield app
    store.close()


def present(title_start: str, *keys: str):
    async def run_before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        await polls_shown(pilot)
        main = app.screen
        poll = next(p for p in main.polls if p.title.startswith(title_start))
        await app.push_screen(PresentScreen(main.ref, main.polls, poll.id, clock=lambda: 0.0, now=lambda: NOW))
        await settle(pilot)
        await pilot.wait_for_animation()
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.wait_for_animation()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_present_mode(snap_compare, release_train_app, size):
    assert snap_compare(release_train_app, terminal_size=size, run_before=present("Which release train"))


def test_present_mode_five_options_at_80x24(snap_compare, release_train_app):
    assert snap_compare(release_train_app, terminal_size=(80, 24), run_before=present("Stars"))


def test_present_mode_hidden_numbers_bars_only(snap_compare, hidden_numbers_app):
    assert snap_compare(hidden_numbers_app, terminal_size=(80, 24), run_before=present("App icon", "f"))


def test_present_mode_voting_closed_at_80x24(snap_compare, hidden_numbers_app):
    """A poll past its end date with closePollOnEndDate: "Voting closed" in the band, final bars."""
    assert snap_compare(hidden_numbers_app, terminal_size=(80, 24), run_before=present("App icon"))
