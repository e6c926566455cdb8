"""All items: one table of every poll on every pinned item of the profile.

Opened with ``g`` (or "All items" at the top of the content list). The session's
:class:`~pollstui.session.overview.Overview` reads the items, a few at a time; each item's rows
appear as its answer arrives, after its cached copy (marked "cached"). The requests leave before
the screen is drawn, and the main screen keeps the screen for the session: ``g`` shows it again
with the rows of the last visit, marked cached, while every item is read again. An item that
fails is one row saying why (token refused, not found, took too long), and never hides the
others. ``s`` and ``/`` sort and filter as on the main screen, the default order putting open
polls closing soonest first; ``enter`` opens the poll's item on the main screen with the poll
highlighted, ``p`` presents it, ``e`` edits it; ``escape`` cancels the requests in flight. ``w``
reads every item again every :data:`AUTO_REFRESH_INTERVAL` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from pollstui.dates import end_words_change, parse_end_date
from pollstui.session.listing import Source, is_unreadable, markers, search_text
from pollstui.session.overview import DEFAULT_CONCURRENCY, ItemResult, Overview, closing_first_key, end_words
from pollstui.text import cell_width, one_line, plural, sanitize, seconds_text, truncate
from pollstui.tui import actions, errors
from pollstui.tui.poll_order import SORT_NAMES, sort_polls
from pollstui.tui.refresh import AutoRefresher
from pollstui.tui.widgets.filter_box import FilterBox
from pollstui.tui.widgets.poll_table import ENDS_CHECK_SECONDS
from pollstui.tui.widgets.footer import WIDE_WIDTH, FittingFooter

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.errors import PollsError
    from pollstui.api.models import Poll
    from pollstui.session.listing import Row as ListRow
    from pollstui.tui.app import PollsApp

#: Seconds between automatic reads of every item (``w``): N items cost N × 60 / 30 requests a
#: minute (100 for 50 items), far under Forge's ~1,200 per user; doubled while reads fail.
AUTO_REFRESH_INTERVAL = 30.0

#: Seconds ``g`` waits at most for the first requests to be on their way before it draws the
#: screen (a pause after a 429 may hold them longer).
SEND_FIRST_WAIT = 0.05

#: The orders ``s`` cycles through: "" is the overview's own (open polls closing soonest first).
SORTS = ("", "title", "votes", "ends")
ORDER_NAMES = {**SORT_NAMES, "": "open polls closing soonest first"}

#: (key, label, width): the title takes the width the others leave (None).
COLUMNS = (("item", "Item", 13), ("title", "Title", None), ("votes", "Votes", 5), ("options", "Opts", 4),
           ("ends", "Ends", 11), ("flags", "Flags", 5))  # fmt: skip
#: Cells of padding around each column, and the scrollbar's.
_CHROME = 2 * len(COLUMNS) + 2


class Row:
    """One line of the table: a poll of an item (``poll``), or an item that could not be read.

    Made once per answer (:func:`rows_of`); what it sorts by, what the filter looks in and its
    cells are worked out when first needed and kept, so an answer redraws only its own rows."""

    __slots__ = ("_cells", "_closing", "_drawn_for", "_text", "error", "index", "key", "poll", "ref", "source")

    def __init__(
        self, ref: ContentRef, poll: ListRow | None = None, source: Source = Source.FRESH,
        error: PollsError | None = None, index: int = -1,
    ) -> None:  # fmt: skip
        self.ref = ref
        self.poll = poll  # None: the item's failure
        self.source = source
        self.error = error
        self.index = index  # its place in the item's list: a cached row and the server's keep one key
        self.key = f"{ref.key}|{index}|{poll.id if poll is not None else '!'}"
        self._closing: tuple[int, float, str] | None = None
        self._text: str | None = None
        self._cells: list[Text] = []
        self._drawn_for: tuple[int, datetime | None] | None = None  # (title width, when the end's words change)

    def closing_key(self, now: datetime) -> tuple[int, float, str]:
        """:func:`closing_first_key`, worked out again only once an open poll's end has passed."""
        key = self._closing
        if key is None or (key[0] == 0 and key[1] <= now.timestamp()):
            key = self._closing = closing_first_key(self.poll, now)  # type: ignore[arg-type]
        return key

    def matches(self, words: list[str]) -> bool:
        """Whether every one of ``words`` is in the poll's title, description or options."""
        if self._text is None:
            self._text = search_text(self.poll) if self.poll is not None else ""
        return all(word in self._text for word in words)

    def cells(self, title_width: int, now: datetime) -> list[Text]:
        """The row's cells for a title column ``title_width`` wide; the same list (not drawn
        again) until the width changes or the end's words do (said as at ``now``:
        :func:`pollstui.dates.end_words_change`)."""
        drawn = self._drawn_for
        if drawn is None or drawn[0] != title_width or (drawn[1] is not None and drawn[1] <= now):
            self._cells = _cells(self, title_width, now)
            self._drawn_for = (title_width, self.ends_change(now))
        return self._cells

    @property
    def words_change(self) -> datetime | None:
        """When the drawn cells' end words change (None: never, or not drawn)."""
        return self._drawn_for[1] if self._drawn_for is not None else None

    def ends_change(self, now: datetime) -> datetime | None:
        """When the words of the poll's end next change (None: never)."""
        if self.poll is None or is_unreadable(self.poll):
            return None
        return end_words_change(parse_end_date(self.poll.settings.end_date or ""), now)


