"""Fixtures for the TUI tests: a connection to the seeded reference server, steady cursors."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from pollstui.api.address import ContentRef
from pollstui.server.seed import DEMO_CONTENT
from pollstui.settings import Connection

#: The first seeded Jira content item (PLAT-254604: the docs' Stars poll and one more).
FIRST_JIRA = next(
    ContentRef.create(item.product, item.workspace, item.content, item.container)
    for item in DEMO_CONTENT
    if item.product == "jira"
)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze text cursors in the visible state, so snapshots do not flicker (as harlequin does)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)


@pytest.fixture
def jira_connection(ref_server) -> Connection:
    """A flags-only connection (no profile) to the reference server's Jira endpoint."""
    return Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=FIRST_JIRA)
