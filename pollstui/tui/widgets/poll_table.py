"""The poll list: one row per poll, in the order the server returned them or sorted (``s``, or a
click on a column's header: :class:`PollTable.HeaderClicked`).

Columns: title, number of options, total votes, end date and compact markers (see
:data:`pollstui.session.listing.MARKERS`, explained in the help screen). The title column takes whatever width is left,
so the table never scrolls sideways; a narrow table drops Opts, then Flags, so the title keeps at
least half the width.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from pollstui.dates import end_words_change, read_end_date, say_end_date
from pollstui.session.listing import is_unreadable, markers, raw_title
from pollstui.text import one_line, truncate
from pollstui.tui import actions, heap
from pollstui.tui.poll_order import sort_header, sort_polls, split_sort

if TYPE_CHECKING:
    from pollstui.api.poll_view import PollView
    from pollstui.session.listing import Row

#: Before the title of a poll that has an unsaved draft (``e`` offers to restore it).
DRAFT_MARK = "✎ "

_PADDING = 1  # blank cells on each side of a column
#: Columns whose values are aligned right.
_RIGHT = frozenset({"options", "votes"})
_ENDS_WIDTH = 11  # "30 Jun 2031", "Fri 17:00", "in 25 min", "closed"
_FIXED = (("options", "Opts", 4), ("votes", "Votes", 6), ("ends", "Ends", _ENDS_WIDTH), ("flags", "Flags", 5))

#: Columns a narrow table drops, in this order, so the title keeps at least half the width.
_DROPPABLE = ("options", "flags")


#: The longest the table waits between checks of its end words, even when none is due to change:
#: a clock that jumped (a laptop waking) is caught up with within this.
ENDS_CHECK_SECONDS = 60.0


@lru_cache(maxsize=4096)
def _read_end(value: str) -> datetime | None:
    read = read_end_date(value)
    return read.ends if read is not None else None


def end_date_cell(value: str, closes: bool = True, now: datetime | None = None) -> tuple[str, datetime | None]:
    """A poll's end in the words of :func:`pollstui.dates.say_end_date` (``in 3 h``, ``Fri 17:00``,
    ``30 Jun 2031``, ``in <1 min``, ``closed``) as at ``now`` (None: now); ``—`` without one; the
    value as sent when it is not a date pollstui reads. With the moment those words next change
    (:func:`pollstui.dates.end_words_change`; None: never)."""
    now = now or datetime.now(timezone.utc)
    said = one_line(say_end_date(value, closes, now))
    return (truncate(said, _ENDS_WIDTH) if said else "—"), end_words_change(_read_end(value.strip()), now)


class PollTable(ScrollView, can_focus=True):
    """The polls of one content item, readable or not (a row marked unreadable).

    A line-API widget: it keeps the polls and draws only the rows on screen, each row once per
    width, style and cursor state (:meth:`render_line`). Filling it with 1,000 polls costs a sort
    and a list, not 1,000 rows of cells; a highlight move redraws two lines and the detail pane.
    The header stays on the first line while the rows scroll under it. The row under the mouse
    is lit (a click highlights it, a click on the highlighted row chooses it) until a key or a
    scroll moves the rows under it.

    Posts :class:`PollHighlighted` and :class:`PollChosen`.
    """

    COMPONENT_CLASSES = {"poll-table--header", "poll-table--cursor", "poll-table--even-row", "poll-table--hover"}

    DEFAULT_CSS = """
    PollTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        & > .poll-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .poll-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .poll-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .poll-table--even-row { background: $surface-darken-1 40%; }
        & > .poll-table--hover { background: $block-hover-background; }
        & > .poll-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .poll-table--header { background-tint: $foreground 5%; }
            & > .poll-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        /* Without colour (NO_COLOR, above all in 16 colours) the cursor and the header come out
           the same grey: reverse video tells the cursor row apart (after :focus, to win over it). */
        &:nocolor > .poll-table--cursor { text-style: bold reverse; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "first_poll", "First", show=False),
        Binding("ctrl+end", "last_poll", "Last", show=False),
        Binding("enter", "choose", "Edit", show=False),
        *actions.bindings("poll-table"),
    ]

    class PollHighlighted(Message):
        """The cursor moved to ``poll`` (an unreadable one too; ``None`` when the table is empty)."""

        def __init__(self, poll: Row | None) -> None:
            self.poll = poll
            super().__init__()

    class HeaderClicked(Message):
        """A click on the header of ``column`` (a key of :data:`pollstui.tui.poll_order.SORTS`)."""

        def __init__(self, column: str) -> None:
            self.column = column
            super().__init__()

    class PollChosen(Message):
        """Enter was pressed on ``poll`` (readable or not), or a click on the highlighted row."""

        def __init__(self, poll: Row) -> None:
            self.poll = poll
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.polls: list[Row] = []
        self.show_numbers = False
        self.sort = ""  # an order (see pollstui.tui.poll_order)
        self.drafted: frozenset[str] = frozenset()  # ids of polls with an unsaved draft
        self._given: list[Row] = []  # the polls in the order show_polls got them
        self._cursor = 0
        self._hover = -1  # the row under the mouse (-1: none)
        self._layout_for = -1  # the width _title_width and _fixed were computed for
        self._title_width = 0
        self._fixed = _FIXED
        self._cells_cache: dict[int, list[Text]] = {}  # row index → its cells, for the current layout
        self._strips: dict[tuple[int, bool, bool], Strip] = {}  # (row or -1, cursor, hover) → the drawn line
        self._strips_for: tuple[object, ...] = ()  # what the drawn lines depend on besides the row
        #: The clock the end words are said against (a test may set another).
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
        self._ends_change: dict[int, datetime] = {}  # kept row → when its end words next change
        self._ends_timer: Timer | None = None
        self._ends_due: datetime | None = None  # when the timer checks the end words again

    def on_mount(self) -> None:
        self._schedule_ends()

    def refresh_ends(self) -> None:
        """Say again the ends of the kept rows whose words were due to change ("in 3 h" → "in 2 h",
        "in <1 min" → "closed"), redraw only those whose words did change, and wait for the next
        change among the rows (:func:`pollstui.dates.end_words_change`), a minute at most."""
        now = self.clock()
        column = next((i for i, (key, _, _) in enumerate(self._fixed, 1) if key == "ends"), None)
        for index, change in list(self._ends_change.items()):
            if change > now:
                continue
            del self._ends_change[index]
            cells = self._cells_cache.get(index)
            if cells is None or column is None or index >= len(self.polls):
                continue
            words, later = self._end_cell(self.polls[index], now)
            if cells[column].plain != words:
                self._forget_row(index)
            elif later is not None:
                self._ends_change[index] = later
        self._ends_due = None
        self._schedule_ends()

    def _schedule_ends(self, change: datetime | None = None) -> None:
        """Check the end words at the soonest change among the kept rows (or ``change``, when sooner)."""
        if not self.is_mounted:
            return
        now = self.clock()
        due = min([*self._ends_change.values(), now + timedelta(seconds=ENDS_CHECK_SECONDS)])
        if change is not None:
            due = min(due, change)
        if self._ends_due is not None and self._ends_due <= due and self._ends_timer is not None:
            return  # a check as soon or sooner is already waiting
        if self._ends_timer is not None:
            self._ends_timer.stop()
        self._ends_due = due
        delay = max(0.0, (due - now).total_seconds())
        self._ends_timer = self.set_timer(delay, self.refresh_ends, name="poll-table-ends")

    # --- what it shows ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.polls)

    @property
    def cursor_row(self) -> int:
        """The highlighted row (0 when the table is empty)."""
        return self._cursor

    @property
    def current_item(self) -> Row | None:
        """The highlighted row's poll, readable or not."""
        return self.polls[self._cursor] if 0 <= self._cursor < len(self.polls) else None

    @property
    def current_poll(self) -> PollView | None:
        """The highlighted poll; None for an unreadable one."""
        item = self.current_item
        return None if is_unreadable(item) else item  # type: ignore[return-value]

    @property
    def current_poll_id(self) -> str | None:
        item = self.current_item
        return item.id if item is not None else None

    def row_cells(self, index: int) -> list[Text]:
        """The cells of row ``index`` as drawn: title, then the columns the width leaves."""
        self._fit_layout()
        cells = self._cells_cache.get(index)
        if cells is None:
            cells = self._cells_cache[index] = self._cells(self.polls[index], index)
        return cells

    # --- filling -------------------------------------------------------------------------------

    def show_polls(self, polls: list[Row], *, highlight_id: str | None = None, show_numbers: bool | None = None) -> None:
        """Replace the rows; keep the cursor on ``highlight_id`` (or the current poll) when present.

        A poll that is gone (deleted, filtered out) leaves the cursor on the same row number."""
        keep = highlight_id if highlight_id is not None else self.current_poll_id
        if show_numbers is not None:
            self.show_numbers = show_numbers
        self._given = list(polls)
        self._replace_rows(sort_polls(self._given, self.sort), keep)
        if self.polls:
            heap.settle()  # the first list stays a while: the collector's full passes need not walk it

    def set_sort(self, order: str) -> None:
        """Show the same polls in ``order`` (see :mod:`pollstui.tui.poll_order`), keeping the highlighted one."""
        self.sort = order if split_sort(order)[0] else ""
        self._replace_rows(sort_polls(self._given, self.sort), self.current_poll_id)

    def set_drafted(self, poll_ids: frozenset[str]) -> None:
        """Mark the polls with these ids as having an unsaved draft (:data:`DRAFT_MARK`): only
        the rows whose mark changes are drawn again."""
        changed = poll_ids ^ self.drafted
        self.drafted = poll_ids
        for index, poll in enumerate(self.polls):
            if poll.id in changed:
                self._forget_row(index)

    def highlight(self, poll_id: str) -> None:
        """Move the cursor to the poll with ``poll_id`` when it has a row (the rows stay as they are)."""
        for index, poll in enumerate(self.polls):
            if poll.id == poll_id:
                self.move_cursor(row=index)
                return

    def _replace_rows(self, polls: list[Row], keep_id: str | None) -> None:
        target = min(self._cursor, len(polls) - 1) if keep_id is not None else 0
        if keep_id is not None:
            target = next((i for i, poll in enumerate(polls) if poll.id == keep_id), target)
        self.polls = polls
        self._cells_cache.clear()  # said afresh when drawn: as at that moment
        self._ends_change.clear()
        self._strips.clear()
        self._cursor = max(0, target)
        self.virtual_size = Size(self.scrollable_content_region.width, len(polls) + 1)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.PollHighlighted(self.current_item))

    def _forget_row(self, index: int) -> None:
        self._cells_cache.pop(index, None)
        self._ends_change.pop(index, None)
        for look in ((False, False), (True, False), (False, True)):
            self._strips.pop((index, *look), None)
        self.refresh_line(index + 1)

    # --- moving --------------------------------------------------------------------------------

    def move_cursor(self, *, row: int) -> None:
        """Highlight row ``row`` (clamped to the rows there are), scrolled into view, never
        animated: the row is where the eye goes next."""
        row = max(0, min(row, len(self.polls) - 1))
        if row == self._cursor or not self.polls:
            return
        old, self._cursor = self._cursor, row
        self.refresh_line(old + 1)
        self.refresh_line(row + 1)
        self._scroll_to_cursor()
        self.post_message(self.PollHighlighted(self.current_item))

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # the rows under the header

    def _scroll_to_cursor(self) -> None:
        if self.scrollable_content_region.height < 2:
            return  # not laid out yet: on_resize comes back here
        page, top = self._page, round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False)

    def _key_move(self, row: int) -> None:
        self._set_hover(-1)  # the keys lead now: one lit row, the cursor's (as DataTable did)
        self.move_cursor(row=row)

    def action_cursor_up(self) -> None:
        self._key_move(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._key_move(self._cursor + 1)

    def action_page_up(self) -> None:
        self._key_move(self._cursor - self._page)

    def action_page_down(self) -> None:
        self._key_move(self._cursor + self._page)

    def action_first_poll(self) -> None:
        self._key_move(0)

    def action_last_poll(self) -> None:
        self._key_move(len(self.polls) - 1)

    def action_choose(self) -> None:
        item = self.current_item
        if item is not None:
            self.post_message(self.PollChosen(item))

    def on_click(self, event: events.Click) -> None:
        if event.style.meta.get("row") == -1:  # the header: the column under the mouse, if it sorts
            offset = event.get_content_offset(self)
            column = self._column_at(offset.x) if offset is not None else None
            if column in ("title", "votes", "ends"):
                event.stop()
                self.post_message(self.HeaderClicked(column))
            return
        row = event.style.meta.get("row")
        if not isinstance(row, int) or not 0 <= row < len(self.polls):
            return  # the header, or below the last row
        event.stop()
        if row == self._cursor:
            self.action_choose()
        else:
            self.move_cursor(row=row)

    def _column_at(self, x: int) -> str | None:
        """The column drawn at cell ``x`` of a line, padding included (None: past the last)."""
        self._fit_layout()
        for key, width in (("title", self._title_width), *((key, w) for key, _, w in self._fixed)):
            x -= width + 2 * _PADDING
            if x < 0:
                return key
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = event.style.meta.get("row")
        self._set_hover(row if isinstance(row, int) and 0 <= row < len(self.polls) else -1)

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(-1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._set_hover(-1)  # the rows moved under the mouse: lit again when it moves

    def _set_hover(self, row: int) -> None:
        """Light row ``row`` as the one a click would go to (-1: none), as DataTable did."""
        if row != self._hover:
            for line in (self._hover, row):
                if line >= 0:
                    self.refresh_line(line + 1)
            self._hover = row

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.polls) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # --- drawing ---------------------------------------------------------------------------------

    def _layout(self, width: int) -> tuple[int, tuple[tuple[str, str, int], ...]]:
        """The title's width and the other columns, for the table's width."""
        fixed = _FIXED
        for drop in (None, *_DROPPABLE):
            fixed = tuple(c for c in fixed if c[0] != drop)
            padding = 2 * _PADDING * (len(fixed) + 1)
            title = max(12, width - sum(w for _, _, w in fixed) - padding)
            if title * 2 >= width:
                break
        return title, fixed

    def _fit_layout(self) -> None:
        width = self.scrollable_content_region.width or 80
        if width != self._layout_for:
            self._layout_for = width
            self._title_width, self._fixed = self._layout(width)
            self._cells_cache.clear()
            self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit_layout()
        depends = (self.scrollable_content_region.width, self.rich_style, self.has_focus)
        if depends != self._strips_for:  # a theme, the focus or the width changed the look
            self._strips_for = depends
            self._strips.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = -1 if y == 0 else y - 1 + round(self.scroll_y)  # -1: the header
        if index >= len(self.polls):
            return Strip.blank(width, self.rich_style)
        cursor = index == self._cursor
        key = (index, cursor, index == self._hover >= 0 and not cursor)
        strip = self._strips.get(key)
        if strip is None:
            draw = self._header_strip(width) if index < 0 else self._row_strip(index, *key[1:], width)
            strip = self._strips[key] = draw
        return strip

    def _header_strip(self, width: int) -> Strip:
        column, arrow = sort_header(self.sort)
        labels = [Text("Title" + (f" {arrow}" if column == "title" else ""))]
        for key, label, _ in self._fixed:
            if key == column:
                label = f"{arrow}{label}" if key in _RIGHT else f"{label} {arrow}"
            labels.append(Text(label))
        style = self.get_component_rich_style("poll-table--header") + Style.from_meta({"row": -1})
        return self._strip(labels, width, style, Style())

    def _row_strip(self, index: int, cursor: bool, hover: bool, width: int) -> Strip:
        style = self.get_component_rich_style("poll-table--even-row") if index % 2 == 0 else self.rich_style
        if hover:
            style += self.get_component_rich_style("poll-table--hover")
        post = Style()
        if cursor:
            cursor_style = self.get_component_rich_style("poll-table--cursor")
            style += cursor_style
            post = Style.from_color(cursor_style.color, cursor_style.bgcolor)  # over the cells' own colours
        return self._strip(self.row_cells(index), width, style + Style.from_meta({"row": index}), post)

    def _strip(self, cells: list[Text], width: int, style: Style, post: Style) -> Strip:
        """One line: each cell padded to its column's width, the rest of the width blank."""
        console = self.app.console
        segments: list[Segment] = []
        widths = [("title", self._title_width), *((key, w) for key, _, w in self._fixed)]
        for cell, (key, column_width) in zip(cells, widths):
            if cell.cell_len > column_width:
                cell = cell.copy()
                cell.truncate(column_width, overflow="ellipsis")
            gap = column_width - cell.cell_len
            before, after = (gap, 0) if key in _RIGHT else (0, gap)
            segments.append(Segment(" " * (_PADDING + before)))
            segments.extend(cell.render(console))
            segments.append(Segment(" " * (_PADDING + after)))
        strip = Strip(Segment.apply_style(segments, style, post or None))
        return strip.adjust_cell_length(width, style)

    def _cells(self, poll: Row, index: int) -> list[Text]:
        if is_unreadable(poll):
            name = raw_title(poll.raw) or poll.id or "(no id)"  # type: ignore[union-attr]
            title = Text("unreadable ", style="bold reverse")
            title.append(truncate(name, max(1, self._title_width - 11)), style="italic")
            unknown = {"options": Text("?"), "votes": Text("?"), "ends": Text("?"), "flags": Text("")}
            return [title, *(unknown[key] for key, _, _ in self._fixed)]
        drafted = poll.id in self.drafted
        width = self._title_width - (len(DRAFT_MARK) if drafted else 0)
        title = Text(truncate(poll.title or "(untitled)", width))
        if not poll.title:
            title.stylize("italic")
        if drafted:
            title = Text.assemble((DRAFT_MARK, "bold"), title)
        options = Text(str(len(poll.options)))
        total = poll.total_votes
        if total is None:
            votes = Text("—")
        elif poll.settings.hide_absolute_numbers and not self.show_numbers:
            votes = Text("hidden", style="italic")
        else:
            votes = Text(str(total))
        ends, change = self._end_cell(poll, self.clock())
        if change is not None:  # checked again when its words change
            self._ends_change[index] = change
            if self._ends_due is None or change < self._ends_due:
                self._schedule_ends(change)
        cells = {"options": options, "votes": votes, "ends": Text(ends),
                 "flags": Text(markers(poll))}
        return [title, *(cells[key] for key, _, _ in self._fixed)]

    def _end_cell(self, poll: PollView, now: datetime) -> tuple[str, datetime | None]:
        return end_date_cell(poll.settings.end_date or "", poll.settings.close_poll_on_end_date, now)
