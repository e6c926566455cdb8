"""Snapshots of the poll editor at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic: the seeded reference server runs in-process behind httpx.ASGITransport with a
fixed endpoint host and token; the editor is opened with the main screen's own keys (n, e).
The editor shows no clock text, and cursors are frozen (tests/tui/conftest.py).
Regenerate with ``pytest --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest

from pollstui.api.address import ContentRef
from pollstui.tui.screens.editor import EditorScreen
from tests.tui.helpers import polls_shown, settle, wait_for
from tests.tui.seeded import seeded_app

AUDIT = ContentRef.create("jira", "PLAT", "PLAT-254630")  # first poll: unknown fields, votes, multiple choice
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def app(tmp_path):
    app, store = seeded_app(tmp_path, AUDIT)
    yield app
    store.close()


def _open_with(*keys: str):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await polls_shown(pilot)
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen))
        await settle(pilot)

    return run_before


@SIZES
def test_editor_new_poll(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=_open_with("n"))


@SIZES
def test_editor_existing_poll(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=_open_with("e"))


def test_editor_validation_errors(snap_compare, app):
    """ctrl+s on a new poll with an empty title: the error under the title, nothing sent."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_with("n", "ctrl+s"))


def test_editor_options_focused(snap_compare, app):
    """Tab into the options: the footer shows the option keys."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_with("e", "tab", "tab", "ctrl+down"))