def rows_of(result: ItemResult) -> list[Row]:
    """An item's rows: the one saying why it could not be read, then its polls in the server's order."""
    ref, listing = result.ref, result.listing
    rows = [Row(ref, None, listing.source, result.error)] if result.error is not None else []
    if listing.source.has_data:
        rows.extend(Row(ref, poll, listing.source, index=index) for index, poll in enumerate(listing.rows()))
    return rows


def _cells(row: Row, title_width: int, now: datetime) -> list[Text]:
    item = Text(truncate(one_line(row.ref.label), 13))
    if row.poll is None:
        said = errors.short(row.error) if row.error is not None else "not read"
        first = row.error.first_sentence if row.error is not None else ""
        text = Text(f"⚠ {said}", style="bold red")
        text.append(f" · {one_line(first)}" if first else "", style="dim")
        return [item, text, Text(""), Text(""), Text(""), Text("")]
    poll = row.poll
    if is_unreadable(poll):
        title = Text(one_line(f"unreadable: {poll.reason}"), style="italic")
        return [item, title, Text("?"), Text("?"), Text("?"), Text("")]
    note = f" · {row.source.value}" if row.source is not Source.FRESH else ""
    title = Text(truncate(one_line(poll.title) or "(untitled)", max(title_width - cell_width(note), 4)))
    title.append(note, style="dim italic")
    votes = poll.total_votes
    return [
        item, title, Text(("?" if votes is None else str(votes)).rjust(5)),
        Text(str(len(poll.options)).rjust(4)), Text(one_line(end_words(poll, now))), Text(markers(poll)),
    ]  # fmt: skip


class OverviewTable(DataTable[Text]):
    """All items' table. Its ``enter`` is the screen's Open, bound here where the focus is, so the
    footer shows it (DataTable's own ``enter``, not shown, hid the screen's) and it acts on the
    row the keys before it left the cursor on."""

    BINDINGS = actions.bindings("overview-table")


