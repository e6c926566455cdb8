"""The main screen: content items (sidebar), their polls (table) and the highlighted poll (detail).

Loading: every request runs in a worker. Selecting a content item first shows its cached polls
(marked "cached") and then the fresh ones; when the server cannot be reached the cached ones stay,
marked "stale · fetched HH:MM". Each load carries a generation number and its content item; a
response that is no longer the newest for the item on screen is dropped, so switching quickly
never shows an older answer over a newer one.

Writes (new, edit, delete, undo, duplicate) open the editor or run the session's operations; in read-only
mode they are hidden from the footer and refused with a notification.
"""

from __future__ import annotations

import gc
import json
import os
import time
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, LoadingIndicator, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from pollstui.api.address import ContentRef
from pollstui.api.errors import PollsError
from pollstui.text import one_line, sanitize
from pollstui.tui import actions
from pollstui.tui.ask import ModalAsk
from pollstui.tui.refresh import RefreshSchedule, seconds_text
from pollstui.tui.widgets.footer import FittingFooter
from pollstui.tui.widgets.header import ConnectionHeader
from pollstui.tui.widgets.poll_detail import PollDetail
from pollstui.tui.widgets.poll_table import SORT_NAMES, PollTable, next_sort
from pollstui.tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from pollstui.api.models import Poll
    from pollstui.session.cache import PollsCache
    from pollstui.session.changes import Outcome
    from pollstui.tui.app import PollsApp

#: Seconds between automatic refreshes of the poll list (``w``), doubled while the server fails.
AUTO_REFRESH_INTERVAL = 5.0

#: Actions that change something on the server: greyed and refused in read-only mode.
WRITE_ACTIONS = actions.write_actions("main")

#: Seconds during which a second read-only refusal adds no second notification.
REFUSAL_QUIET = 6.0

#: Below this many columns the sidebar hides on its own (``b`` brings it back).
SMALL_WIDTH = 80


def matches(poll: Poll, words: list[str]) -> bool:
    """Whether every word occurs (case-insensitively) in the title, description or an option."""
    haystack = " ".join([poll.title, poll.description, *(o.title for o in poll.options)]).casefold()
    return all(word in haystack for word in words)


def status_label(ref: ContentRef) -> str:
    """``PLAT-123``, or ``page 557057 · macro a1b2c3d4…`` (container ids are long)."""
    if ref.product == "jira":
        return ref.label
    container = ref.container if len(ref.container) <= 9 else ref.container[:8] + "…"
    return f"page {ref.content} · macro {container}"


