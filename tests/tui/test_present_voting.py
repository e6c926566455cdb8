"""Closing and reopening voting from the TUI (C on the main screen and in present mode, u to undo),
and present mode for an hour: the closed band, the slow refresh, drawing only what changes (issue 21)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from pollstui.dates import parse_end_date
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.present import CLOSED_INTERVAL, PresentScreen
from pollstui.tui.screens.reopen import ReopenScreen
from pollstui.tui.widgets.live_bars import FRAMES_PER_SECOND, LiveBars
from pollstui.tui.widgets.result_bars import BarRow
from tests.example import STARS_POLL
from tests.tui.helpers import screen_text, settle, toast_text, wait_for
from tests.tui.test_present import open_present, status_line

ISSUE = ("jira", "PLAT", "PLAT-254604", "")


def stored(server, poll_id: str = STARS_POLL["id"]) -> dict:
    return server.store.get_poll(*ISSUE, poll_id)


def band(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#present-title").render())


async def test_present_c_closes_at_once_and_u_puts_every_field_back(ref_server, jira_connection):
    before = stored(ref_server)
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        assert "Voting closed" not in band(app)
        await pilot.press("C")  # no question in front of the room
        await wait_for(pilot, lambda: "Voting closed" in band(app), timeout=8)
        after = stored(ref_server)
        assert after["settings"]["closePollOnEndDate"] is True
        ended = parse_end_date(after["settings"]["endDate"])
        assert abs(ended - datetime.now(timezone.utc)) < timedelta(seconds=30)
        assert after == {**before, "settings": {**before["settings"], "endDate": after["settings"]["endDate"], "closePollOnEndDate": True}}
        assert "Voting closed on" in status_line(app) and "u to undo" in status_line(app)
        assert f"voting closed: checking every {int(CLOSED_INTERVAL // 60)} min" in status_line(app)
        assert screen._due_at is not None and screen._due_at - screen._clock() > CLOSED_INTERVAL - 5  # slow now
        assert "closed" in str(screen.query_one("#present-meta").render())

        await pilot.press("u")  # undo asks, as on the main screen (it may be an older change)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen) and "Voting closed" not in band(app), timeout=8)
        assert stored(ref_server) == before  # exactly as it came


async def test_present_c_on_a_closed_poll_reopens_until_in_5m_and_counts_down(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_present(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: "Voting closed" in band(app), timeout=8)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, ReopenScreen))
        await pilot.press(*"in 5x")
        await pilot.pause()
        assert "after 'in', a duration" in str(app.screen.query_one("#reopen-preview").render())
        await pilot.press("backspace", "m")
        await pilot.pause()
        assert "· in 5 min" in str(app.screen.query_one("#reopen-preview").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen) and "Voting closed" not in band(app), timeout=8)
        settings = stored(ref_server)["settings"]
        assert settings["closePollOnEndDate"] is True
        left = parse_end_date(settings["endDate"]) - datetime.now(timezone.utc)
        assert timedelta(minutes=4) < left <= timedelta(minutes=5)
        await wait_for(pilot, lambda: " left" in str(app.screen.query_one("#present-meta").render()))
        assert "4:5" in str(app.screen.query_one("#present-meta").render())  # the countdown
        assert "every 2 s" in status_line(app)  # open again: the usual pace


async def test_main_screen_c_asks_before_closing_and_u_undoes(ref_server, jira_connection):
    before = stored(ref_server)
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot)
        assert stored(ref_server) == before  # said no: nothing sent
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Voting closed on" in toast_text(app), timeout=8)
        assert stored(ref_server)["settings"]["closePollOnEndDate"] is True
        await settle(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: stored(ref_server) == before, timeout=8)
        assert isinstance(app.screen, MainScreen)


async def test_read_only_refuses_in_present_mode(ref_server, jira_connection):
    before = stored(ref_server)
    connection = Connection(jira_connection.endpoint, jira_connection.token, "jira", ref=jira_connection.ref, read_only=True)
    app = PollsApp(connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_present(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert "Read-only" in status_line(app)
        assert stored(ref_server) == before


async def test_the_end_date_passing_closes_the_band_with_one_last_refresh_then_slow(ref_server, jira_connection):
    ends = datetime.now(timezone.utc) + timedelta(minutes=1)
    poll = stored(ref_server)
    ref_server.store.replace_poll(*ISSUE, poll["id"], {**poll, "settings": {**poll["settings"], "endDate": ends.isoformat(), "closePollOnEndDate": True}})
    now = [ends - timedelta(seconds=5)]
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        screen = PresentScreen(main.ref, main.polls, poll["id"], now=lambda: now[0])
        await app.push_screen(screen)
        await settle(pilot)
        assert "0:05 left" in str(screen.query_one("#present-meta").render())
        assert screen._due_at - screen._clock() <= 2.5
        fetched = screen.updated_at
        now[0] = ends + timedelta(seconds=1)
        screen._tick_clock()
        assert "Voting closed" in band(app)
        await wait_for(pilot, lambda: screen.updated_at != fetched and not screen._fetching)  # one last refresh
        assert screen._due_at - screen._clock() > CLOSED_INTERVAL - 5  # then slow


async def test_a_refresh_with_the_same_results_draws_nothing(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        screen = PresentScreen(main.ref, main.polls, STARS_POLL["id"], clock=lambda: 0.0)
        await app.push_screen(screen)
        await settle(pilot)
        await pilot.wait_for_animation()
        await pilot.pause()
        bars = screen.query_one(LiveBars)
        lines = {name: screen.query_one(name).content for name in ("#present-title", "#present-meta", "#present-status")}
        renders = bars.renders
        screen.fetch()
        await settle(pilot)
        await pilot.wait_for_animation()
        assert bars.renders == renders
        assert all(screen.query_one(name).content is content for name, content in lines.items())
        assert STARS_POLL["title"] in screen_text(app)


async def test_a_refresh_on_time_with_the_same_results_leaves_the_status_line_alone(ref_server, jira_connection):
    """The next refresh starts 2 s after the last answer: "updated 2 s ago" was drawn as it left,
    then "updated just now" at its answer, two redraws of the screen per refresh with nothing new."""
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        clock = [100.0]
        screen = PresentScreen(main.ref, main.polls, STARS_POLL["id"], clock=lambda: clock[0])
        screen._tick_clock = lambda: None  # the clock's own tick is called by hand below
        await app.push_screen(screen)
        await settle(pilot)
        await wait_for(pilot, lambda: screen.updated_at is not None and not screen._fetching)
        await pilot.wait_for_animation()
        line = screen.query_one("#present-status")
        shown = line.content
        assert "updated just now" in str(shown)
        for _ in range(3):
            fetched = screen.updated_at
            clock[0] += screen.schedule.delay + 0.05  # when the refresh timer fires
            screen.fetch()
            await wait_for(pilot, lambda: screen.updated_at != fetched and not screen._fetching)
            assert line.content is shown
        clock[0] += 2.5  # the clock's tick still says how old the results are
        PresentScreen._tick_clock(screen)
        assert "updated 2 s ago" in status_line(app)


async def test_a_glide_redraws_only_when_a_length_changes_at_a_projectors_frame_rate(jira_connection):
    app = PollsApp(jira_connection)
    app.animation_level = "full"  # whatever TEXTUAL_ANIMATIONS says: the glide is what this test watches
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bars = LiveBars()
        await app.screen.mount(bars)
        await glided(pilot, bars, [BarRow("a", 1, 100.0), BarRow("b", 0, 0.0)])
        renders = bars.renders
        await glided(pilot, bars, [BarRow("a", 1, 50.0), BarRow("b", 1, 50.0)])
        glide = bars.renders - renders
        assert 2 <= glide <= FRAMES_PER_SECOND * 0.5 + 3  # not the animator's 60 a second
        assert bars.fractions() == [0.5, 0.5]
        renders = bars.renders
        await glided(pilot, bars, [BarRow("a", 1, 50.0), BarRow("b", 1, 50.0)])  # the same rows
        assert bars.renders == renders
        # A change smaller than an eighth of a cell moves nothing drawn: one redraw for the figures only.
        await glided(pilot, bars, [BarRow("a", 1001, 50.001), BarRow("b", 1000, 49.999)])
        assert bars.renders - renders == 1


class BarsApp(App):
    """Nothing but a LiveBars: its lines are the screen's. It animates whatever TEXTUAL_ANIMATIONS
    says (`make test` turns animations off): the glide is what its tests watch."""

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "full"

    def compose(self) -> ComposeResult:
        yield LiveBars()


async def glided(pilot, bars: LiveBars, rows: list[BarRow]) -> None:  # noqa: ANN001
    """Show ``rows`` (with their counts) and wait until their glide has ended and been drawn."""
    bars.set_rows(rows, show_counts=True)
    await pilot.wait_for_animation()
    await pilot.pause()


def drawn_bar(app: App, label: str) -> list[str]:
    """The lines of option ``label``'s bar as on screen: those under its label, up to a blank one."""
    lines = screen_text(app).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
    return [line.rstrip() for line in itertools.takewhile(str.strip, lines[at + 1 :])]


