"""The poll list on its own, with many polls: moving a page at a time, the last row, the mouse.

The list draws only the rows on screen (a line-API widget), so what is on screen after each move is
what these tests read: the highlighted poll must be among the lines drawn.
"""

from __future__ import annotations

import asyncio
import copy
from datetime import datetime, timedelta, timezone
from typing import Callable

from textual import events
from textual.app import App, ComposeResult

from pollstui.api.listing import read_poll_listing
from pollstui.api.poll_view import PollView
from pollstui.tui.widgets.poll_table import PollTable
from tests.example import STARS_POLL
from tests.tui.helpers import screen_text

COUNT = 300


def many_polls(count: int = COUNT) -> list:
    items = []
    for n in range(count):
        item = copy.deepcopy(STARS_POLL)
        item.update(id=f"poll-{n}", title=f"Poll number {n}")
        items.append(item)
    return read_poll_listing(items).polls


class ListApp(App):
    def __init__(self, polls: list | None = None, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.polls = many_polls() if polls is None else polls
        self.clock = clock
        self.seen: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        table = PollTable()
        if self.clock is not None:
            table.clock = self.clock
        yield table

    def on_mount(self) -> None:
        self.query_one(PollTable).show_polls(self.polls)

    def on_poll_table_poll_highlighted(self, event: PollTable.PollHighlighted) -> None:
        self.seen.append(("highlighted", event.poll.id if event.poll else None))

    def on_poll_table_poll_chosen(self, event: PollTable.PollChosen) -> None:
        self.seen.append(("chosen", event.poll.id))


def shown_titles(app: App) -> list[str]:
    return [line.split("  ")[0].strip() for line in screen_text(app).splitlines()[1:]]


async def test_page_keys_move_a_page_and_keep_the_highlighted_poll_on_screen():
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:  # a header and 11 rows
        table = app.query_one(PollTable)
        await pilot.press("pagedown")
        assert table.cursor_row == 11
        await pilot.press("pagedown", "down")
        assert table.cursor_row == 23
        await pilot.pause()
        assert "Poll number 23" in shown_titles(app)
        assert "Poll number 0" not in shown_titles(app), "the list scrolled with the cursor"
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == COUNT - 1 and shown_titles(app)[-1] == f"Poll number {COUNT - 1}"
        await pilot.press("pageup")
        assert table.cursor_row == COUNT - 12
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and shown_titles(app)[0] == "Poll number 0"
        await pilot.press("up")
        assert table.cursor_row == 0, "nothing above the first poll"


async def test_a_click_highlights_a_row_and_a_click_on_the_highlighted_row_chooses_it():
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(PollTable)
        await pilot.pause()
        app.seen.clear()
        await pilot.click(PollTable, offset=(5, 3))  # the third row under the header
        assert table.cursor_row == 2 and app.seen == [("highlighted", "poll-2")]
        await pilot.click(PollTable, offset=(5, 3))
        assert app.seen[-1] == ("chosen", "poll-2")
        await pilot.click(PollTable, offset=(5, 0))  # the header: no row
        assert table.cursor_row == 2 and len(app.seen) == 2


async def test_the_wheel_scrolls_the_list_without_moving_the_highlight():
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(PollTable)
        await pilot.pause()
        for _ in range(5):
            table.post_message(events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert table.cursor_row == 0
        assert "Poll number 0" not in shown_titles(app)


async def test_a_narrow_list_drops_opts_then_flags_and_the_title_takes_the_rest():
    app = ListApp()
    async with app.run_test(size=(100, 12)) as pilot:
        header = screen_text(app).splitlines()[0]
        assert header.split() == ["Title", "Opts", "Votes", "Ends", "Flags"]
        assert header.rstrip().endswith("Flags")
        await pilot.resize_terminal(62, 12)
        await pilot.pause()
        assert screen_text(app).splitlines()[0].split() == ["Title", "Votes", "Ends", "Flags"]
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert screen_text(app).splitlines()[0].split() == ["Title", "Votes", "Ends"]
        assert screen_text(app).splitlines()[1].startswith(" Poll number 0")


async def test_only_the_rows_on_screen_are_drawn():
    """1,000 polls cost what the screen shows: a poll below the fold is not read until it scrolls in."""
    drawn: set[str] = set()

    class Counted(PollView):  # a poll that notes when its options are read (each drawn row counts them)
        __slots__ = ()

        @property
        def options(self):  # noqa: ANN202
            drawn.add(self.id)
            return super().options

    polls = many_polls(1000)
    for view in polls:
        view.__class__ = Counted
    app = ListApp(polls)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        assert "poll-0" in drawn and len(drawn) <= 12, f"{len(drawn)} polls read to draw 11 rows"
        await pilot.press("end")
        await pilot.pause()
        assert "poll-999" in drawn and len(drawn) <= 24


def line_background(app: App, y: int) -> object:
    """The background of the first cell of screen line ``y``."""
    strip = list(app.screen._compositor.render_strips())[y]
    return next(segment.style.bgcolor for segment in strip if segment.style is not None)


async def test_the_row_under_the_mouse_is_lit_so_a_click_target_shows() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        plain = line_background(app, 3)  # the third row under the header, not highlighted
        await pilot.hover(PollTable, offset=(5, 3))
        await pilot.pause()
        lit = line_background(app, 3)
        assert lit != plain
        assert line_background(app, 4) != lit, "only the row under the mouse"
        await pilot.hover(PollTable, offset=(5, 0))  # the header: no row lit
        await pilot.pause()
        assert line_background(app, 3) == plain
        await pilot.click(PollTable, offset=(5, 3))  # highlighted: the cursor's look, not the hover's
        await pilot.pause()
        assert line_background(app, 3) not in (plain, lit)
        await pilot.hover(PollTable, offset=(5, 5))
        await pilot.pause()
        assert line_background(app, 5) != line_background(app, 7), "lit, unlike its zebra twin"
        await pilot.press("down")  # the keys lead: only the cursor's row is lit
        await pilot.pause()
        assert line_background(app, 5) == line_background(app, 7)


async def test_the_wheel_puts_out_the_lit_row_which_it_moves_from_under_the_mouse() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(PollTable)
        await pilot.pause()
        await pilot.hover(PollTable, offset=(5, 3))
        await pilot.pause()
        lit = line_background(app, 3)
        table.post_message(events.MouseScrollDown(table, 5, 3, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert table.scroll_y > 0
        assert lit not in [line_background(app, y) for y in range(1, 12)], "a lit row away from the mouse"


async def test_an_unreadable_row_has_one_cell_per_column_however_narrow_the_list() -> None:
    listing = read_poll_listing([{"id": "bad", "title": "Broken", "options": "not a list"}])
    polls = [*many_polls(2), *listing.unreadable]
    app = ListApp(polls)
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(PollTable)
        for width, columns in ((100, ["Title", "Opts", "Votes", "Ends", "Flags"]), (60, ["Title", "Votes", "Ends", "Flags"]),
                               (40, ["Title", "Votes", "Ends"])):  # fmt: skip
            await pilot.resize_terminal(width, 12)
            await pilot.pause()
            assert screen_text(app).splitlines()[0].split() == columns
            cells = [str(cell) for cell in table.row_cells(2)][1:]
            assert cells == [{"Flags": ""}.get(name, "?") for name in columns[1:]], width


def ending_polls(now: datetime) -> list:
    """Four polls: one ending in 3 h, one past its end and closing then, one past it but staying
    open, one without an end."""
    def poll(n: int, ends: str, closes: bool) -> dict:
        item = copy.deepcopy(STARS_POLL)
        item.update(id=f"poll-{n}", title=f"Poll number {n}")
        item["settings"] = {**item.get("settings", {}), "endDate": ends, "closePollOnEndDate": closes}
        return item

    soon = (now + timedelta(hours=3, minutes=5)).isoformat(timespec="seconds")
    past = (now - timedelta(hours=1)).isoformat(timespec="seconds")
    return read_poll_listing([poll(0, soon, True), poll(1, past, True), poll(2, past, False), poll(3, "", True)]).polls


def ends_column(app: App) -> list[str]:
    table = app.query_one(PollTable)
    column = 1 + [key for key, _, _ in table._fixed].index("ends")
    return [table.row_cells(i)[column].plain for i in range(table.row_count)]


async def test_ends_read_as_people_say_them_and_are_said_again_when_they_change():
    now = datetime.now(timezone.utc)
    app = ListApp(ending_polls(now))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        assert ends_column(app) == ["in 3 h", "closed", "ended", "—"]
        assert "in 3 h" in screen_text(app) and "closed" in screen_text(app)
        table = app.query_one(PollTable)
        table.clock = lambda: now + timedelta(hours=2)  # two hours on, at the next check
        table.refresh_ends()
        await pilot.pause()
        assert ends_column(app) == ["in 1 h", "closed", "ended", "—"]
        assert "in 1 h" in screen_text(app) and "in 3 h" not in screen_text(app)
        table.clock = lambda: now + timedelta(hours=4)
        table.refresh_ends()
        await pilot.pause()
        assert ends_column(app)[0] == "closed"


async def test_a_check_with_no_words_due_to_change_redraws_nothing():
    now = datetime.now(timezone.utc)
    app = ListApp(ending_polls(now))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PollTable)
        kept = [table.row_cells(i) for i in range(table.row_count)]
        table.clock = lambda: now + timedelta(minutes=2)  # "in 3 h" still reads so
        table.refresh_ends()
        assert [table.row_cells(i) for i in range(table.row_count)] == kept
        assert all(table.row_cells(i) is kept[i] for i in range(table.row_count))  # not said again


def polls_ending(*ends: tuple[datetime, bool]) -> list:
    """A poll per (end, closes on it), titled "Poll number n"."""
    items = []
    for n, (end, closes) in enumerate(ends):
        item = copy.deepcopy(STARS_POLL)
        item.update(id=f"poll-{n}", title=f"Poll number {n}")
        item["settings"] = {**item.get("settings", {}), "endDate": end.isoformat(timespec="seconds"),
                            "closePollOnEndDate": closes}
        items.append(item)
    return read_poll_listing(items).polls


class Clock:
    """A clock a test moves: it reads ``at`` (a fixed moment), or real time when None."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at or datetime.now(timezone.utc)


# 10:00:30 on a Tuesday: half a minute into a minute, so words said "as at the minute's start" show
HALF_PAST = datetime(2026, 12, 8, 10, 0, 30, tzinfo=timezone.utc)


async def test_a_poll_ending_in_20_s_reads_so_now_not_as_at_the_start_of_the_minute():
    clock = Clock(HALF_PAST)
    app = ListApp(polls_ending((HALF_PAST + timedelta(seconds=20), True)), clock)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        assert ends_column(app) == ["in <1 min"]  # never seconds, which would go stale on screen
        assert "in <1 min" in screen_text(app)


async def test_the_words_turn_closed_or_ended_within_a_second_of_the_end():
    """No check every minute: the table checks again when the first shown row's words change."""
    now = datetime.now(timezone.utc)
    end = (now + timedelta(seconds=2)).replace(microsecond=0)  # 1–2 s away, as a server sends it
    app = ListApp(polls_ending((end, True), (end, False), (now + timedelta(hours=3, minutes=5), True)))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        assert ends_column(app) == ["in <1 min", "in <1 min", "in 3 h"]
        await asyncio.sleep((end - datetime.now(timezone.utc)).total_seconds() + 0.5)
        await pilot.pause()
        assert ends_column(app) == ["closed", "ended", "in 3 h"]
        assert "closed" in screen_text(app) and "ended" in screen_text(app)


async def test_a_reload_after_the_end_says_closed_at_once():
    """``r`` shows the polls again (show_polls): their ends are said as of now, not as of the
    minute's start."""
    clock = Clock(HALF_PAST - timedelta(seconds=20))
    polls = polls_ending((HALF_PAST - timedelta(seconds=10), True))
    app = ListApp(polls, clock)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        assert ends_column(app) == ["in <1 min"]
        clock.at = HALF_PAST  # ten seconds after the end: the reload comes before any check
        app.query_one(PollTable).show_polls(polls)
        await pilot.pause()
        assert ends_column(app) == ["closed"]
        assert "closed" in screen_text(app)


async def test_a_check_says_again_only_the_rows_whose_words_changed():
    clock = Clock(HALF_PAST)
    ends = [(HALF_PAST + timedelta(seconds=10 if n % 50 == 0 else 20), True) for n in range(8)]
    ends += [(HALF_PAST + timedelta(days=40), True)] * (COUNT - len(ends))
    app = ListApp(polls_ending(*ends), clock)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PollTable)
        kept = [table.row_cells(i) for i in range(8)]
        clock.at = HALF_PAST + timedelta(seconds=15)  # row 0 has ended; the others have not
        table.refresh_ends()
        await pilot.pause()
        assert ends_column(app)[:8] == ["closed"] + ["in <1 min"] * 7
        assert table.row_cells(0) is not kept[0]
        assert all(table.row_cells(i) is kept[i] for i in range(1, 8))  # not said again
        assert "closed" in screen_text(app)
