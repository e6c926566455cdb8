"""Present mode: one poll's results, full screen, made to be read from the back of a room.

``p`` on the main screen opens it on the highlighted poll. The title in a band at the top, then
the total and the time left, then one wide bar per option (:class:`LiveBars`: eighth-block
precision, moving smoothly to new values), and a quiet status line at the bottom.

Refreshing: the polls of the content item are fetched again every ``interval`` seconds (2 by
default; ``+`` and ``-`` step through :data:`pollstui.tui.refresh.INTERVAL_STEPS`). The next
fetch is planned only when the last one has finished, so a slow server never gets a pile of
requests. When a fetch fails the last good results stay on screen, the status line says so and
when it retries, and the wait doubles after each failure in a row up to a cap (one success
resets it). No toasts: the room should not see error pop-ups.

One list request per refresh serves ``←``/``→`` as well: they move through the content item's
polls as last fetched. Counts (and the total) are not shown for a poll that hides absolute
numbers, whatever the main screen's ``h`` says: the audience is not the poll's owner.

Voting: ``C`` closes voting on the poll shown, at once (no question: the facilitator is in front
of a room), or, when it is closed, asks until when to reopen it (:mod:`pollstui.session.voting`);
``u`` undoes the app's last change, as on the main screen. Once the poll has ended (its end date
passed with ``closePollOnEndDate``: the polls app takes no more votes, README "What we assume")
the title band says "Voting closed" over the final bars, one last refresh fetches the final
counts, and then present mode checks only every :data:`CLOSED_INTERVAL` seconds.

Drawn only when something changes, for an hour on a projector: a refresh whose answer is the
last one's, byte for byte, is not read again (:meth:`Session.load` hands back the same polls); one
whose results did not change draws nothing (every line is compared with what is shown); a refresh
on time leaves the status line as it is; the clock lines (time left, "updated 3 s ago") redraw
at most once a second, and the bars glide at a projector's frame rate (:class:`LiveBars`).

``clock`` (monotonic seconds) and ``now`` (an aware datetime) are injectable, so "updated 3 s
ago" and "2 days left" are deterministic in tests and screenshots.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from pollstui.tui import actions
from pollstui.dates import time_left
from pollstui.session.voting import voting_state
from pollstui.api.errors import PollsError
from pollstui.text import one_line, plural, sanitize, seconds_text, votes
from pollstui.tui.errors import short
from pollstui.tui.refresh import RefreshSchedule
from pollstui.tui.widgets.footer import FittingFooter
from pollstui.tui.widgets.live_bars import LiveBars
from pollstui.tui.widgets.poll_detail import bar_rows
from pollstui.tui.widgets.qr_code import QRCode

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.poll_view import PollView
    from pollstui.tui.app import PollsApp

log = logging.getLogger("pollstui.tui.present")

#: What the QR panel says when there is no site URL to link to.
NO_SITE_QR = (
    "Scan to vote needs the site URL of these polls (e.g. https://acme.atlassian.net): press v "
    "again to give it, or add it with `pollstui profile add … --site URL`."
)

#: Seconds between refreshes when present mode opens.
DEFAULT_INTERVAL = 2.0

#: Seconds the status line keeps saying what a close, reopen or undo did.
SAID_SECONDS = 8.0

#: Seconds between refreshes once voting has closed: the results are final, unless someone reopens it.
CLOSED_INTERVAL = 60.0

def ago_text(seconds: float) -> str:
    """``"just now"``, ``"3 s ago"``, ``"2 min ago"``."""
    seconds = max(0, int(seconds))
    if seconds < 2:
        return "just now"
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class PresentScreen(Screen[str | None]):
    """Live results of one poll; dismisses with the id of the poll shown last."""

    #: Its name in the action registry (pollstui.tui.actions): its keys, its help.
    ACTION_SCREEN = "present"

    CSS_PATH = "present.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = actions.bindings("present")

    app: PollsApp

    def __init__(
        self,
        ref: ContentRef,
        polls: list[PollView],
        poll_id: str | None,
        *,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.ref = ref
        self.polls: list[PollView] = list(polls)
        self.poll: PollView | None = next((p for p in self.polls if p.id == poll_id), self.polls[0] if self.polls else None)
        self.schedule = RefreshSchedule(interval)
        self.updated_at: float | None = None  # clock() of the last successful fetch
        self.failure: str = ""  # what the last fetch ran into ("" after a success)
        self.missing = False  # the poll shown is no longer in the content item
        self._clock = clock or time.monotonic
        self._now = now or _utc_now
        self._timer: Timer | None = None
        self._due_at: float | None = None
        self._fetching = False
        self._voting_closed = False  # voting on the poll shown was closed when last drawn
        self.said = ""  # what the last close, reopen or undo did, for the status line
        self._said_timer: Timer | None = None
        self._changing = False  # a close, reopen or undo is running
        self._shown: list[PollView] | None = None  # the polls of the last answer shown in full

    @property
    def poll_id(self) -> str | None:
        return self.poll.id if self.poll is not None else None

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="present-body"):
            with Vertical(id="present-head"):
                yield Static("", id="present-title", markup=False)
                yield Static("", id="present-description", markup=False)
                yield Static("", id="present-meta", markup=False)
            with Horizontal(id="present-main"):
                yield LiveBars(id="present-bars")
                yield QRCode(id="present-qr")
            yield Static("", id="present-status", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show(from_zero=True)
        self.set_interval(1.0, self._tick_clock)
        self.fetch()

    @property
    def bars(self) -> LiveBars:
        return self.query_one(LiveBars)

    # --- fetching ----------------------------------------------------------------------------

    def fetch(self) -> None:
        """Fetch now (cancels a pending timer; the next one is planned when this one ends)."""
        self._cancel_timer()
        self._fetching = True
        if self.failure:  # "retrying now…"; else the words do not depend on a fetch under way, and
            self._render_status()  # an age said now ("updated 2 s ago") would flip back at the answer
        self._fetch()

    @work(exclusive=True, group="present", exit_on_error=False)
    async def _fetch(self) -> None:
        try:
            listing = await self.app.session.load(self.ref, cache=False)  # one unreadable poll hides nothing
            if listing.error is not None:
                raise listing.error
            polls = listing.polls
        except Exception as error:  # noqa: BLE001 - every failure keeps the last results on screen
            if not isinstance(error, PollsError):
                log.error("present mode: unexpected error while refreshing", exc_info=error)
            self._failed(error)
        else:
            try:
                self._succeeded(polls)
            except Exception as error:  # noqa: BLE001 - a poll we cannot show must not stop the refreshes
                log.error("present mode: unexpected error while showing the results", exc_info=error)
                self._failed(error)
        self._fetching = False
        self._plan_next()

    def _succeeded(self, polls: list[PollView]) -> None:
        self.schedule.succeeded()
        self.failure = ""
        self.updated_at = self._clock()
        if polls is self._shown:  # the bytes of the last answer shown (Session.load): only the status line
            self._render_status()  # can have changed (a failure before this answer is over)
            return
        self.polls = polls
        current = next((p for p in polls if p.id == self.poll_id), None)
        self.missing = current is None and self.poll is not None
        if current is not None:
            self.poll = current
        elif self.poll is None and polls:
            self.poll = polls[0]
        self._show()
        self._shown = polls

    def _failed(self, error: BaseException) -> None:
        self.schedule.failed()
        self.failure = short(error)
        self._render_status()

    def _plan_next(self) -> None:
        self._cancel_timer()
        delay = self.schedule.delay
        if self._voting_closed and not self.schedule.retrying:  # final results: a slow check for a reopening
            delay = max(delay, CLOSED_INTERVAL)
        self._due_at = self._clock() + delay
        self._timer = self.set_timer(delay, self.fetch, name="present-refresh")
        self._render_status()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._due_at = None

    # --- drawing -----------------------------------------------------------------------------

    def _show(self, *, from_zero: bool = False) -> None:
        poll = self.poll
        self._voting_closed = poll is not None and voting_state(poll).is_closed(self._now())
        self.set_class(self._voting_closed, "-closed")
        if poll is None:
            self._put("#present-title", Text(f"No polls on {one_line(self.ref.label)}"))
            self._put("#present-description", Text(""))
            self.bars.set_rows([], show_counts=False, empty_text="Nothing to show. Press esc to go back.")
        else:
            title = Text(one_line(poll.title) or "(untitled)")
            if self._voting_closed:
                title.append("\nVoting closed", style="reverse")
            self._put("#present-title", title)
            self._put("#present-description", Text(sanitize(poll.description)))
            hidden = poll.settings.hide_absolute_numbers
            empty = "This poll has no options yet."
            self.bars.set_rows(bar_rows(poll), show_counts=not hidden, empty_text=empty, from_zero=from_zero)
        self._render_meta()
        self._render_status()

    def _put(self, selector: str, text: Text, *, layout: bool = True) -> None:
        """Show ``text`` in a line of the screen; the same text as shown draws nothing. ``layout``
        false: the line keeps its height (the clock lines), so only it is redrawn, not the screen laid out."""
        line = self.query_one(selector, Static)
        if line.content != text:
            line.update(text, layout=layout)

    def _render_meta(self) -> None:
        poll = self.poll
        parts: list[str] = []
        if poll is not None:
            view = poll.results_view
            if poll.results is None:
                parts.append("no results from the server")
            elif view is None:
                parts.append("results in a shape pollstui does not know")
            elif poll.settings.hide_absolute_numbers:
                parts.append("percentages only")
            else:
                parts.append(votes(view.total_votes, grouped=True))
                voters = view.total_voters
                if voters is not None and voters != view.total_votes:
                    parts[-1] += f" from {plural(voters, 'voter', grouped=True)}"
            state, now = voting_state(poll), self._now()
            if state.is_closed(now):
                parts.append("closed")
            elif state.ends is not None and state.ends <= now:  # without closePollOnEndDate: votes still count
                parts.append("end date passed · still open")
            else:
                left = time_left(poll.settings.end_date, now)
                if left:
                    parts.append(left)
        self._put("#present-meta", Text(" · ".join(parts)), layout=False)

    def _render_status(self) -> None:
        if not self.is_mounted:
            return
        now = self._clock()
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.said:
            text.append(self.said + " · ", style="bold")
        if self.failure:
            text.append(one_line(self.failure[:1].upper() + self.failure[1:]), style="bold")
            if self._fetching:
                text.append(" · retrying now…")
            elif self._due_at is not None:
                text.append(f" · retrying in {max(0, round(self._due_at - now))} s")
            if self.updated_at is not None:
                text.append(f" · showing results from {ago_text(now - self.updated_at)}")
        elif self.updated_at is None:
            text.append("updating…")
        else:
            text.append(f"updated {ago_text(now - self.updated_at)}")
        if self._voting_closed and not self.failure:
            text.append(f" · voting closed: checking every {seconds_text(CLOSED_INTERVAL)}")
        else:
            text.append(f" · every {seconds_text(self.schedule.interval)} (+/-)")
        if self.missing:
            text.append(f" · no longer on {one_line(self.ref.label)}", style="bold")
        if len(self.polls) > 1 and self.poll is not None and not self.missing:
            index = next((i for i, p in enumerate(self.polls) if p.id == self.poll_id), 0)
            text.append(f" · poll {index + 1} of {len(self.polls)}")
        self._put("#present-status", text, layout=False)

    def _tick_clock(self) -> None:
        """Once a second: the clock lines (each redrawn only when its words change); when the end
        date has just passed, the band says so and one last refresh fetches the final counts."""
        if self.poll is not None and not self._voting_closed and voting_state(self.poll).is_closed(self._now()):
            self._show()
            if not self._fetching:
                self.fetch()
            return
        self._render_meta()
        self._render_status()

    # --- actions -----------------------------------------------------------------------------

    def _move(self, delta: int) -> None:
        if not self.polls:
            return
        ids = [p.id for p in self.polls]
        index = ids.index(self.poll_id) if self.poll_id in ids else 0
        target = min(max(index + delta, 0), len(self.polls) - 1)
        if self.missing or target != index:
            self.poll = self.polls[target]
            self.missing = False
            was_closed = self._voting_closed
            self._show(from_zero=True)
            if was_closed != self._voting_closed and not self._fetching:
                self._plan_next()  # this poll's pace: every 2 s while open, slowly once closed

    def action_previous_poll(self) -> None:
        self._move(-1)

    def action_next_poll(self) -> None:
        self._move(+1)

    def _interval_changed(self) -> None:
        if not self._fetching and not self.schedule.retrying:
            self._plan_next()
        else:
            self._render_status()

    def action_slower(self) -> None:
        self.schedule.slower()
        self._interval_changed()

    def action_faster(self) -> None:
        self.schedule.faster()
        self._interval_changed()

    def action_refresh_now(self) -> None:
        self.fetch()

    def action_toggle_qr(self) -> None:
        """``v``: a QR code of the issue or page beside the bars, so the room votes on their phones."""
        panel = self.query_one(QRCode)
        if panel.display:
            panel.display = False
            return
        from pollstui.site import item_url
        from pollstui.tui.browse import with_site

        def show(data: str, message: str = "") -> None:
            panel.show(data, message, caption="Scan to vote")
            panel.display = True

        with_site(self.app, lambda site: show(item_url(site, self.ref)), otherwise=lambda: show("", NO_SITE_QR))

    def _say(self, text: str) -> None:
        """Put what a close, reopen or undo did on the status line for a while (no toasts here)."""
        if self._said_timer is not None:
            self._said_timer.stop()
        self.said = one_line(text)
        self._said_timer = self.set_timer(SAID_SECONDS, lambda: self._say_nothing())
        self._render_status()

    def _say_nothing(self) -> None:
        self.said = ""
        self._render_status()

    def _claim_change(self) -> bool:
        if self.app.session.read_only:
            self._say("Read-only mode: this session does not change polls")
            return False
        if self._changing:
            return False
        self._changing = True
        return True

    def action_toggle_voting(self) -> None:
        """``C``: close voting on the poll shown, at once; reopen it (until when?) when it is closed."""
        if self.poll is not None and self._claim_change():
            self._toggle_voting(self.poll)

    @work(group="present-change", exit_on_error=False)
    async def _toggle_voting(self, poll: PollView) -> None:
        from pollstui.tui.voting import toggle_voting

        try:
            undo = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.id == "present-undo")
            result = await toggle_voting(self.app, self.ref, poll, ask_first=False, undo_key=self.app.get_key_display(undo))
        finally:
            self._changing = False
        if result is not None:
            self._say(result.message)
            self.fetch()  # the saved poll, with its results

    def action_undo(self) -> None:
        """``u``: undo the app's last change (asks first, as on the main screen: it may be an older one)."""
        if self._claim_change():
            self._undo()

    @work(group="present-change", exit_on_error=False)
    async def _undo(self) -> None:
        from pollstui.tui.ask import ModalAsk

        try:
            outcome = await self.app.session.undo(ModalAsk(self.app))
        finally:
            self._changing = False
        if outcome.message:
            self._say(outcome.message)
        if outcome.done:
            self.fetch()

    def action_toggle_bars_only(self) -> None:
        self.toggle_class("-bars-only")

    def action_back(self) -> None:
        self._cancel_timer()
        self.dismiss(self.poll_id)