class OverviewScreen(Screen[None]):
    """Every poll on the items :meth:`open` is given (the pinned ones), in the order and filter chosen."""

    ACTION_SCREEN = "overview"
    BINDINGS = actions.bindings("overview")
    AUTO_FOCUS = "#overview-table"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = []
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = []
    DEFAULT_CSS = """
    OverviewScreen #overview-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    OverviewScreen #overview-filter { height: 3; }
    OverviewScreen #overview-table { height: 1fr; }
    OverviewScreen #overview-empty { padding: 1 2; color: $text-muted; }
    """

    app: PollsApp

    #: Items whose answer has not come yet in the read under way.
    pending: var[int] = var(0, init=False)
    filter_text: var[str] = var("", init=False)
    order: var[str] = var("", init=False)
    auto_note: var[str] = var("", init=False)

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[ContentRef] = []
        self.results: dict[str, ItemResult] = {}
        self._item_rows: dict[str, list[Row]] = {}  # ref.key -> the rows of its result
        self._rows: list[Row] = []  # as drawn, in order
        self._cells_drawn: list[list[Text]] = []  # the cells of _rows as drawn
        self._title_width = 40
        self.auto_refresher = AutoRefresher(self, lambda: not self.pending, partial(self.read, quiet=True))
        self._early: list[ItemResult] | None = []  # answers that came before the table was there
        self._redraw_due = False
        self._ends_timer: Timer | None = None  # the redraw when the soonest end's words change

    async def open(self, refs: list[ContentRef]) -> None:
        """Show every poll on ``refs`` and read them all again. The screen lives for the session
        (the main screen keeps it): its order and filter stay as left, and what the last visit
        read stays on screen, marked cached, until the server answers again.

        The requests leave first: this returns once they are on their way (or after
        :data:`SEND_FIRST_WAIT`), and only then is the table redrawn and the screen shown, so
        no drawing holds them up."""
        self.refs = list(dict.fromkeys(refs))
        kept = {ref.key for ref in self.refs}
        self.results = {key: result.cached() for key, result in self.results.items() if key in kept}
        self._item_rows = {key: rows_of(result) for key, result in self.results.items()}
        if self.refs:
            overview = self.read(from_disk=[ref for ref in self.refs if ref.key not in self.results])
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(overview.sent.wait(), SEND_FIRST_WAIT)
        else:
            self.pending = 0
        if self._early is None:
            self._show()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="overview-status", markup=False)
            yield FilterBox("Filter: item, title or option · enter keeps · esc clears", list_selector="#overview-table",
                            id="overview-filter")  # fmt: skip
            table = OverviewTable(id="overview-table", cursor_type="row", zebra_stripes=True)
            for key, label, width in COLUMNS:
                table.add_column(label, key=key, width=width or 20)
            yield table
            yield Static("", id="overview-empty", markup=False)
        wide = self.app.size.width >= WIDE_WIDTH
        yield FittingFooter(compact=not wide, show_command_palette=wide)  # (Quit and Help always shown)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#overview-table", DataTable)

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width)
        self.query_one(FittingFooter).follow_width(event.size.width)

    def _fit(self, width: int) -> None:
        """The title column takes what the others leave of ``width``."""
        title = max(12, width - sum(w or 0 for _, _, w in COLUMNS) - _CHROME)
        column = self.table.columns.get("title")  # type: ignore[call-overload]
        if column is not None and column.width != title:
            column.width = self._title_width = title
            self._show()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        early, self._early = self._early or [], None
        for result in early:
            self._arrived(result)
        self._show()  # every early answer, drawn once

    # --- reading ------------------------------------------------------------------------------

    def read(self, *, from_disk: list[ContentRef] | None = None, quiet: bool = False) -> Overview:
        """Read every item again (``from_disk``: the cached copies of these too); the read under way."""
        profile = self.app.session.profile
        concurrency = (profile.concurrency if profile is not None else 0) or DEFAULT_CONCURRENCY
        overview = Overview(self.app.session, self.refs, concurrency=concurrency)
        self.pending = len(self.refs)
        self._read(overview, from_disk or [], quiet=quiet)
        return overview

    @work(exclusive=True, group="overview", exit_on_error=False)
    async def _read(self, overview: Overview, from_disk: list[ContentRef], *, quiet: bool) -> None:
        failed: bool | None = None
        # The cached copies are read from disk once the requests are on their way (not before
        # them): a server's answer that comes first wins (see _arrived).
        early = asyncio.ensure_future(self._read_disk(overview, from_disk)) if from_disk else None
        try:
            results = await overview.run(self._arrived)
            failed = any(not r.ok for r in results)
        finally:
            if early is not None:
                early.cancel()
            self.pending = 0
            if quiet:
                self.auto_refresher.done(None if failed is None else not failed)

    async def _read_disk(self, overview: Overview, refs: list[ContentRef]) -> None:
        await overview.sent.wait()
        await overview.cached(self._arrived, refs)

    def _arrived(self, result: ItemResult) -> None:
        """One item's answer (or cached copy): its rows replace the ones it had."""
        if self._early is not None:
            self._early.append(result)  # shown once the screen is mounted
            return
        had = self.results.get(result.ref.key)
        if result.listing.source is Source.CACHED:
            if had is not None:
                return  # the server's answer came first
        else:
            self.pending = max(0, self.pending - 1)
            if not result.ok and had is not None and had.ok and had.listing.source.has_data:
                result = ItemResult(result.ref, had.listing.failed(result.error), result.error)  # type: ignore[arg-type]
        self.results[result.ref.key] = result
        self._item_rows[result.ref.key] = rows_of(result)
        self._redraw_soon()

    def _redraw_soon(self) -> None:
        if not self._redraw_due:
            # Answers that arrive together are drawn together, once: on the loop's next turn,
            # not behind the screen's queue of messages (a frame being drawn), so an answer's
            # rows are in the table as soon as the answers that came with it are read.
            self._redraw_due = True
            asyncio.get_running_loop().call_soon(self._redraw)

    def _redraw(self) -> None:
        if not self._redraw_due or not self.is_attached:
            return  # drawn already (on_mount), or the screen is gone
        self._redraw_due = False
        self._show()

    def _redraw_at_next_end_change(self, now: datetime) -> None:
        """Draw again when the first shown end's words change (``in <1 min`` → ``closed``), a
        minute at most (a clock that jumped is caught up with); only those rows' cells change."""
        due = min((row.words_change for row in self._rows if row.words_change is not None), default=None)
        delay = ENDS_CHECK_SECONDS if due is None else min(ENDS_CHECK_SECONDS, (due - now).total_seconds())
        if self._ends_timer is not None:
            self._ends_timer.stop()
        self._ends_timer = self.set_timer(max(0.0, delay), self._redraw_soon, name="overview-ends")

    def action_escape(self) -> None:
        """Cancel the requests in flight; else clear the filter; else back to the main screen."""
        if self.pending:
            self.workers.cancel_group(self, "overview")
            left = self.pending
            self.pending = 0
            self.notify(f"Cancelled: {plural(left, 'item')} not read. r reads every item again.", timeout=4)
        elif self.query_one(FilterBox).clear():
            self.filter_text = ""  # now, not when the box's Changed arrives
        else:
            self.action_back()

    def action_back(self) -> None:
        self.workers.cancel_group(self, "overview")
        self.auto_refresher.stop()
        self.dismiss(None)

    def action_refresh(self) -> None:
        if self.refs:
            self.read()

    # --- auto-refresh -------------------------------------------------------------------------

    def action_toggle_auto_refresh(self) -> None:
        if self.auto_refresher.toggle(AUTO_REFRESH_INTERVAL):
            self.notify(f"Auto-refresh on: every item every {seconds_text(AUTO_REFRESH_INTERVAL)} "
                        f"({plural(len(self.refs) * 2, 'request')} a minute). w turns it off.")  # fmt: skip
        else:
            self.notify("Auto-refresh off.")

    # --- drawing ------------------------------------------------------------------------------

    def watch_pending(self) -> None:
        self._show_status()

    def watch_auto_note(self) -> None:
        self._show_status()

    def watch_filter_text(self) -> None:
        self._show()

    def watch_order(self) -> None:
        self._show()

    def _all_rows(self) -> list[Row]:
        """The rows to draw: every failed item's, then the polls the filter leaves, in the order chosen."""
        words = self.filter_text.casefold().split()
        polls: list[Row] = []
        failures: list[Row] = []
        for ref in self.refs:
            rows = self._item_rows.get(ref.key)
            if not rows:
                continue
            every = all(w in ref.label.casefold() for w in words)  # the item's key matches: all its polls
            for row in rows:
                if row.poll is None:
                    failures.append(row)
                elif every or row.matches(words):
                    polls.append(row)
        if not self.order:
            now = datetime.now(timezone.utc)
            polls.sort(key=lambda row: row.closing_key(now))
        else:
            by_poll = {id(row.poll): row for row in polls}
            polls = [by_poll[id(poll)] for poll in sort_polls([row.poll for row in polls], self.order)]  # type: ignore[misc]
        return failures + polls

    def _show(self) -> None:
        self._redraw_due = False  # a redraw asked for meanwhile has nothing left to draw
        table = self.table
        # The row under the cursor stays under it as rows arrive, once the user has moved it off the first.
        chosen = self._rows[table.cursor_row].key if self._rows and 0 < table.cursor_row < len(self._rows) else None
        rows = self._all_rows()
        now = datetime.now(timezone.utc)
        cells = [row.cells(self._title_width, now) for row in rows]
        if [row.key for row in rows] == [row.key for row in self._rows]:
            # The same rows in the same order (the server's answer after the cached copy, a
            # refresh): only the cells that changed are drawn again, not the whole table.
            for row, new, old in zip(rows, cells, self._cells_drawn, strict=True):
                if new is old:
                    continue  # the same row as drawn
                for (column, _, _), cell, before in zip(COLUMNS, new, old, strict=True):
                    if cell != before:
                        table.update_cell(row.key, column, cell)
        else:
            table.clear()
            for row, row_cells in zip(rows, cells, strict=True):
                table.add_row(*row_cells, key=row.key)
        self._rows, self._cells_drawn = rows, cells
        self._redraw_at_next_end_change(now)
        if chosen is not None:
            index = next((i for i, row in enumerate(rows) if row.key == chosen), None)
            if index is not None:
                table.move_cursor(row=index, animate=False)
        empty = self.query_one("#overview-empty", Static)
        empty.update(self._empty_message(bool(rows)))
        empty.display = not rows
        self._show_status()

    def _empty_message(self, any_rows: bool) -> str:
        if any_rows:
            return ""
        if not self.refs:
            return ("No pinned items yet. Go back (g) and press a to pin issue keys, page ids or pasted URLs "
                    "(several at once), or run `pollstui profile items add PLAT-1 PLAT-2`.")  # fmt: skip
        if self.pending:
            return f"Reading {plural(len(self.refs), 'item')}…"
        if self.filter_text.strip():
            return f"No poll matches “{sanitize(self.filter_text.strip())}”. Press esc to clear the filter."
        return f"No polls on the {plural(len(self.refs), 'pinned item')}."

    def _show_status(self) -> None:
        if self._early is not None:
            return  # not mounted yet: on_mount draws it
        polls = sum(1 for row in self._rows if row.poll is not None)
        failed = sum(1 for result in self.results.values() if result.error is not None)
        parts = [f"All items · {plural(polls, 'poll')} on {plural(len(self.refs), 'item')}"]
        if self.pending:
            parts.append(f"reading {self.pending}…")
        if failed:
            parts.append(f"{failed} failed")
        if self.filter_text.strip():
            parts.append(f"filter “{self.filter_text.strip()}”")
        parts.append(ORDER_NAMES[self.order])
        if self.auto_note:
            parts.append(self.auto_note)
        self.query_one("#overview-status", Static).update(sanitize(" · ".join(parts)))

    # --- sort and filter ----------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.order = SORTS[(SORTS.index(self.order) + 1) % len(SORTS)]
        self.notify(f"Sorted by {ORDER_NAMES[self.order]}; s for the next order.", timeout=3)

    def action_filter(self) -> None:
        self.query_one(FilterBox).open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter" and isinstance(self.focused, Input):
            return False  # `/` is typed into the field
        return True  # (e in read-only mode stays on, and says why: a key press is never lost in silence)

    @on(Input.Changed, "#overview-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    # --- the highlighted poll -----------------------------------------------------------------

    def _current(self, doing: str) -> Row | None:
        table = self.table
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            self.notify("No poll is highlighted.", severity="warning")
            return None
        row = self._rows[table.cursor_row]
        if row.poll is None:
            self.notify(f"{row.ref.label} could not be read: r reads it again.", severity="warning", markup=False)
            return None
        if is_unreadable(row.poll) and doing != "opened":
            self.notify(f"pollstui cannot read this poll, so it cannot be {doing}.", severity="warning")
            return None
        return row

    @on(DataTable.RowSelected, "#overview-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the highlighted row (enter is the table's binding of open_poll)."""
        event.stop()
        self.action_open_poll()

    def action_open_poll(self) -> None:
        """The poll's item on the main screen, the poll highlighted."""
        row = self._current("opened")
        if row is None:
            return
        from pollstui.tui.screens.main import MainScreen

        self.action_back()
        main = next((s for s in reversed(self.app.screen_stack) if isinstance(s, MainScreen)), None)
        if main is not None:
            main.open_content(row.ref, highlight_id=row.poll.id)

    def action_present(self) -> None:
        row = self._current("presented")
        if row is None:
            return
        from pollstui.tui.screens.present import PresentScreen

        result = self.results[row.ref.key]
        self.app.push_screen(PresentScreen(row.ref, result.listing.polls, row.poll.id))

    def action_edit_poll(self) -> None:
        if self.app.session.read_only:
            self.notify(actions.READ_ONLY_REASON, title="Read-only", severity="warning")
            return
        row = self._current("edited")
        if row is None:
            return
        try:
            poll = row.poll.model()  # the write model, to edit
        except ValueError:  # pydantic's ValidationError: the models refuse what the list read
            self.notify("pollstui cannot read this poll: r reads every item again.", severity="warning")
            return
        from pollstui.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(row.ref, poll.clone()), partial(self._after_edit, row.ref))

    def _after_edit(self, ref: ContentRef, poll: Poll | None) -> None:
        if poll is not None:
            self._read_one(ref)

    @work(group="overview-one", exit_on_error=False)
    async def _read_one(self, ref: ContentRef) -> None:
        listing = await self.app.session.load(ref)
        self._arrived(ItemResult(ref, listing, listing.error if listing.source is not Source.FRESH else None))

    def on_worker_state_changed(self, event: Any) -> None:
        self.app.report_worker(event.worker)
