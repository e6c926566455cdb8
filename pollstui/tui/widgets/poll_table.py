"""The poll list: one row per poll, in the order the server returned them or sorted (``s``).

Columns: title, number of options, total votes, end date and compact markers (see
:data:`MARKERS`, explained in the help screen). The title column takes whatever width is left,
so the table never scrolls sideways; a narrow table drops Opts, then Flags, so the title keeps at
least half the width.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from pollstui.dates import parse_end_date, short_end_date
from pollstui.session.listing import is_unreadable, raw_title
from pollstui.text import one_line, truncate
from pollstui.tui import actions, heap

if TYPE_CHECKING:
    from pollstui.api.listing import UnreadablePoll
    from pollstui.api.models import Poll

    Row = Poll | UnreadablePoll

#: (letter, setting attribute, meaning) — one column position each; "·" when the setting is off.
MARKERS: tuple[tuple[str, str, str], ...] = (
    ("M", "allow_selection_of_multiple_options", "multiple choice: voters may pick several options"),
    ("R", "allow_revote", "revote: voters may change their vote"),
    ("C", "allow_comment", "comments: voters may add a comment"),
    ("H", "hide_absolute_numbers", "hidden numbers: voters see percentages, not counts"),
    ("E", "close_poll_on_end_date", "end: the poll closes by itself on its end date"),
)

#: Before the title of a poll that has an unsaved draft (``e`` offers to restore it).
DRAFT_MARK = "✎ "

_NOTHING = object()

_FIXED = (("options", "Opts", 4), ("votes", "Votes", 6), ("ends", "Ends", 10), ("flags", "Flags", 5))

#: The orders ``s`` cycles through: "" is the server's order; each with its column and arrow.
SORTS: dict[str, tuple[str, str]] = {"": ("", ""), "title": ("title", "▲"), "votes": ("votes", "▼"), "ends": ("ends", "▲")}
#: How the help and the notification name them.
SORT_NAMES = {"": "server order", "title": "title (A to Z)", "votes": "votes (most first)", "ends": "end date (soonest first)"}


def next_sort(order: str) -> str:
    """The order after ``order`` in the cycle title → votes → end date → server order."""
    orders = list(SORTS)
    return orders[(orders.index(order) + 1) % len(orders)] if order in SORTS else "title"


def sort_polls(polls: list[Row], order: str) -> list[Row]:
    """``polls`` in ``order``; ties, and polls without the value, keep the server's order (last).

    Unreadable polls have no value to sort by: they come last, in the server's order.
    """
    keys = {
        "title": lambda p: (not p.title, " ".join(p.title.split()).casefold()),
        "votes": lambda p: ((votes := p.total_votes) is None, -(votes or 0)),
        "ends": _end_key,  # by moment, so other zones and date-only values sort where they end
    }
    if order not in keys:
        return list(polls)
    readable = [p for p in polls if not is_unreadable(p)]
    return sorted(readable, key=keys[order]) + [p for p in polls if is_unreadable(p)]


#: Columns a narrow table drops, in this order, so the title keeps at least half the width.
_DROPPABLE = ("options", "flags")


def markers(poll: Poll) -> str:
    """The marker string of a poll, e.g. ``M·C·E``."""
    return "".join(letter if getattr(poll.settings, attr, False) else "·" for letter, attr, _ in MARKERS)


def _end_key(poll: Poll) -> tuple[int, float, str]:
    """Readable end dates by moment, then unreadable ones by their text, then none."""
    text = (poll.settings.end_date or "").strip()
    moment = parse_end_date(text)
    return (0, moment.timestamp(), "") if moment else (1 if text else 2, 0.0, text)


@lru_cache(maxsize=4096)
def end_date_cell(value: str) -> str:
    """The date part of an end date (``2031-06-30``), or the value as sent when it is not ISO.

    Remembered per value: every rebuild of the table (a sort, a filter, a refresh) shows the
    same few end dates on many rows, and reading one takes a few microseconds."""
    value = one_line(short_end_date(value))
    if not value:
        return "—"
    return truncate(value, 10)


class PollTable(DataTable):
    """The polls of one content item, readable or not (a row marked unreadable).

    Posts :class:`PollHighlighted` and :class:`PollChosen`.
    """

    DEFAULT_CSS = """
    PollTable { height: 1fr; }
    """

    BINDINGS = actions.bindings("poll-table")

    class PollHighlighted(Message):
        """The cursor moved to ``poll`` (an unreadable one too; ``None`` when the table is empty)."""

        def __init__(self, poll: Row | None) -> None:
            self.poll = poll
            super().__init__()

    class PollChosen(Message):
        """Enter was pressed on ``poll`` (readable or not)."""

        def __init__(self, poll: Row) -> None:
            self.poll = poll
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.polls: list[Row] = []
        self.show_numbers = False
        self._title_width = 0
        self._fixed = _FIXED
        self.sort = ""  # a key of SORTS
        self._given: list[Row] = []  # the polls in the order show_polls got them
        self._pending_keep: Any = _NOTHING  # the poll to highlight once the rows are built
        self._last_row = 0  # the cursor's row before the last rebuild
        self.drafted: frozenset[str] = frozenset()  # ids of polls with an unsaved draft
        #: The width the screen will give the table (0: unknown), used until it is laid out.
        self.expected_width = 0

    def action_first_poll(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False, scroll=True)

    def action_last_poll(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False, scroll=True)

    # --- filling -------------------------------------------------------------------------------

    def show_polls(self, polls: list[Row], *, highlight_id: str | None = None, show_numbers: bool | None = None) -> None:
        """Replace the rows; keep the cursor on ``highlight_id`` (or the current poll) when present."""
        keep = highlight_id if highlight_id is not None else self.current_poll_id
        if show_numbers is not None:
            self.show_numbers = show_numbers
        self._given = list(polls)
        self.polls = sort_polls(self._given, self.sort)
        self._rebuild(keep)

    def set_drafted(self, poll_ids: frozenset[str]) -> None:
        """Mark the polls with these ids as having an unsaved draft (:data:`DRAFT_MARK`): only
        the title cells whose mark changes are set again, not the whole table."""
        changed = poll_ids ^ self.drafted
        self.drafted = poll_ids
        if not changed or self._pending_keep is not _NOTHING or not self.columns:
            return  # nothing to redraw, or the rows are not built yet (they will read self.drafted)
        for index, poll in enumerate(self.polls):
            if poll.id in changed and not is_unreadable(poll):
                self.update_cell(self._row_key(index, poll), "title", self._cells(poll)[0])

    def set_sort(self, order: str) -> None:
        """Show the same polls in ``order`` (a key of :data:`SORTS`), keeping the highlighted one."""
        keep = self.current_poll_id
        self.sort = order if order in SORTS else ""
        self.polls = sort_polls(self._given, self.sort)
        self._rebuild(keep)

    def highlight(self, poll_id: str) -> None:
        """Move the cursor to the poll with ``poll_id`` when it has a row (the rows stay as they are)."""
        if self._pending_keep is not _NOTHING:
            self._pending_keep = poll_id  # the rows are built at the first resize
            return
        for index, poll in enumerate(self.polls):
            if poll.id == poll_id:
                self.move_cursor(row=index, animate=False, scroll=True)
                return

    @property
    def current_item(self) -> Row | None:
        """The highlighted row's poll, readable or not."""
        if not self.polls or not (0 <= self.cursor_row < len(self.polls)):
            return None
        return self.polls[self.cursor_row]

    @property
    def current_poll(self) -> Poll | None:
        """The highlighted poll; None for an unreadable one."""
        item = self.current_item
        return None if is_unreadable(item) else item  # type: ignore[return-value]

    @property
    def current_poll_id(self) -> str | None:
        item = self.current_item
        return item.id if item is not None else None

    def _row_key(self, index: int, poll: Row) -> str:
        return poll.id or f"#{index}"

    def _layout(self) -> tuple[int, tuple[tuple[str, str, int], ...]]:
        """The title's width and the other columns, for the table's width."""
        width = self.size.width or self.expected_width or 80
        fixed = _FIXED
        for drop in (None, *_DROPPABLE):
            fixed = tuple(c for c in fixed if c[0] != drop)
            padding = 2 * self.cell_padding * (len(fixed) + 1)
            title = max(12, width - sum(w for _, _, w in fixed) - padding - 1)
            if title * 2 >= width:
                break
        return title, fixed

    def _compute_title_width(self) -> int:
        return self._layout()[0]

    def _rebuild(self, keep_id: str | None) -> None:
        if self.row_count:
            self._last_row = self.cursor_row
        self._title_width, self._fixed = self._layout()
        self.clear(columns=True)
        column, arrow = SORTS.get(self.sort, ("", ""))
        self.add_column(Text("Title" + (f" {arrow}" if column == "title" else "")), width=self._title_width, key="title")
        for key, label, width in self._fixed:
            justify = "right" if key in ("options", "votes") else "left"
            if key == column:
                label = f"{arrow}{label}" if justify == "right" else f"{label} {arrow}"
            self.add_column(Text(label, justify=justify), width=width, key=key)
        if not self.size.width and not self.expected_width and self.polls:
            # Not laid out yet and no width expected: the first resize knows the width and builds
            # the rows once, instead of building them now for a guessed width and again then
            # (1,000 polls: ~100 ms). With the expected width they are built now, so the first
            # frame has them (the first resize rebuilds them only if the width differs).
            self._pending_keep = keep_id
            return
        self._pending_keep = _NOTHING
        # A poll that is gone (deleted, filtered out) leaves the cursor where it was, not on row 1.
        target = min(self._last_row, len(self.polls) - 1) if keep_id is not None else 0
        for index, poll in enumerate(self.polls):
            key = self._row_key(index, poll)
            if keep_id is not None and poll.id == keep_id:
                target = index
            self.add_row(*self._cells(poll), key=key)
        if self.polls:
            self.move_cursor(row=target, animate=False, scroll=True)
            heap.settle()  # the first list stays a while: the collector's full passes need not walk it
        self.post_message(self.PollHighlighted(self.current_item))

    def _cells(self, poll: Row) -> list[Text]:
        if is_unreadable(poll):
            name = raw_title(poll.raw) or poll.id or "(no id)"  # type: ignore[union-attr]
            title = Text("unreadable ", style="bold reverse")
            title.append(truncate(one_line(name), max(1, self._title_width - 11)), style="italic")
            return [title, Text("?", justify="right"), Text("?", justify="right"), Text("?"), Text("")]
        drafted = poll.id in self.drafted
        width = self._title_width - (len(DRAFT_MARK) if drafted else 0)
        title = Text(truncate(poll.title or "(untitled)", width))
        if not poll.title:
            title.stylize("italic")
        if drafted:
            title = Text.assemble((DRAFT_MARK, "bold"), title)
        options = Text(str(len(poll.options)), justify="right")
        total = poll.total_votes
        if total is None:
            votes = Text("—", justify="right")
        elif poll.settings.hide_absolute_numbers and not self.show_numbers:
            votes = Text("hidden", justify="right", style="italic")
        else:
            votes = Text(str(total), justify="right")
        cells = {"options": options, "votes": votes, "ends": Text(end_date_cell(poll.settings.end_date)),
                 "flags": Text(markers(poll))}
        return [title, *(cells[key] for key, _, _ in self._fixed)]

    def _update_dimensions(self, new_rows: Any) -> None:
        # DataTable measures every cell of every new row to size auto-width columns (1,000 polls:
        # ~45 ms). Every column here has a fixed width and every row one line, without a label,
        # so nothing it would measure changes the result: only the virtual size is computed.
        if all(not column.auto_width for column in self.columns.values()):
            new_rows = ()
        super()._update_dimensions(new_rows)

    # --- events --------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._pending_keep is not _NOTHING:
            keep, self._pending_keep = self._pending_keep, _NOTHING
            self._rebuild(keep)
        elif self.columns and self._compute_title_width() != self._title_width:
            self._rebuild(self.current_poll_id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.PollHighlighted(self.current_item))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current_item
        if item is not None:
            self.post_message(self.PollChosen(item))
