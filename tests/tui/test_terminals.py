"""The terminals people really have: 16 colours (TERM=xterm), NO_COLOR, and small windows.

A 16-colour terminal gets what Rich's colour system makes of the theme's truecolor
(``Color.downgrade(ColorSystem.STANDARD)``, what Textual sends when TERM=xterm). The snapshots
here apply that same downgrade as a line filter, so the SVG shows what such a terminal shows.
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter

from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.help import HelpScreen
from pollstui.tui.screens.present import PresentScreen
from pollstui.tui.screens.template_picker import TemplatePickerScreen
from pollstui.tui.widgets.footer import FittingFooter
from tests.tui.helpers import screen_text, settle, wait_for
from tests.tui.test_snapshots import _loaded, demo_app  # noqa: F401  (demo_app is a fixture)

#: Rich's standard palette numbers: 9 is bright red (ESC[91m).
BRIGHT_RED = 9


def _downgraded(style: Style) -> Style:
    return Style(
        color=style.color.downgrade(ColorSystem.STANDARD) if style.color else None,
        bgcolor=style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None,
    )


class SixteenColours(LineFilter):
    """What a TERM=xterm terminal receives: every colour as one of the 16 ANSI colours."""

    def apply(self, segments: list[Segment], background) -> list[Segment]:  # noqa: ANN001
        return [
            Segment(text, (style + _downgraded(style)) if style else style, control)
            for text, style, control in segments
        ]


def sixteen_colours(app) -> None:  # noqa: ANN001
    # Textual has no public hook for output filters; NO_COLOR uses this same list.
    app._filters.append(SixteenColours())


def _numbers(style: Style) -> tuple[int | None, int | None]:
    """The 16-colour numbers a TERM=xterm terminal shows for ``style`` (foreground, background)."""
    down = _downgraded(style)
    return (down.color.number if down.color else None, down.bgcolor.number if down.bgcolor else None)


def _screen_styles(app) -> list[tuple[str, Style]]:  # noqa: ANN001
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if segment.text.strip() or segment.style:
                found.append((segment.text, _downgraded(segment.style or Style())))
    return found


async def test_sixteen_colours_are_calm_and_backgrounds_never_default(demo_app):  # noqa: F811
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        for screen_keys in ((), ("p",)):
            for key in screen_keys:
                await pilot.press(key)
                await wait_for(pilot, lambda: isinstance(pilot.app.screen, PresentScreen))
                await settle(pilot)
            styles = _screen_styles(pilot.app)
            bars = [s for text, s in styles if "█" in text]
            assert bars, "the result bars are on screen"
            red = [text for text, s in styles if s.color is not None and s.color.number == BRIGHT_RED]
            assert not red, f"bright red on screen: {red[:5]}"
            default_bg = [text for text, s in styles if s.bgcolor is None or s.bgcolor.is_default]
            assert not default_bg, f"cells left on the terminal's default background: {default_bg[:5]}"


def test_main_screen_sixteen_colours(snap_compare, demo_app):  # noqa: F811
    sixteen_colours(demo_app)
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def test_main_screen_no_color(snap_compare, no_color, demo_app):  # noqa: F811
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


async def test_without_colour_the_cursor_row_is_told_from_the_header(no_color, demo_app):  # noqa: F811
    """NO_COLOR in a 16-colour terminal turns the header and the cursor row the same grey: the
    cursor row must differ from the header by more than its place."""
    sixteen_colours(demo_app)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        table = pilot.app.screen.table
        lines = pilot.app.screen._compositor.render_strips()
        top = table.region.y

        def look(y: int) -> set[tuple[object, ...]]:
            inside = lines[y].crop(table.region.x, table.region.right)
            return {(_numbers(s.style or Style()), bool(s.style and s.style.reverse)) for s in inside if s.text.strip()}

        assert "Title" in lines[top].text and table.cursor_row == 0
        assert look(top + 1).isdisjoint(look(top)), "the cursor row looks like the header"


# --- 60×20 ------------------------------------------------------------------------------------

SMALL = (60, 20)


def _footer_actions(app) -> list[str]:  # noqa: ANN001
    return [entry.action for entry in app.screen.query_one(FittingFooter).shown]


async def test_small_terminal_hides_the_sidebar_and_keeps_quit_and_help(demo_app):  # noqa: F811
    async with demo_app.run_test(size=SMALL) as pilot:
        await _loaded(pilot)
        screen = pilot.app.screen
        assert not screen.sidebar.display
        table = screen.table
        assert table._title_width * 2 >= table.size.width, "the title keeps at least half the table"
        assert "Which release train should" in screen_text(pilot.app)
        shown = _footer_actions(pilot.app)
        assert {"quit", "help"} <= set(shown)
        footer_row = screen_text(pilot.app).splitlines()[-1]
        assert "Quit" in footer_row and "Help" in footer_row

        await pilot.press("b")
        await pilot.pause()
        assert screen.sidebar.display, "b brings the sidebar back"
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: screen.size == (120, 40))
        assert screen.sidebar.display
        await pilot.press("b")
        await pilot.pause()
        assert not screen.sidebar.display, "b hides it again, at any width"
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: screen.size == (100, 30))
        assert not screen.sidebar.display, "the user's choice outlasts a resize"
        assert _footer_actions(pilot.app)[:7] == ["new_poll", "edit_poll", "delete_poll", "filter", "present",
                                                   "toggle_voting", "overview"], "the keys a new user needs first"


def _modals():
    from pollstui.api.models import Poll
    from pollstui.session.drafts import Draft
    from pollstui.tui.screens.add_content import AddContentScreen
    from pollstui.tui.screens.confirm import ConfirmScreen
    from pollstui.tui.screens.conflict import ConflictScreen
    from pollstui.tui.screens.duplicate import DuplicateScreen
    from pollstui.tui.screens.restore_draft import RestoreDraftScreen
    from pollstui.tui.screens.site_prompt import SitePromptScreen
    from pollstui.tui.screens.template_picker import TemplatePickerScreen

    from tests.tui.test_snapshots import RECENTS

    ours = Poll.from_api({"id": "p1", "title": "Lunch", "options": [{"id": "1", "title": "Pizza"}]})
    theirs = Poll.from_api({"id": "p1", "title": "Lunch on Friday at the office",
                            "options": [{"id": "1", "title": "Pizza"}, {"id": "2", "title": "Sushi"}]})
    endpoint = "https://polls.example.test/x1/jira"
    long = "Which release train should 4.2 ship on, given the freeze and the holidays?"
    return {
        "template": (lambda: TemplatePickerScreen(), "#template-dialog"),
        "confirm": (lambda: ConfirmScreen("Delete this poll?", f"“{long}” and its 12 votes are deleted."),
                    "#choice-dialog"),
        "conflict": (lambda: ConflictScreen(ours, theirs), "#choice-dialog"),
        "duplicate": (lambda: DuplicateScreen(long, RECENTS[0], endpoint), "#duplicate-dialog"),
        "add content": (lambda: AddContentScreen("jira", endpoint), "#add-dialog"),
        "restore draft": (lambda: RestoreDraftScreen(Draft(RECENTS[0], "p1", {"title": long})),
                          "#choice-dialog"),
        "site URL": (lambda: SitePromptScreen("confluence", remembered=True), "#site-dialog"),
    }


@pytest.mark.parametrize("name", list(_modals()))
async def test_every_dialog_fits_60x20(demo_app, name):  # noqa: F811
    make, dialog_id = _modals()[name]
    async with demo_app.run_test(size=SMALL) as pilot:
        await _loaded(pilot)
        await pilot.app.push_screen(make())
        await wait_for(pilot, lambda: pilot.app.screen.query(dialog_id) and pilot.app.screen.query_one(dialog_id).region.area)
        _assert_fits(pilot.app.screen, dialog_id)


async def test_help_fits_60x20(demo_app):  # noqa: F811
    async with demo_app.run_test(size=SMALL) as pilot:
        await _loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: pilot.app.screen.query("#help-body") and pilot.app.screen.query_one("#help-body").region.area)
        body = pilot.app.screen.query_one("#help-body")
        assert pilot.app.screen.region.contains_region(body.region)
        assert body.max_scroll_x == 0, "no sideways scrolling"


def _assert_fits(screen, dialog_id: str) -> None:  # noqa: ANN001
    dialog = screen.query_one(dialog_id)
    assert screen.region.contains_region(dialog.region), f"{dialog.region} outside {screen.region}"
    inner = dialog.content_region
    for widget in dialog.query("*"):
        if widget.display and widget.region.area and widget.parent is dialog or (
            widget.display and widget.__class__.__name__ in ("Button", "OptionList")
        ):
            assert inner.contains_region(widget.region), f"{widget!r} at {widget.region} is cut off ({inner})"
    for scroller in dialog.query("OptionList"):
        assert scroller.max_scroll_y == 0, "every template shows without scrolling"


def test_main_screen_60x20(snap_compare, demo_app):  # noqa: F811
    assert snap_compare(demo_app, terminal_size=SMALL, run_before=_loaded)


def test_template_dialog_60x20(snap_compare, demo_app):  # noqa: F811
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen))
        await settle(pilot)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TemplatePickerScreen))
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SMALL, run_before=run_before)


async def test_the_footer_follows_the_keys_and_a_click_presses_one(demo_app):  # noqa: F811
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        screen = pilot.app.screen
        assert _footer_actions(pilot.app)[:3] == ["new_poll", "edit_poll", "delete_poll"]
        await pilot.press("slash")  # the filter opens: esc now cancels, and says so
        await settle(pilot)
        assert "escape" in [entry.key for entry in screen.query_one(FittingFooter).shown]
        assert "Cancel" in screen_text(pilot.app).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot)

        footer_row = screen_text(pilot.app).splitlines()[-1]
        footer = screen.query_one(FittingFooter)
        await pilot.hover(FittingFooter, offset=(footer_row.index("Present"), 0))
        present = next(entry for entry in footer.shown if entry.action == "present")
        assert present.tooltip and footer.tooltip == present.tooltip  # as on Textual's footer keys
        await pilot.click(FittingFooter, offset=(footer_row.index("Help"), 0))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
