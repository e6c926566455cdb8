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
    """Text cursors that do not blink (Textual's public ``cursor_blink = False``, set on every new
    Input and TextArea, as posting does), so snapshots do not flicker."""
    for widget in (Input, TextArea):

        def steady(self, *args, _init=widget.__init__, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
            _init(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(widget, "__init__", steady)


@pytest.fixture
def jira_connection(ref_server) -> Connection:
    """A flags-only connection (no profile) to the reference server's Jira endpoint."""
    return Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=FIRST_JIRA)
