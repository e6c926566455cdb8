"""A server that sends ``null`` for description, title, end date, options or settings: the TUI still shows the list."""

from __future__ import annotations

import json

import httpx

from pollstui.api.address import ContentRef
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.widgets.poll_detail import PollDetail
from pollstui.tui.widgets.poll_table import PollTable
from tests.tui.helpers import screen_text, settle

REF = ContentRef.create("jira", "PLAT", "PLAT-1")
POLLS = [
    {"id": "p1", "title": "Nulls everywhere", "description": None,
     "options": [{"id": "1", "title": None, "order": 0}, {"id": "2", "title": "Two", "order": 1}],
     "settings": {"endDate": None, "resultsVisibility": None}},
    {"id": "p2", "title": None, "description": None, "options": None, "settings": None},
]


def null_server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=POLLS if "pollId" not in request.url.params else POLLS[0])


async def test_null_fields_render_in_the_list_and_the_detail_pane() -> None:
    connection = Connection("https://polls.example.test/x1/jira", "tok-secret-123", "jira", ref=REF)
    app = PollsApp(connection, client_factory=lambda c: c.make_client(transport=httpx.MockTransport(null_server)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PollTable)
        assert [p.id for p in table.polls] == ["p1", "p2"]
        detail = app.screen.query_one(PollDetail)
        assert detail.poll.id == "p1"
        text = screen_text(app)
        assert "Nulls everywhere" in text and "Two" in text
        assert "None" not in text  # a null is shown as empty, not as Python's None
        await pilot.press("down")
        await settle(pilot)
        assert detail.poll.id == "p2"
        assert "None" not in screen_text(app)
        # What would be sent back is exactly what came.
        assert json.dumps([p.model().to_api() for p in table.polls], sort_keys=True) == json.dumps(POLLS, sort_keys=True)


async def test_the_editor_opens_a_poll_with_null_fields_without_inventing_changes() -> None:
    from pollstui.api.models import Poll
    from pollstui.tui.screens.editor import EditorScreen

    connection = Connection("https://polls.example.test/x1/jira", "tok-secret-123", "jira", ref=REF)
    app = PollsApp(connection, client_factory=lambda c: c.make_client(transport=httpx.MockTransport(null_server)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for data in POLLS:
            editor = EditorScreen(REF, Poll.from_api(data))
            await app.push_screen(editor)
            await settle(pilot)
            assert not editor.is_dirty()
            assert editor.current_poll().to_api() == data  # what ctrl+s would send: the nulls as they came
            editor.dismiss(None)
            await settle(pilot)
