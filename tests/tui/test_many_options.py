"""A poll with thousands of options (a server may send any number; ours refuses more than
MAX_OPTIONS): the detail pane and the editor build only what is on screen, and stay usable.

The poll comes from the real reference server, its GET answers reshaped by tests/transports.py's
FaultTransport to carry 10,000 options (the server itself refuses to store them).
"""

from __future__ import annotations

from pollstui.api.address import ContentRef
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.widgets.options_editor import OptionRow, OptionsEditor
from tests.example import STARS_TITLE
from tests.transports import FaultTransport
from tests.tui.helpers import screen_text, wait_for
from tests.tui.test_editor import make_app

STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
MANY = 10_000


def with_many_options(polls: list) -> list:
    """The Stars poll with MANY options and votes for each (other polls as they are)."""
    for poll in polls:
        if isinstance(poll, dict) and poll.get("title") == STARS_TITLE:
            poll["options"] = [{"id": f"o{i}", "title": f"Option {i + 1}", "order": i} for i in range(MANY)]
            poll["results"] = {"options": [{"optionId": f"o{i}", "votes": i % 7} for i in range(MANY)]}
    return polls


def many_options_app(ref_server):
    transport = FaultTransport()
    transport.reshape["GET"] = lambda data: with_many_options(data) if isinstance(data, list) else with_many_options([data])[0]
    return make_app(ref_server, STARS, transport=transport)


async def stars_highlighted(app, pilot) -> None:
    await wait_for(pilot, lambda: STARS_TITLE in [p.title for p in app.screen.polls], timeout=30)
    app.screen.table.highlight(next(p.id for p in app.screen.polls if p.title == STARS_TITLE))
    await pilot.pause()


async def test_a_poll_with_10000_options_shows_in_the_detail_pane_a_screen_at_a_time(ref_server):
    app = many_options_app(ref_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await stars_highlighted(app, pilot)
        detail = app.screen.detail
        await wait_for(pilot, lambda: "Option 1 " in screen_text(app), timeout=30)
        assert detail.virtual_size.height > MANY  # a line for every option…
        drawn = sum(strip is not None for strip in detail._lines())
        assert drawn < 100  # …drawn only when scrolled to
        detail.scroll_to(y=MANY // 2, animate=False)
        await wait_for(pilot, lambda: f"Option {MANY // 2} " in screen_text(app))
        detail.scroll_end(animate=False)
        await wait_for(pilot, lambda: f"Option {MANY} " in screen_text(app) or "id " in screen_text(app))


async def test_a_poll_with_10000_options_opens_in_the_editor_and_its_option_keys_work(ref_server):
    app = many_options_app(ref_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await stars_highlighted(app, pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=60)
        screen = app.screen
        await pilot.pause()
        editor = screen.options_editor
        assert editor.count == MANY and len(screen.query(OptionRow)) == OptionsEditor.WINDOW
        assert f"{MANY - OptionsEditor.WINDOW:,} more options below" in str(screen.query_one("#options-below").render())

        editor.focus_option(0)
        await pilot.press("end", *"!")  # rename: typed into the first option
        editor.focus_option(OptionsEditor.WINDOW - 1)  # the last row built…
        await pilot.press(*["down"] * 6)  # …and past it: the window slides
        assert editor.focused_index() == OptionsEditor.WINDOW + 5
        await pilot.press("pagedown")
        far = editor.focused_index()
        assert far > OptionsEditor.WINDOW + 5 and len(screen.query(OptionRow)) == OptionsEditor.WINDOW
        await pilot.press("ctrl+up")  # reorder
        await pilot.press("ctrl+n", *"New")  # add below the moved option
        await pilot.press("ctrl+r")  # remove the new one again (the focus goes to the option below)…
        await pilot.press("ctrl+r")  # …and that one: the one the moved option passed
        await pilot.pause()

        options = screen.current_poll().options
        titles = [o.title for o in options]
        assert titles[0] == "Option 1!"
        assert titles[far - 1] == f"Option {far + 1}"  # moved up one place
        assert len(options) == MANY - 1 and f"Option {far}" not in titles and "New" not in titles
        assert [o.order for o in options] == list(range(MANY - 1))
        assert "Unsaved changes" in str(screen.query_one("#editor-status").render())
        assert len(screen.query(OptionRow)) == OptionsEditor.WINDOW
