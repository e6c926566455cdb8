"""The main screen: content items (sidebar), their polls (table) and the highlighted poll (detail).

State, then rendering: the screen holds a :class:`~pollstui.session.listing.Listing` (the polls, where
they came from and when, the unreadable ones), the filter, the counts toggle and whether a load
is in flight, as reactives; watchers redraw the table and the detail, and the status line is
bound to them (``data_bind``). Workers call the session and assign what it answers.

Loading: selecting a content item first shows its cached polls (marked "cached") and then the
server's; when the server cannot be reached what was shown stays, marked "stale · fetched HH:MM".
Loads are exclusive workers, and an answer is applied only while its load is the newest and its
content item is still on screen, so switching quickly never shows an older answer over a newer
one. ``escape`` cancels a load in flight. ``w`` turns on auto-refresh
(:class:`~pollstui.tui.refresh.AutoRefresher`).

Writes open the editor or run the session's operations (delete, undo, duplicate) in workers, one
at a time, and say what they did; in read-only mode they are greyed and explained instead.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, LoadingIndicator, Static

from pollstui.api.errors import NotPermittedError, PollsError
from pollstui.session.listing import Listing, Source, is_unreadable, raw_title
from pollstui.text import json_text, sanitize, seconds_text
from pollstui.tui import actions, errors
from pollstui.tui.poll_order import clicked_sort, next_sort, sort_name
from pollstui.tui.refresh import AutoRefresher
from pollstui.tui.widgets.filter_box import FilterBox
from pollstui.tui.widgets.footer import WIDE_WIDTH, FittingFooter
from pollstui.tui.widgets.header import ConnectionHeader
from pollstui.tui.widgets.poll_detail import PollDetail
from pollstui.tui.widgets.poll_table import PollTable
from pollstui.tui.widgets.sidebar import Sidebar
from pollstui.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.timer import Timer
    from textual.worker import Worker

    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.api.poll_view import PollView
    from pollstui.session.listing import Row
    from pollstui.session.changes import Outcome
    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.overview import OverviewScreen

#: Actions that change something on the server: greyed and refused in read-only mode.
WRITE_ACTIONS = actions.write_actions("main")

#: Below this many columns the sidebar hides on its own (``b`` brings it back).
SMALL_WIDTH = 80
#: The sidebar's width (with its border) from WIDE_WIDTH columns, and below.
SIDEBAR_WIDE, SIDEBAR_NARROW = 26, 20


#: Seconds between automatic refreshes of the poll list (``w``), doubled while the server fails.
AUTO_REFRESH_INTERVAL = 5.0
#: Seconds during which a second read-only refusal adds no second notification.
REFUSAL_QUIET = 6.0


class MainScreen(Screen[None]):
    """Browse content items and their polls."""

    #: Its name in the action registry (pollstui.tui.actions): its keys, its help.
    ACTION_SCREEN = "main"

    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#poll-table"
    # No breakpoint classes: the width rules are applied in code before the first layout
    # (_fit_width), and a class set on the first Resize would restyle the whole screen.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = []
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = []

    BINDINGS = actions.bindings("main")

    app: PollsApp

    #: The polls on screen, where they came from and when (a new Listing on every change).
    listing: var[Listing] = var(Listing(None), init=False)
    filter_text: var[str] = var("", init=False)
    #: How many rows the filter leaves (the table's rows).
    matches: var[int] = var(0, init=False)
    #: Show counts of polls that hide them from voters (``h``).
    show_numbers: var[bool] = var(False, init=False)
    #: A load that the user asked for is in flight (auto-refresh loads quietly).
    busy: var[bool] = var(False, init=False)
    #: Seconds the client waits before it retries, as the server asked (Retry-After); 0: none.
    waiting: var[float] = var(0.0, init=False)
    #: The status line's note on auto-refresh: "", "auto", "auto, retry in 20 s".
    auto_note: var[str] = var("", init=False)

    def __init__(self) -> None:
        super().__init__()
        self._keep: str | None = None  # the poll to highlight when the next listing arrives
        self._load_token: object = None  # the newest load; older ones apply nothing
        self.auto_refresher = AutoRefresher(self, self._quiet_reload_ready, partial(self.reload, quiet=True))
        self._changing = False  # a delete, undo or duplicate is running
        self._refused_at = -REFUSAL_QUIET  # when read-only mode last explained itself
        self._sidebar_choice: bool | None = None  # None: shown from SMALL_WIDTH columns up
        self._wait_timer: Timer | None = None
        self._overview: OverviewScreen | None = None  # All items, once opened: kept for the session

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ConnectionHeader(self.app.session.connection, read_only=self.app.session.read_only, id="header")
        with Horizontal(id="main-body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="polls-pane"):
                with Horizontal(id="status-bar"):
                    yield StatusLine(id="status").data_bind(
                        MainScreen.listing, MainScreen.filter_text, MainScreen.matches, MainScreen.busy,
                        MainScreen.waiting, MainScreen.auto_note,
                    )  # fmt: skip
                    yield LoadingIndicator(id="status-spinner")
                yield FilterBox("Filter polls: type to narrow · enter keeps · esc clears", list_selector="#poll-table",
                                id="filter")  # fmt: skip
                yield PollTable(id="poll-table")
                yield Static("", id="empty-message", markup=False)
                yield PollDetail(id="detail")
        wide = self.app.size.width >= WIDE_WIDTH  # as _fit_width will say: the keys are made once
        yield FittingFooter(compact=not wide, show_command_palette=wide)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width(event.size.width)

    def _fit_width(self, width: int) -> None:
        """What follows the terminal's width: the footer and the sidebar. Also set on mount: the
        main screen is laid out once before its first Resize."""
        self.query_one(FittingFooter).follow_width(width)
        # The sidebar follows the width until the user says otherwise with b.
        sidebar = self.sidebar
        sidebar.display = self._sidebar_choice if self._sidebar_choice is not None else width >= SMALL_WIDTH
        sidebar.styles.width = SIDEBAR_WIDE if width >= WIDE_WIDTH else SIDEBAR_NARROW

    @property
    def table(self) -> PollTable:
        return self.query_one(PollTable)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def detail(self) -> PollDetail:
        return self.query_one(PollDetail)

    @property
    def ref(self) -> ContentRef | None:
        """The content item on screen."""
        return self.listing.ref

    @property
    def polls(self) -> list[PollView]:
        """The readable polls on screen."""
        return self.listing.polls

    def on_mount(self) -> None:
        self._fit_width(self.app.size.width)
        self._spin(False)
        refs, start = self.app.session.start_refs()
        self.sidebar.set_refs(refs, current=start, pinned=self.pinned_refs())
        profile = self.app.session.profile
        if profile is not None and profile.sort:
            self.table.set_sort(profile.sort)
        self.table.focus()
        if start is not None:
            self.open_content(start)
        else:
            self._show_rows()

    def on_screen_resume(self) -> None:
        """Back from present mode (or a dialog): show a newer list of the same content item that
        the session received meanwhile (present mode's refreshes), without asking the server."""
        ref, current = self.ref, self.listing
        latest = self.app.session.latest(ref) if ref is not None else None
        newer = (
            latest is not None and latest is not current and current.source.has_data and latest.fetched_at is not None
            and (current.fetched_at is None or latest.fetched_at > current.fetched_at)
        )  # fmt: skip
        if newer:
            self.listing = latest  # (its watcher looks at the drafts too)
        else:
            self._check_drafts()  # the editor may have left (or removed) a draft: one look at the folder

    def known_refs(self) -> list[ContentRef]:
        """Every content item in the sidebar (the command palette offers them)."""
        return self.sidebar.refs

    # --- loading -----------------------------------------------------------------------------

    def open_content(self, ref: ContentRef, *, highlight_id: str | None = None) -> None:
        """Show the polls of ``ref``: cached ones at once, then the server's (the server's at once
        when the request sent at start has its answer in already)."""
        if self.ref is not None and self.ref.key == ref.key and self.listing.source.has_data:
            self.reload(highlight_id=highlight_id)  # already on screen: just refresh, no flash
            return
        if ref.key not in {r.key for r in self.sidebar.refs}:
            self.sidebar.add_ref(ref, move_cursor=False)
        self.sidebar.mark_current(ref)
        self.remember(ref)
        self._keep = highlight_id
        ready = self.app.session.prefetched(ref)  # the first request's answer, when it is in already
        if ready is not None:
            self.listing = ready
            return
        self.listing = Listing(ref, source=Source.LOADING)
        self._load(ref, use_cache=True)

    def reload(self, *, highlight_id: str | None = None, quiet: bool = False) -> None:
        """Ask the server for the current content item's polls again, keeping what is on screen
        meanwhile. ``quiet`` (auto-refresh): no spinner, and a failure told once in a row."""
        ref = self.ref
        if ref is None:
            return
        self._keep = highlight_id if highlight_id is not None else self.table.current_poll_id
        if not self.listing.source.has_data:
            self.listing = Listing(ref, source=Source.LOADING)
        self._load(ref, use_cache=False, quiet=quiet)

    def _quiet_reload_ready(self) -> bool:
        return self.ref is not None and not self.busy and self.listing.source is not Source.LOADING

    def _current(self, token: object, ref: ContentRef) -> bool:
        return token is self._load_token and self.ref is not None and self.ref.key == ref.key

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self, ref: ContentRef, *, use_cache: bool, quiet: bool = False) -> None:
        session = self.app.session
        token = self._load_token = object()
        self.busy = not quiet
        succeeded: bool | None = None  # None: cancelled (escape, a newer load)
        try:
            if use_cache:
                cached = await session.cached(ref)
                if cached is not None and self._current(token, ref):
                    self.listing = cached
            listing = await session.load(ref, previous=self.listing)
            if not self._current(token, ref):
                return  # a newer load owns the screen now
            self.listing = listing
            succeeded = listing.error is None
            told_already = quiet and self.auto_refresher.retrying
            if listing.error is not None and not told_already:
                self.app.report_error(listing.error)
        finally:
            if token is self._load_token:
                self.busy = False
                self.waiting = 0.0
            if quiet:
                self.auto_refresher.done(succeeded)

    def show_wait(self, seconds: float) -> None:
        """The client waits ``seconds`` before it tries again (a Retry-After): say so until then."""
        if seconds < 1:
            return  # a short back-off is not worth a word
        self.waiting = seconds
        if self._wait_timer is not None:
            self._wait_timer.stop()
        self._wait_timer = self.set_timer(seconds, self._wait_over)

    def _wait_over(self) -> None:
        self._wait_timer = None
        self.waiting = 0.0

    def _stop_load(self) -> None:
        """Cancel the load in flight: its answer lands nowhere, and nothing says it is under way."""
        self.workers.cancel_group(self, "load")
        self._load_token = None
        self.busy = False
        self.waiting = 0.0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker(event.worker)  # worker events do not bubble: bugs are told, not lost

    def action_escape(self) -> None:
        """Cancel the load in flight (what is on screen stays); else clear the filter."""
        if not self.busy:
            if self.query_one(FilterBox).clear():
                self.filter_text = ""  # now, not when the box's Changed arrives
            return
        self._stop_load()
        if not self.listing.source.has_data:
            self.listing = Listing(self.ref, source=Source.FAILED)
        self.notify("Loading cancelled: what is on screen stays. r loads again.", timeout=4)

    # --- drawing (watchers: the view follows the state) --------------------------------------

    def watch_listing(self, listing: Listing) -> None:
        self._show_rows()
        # A refused token is a lasting state, not only a toast that fades: the header says so
        # until a load of this content item succeeds.
        self.query_one(ConnectionHeader).set_refused(isinstance(listing.error, NotPermittedError))
        self._check_drafts()

    def watch_filter_text(self) -> None:
        self._show_rows()

    def watch_show_numbers(self, show: bool) -> None:
        self._show_rows()
        self.detail.show_poll(self.table.current_item, show_numbers=show)

    def watch_busy(self) -> None:
        self._show_spinner()
        self.refresh_bindings()  # escape cancels while a load is in flight

    def _show_spinner(self) -> None:
        """The spinner turns while a load is in flight or the list is still blank."""
        self._spin(self.busy or self.listing.source is Source.LOADING)

    def _spin(self, on: bool) -> None:
        """Show or hide the spinner; hidden, it stops redrawing itself (a LoadingIndicator refreshes
        16 times a second even when not displayed)."""
        spinner = self.query_one("#status-spinner", LoadingIndicator)
        spinner.display = on
        spinner.auto_refresh = 1 / 16 if on else None

    def _show_rows(self) -> None:
        listing = self.listing
        visible = listing.matching(self.filter_text)
        self.matches = len(visible)
        # The poll to highlight waits for a listing that has rows (not the blank one of a load).
        keep, self._keep = (self._keep, None) if listing.source.has_data else (None, self._keep)
        table = self.table
        table.show_polls(visible, highlight_id=keep, show_numbers=self.show_numbers)
        if not table.size.width:  # before the first layout: the detail in the same frame as the rows
            self.detail.show_poll(table.current_item, show_numbers=self.show_numbers)
        loading_blank = listing.source is Source.LOADING
        table.loading = loading_blank
        table.set_class(loading_blank, "-loading")
        message = sanitize(self._empty_message(bool(visible)))
        empty = self.query_one("#empty-message", Static)
        if empty.content != message:  # most redraws keep the message: no new layout for it
            empty.update(message)
        empty.display = bool(message)
        self.detail.display = bool(visible)
        self._show_spinner()

    def _empty_message(self, any_visible: bool) -> str:
        listing = self.listing
        ref = listing.ref
        if any_visible or listing.source is Source.LOADING:
            return ""
        if ref is None:
            return "No content item yet. Press a to add one: a Jira issue key, a Confluence page, or a pasted URL."
        if listing.source is Source.FAILED:
            if listing.error is None:
                return f"Loading the polls of {ref.label} was cancelled. Press r to try again."
            return f"Could not load the polls of {ref.label}. Press r to try again."
        if listing.rows():
            return f"No poll matches “{self.filter_text.strip()}”. Press esc to clear the filter."
        if self.app.session.read_only:
            return f"No polls on {ref.label}."
        return f"No polls on {ref.label} yet. Press n to create one."

    @on(PollTable.PollHighlighted)
    def _show_detail(self, event: PollTable.PollHighlighted) -> None:
        self.detail.show_poll(event.poll, show_numbers=self.show_numbers)

    @on(PollTable.PollChosen)
    def _edit_chosen(self, event: PollTable.PollChosen) -> None:
        if not self._refuse_write():
            self.action_edit_poll()

    @on(Sidebar.ContentSelected)
    def _content_selected(self, event: Sidebar.ContentSelected) -> None:
        self.open_content(event.ref)

    @on(Sidebar.OverviewChosen)
    async def _overview_chosen(self, event: Sidebar.OverviewChosen) -> None:
        await self.action_overview()

    # --- read-only ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS and self.app.session.read_only:
            return None  # greyed in the footer, and no key or run_action runs it …
        if action == "escape":
            boxes = self.query(FilterBox)
            return self.busy or bool(self.filter_text) or bool(boxes and boxes.first().active)
        if action == "filter" and isinstance(self.focused, Input):
            return False  # `/` is typed into the field
        return True

    def on_key(self, event: events.Key) -> None:
        """… except this explanation, so a key press in read-only mode is never silently lost."""
        if not self.app.session.read_only or isinstance(self.focused, Input):
            return
        active = self.active_bindings.get(event.key)  # with the user's [keys] applied
        if active is not None and active.binding.action in WRITE_ACTIONS:
            event.stop()
            event.prevent_default()
            self._refuse_write()

    def _refuse_write(self) -> bool:
        """In read-only mode: explain once (not once per key press) and refuse."""
        if not self.app.session.read_only:
            return False
        now = time.monotonic()
        if now - self._refused_at >= REFUSAL_QUIET:
            self._refused_at = now
            self.notify(actions.READ_ONLY_REASON, title="Read-only", severity="warning", timeout=REFUSAL_QUIET)
        return True

    # --- actions: view -----------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.ref is None:
            self.notify("No content item to refresh: add one with a.", severity="warning")
            return
        self.reload()

    def action_filter(self) -> None:
        self.query_one(FilterBox).open()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    def action_toggle_numbers(self) -> None:
        self.show_numbers = not self.show_numbers
        if self.show_numbers:
            self.notify("Showing vote counts, also for polls that hide them from voters (h hides them again).")
        else:
            self.notify("Hiding vote counts of polls that hide them from voters.")

    def action_toggle_sidebar(self) -> None:
        sidebar = self.sidebar
        sidebar.display = self._sidebar_choice = not sidebar.display
        if not sidebar.display and (self.focused is None or self.focused is sidebar):
            self.table.focus()

    def action_toggle_auto_refresh(self) -> None:
        if self.auto_refresher.toggle(AUTO_REFRESH_INTERVAL):
            self.notify(f"Auto-refresh on: every {seconds_text(AUTO_REFRESH_INTERVAL)}, less often while "
                        "the server fails. w turns it off.")  # fmt: skip
        else:
            self.notify("Auto-refresh off.")

    # --- which poll ----------------------------------------------------------------------------

    def _current_item(self) -> Row | None:
        """The highlighted row: a poll (the read model) or an item pollstui cannot read."""
        item = self.table.current_item
        if item is None:
            self.notify("No poll is highlighted.", severity="warning")
        return item

    def _current_view(self, doing: str) -> PollView | None:
        """The highlighted poll; None (and why) when there is none or it cannot be read."""
        item = self._current_item()
        if is_unreadable(item):
            self.notify(f"pollstui cannot read this poll, so it cannot be {doing}: d deletes it.", severity="warning")
            return None
        return item

    def _current_poll(self, doing: str) -> Poll | None:
        """The write model of the highlighted poll, to edit or send; None (and why) when there is none."""
        view = self._current_view(doing)
        try:
            return None if view is None else view.model()
        except ValueError:  # pydantic's ValidationError: the models refuse what the list read (a test says they agree)
            self.notify("pollstui cannot read this poll: refresh the list (r).", severity="warning")
            return None

    # --- the editor ----------------------------------------------------------------------------

    def action_new_poll(self) -> None:
        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        from pollstui.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.ref, None), partial(self._after_edit, self.ref))

    def action_edit_poll(self) -> None:
        poll = self._current_poll("edited")
        if poll is None or self.ref is None:
            return
        from pollstui.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.ref, poll), partial(self._after_edit, self.ref))

    def action_edit_json(self) -> None:
        poll = self._current_poll("edited")
        if poll is not None and self.ref is not None and self._not_changing():
            self._edit_json(self.ref, poll)

    @work(group="change", exit_on_error=False)
    async def _edit_json(self, ref: ContentRef, poll: Poll) -> None:
        """E: the poll's JSON in $EDITOR (see pollstui.tui.external_editor)."""
        from pollstui.tui.external_editor import edit_as_json

        try:
            shown = await edit_as_json(self.app, ref, poll.clone())
        except PollsError as error:
            self.app.report_error(error)
            return
        finally:
            self._changing = False
        self._after_edit(ref, shown)

    def _after_edit(self, ref: ContentRef, poll: Poll | None) -> None:
        if poll is not None and self.ref is not None and self.ref.key == ref.key:
            self.reload(highlight_id=poll.id)

    def _check_drafts(self) -> None:
        if self.ref is not None and self.listing.source.has_data:
            self._mark_drafts(self.ref, {p.id for p in self.listing.polls if p.id})

    @work(exclusive=True, group="drafts", exit_on_error=False)
    async def _mark_drafts(self, ref: ContentRef, poll_ids: set[str]) -> None:
        """Mark the polls that have an unsaved draft (the files are looked at in a thread)."""
        try:
            drafted = await self.app.session.drafted(ref, poll_ids)
        except OSError:
            return  # no marks is no harm: the editor still offers the draft
        if self.ref is not None and self.ref.key == ref.key:
            self.table.set_drafted(frozenset(drafted))

    # --- delete, undo, duplicate ---------------------------------------------------------------

    def _not_changing(self) -> bool:
        """Claim the one change at a time, here on the UI loop (a second key press, even in the same
        burst, finds it taken); the worker that runs the change releases it."""
        if self._changing:
            self.notify("Still busy with the last change; try again in a moment.", severity="warning")
            return False
        self._changing = True
        return True

    def action_delete_poll(self) -> None:
        item = self._current_item()
        if item is not None and self.ref is not None and self._not_changing():
            from pollstui.tui.ask import ModalAsk  # the dialogs load when first needed, not at start

            self._change(partial(self.app.session.delete, self.ref, item, ModalAsk(self.app)))

    def action_undo(self) -> None:
        if self._not_changing():
            from pollstui.tui.ask import ModalAsk

            self._change(partial(self.app.session.undo, ModalAsk(self.app)))

    def action_toggle_voting(self) -> None:
        """``C``: close voting on the highlighted poll (asks first), or reopen it (until when?)."""
        poll = self._current_view("closed or reopened")
        if poll is not None and self.ref is not None and self._not_changing():
            self._toggle_voting(self.ref, poll)

    @work(group="change", exit_on_error=False)
    async def _toggle_voting(self, ref: ContentRef, poll: PollView) -> None:
        from pollstui.tui.keymap import shown_key
        from pollstui.tui.voting import toggle_voting

        try:
            result = await toggle_voting(self.app, ref, poll, ask_first=True, undo_key=shown_key(self.app, "undo"))
        finally:
            self._changing = False
        if result is None:
            return
        self.notify(result.message, severity=result.severity, timeout=8, markup=False)  # type: ignore[arg-type]
        if result.done and self.ref is not None and self.ref.key == ref.key:
            self.reload(highlight_id=poll.id)

    def action_duplicate_poll(self) -> None:
        poll = self._current_poll("duplicated")
        if poll is not None and self.ref is not None and self._not_changing():
            self._duplicate(self.ref, poll)

    @work(group="change", exit_on_error=False)
    async def _duplicate(self, ref: ContentRef, poll: Poll) -> None:
        from pollstui.tui.screens.duplicate import DuplicateScreen

        try:
            target = await self.app.push_screen_wait(DuplicateScreen(poll.title, ref, self.app.session.endpoint))
        except BaseException:
            self._changing = False
            raise
        if target is None:
            self._changing = False
        else:
            self._change(partial(self.app.session.duplicate, ref, poll.clone(), target))  # keeps the claim

    @work(group="change", exit_on_error=False)
    async def _change(self, operation: Callable[[], Awaitable[Outcome]]) -> None:
        """Run a session operation (it asks through modals), say what it did, show the result."""
        try:
            outcome: Outcome = await operation()
        finally:
            self._changing = False
        changed = outcome.ref
        here = changed is not None and self.ref is not None and self.ref.key == changed.key
        if outcome.message or outcome.error is not None:
            from pollstui.tui.keymap import shown_key

            told = self._told(outcome, here, shown_key(self.app, "undo"))
            self.notify(told, title=outcome.title, severity=outcome.severity,  # type: ignore[arg-type]
                        timeout=10 if outcome.error else 8, markup=False)  # fmt: skip
        maybe = outcome.error is not None and outcome.error.maybe_done  # "Maybe deleted": show the list as it is now
        if not (outcome.done or maybe) or changed is None:
            return
        if here:
            self.reload(highlight_id=outcome.poll.id if outcome.poll is not None else None)
        elif self.app.session.connection is None or changed.product == self.app.session.connection.product:
            self.sidebar.add_ref(changed, move_cursor=False)
            self.remember(changed)
            if self.ref is not None:
                self.remember(self.ref)  # the item on screen stays the most recent

    @staticmethod
    def _told(outcome: Outcome, here: bool, undo_key: str) -> str:
        """The outcome's words; for a change that may have been made, how to check (the list on
        screen is loaded again by _change; another content item's is in the sidebar); for one
        that can be undone, the key the user has for undo."""
        told = outcome.message
        if not told and outcome.error is not None:  # a plain failure: the error's words
            told = str(outcome.error) if outcome.check_before else errors.told(outcome.error)
        if outcome.check_before:
            if here:
                check = "The list is loaded again: check it"
            else:
                check = f"Open {outcome.ref.label} to check" if outcome.ref is not None else "Refresh the list to check"
            told += f" {check} before {outcome.check_before}."
        return f"{told} Press {undo_key} to undo." if outcome.undoable else told

    # --- copying -------------------------------------------------------------------------------

    def action_copy_json(self) -> None:
        item = self._current_item()
        if item is None:
            return
        if is_unreadable(item):
            data = item.raw
        elif (poll := self._current_poll("copied")) is not None:
            data = poll.to_api()
        else:
            return
        title = raw_title(data) or item.id or "the poll"
        text = json_text(data)  # the same JSON value; what could drive a terminal as \u escapes
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the JSON of “{title}” ({len(text.splitlines())} lines).", markup=False)

    def action_copy_curl(self) -> None:
        item = self._current_item()
        if item is None or self.ref is None or self.app.session.connection is None:
            return
        from pollstui.session.copies import curl_command

        url = self.app.session.client.url(self.ref, item.id or None, expand_results=True)
        self.app.copy_to_clipboard(curl_command(url))
        self.notify("Copied a curl command; it reads the token from $POLLS_TOKEN.", markup=False)

    # --- present mode --------------------------------------------------------------------------

    def action_present(self) -> None:
        poll = self._current_view("presented")
        if poll is None or self.ref is None:
            return
        from pollstui.tui.screens.present import PresentScreen

        self.app.push_screen(PresentScreen(self.ref, self.listing.polls, poll.id), self._after_present)

    def _after_present(self, poll_id: str | None) -> None:
        if poll_id and poll_id != self.table.current_poll_id:
            self.table.highlight(poll_id)  # the rows are the same: only the cursor moves

    # --- content items -------------------------------------------------------------------------

    def action_open_in_browser(self) -> None:
        from pollstui.tui.browse import open_item

        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        open_item(self.app, self.ref)

    def action_cycle_sort(self) -> None:
        self._sort(next_sort(self.table.sort), "s for the next order")

    @on(PollTable.HeaderClicked)
    def _header_clicked(self, event: PollTable.HeaderClicked) -> None:
        self._sort(clicked_sort(self.table.sort, event.column), "click again to reverse")

    def _sort(self, order: str, hint: str) -> None:
        self.table.set_sort(order)
        self.notify(f"Sorted by {sort_name(order)}; {hint}.", timeout=3)
        self.app.keep_in_profiles(partial(self.app.session.remember_sort, order))

    async def action_overview(self) -> None:
        """All items: every poll on the pinned items, in one table. The screen is made once and
        kept (installed) for the session: shown again, it has its order, filter and last rows."""
        from pollstui.tui.screens.overview import OverviewScreen

        screen = self._overview
        if screen is None:
            screen = self._overview = OverviewScreen()
            self.app.install_screen(screen, f"overview-{id(self)}")
        elif screen in self.app.screen_stack:
            return
        await screen.open(self.pinned_refs())  # the requests leave first, then the screen is drawn
        self.app.push_screen(screen)

    def on_unmount(self) -> None:
        """Replaced (another connection): its All items goes with it."""
        screen, self._overview = self._overview, None
        if screen is not None and screen not in self.app.screen_stack:
            self.app.uninstall_screen(screen)
            screen.remove()

    def pinned_refs(self) -> list[ContentRef]:
        """The profile's pinned items of this connection's product, in their order."""
        profile, connection = self.app.session.profile, self.app.session.connection
        if profile is None or connection is None:
            return []
        return [ref for ref in profile.pinned if ref.product == connection.product]

    def action_add_content(self) -> None:
        from pollstui.tui.screens.add_content import AddContentScreen

        connection = self.app.session.connection
        if connection is not None:
            self.app.push_screen(AddContentScreen(connection.product, connection.endpoint), self._content_added)

    def _content_added(self, refs: list[ContentRef] | None) -> None:
        """Pin what the add dialog gave (one item or several), list them, and open the first."""
        if not refs:
            return
        for ref in refs:
            self.sidebar.add_ref(ref, move_cursor=False, pinned=True)
        self.app.keep_in_profiles(partial(self.app.session.pin, refs))
        self.open_content(refs[0])
        if len(refs) > 1:
            self.notify(f"Pinned {len(refs)} items: g shows every poll on them.", timeout=5)
        self.table.focus()

    def action_remove_content(self) -> None:
        sidebar = self.sidebar
        ref = sidebar.highlighted_ref if self.focused is sidebar else self.ref
        if ref is None:
            ref = sidebar.highlighted_ref
        if ref is None:
            self.notify("Put the cursor on a content item (not a workspace) to remove it.", severity="warning")
            return
        was_current = self.ref is not None and self.ref.key == ref.key
        sidebar.remove_ref(ref)
        self.app.keep_in_profiles(partial(self.app.session.forget, ref))
        self.notify(f"Removed {ref.label} from the list. Its polls are untouched.", markup=False)
        if was_current:
            remaining = sidebar.refs
            if remaining:
                self.open_content(remaining[0])
            else:  # no content item left
                self._stop_load()
                self.listing = Listing(None)

    def remember(self, ref: ContentRef) -> None:
        """Put ``ref`` first in the profile's recent items."""
        self.app.keep_in_profiles(partial(self.app.session.remember, ref))
