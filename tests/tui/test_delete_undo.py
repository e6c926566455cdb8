"""Delete, undo and duplicate from the main screen's keys, end to end (the operations themselves:
tests/session/test_changes.py; d then u: test_main_screen.py)."""

from __future__ import annotations

from pollstui.api.address import ContentRef, build_url
from pollstui.session.journal import Journal
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.duplicate import DuplicateScreen, parse_target
from pollstui.tui.screens.main import MainScreen
from tests.tui.helpers import screen_text, toast_text
from tests.tui.test_editor import AUDIT, AUDIT_TITLE, loaded_poll, make_app, notes, server_poll, server_polls, until

OTHER = ContentRef.create("jira", "PLAT", "PLAT-254611")


async def start(app, pilot):
    await until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.table.current_poll is not None)
    await pilot.pause()


async def highlight(app, pilot, title: str) -> None:
    table = app.screen.table
    while table.current_poll.title != title:
        await pilot.press("down")


async def test_c_duplicates_here_or_to_another_content_item_and_explains_a_bad_target(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        await highlight(app, pilot, AUDIT_TITLE)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, DuplicateScreen))
        await pilot.press("enter")  # empty: this content item
        await until(pilot, lambda: any("Duplicated as" in n for n in notes(app)))
        await until(pilot, lambda: AUDIT_TITLE + " (copy)" in [p.title for p in app.screen.polls])

        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, DuplicateScreen))
        await pilot.press(*"PLAT-9x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DuplicateScreen)  # not an issue key: the dialog says why
        assert "not a Jira issue key" in str(app.screen.query_one("#duplicate-error").content)
        app.screen.query_one("#duplicate-target").value = "plat-254611"
        await pilot.press("enter")
        await until(pilot, lambda: any("on PLAT-254611" in n for n in notes(app)))
        await until(pilot, lambda: OTHER in app.screen.sidebar.refs)
    # the list highlighted the copy after the first duplicate, so the second copies the copy
    copies = [p for p in server_polls(ref_server, OTHER) if p["title"] == AUDIT_TITLE + " (copy)"]
    assert len(copies) == 1 and copies[0]["labels"] == ["audit", "q3"] and copies[0]["id"] != poll.id
    assert [e.ref for e in Journal.default().entries()] == [AUDIT, OTHER]


async def test_duplicate_to_a_pasted_url_never_shows_its_token(ref_server):
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, DuplicateScreen))
        app.screen.query_one("#duplicate-target").value = build_url(ref_server.jira_endpoint, ref_server.token, OTHER)
        await pilot.pause()
        assert ref_server.token not in screen_text(app)
        box = app.screen.query_one("#duplicate-target")
        assert ref_server.token not in box.value and "token=***" in box.value  # not even scrolled into view
        await pilot.press("enter")
        await until(pilot, lambda: any("on PLAT-254611" in n for n in notes(app)))


async def test_deleting_a_poll_already_gone_with_brackets_in_its_title_does_not_crash(ref_server):
    # The "already deleted" notice was markup: a title such as "[/] cleanup" raised MarkupError
    # while the toast rendered, and that ended the app.
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    ref_server.store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, {**poll.to_api(), "title": "[/] cleanup [WIP]"})
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        await highlight(app, pilot, "[/] cleanup [WIP]")
        ref_server.store.delete_poll("jira", AUDIT.workspace, AUDIT.content, AUDIT.container, poll.id)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: "“[/] cleanup [WIP]” was already deleted" in toast_text(app))  # rendered
        assert isinstance(app.screen, MainScreen)
    assert server_poll(ref_server, AUDIT, poll.id) is None


def test_parse_target():
    endpoint = "https://x.example/x1/abc"
    assert parse_target("", AUDIT, endpoint) == AUDIT
    assert parse_target(" plat-7 ", AUDIT, endpoint) == ContentRef.create("jira", "PLAT", "PLAT-7")
    url = f"{endpoint}?token=t0k3n-123&type=polls&workspace=MOBI&content=MOBI-1"
    assert parse_target(url, AUDIT, endpoint) == ContentRef.create("jira", "MOBI", "MOBI-1")
    page = ContentRef.create("confluence", "98306", "557057", "abc")
    assert parse_target("589825 def", page, endpoint) == ContentRef.create("confluence", "98306", "589825", "def")


async def test_two_presses_in_one_burst_start_one_change(jira_connection):
    from textual import events

    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.confirm import ConfirmScreen
    from tests.tui.helpers import settle, wait_for

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):  # as a key repeat or a slow link delivers them: queued together
            app.post_message(events.Key("d", "d"))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()  # the app idle: the second key press handled too
        assert sum(isinstance(screen, ConfirmScreen) for screen in app.screen_stack) == 1


async def test_a_maybe_deleted_poll_is_looked_for_in_the_list_at_once(ref_server):
    """The DELETE went out and the server acted, but its answer was a 500 and the read-back
    failed too: "Maybe deleted", and the list is loaded again, so it shows what the server has."""
    from tests.transports import FaultTransport

    class ReadBackFails(FaultTransport):
        async def handle_async_request(self, request):  # noqa: ANN001, ANN202
            if request.method == "GET" and "DELETE" in self.sent and "pollId" in request.url.params:
                self.once["GET"] = "refused"  # looking at the poll fails; listing the polls works
            return await super().handle_async_request(request)

    transport = ReadBackFails()
    transport.fail["DELETE"] = "acted-500"
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server, transport=transport)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        await highlight(app, pilot, AUDIT_TITLE)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: any(n.title == "Maybe deleted" for n in app._notifications))
        [told] = [n.message for n in app._notifications if n.title == "Maybe deleted"]
        assert "list is loaded again" in told and "refresh the list" not in told.lower()  # it is, on its own
        await until(pilot, lambda: AUDIT_TITLE not in [p.title for p in app.screen.polls])
        assert transport.sent[transport.sent.index("DELETE"):].count("GET") >= 2  # the look, then the list
    assert server_poll(ref_server, AUDIT, poll.id) is None