class MainScreen(Screen[None]):
    """Browse content items and their polls."""

    #: Its name in the action registry (pollstui.tui.actions): its keys, its help.
    ACTION_SCREEN = "main"

    _gc_frozen = False

    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#poll-table"
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (SMALL_WIDTH, "-narrow"), (100, "-wide")]

    BINDINGS = actions.bindings("main")

    app: PollsApp

    def __init__(self) -> None:
        super().__init__()
        self.ref: ContentRef | None = None
        self.polls: list[Poll] = []
        self.show_numbers = False
        self.source = "none"  # none | loading | cached | fresh | stale | failed
        self.fetched_at: datetime | None = None
        self.refreshing = False
        self.filter_text = ""
        self._generation = 0
        self._busy = False
        self.auto_refresh: RefreshSchedule | None = None  # set while auto-refresh (w) is on
        self._auto_timer: Any = None
        self._quiet_worker: Worker | None = None
        self._refused_at = -REFUSAL_QUIET
        self._sidebar_choice: bool | None = None  # None: shown from SMALL_WIDTH columns up

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ConnectionHeader(self.app.connection, read_only=self.app.read_only, id="header")
        with Horizontal(id="main-body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="polls-pane"):
                with Horizontal(id="status-bar"):
                    yield Static("", id="status", markup=False)
                    yield LoadingIndicator(id="status-spinner")
                yield Input(placeholder="Filter polls: type to narrow · enter keeps · esc clears", id="filter")
                yield PollTable(id="poll-table")
                yield Static("", id="empty-message", markup=False)
                yield PollDetail(id="detail")
        yield FittingFooter()

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the footer needs the room of "^p palette" (ctrl+p is in the help).
        footer = self.query_one(Footer)
        footer.show_command_palette = event.size.width >= 100
        footer.compact = event.size.width < 100
        # The sidebar follows the width until the user says otherwise with b.
        self.sidebar.display = self._sidebar_choice if self._sidebar_choice is not None else event.size.width >= SMALL_WIDTH

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
    def cache(self) -> PollsCache:
        return self.app.session.cache

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#status-spinner").display = False
        refs = self._initial_refs()
        start = self._start_ref(refs)
        self.sidebar.set_refs(refs, current=start)
        profile = self.app.profile
        if profile is not None and profile.sort:
            self.table.set_sort(profile.sort)
        self.table.focus()
        if start is not None:
            self.open_content(start)
        else:
            self._render_state()

    def _initial_refs(self) -> list[ContentRef]:
        connection = self.app.connection
        refs: list[ContentRef] = []
        profile = self.app.profile
        if profile is not None:
            refs = [r for r in profile.recents if connection is None or r.product == connection.product]
        if connection is not None and connection.ref is not None and all(r.key != connection.ref.key for r in refs):
            refs.insert(0, connection.ref)
        return refs

    def _start_ref(self, refs: list[ContentRef]) -> ContentRef | None:
        connection = self.app.connection
        if connection is not None and connection.ref is not None:
            return connection.ref
        return refs[0] if refs else None

    def known_refs(self) -> list[ContentRef]:
        """Every content item in the sidebar (the command palette offers them)."""
        return self.sidebar.refs

    # --- loading -----------------------------------------------------------------------------

    def open_content(self, ref: ContentRef, *, highlight_id: str | None = None) -> None:
        """Show the polls of ``ref``: cached ones at once, then fresh ones."""
        if self.ref is not None and self.ref.key == ref.key and self.polls:
            self.reload(highlight_id=highlight_id)  # already on screen: just refresh, no flash
            return
        self.ref = ref
        self._generation += 1
        self.polls = []
        self.source = "loading"
        self.fetched_at = None
        self.refreshing = False
        if ref.key not in {r.key for r in self.sidebar.refs}:
            self.sidebar.add_ref(ref, move_cursor=False)
        self.sidebar.mark_current(ref)
        self._remember(ref)
        self._render_state()
        self._load(ref, self._generation, use_cache=True, highlight_id=highlight_id)

    def reload(self, *, highlight_id: str | None = None, quiet: bool = False) -> Worker | None:
        """Fetch the current content item's polls again, keeping what is on screen meanwhile.

        ``quiet`` (auto-refresh) shows no spinner.
        """
        if self.ref is None:
            return None
        self._generation += 1
        self.refreshing = not quiet
        if not self.polls:
            self.source = "loading"
        self._render_state()
        keep = highlight_id if highlight_id is not None else self.table.current_poll_id
        return self._load(self.ref, self._generation, use_cache=False, highlight_id=keep)

    def _is_current(self, ref: ContentRef, generation: int) -> bool:
        return generation == self._generation and self.ref is not None and self.ref.key == ref.key

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self, ref: ContentRef, generation: int, *, use_cache: bool, highlight_id: str | None) -> None:
        from pollstui.api.models import Poll  # pydantic: imported after the first frame

        if use_cache:
            cached = self.cache.load(ref)
            if cached is not None and self._is_current(ref, generation):
                polls = []
                for raw in cached.polls:
                    try:
                        polls.append(Poll.from_api(raw))
                    except ValueError:
                        continue
                self._apply(polls, "cached", cached.fetched_at, highlight_id, refreshing=True)
        # Parsing 1,000 polls makes ~170,000 objects, and the cyclic collector's full passes over
        # them and everything else alive doubled the parse. It is off for the request (bounded by
        # the client's timeouts) and back on right after; reference counting frees as usual.
        collecting = gc.isenabled()
        gc.disable()
        try:
            polls = await self.app.client.list_polls(ref, results=True)
        except Exception:  # PollsError in plain words, or a bug: the app's handler reports either
            if self._is_current(ref, generation):
                self._load_failed()
                raise
            return
        finally:
            if collecting:
                gc.enable()
        if not self._is_current(ref, generation):
            return  # a newer request owns the screen now
        fetched_at = datetime.now(timezone.utc)
        self._apply(polls, "fresh", fetched_at, highlight_id, refreshing=False)
        # Written once the list is painted: for 1,000 polls the cache costs as much as the table.
        self.call_after_refresh(self._save_cache, ref, polls, fetched_at)

    def _save_cache(self, ref: ContentRef, polls: list[Poll], fetched_at: datetime) -> None:
        self.cache.save(ref, [p.to_api(include_results=True) for p in polls], fetched_at)

    def _apply(self, polls: list[Poll], source: str, fetched_at: datetime, highlight_id: str | None, *, refreshing: bool) -> None:
        keep = highlight_id if highlight_id is not None else self.table.current_poll_id
        self.polls = polls
        self.source = source
        self.fetched_at = fetched_at
        self.refreshing = refreshing
        self._render_state(highlight_id=keep)
        if not MainScreen._gc_frozen:
            # Once, after the first list: what is alive now (Textual, the app, the models' code)
            # lives as long as the process, so the collector's full passes need not scan it
            # again; those passes caused 60-90 ms pauses on highlight moves. Only once, so
            # nothing that later becomes garbage is pinned by a freeze during auto-refresh.
            MainScreen._gc_frozen = True
            self.call_after_refresh(gc.freeze)
        if source == "fresh" and os.environ.get("POLLSTUI_EXIT_AFTER_FIRST_LIST") == "1":
            self.call_after_refresh(self.app.exit)  # `make bench`: end once the server's list is drawn

    def _load_failed(self) -> None:
        self.refreshing = False
        self.source = "stale" if self.source in ("cached", "fresh", "stale") else "failed"
        self._render_state()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._quiet_worker and event.state is WorkerState.ERROR:
            return  # auto-refresh failed again: the status bar says so, no toast every time
        self.app.report_worker(event.worker)

    # --- drawing -----------------------------------------------------------------------------

    def visible_polls(self) -> list[Poll]:
        words = self.filter_text.casefold().split()
        return [p for p in self.polls if matches(p, words)] if words else list(self.polls)

    def _render_state(self, *, highlight_id: str | None = None) -> None:
        table, detail = self.table, self.detail
        visible = self.visible_polls()
        loading_blank = self.source == "loading" and not self.polls
        table.show_polls(visible, highlight_id=highlight_id, show_numbers=self.show_numbers)
        table.loading = loading_blank
        table.set_class(loading_blank, "-loading")
        message = self._empty_message(visible)
        empty = self.query_one("#empty-message", Static)
        empty.update(sanitize(message))
        empty.display = bool(message)
        detail.display = bool(visible)
        self.query_one("#status-spinner").display = self.refreshing or self.source == "loading"
        self.query_one("#status", Static).update(self._status_text(len(visible)))

    def _status_text(self, shown: int) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.ref is None:
            text.append("No content item", style="italic")
            return text
        text.append(one_line(status_label(self.ref)), style="bold")
        if self.source == "loading":
            text.append(" · loading…")
            return text
        count = len(self.polls)
        text.append(f" · {plural(count, 'poll')}")
        if self.filter_text.strip():
            text.append(f" · {shown} match “{one_line(self.filter_text)}”")
        when = self.fetched_at.astimezone().strftime("%H:%M") if self.fetched_at else "?"
        if self.source == "cached":
            text.append(" · ")
            text.append(f"cached · fetched {when}", style="reverse")
        elif self.source == "stale":
            text.append(" · ")
            text.append(f"stale · fetched {when}", style="bold reverse")
        elif self.source == "failed":
            text.append(" · ")
            text.append("not loaded", style="bold reverse")
        if self.refreshing:
            text.append(" · refreshing…")
        if self.auto_refresh is not None:
            text.append(" · auto")
            if self.auto_refresh.retrying:
                text.append(f", retry in {seconds_text(self.auto_refresh.delay)}")
        return text

    def _empty_message(self, visible: list[Poll]) -> str:
        if visible or self.source == "loading":
            return ""
        if self.ref is None:
            return "No content item yet. Press a to add one: a Jira issue key, a Confluence page, or a pasted URL."
        if self.source == "failed":
            return f"Could not load the polls of {self.ref.label}. Press r to try again."
        if self.polls:
            return f"No poll matches “{self.filter_text.strip()}”. Press esc to clear the filter."
        if self.app.read_only:
            return f"No polls on {self.ref.label}."
        return f"No polls on {self.ref.label} yet. Press n to create one."

    @on(PollTable.PollHighlighted)
    def _show_detail(self, event: PollTable.PollHighlighted) -> None:
        self.detail.show_poll(event.poll, show_numbers=self.show_numbers)

    @on(PollTable.PollChosen)
    def _edit_chosen(self, event: PollTable.PollChosen) -> None:
        self.action_edit_poll()

    @on(Sidebar.ContentSelected)
    def _content_selected(self, event: Sidebar.ContentSelected) -> None:
        self.open_content(event.ref)

    # --- read-only ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS and self.app.read_only:
            return None  # greyed in the footer, and the key does nothing …
        if action == "clear_filter":
            return self._filtering()
        return True

    def _filtering(self) -> bool:
        boxes = self.query("#filter")
        return bool(self.filter_text) or bool(boxes and boxes.first().display)

    def on_key(self, event: events.Key) -> None:
        """… except this explanation, so a key press in read-only mode is never silently lost."""
        if not self.app.read_only or isinstance(self.focused, Input):
            return
        active = self.active_bindings.get(event.key)  # with the user's [keys] applied
        if active is not None and active.binding.action in WRITE_ACTIONS:
            event.stop()
            event.prevent_default()
            self._refuse_write()

    def _refuse_write(self) -> bool:
        """In read-only mode: explain once (not once per key press) and refuse."""
        if not self.app.read_only:
            return False
        now = time.monotonic()
        if now - self._refused_at >= REFUSAL_QUIET:
            self._refused_at = now
            self.notify(actions.READ_ONLY_REASON, title="Read-only", severity="warning", timeout=REFUSAL_QUIET)
        return True

    # --- actions: polls ----------------------------------------------------------------------

    def _current_poll(self) -> Poll | None:
        poll = self.table.current_poll
        if poll is None:
            self.notify("No poll is highlighted.", severity="warning")
        return poll

    def _editor(self) -> Any:
        try:
            from pollstui.tui.screens.editor import EditorScreen
        except ImportError:
            self.notify("The poll editor is not part of this build yet.", severity="warning")
            return None
        return EditorScreen

    def action_new_poll(self) -> None:
        if self._refuse_write():
            return
        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        editor = self._editor()
        if editor is not None:
            ref = self.ref
            self.app.push_screen(editor(ref, None), partial(self._after_edit, ref))

    def action_edit_poll(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll()
        if poll is None or self.ref is None:
            return
        editor = self._editor()
        if editor is not None:
            ref = self.ref
            self.app.push_screen(editor(ref, poll.clone()), partial(self._after_edit, ref))

    def _after_edit(self, ref: ContentRef, poll: Poll | None) -> None:
        if poll is not None and self.ref is not None and self.ref.key == ref.key:
            self.reload(highlight_id=poll.id)

    def _not_busy(self) -> bool:
        if self._busy:
            self.notify("Still busy with the last change; try again in a moment.", severity="warning")
            return False
        return True

    def action_delete_poll(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll()
        if poll is not None and self.ref is not None and self._not_busy():
            self._run_delete(self.ref, poll)

    def action_undo(self) -> None:
        if self._refuse_write():
            return
        if self._not_busy():
            self._run_undo()

    def action_duplicate_poll(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll()
        if poll is not None and self.ref is not None and self._not_busy():
            self._run_duplicate(self.ref, poll)

    def _tell(self, outcome: Outcome) -> None:
        """Say what an operation did (nothing when the user said no)."""
        if outcome.message:
            self.notify(outcome.message, title=outcome.title, severity=outcome.severity,  # type: ignore[arg-type]
                        timeout=10 if outcome.error else 8, markup=False)  # fmt: skip

    @work(group="flow", exit_on_error=False)
    async def _run_delete(self, ref: ContentRef, poll: Poll) -> None:
        self._busy = True
        try:
            outcome = await self.app.session.delete(ref, poll, ModalAsk(self.app))
        finally:
            self._busy = False
        self._tell(outcome)
        if outcome.done and self.ref is not None and self.ref.key == ref.key:
            self.reload()

    @work(group="flow", exit_on_error=False)
    async def _run_undo(self) -> None:
        self._busy = True
        try:
            outcome = await self.app.session.undo(ModalAsk(self.app))
        finally:
            self._busy = False
        self._tell(outcome)
        changed = outcome.ref
        if outcome.done and changed is not None:
            if self.ref is not None and self.ref.key == changed.key:
                self.reload()
            elif self.app.connection is None or changed.product == self.app.connection.product:
                self.sidebar.add_ref(changed, move_cursor=False)

    @work(group="flow", exit_on_error=False)
    async def _run_duplicate(self, ref: ContentRef, poll: Poll) -> None:
        from pollstui.tui.screens.duplicate import DuplicateScreen

        self._busy = True
        try:
            target = await self.app.push_screen_wait(DuplicateScreen(poll.title, ref, self.app.session.endpoint))
            if target is None:
                return
            outcome = await self.app.session.duplicate(ref, poll.clone(), target)
        finally:
            self._busy = False
        self._tell(outcome)
        if not outcome.done or outcome.poll is None:
            return
        if self.ref is not None and self.ref.key == target.key:
            self.reload(highlight_id=outcome.poll.id)
        else:
            self.sidebar.add_ref(target, move_cursor=False)
            self._remember(target)
            if self.ref is not None:
                self._remember(self.ref)

    # --- actions: copying --------------------------------------------------------------------

    def action_copy_json(self) -> None:
        poll = self._current_poll()
        if poll is None:
            return
        text = json.dumps(poll.to_api(), indent=2, ensure_ascii=False)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the JSON of “{poll.title or poll.id}” ({len(text.splitlines())} lines).", markup=False)

    def action_copy_curl(self) -> None:
        from pollstui.api.address import build_url

        poll = self._current_poll()
        connection = self.app.connection
        if poll is None or self.ref is None or connection is None:
            return
        params = {"type": "polls", **self.ref.query()}
        if poll.id:
            params["pollId"] = poll.id
        params["expand"] = "results"
        url = f"{connection.endpoint}?{urlencode(params)}"
        # curl adds the token itself, URL-encoded, from the shell variable: the token is never
        # in the copied text, and one with + / = & # or % in it still arrives intact.
        command = f'curl -sS -G --data-urlencode "token=$POLLS_TOKEN" "{url}"'
        self.app.copy_to_clipboard(command)
        self.notify("Copied a curl command; it reads the token from $POLLS_TOKEN.", markup=False)

    # --- actions: view -----------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.ref is None:
            self.notify("No content item to refresh: add one with a.", severity="warning")
            return
        self.reload()

    def action_toggle_auto_refresh(self) -> None:
        if self.auto_refresh is None:
            self.auto_refresh = RefreshSchedule(AUTO_REFRESH_INTERVAL)
            self._plan_auto_refresh()
            self.notify(f"Auto-refresh on: every {seconds_text(AUTO_REFRESH_INTERVAL)}, less often while "
                        "the server fails. w turns it off.")
        else:
            self.auto_refresh = None
            self._plan_auto_refresh()
            self.notify("Auto-refresh off.")
        self._render_state()

    def _plan_auto_refresh(self) -> None:
        if self._auto_timer is not None:
            self._auto_timer.stop()
            self._auto_timer = None
        if self.auto_refresh is not None:
            self._auto_timer = self.set_timer(self.auto_refresh.delay, self._auto_refresh_due)

    def _auto_refresh_due(self) -> None:
        if self.auto_refresh is None:
            return
        if not self.is_active or self.ref is None or self.refreshing or self.source == "loading":
            self._plan_auto_refresh()  # covered (present mode, a dialog) or already loading: next time
            return
        self._auto_refresh_run(self.auto_refresh)

    @work(group="auto-refresh", exit_on_error=False)
    async def _auto_refresh_run(self, schedule: RefreshSchedule) -> None:
        worker = self.reload(quiet=True)
        self._quiet_worker = worker if schedule.retrying else None  # only the first failure in a row is told
        try:
            if worker is not None:
                await worker.wait()
        except WorkerFailed:
            schedule.failed()
        except WorkerCancelled:
            pass  # a newer load (r, another content item) took over
        else:
            schedule.succeeded()
        if schedule is self.auto_refresh:
            self.query_one("#status", Static).update(self._status_text(len(self.visible_polls())))
            self._plan_auto_refresh()

    def action_present(self) -> None:
        poll = self._current_poll()
        if poll is None or self.ref is None:
            return
        from pollstui.tui.screens.present import PresentScreen

        self.app.push_screen(PresentScreen(self.ref, self.polls, poll.id), self._after_present)

    def _after_present(self, poll_id: str | None) -> None:
        if poll_id and any(p.id == poll_id for p in self.visible_polls()):
            self._render_state(highlight_id=poll_id)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._render_state()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.table.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.display and not self.filter_text:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._render_state()
        self.table.focus()
        self.refresh_bindings()

    def action_toggle_numbers(self) -> None:
        self.show_numbers = not self.show_numbers
        self._render_state()
        self.detail.show_poll(self.table.current_poll, show_numbers=self.show_numbers)
        if self.show_numbers:
            self.notify("Showing vote counts, also for polls that hide them from voters (h hides them again).")
        else:
            self.notify("Hiding vote counts of polls that hide them from voters.")

    def action_open_in_browser(self) -> None:
        from pollstui.tui.browse import open_item

        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        open_item(self.app, self.ref)

    def action_cycle_sort(self) -> None:
        order = next_sort(self.table.sort)
        self.table.set_sort(order)
        self.notify(f"Sorted by {SORT_NAMES[order]}; s for the next order.", timeout=3)
        name = self.app.connection.profile_name if self.app.connection else None
        if name:
            try:
                self.app.profile_store.remember(name, sort=order)
            except PollsError as error:
                self.app.report_error(error)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.sidebar
        sidebar.display = self._sidebar_choice = not sidebar.display
        if not sidebar.display and (self.focused is None or self.focused is sidebar):
            self.table.focus()

    # --- actions: content items --------------------------------------------------------------

    def action_add_content(self) -> None:
        from pollstui.tui.screens.add_content import AddContentScreen

        connection = self.app.connection
        if connection is None:
            return
        self.app.push_screen(AddContentScreen(connection.product, connection.endpoint), self._content_added)

    def _content_added(self, ref: ContentRef | None) -> None:
        if ref is None:
            return
        self.sidebar.add_ref(ref)
        self.open_content(ref)
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
        self._forget(ref)
        self.notify(f"Removed {ref.label} from the list. Its polls are untouched.", markup=False)
        if was_current:
            remaining = sidebar.refs
            if remaining:
                self.open_content(remaining[0])
            else:
                self.ref = None
                self.polls = []
                self.source = "none"
                self._generation += 1
                self._render_state()

    # --- the profile's recents ---------------------------------------------------------------

    def _remember(self, ref: ContentRef) -> None:
        name = self.app.connection.profile_name if self.app.connection else None
        if not name:
            return
        try:
            self.app.profile_store.touch_recent(name, ref)
        except PollsError as error:
            self.app.report_error(error)

    def _forget(self, ref: ContentRef) -> None:
        name = self.app.connection.profile_name if self.app.connection else None
        if not name:
            return
        try:
            self.app.profile_store.remove_recent(name, ref)
        except PollsError as error:
            self.app.report_error(error)