async def test_a_glide_redraws_only_the_cells_where_a_bar_ends():
    """Each step of a glide asks for the cells between where a bar's end was drawn and where it
    is now, not the widget; what is on screen after it is the bars at their new lengths."""
    app = BarsApp()
    async with app.run_test(size=(60, 20)) as pilot:
        bars = app.query_one(LiveBars)
        await glided(pilot, bars, [BarRow("left", 3, 60.0), BarRow("right", 2, 40.0)])
        assert drawn_bar(app, "left") == ["█" * 36] * 6 and drawn_bar(app, "right") == ["█" * 24] * 6
        cells = bars.cells_drawn
        await glided(pilot, bars, [BarRow("left", 4, 40.0), BarRow("right", 6, 60.0)])
        # The two label lines (new figures), then the 12 cells each bar's end crosses on each of
        # its 6 lines, with a cell more per step at most: far from one redraw of the widget.
        assert 2 * 60 < bars.cells_drawn - cells < 60 * 20 // 2
        assert bars.fractions() == [0.4, 0.6]
        assert drawn_bar(app, "left") == ["█" * 24] * 6 and drawn_bar(app, "right") == ["█" * 36] * 6
        assert "40.0%" in screen_text(app) and "6 votes" in screen_text(app)


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    """A line as drawn, cell by cell (the labels here are one cell a character)."""
    return [(char, segment.style) for segment in strip for char in segment.text]


