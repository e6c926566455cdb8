"""What a daily user notices on the main screen (issue 12): a list that never lags behind what
another screen learned, a refused token that stays said, "Saved · u to undo", and a highlight
that stays where it was after a delete or an undo. Against the reference server on loopback."""

from __future__ import annotations

import re

from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.present import PresentScreen
from tests.example import STARS_POLL
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import screen_text, settle, wait_for
from tests.tui.test_editor import AUDIT, make_app, notes, server_polls

RELEASE_TRAIN = "Which release train should 4.2 ship on? 🚆"


def total_votes_shown(app: PollsApp, poll_id: str) -> int | None:
    return next(p.total_votes for p in app.screen.table.polls if p.id == poll_id)


async def test_back_from_present_mode_the_list_shows_the_votes_present_mode_saw(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = total_votes_shown(app, STARS_POLL["id"])
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen))
        for n in range(5):
            ref_server.store.add_vote(STARS_POLL["id"], ["2"], f"daily-{n}")
        await pilot.press("r")  # present mode refreshes now
        await wait_for(pilot, lambda: f"{before + 5} votes" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert total_votes_shown(app, STARS_POLL["id"]) == before + 5  # without r
        assert app.screen.table.current_poll.id == STARS_POLL["id"]
        assert str(before + 5) in screen_text(app)


async def test_a_refused_token_stays_on_screen_over_the_cached_polls(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:  # a good session fills the cache
        await settle(pilot)
        assert "TOKEN REFUSED" not in screen_text(app)

    wrong = Connection(jira_connection.endpoint, "not-the-token-1234", "jira", ref=FIRST_JIRA)
    app = PollsApp(wrong, client_factory=lambda c: c.make_client(retries=0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert re.search(r"token refused — cached from \d\d:\d\d", status)
        assert len(app.screen.table.polls) == 2  # the cached polls are still there to read
        assert "TOKEN REFUSED" in str(app.screen.query_one("#header").render())
        assert "not-the-token-1234" not in screen_text(app)

        # a good answer ends the state (here: the server accepts that token from now on)
        app.session.connection = jira_connection
        await app.session.aclose()
        await pilot.press("r")
        await settle(pilot)
        assert "TOKEN REFUSED" not in str(app.screen.query_one("#header").render())
        assert "refused" not in str(app.screen.query_one("#status").render())


async def test_ctrl_s_says_saved_and_that_u_undoes_it_for_an_edit_and_a_create(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        await pilot.press("end", *" (edited)", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: any("Saved" in n and "u to undo" in n and "(edited)" in n for n in notes(app)))

        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        await pilot.press(*"Brand new", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: any("Saved “Brand new” · u to undo" in n for n in notes(app)))
        await settle(pilot)
        await pilot.press("u")  # and u does undo the create
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Brand new" not in [p["title"] for p in server_polls(ref_server, FIRST_JIRA)])


async def test_after_delete_and_undo_the_highlight_stays_near_where_it_was(ref_server):
    for title in ("Third", "Fourth"):
        ref_server.store.create_poll("jira", AUDIT.workspace, AUDIT.content, AUDIT.container,
                                     {"title": title, "options": [{"id": "1", "title": "yes", "order": 0}]})
    app = make_app(ref_server, AUDIT)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        table = app.screen.table
        count = len(table.polls)
        assert count == 4
        await pilot.press("down")
        await pilot.press("down")
        assert table.cursor_row == 2
        gone = table.current_poll.title
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(app.screen.table.polls) == count - 1)
        await settle(pilot)
        assert table.cursor_row == 2  # the poll that moved up into its place, not the first row
        assert table.current_poll.title != gone

        await pilot.press("u")  # the restored poll comes back (at the end): the highlight follows it
        await wait_for(pilot, lambda: len(app.screen.table.polls) == count)
        await settle(pilot)
        assert table.current_poll.title == gone
        assert any("Restored" in n for n in notes(app))


async def test_a_poll_with_an_unsaved_draft_is_marked_and_the_help_explains_the_mark(ref_server, jira_connection):
    from pollstui.api.models import Poll
    from pollstui.tui.screens.help import HelpScreen
    from pollstui.tui.widgets.poll_table import DRAFT_MARK

    stars = Poll.from_api(STARS_POLL)
    draft = stars.clone()
    draft.title = "Half-edited stars"
    app = PollsApp(jira_connection)
    app.session.drafts.save(FIRST_JIRA, stars.id, draft, stars)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = screen_text(app).splitlines()
        await wait_for(pilot, lambda: any(DRAFT_MARK + "Stars from" in line for line in screen_text(app).splitlines()))
        assert not any(DRAFT_MARK + "Which release" in line for line in rows)  # only the poll with a draft
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        from textual.containers import VerticalScroll

        app.screen.query_one(VerticalScroll).scroll_end(animate=False)  # the markers come after the keys
        await pilot.pause()
        assert "an unsaved draft of this poll" in screen_text(app)


async def test_a_draft_mark_comes_and_goes_on_its_row_alone_the_cursor_stays(ref_server, jira_connection):
    """A draft written or discarded while the list is on screen marks or unmarks that row when the
    screen looks again (back from a dialog); the cursor and the other rows stay as they were."""
    from pollstui.api.models import Poll
    from pollstui.tui.widgets.poll_table import DRAFT_MARK

    stars = Poll.from_api(STARS_POLL)
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.table
        table.move_cursor(row=1)
        await settle(pilot)
        before = [table.row_cells(i)[1:] for i in range(table.row_count)]
        app.session.drafts.save(FIRST_JIRA, stars.id, stars.clone(), stars)
        screen.on_screen_resume()
        await wait_for(pilot, lambda: any(DRAFT_MARK + "Stars from" in line for line in screen_text(app).splitlines()))
        assert table.cursor_row == 1 and [table.row_cells(i)[1:] for i in range(table.row_count)] == before
        app.session.drafts.discard(FIRST_JIRA, stars.id)
        screen.on_screen_resume()
        await wait_for(pilot, lambda: not any(DRAFT_MARK in line for line in screen_text(app).splitlines()))
        assert table.cursor_row == 1
