"""The action registry: each screen's keys, its help (?), home/end in the poll list."""

from __future__ import annotations

from pollstui.tui import actions
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.help import HelpScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.present import PresentScreen
from pollstui.tui.widgets.poll_table import PollTable
from tests.tui.helpers import screen_text, settle, wait_for


def test_every_action_is_declared_once_with_a_unique_id_per_screen():
    seen: set[tuple[str, str]] = set()
    for action in actions.ACTIONS:
        assert (action.screen, action.id) not in seen, action.id
        seen.add((action.screen, action.id))
    for screen in ("app", "main", "editor", "present", "poll-table"):
        keys = [b.key for b in actions.bindings(screen)]
        assert len(keys) == len(set(keys)), screen  # no key bound twice on one screen


async def _help_text(app: PollsApp, pilot, key: str = "question_mark") -> str:  # noqa: ANN001
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    await pilot.pause()
    text = screen_text(app)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
    return text


async def test_help_shows_the_keys_of_the_screen_it_is_opened_from(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = await _help_text(app, pilot)
        assert "delete the highlighted poll" in main and "Markers in the Flags column" in main

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        editor = await _help_text(app, pilot, "f1")  # ? would be typed into the title
        assert isinstance(app.screen, EditorScreen)  # closing the help went back to the editor
        assert "save the poll to the server" in editor and "votes stay with it" in editor
        assert "delete the highlighted poll" not in editor and "Markers" not in editor

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen))
        await pilot.pause()
        present = await _help_text(app, pilot)
        assert "the next poll" in present and "back to the poll list" in present
        assert "save the poll" not in present and "delete the highlighted poll" not in present


async def test_home_and_end_jump_to_the_first_and_last_poll(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PollTable)
        assert table.row_count >= 2
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_help_opens_over_a_dialog_and_question_mark_is_typed_in_a_text_field(jira_connection):
    from pollstui.tui.screens.confirm import ConfirmScreen

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # the delete confirmation: a modal dialog
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = await _help_text(app, pilot)
        assert "This dialog" in dialog and "delete the highlighted poll" not in dialog
        assert isinstance(app.screen, ConfirmScreen)  # closing the help went back to the dialog
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        title = app.screen.query_one("#title")
        before = title.value
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert title.value.count("?") == before.count("?") + 1  # typed, not the help
        await pilot.press("tab")  # the description, a TextArea: ? is typed there too
        description = app.screen.query_one("#description")
        assert app.focused is description
        before = description.text
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert description.text.count("?") == before.count("?") + 1