def voted(*votes: int) -> list[BarRow]:
    return [BarRow(f"option {i}", n, 100 * n / sum(votes)) for i, n in enumerate(votes)]


TWO_STACKED = (voted(3, 2), voted(4, 6))
FIFTEEN_ONE_LINE_EACH = (voted(*range(15)), voted(*(15 - i if i % 2 else 3 * i for i in range(15))))


@pytest.mark.parametrize("before, after", [TWO_STACKED, FIFTEEN_ONE_LINE_EACH], ids=["stacked", "one-line-each"])
async def test_after_every_redraw_a_glide_asks_for_the_terminal_shows_what_a_full_redraw_would(before, after):
    """A terminal gets only the regions a widget passes to ``refresh``, drawn as they are then;
    every other cell stays as it was. Kept that way through new figures and a whole glide, the
    screen must equal a full redraw at every step: no stale bar end, no cell of the old figures."""
    app = BarsApp()
    async with app.run_test(size=(60, 20)) as pilot:
        bars = app.query_one(LiveBars)
        await glided(pilot, bars, before)

        def full_redraw() -> list[list[tuple[str, Style | None]]]:
            return [cells(bars.render_line(y)) for y in range(bars.size.height)]

        terminal = full_redraw()
        stale: list[tuple[int, int, int]] = []  # (redraw, x, y) of each cell that differs from a full redraw
        redraws = 0
        refresh = bars.refresh

        def redraw(*regions: Region, **kwargs: bool) -> LiveBars:
            nonlocal redraws
            redraws += 1
            now = full_redraw()
            for region in regions or (bars.size.region,):
                for y in range(region.y, min(region.bottom, len(now))):
                    terminal[y][region.x : region.right] = now[y][region.x : region.right]
            stale.extend((redraws, x, y) for y, line in enumerate(now) for x, cell in enumerate(line) if terminal[y][x] != cell)
            return refresh(*regions, **kwargs)

        bars.refresh = redraw  # type: ignore[method-assign]
        await glided(pilot, bars, after)
        assert bars.fractions() == pytest.approx([r.percent / 100 for r in after])
        assert redraws >= 4  # the figures, then steps of the glide
        assert stale == []
        assert terminal == full_redraw()  # and nothing changed after the last redraw asked for


async def test_a_glide_ends_once_every_bar_is_drawn_at_its_new_length():
    """The eased tail of the animation moves nothing drawn: the glide stops there, not 60 steps a
    second to the end of its half second."""
    app = BarsApp()
    async with app.run_test(size=(60, 20)) as pilot:
        bars = app.query_one(LiveBars)
        await glided(pilot, bars, [BarRow("a", 500, 50.0), BarRow("b", 500, 50.0)])
        steps: list[float] = []
        bars.watch(bars, "progress", lambda value: steps.append(value), init=False)
        await glided(pilot, bars, [BarRow("a", 501, 50.05), BarRow("b", 500, 49.95)])  # under an eighth
        assert steps[-1] == 1.0 and len(steps) <= 3
        assert bars.fractions() == pytest.approx([0.5005, 0.4995])


async def test_the_main_screens_hidden_spinner_does_not_redraw_itself_behind_present_mode(jira_connection):
    """A LoadingIndicator refreshes 16 times a second even when hidden: it was most of present
    mode's CPU with no votes arriving."""
    from textual.widgets import LoadingIndicator

    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        spinner = app.screen.query_one("#status-spinner", LoadingIndicator)
        assert not spinner.display and spinner.auto_refresh is None
        await open_present(pilot)
        assert spinner.auto_refresh is None
