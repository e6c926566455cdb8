"""Keys that arrive in one burst (a paste, tmux send-keys, a slow SSH link catching up) land in the
field the keys before them moved to: never lost, never in the previous field."""

from __future__ import annotations

from pollstui.tui.app import PollsApp
from pollstui.tui.screens.editor import EditorScreen
from tests.tui.helpers import burst, settle, wait_for


async def open_new_poll(app: PollsApp, pilot) -> EditorScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
    await pilot.pause()
    if app.screen.query_one("#title").value:  # the template filled nothing in the title
        raise AssertionError("expected an empty title")
    return app.screen


async def test_a_burst_after_tab_lands_in_the_next_field(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_new_poll(app, pilot)
        burst(app, "Lunch?\tWhere shall we go")
        await wait_for(pilot, lambda: screen.query_one("#description").text == "Where shall we go")
        assert screen.query_one("#title").value == "Lunch?"


async def test_a_burst_through_the_options_lands_in_each_option(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_new_poll(app, pilot)
        options = screen.options_editor
        screen.set_focus(options.rows()[0].input)
        await pilot.pause()
        count = len(options.rows())
        # Replace the first option, enter to the second, type, then up back to the first and add.
        burst(app, "A\rB↑!")
        await wait_for(pilot, lambda: options.rows()[0].input.value.endswith("A!"))
        values = [row.input.value for row in options.rows()]
        assert values[0].endswith("A!") and values[1].endswith("B"), values
        assert len(options.rows()) == count  # nothing added, nothing lost
