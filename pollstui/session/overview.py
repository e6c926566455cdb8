"""An overview: the polls of many content items, read with a bounded number of requests in flight.

The Polls API lists the polls of one content item per GET; an overview sends that GET once per
item through the session's one client (one connection pool), and hands each item's answer to
``on_result`` as it arrives, so a screen shows rows while the rest are on their way.

Being a good citizen of the API (the Forge web trigger behind it is rate-limited per user):

- at most ``concurrency`` requests in flight (default :data:`DEFAULT_CONCURRENCY`);
- one 429 slows every request of the overview: the client holds all its attempts for the wait
  the server asked for (:meth:`pollstui.api.client.PollsClient.paused_for`);
- 424, 5xx, 403, 404 and the rest are per item: an item that fails is a result with its error,
  and never stops or hides the others;
- each request keeps the client's own deadline (``POLLSTUI_TIMEOUT``), and the overview as a whole
  stops at ``deadline`` seconds (default :data:`DEFAULT_DEADLINE`): the items not finished by then
  are results with an :class:`OverviewDeadlineError` naming the deadline;
- cancelling the task that awaits :meth:`Overview.run` cancels every request in flight at once.

Nothing here knows Textual; the CLI (``pollstui overview``) and the TUI's overview screen share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from pollstui.api.errors import RequestTimeoutError
from pollstui.dates import parse_end_date, say_end_date
from pollstui.session.listing import Listing, Source, is_unreadable
from pollstui.text import seconds_text

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.errors import PollsError
    from pollstui.session.listing import Row
    from pollstui.session.session import Session

#: Requests in flight at most, unless ``--concurrency`` or the profile's ``concurrency`` say otherwise.
DEFAULT_CONCURRENCY = 4
#: Seconds the whole overview may take (``--deadline``).
DEFAULT_DEADLINE = 120.0


class OverviewDeadlineError(RequestTimeoutError):
    """The overview's own deadline passed before this item's answer came."""


@dataclass(frozen=True)
class ItemResult:
    """One content item's answer: its listing (FRESH, or CACHED/STALE from the cache), or the error
    that kept it from being read (``listing`` then holds the cached copy, if any)."""

    ref: ContentRef
    listing: Listing
    error: PollsError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def cached(self) -> ItemResult:
        """This result kept for a later look: the server's answer becomes a cached copy (shown
        marked so until the server answers again); anything else stays as it was."""
        if self.listing.source is not Source.FRESH:
            return self
        return ItemResult(self.ref, replace(self.listing, source=Source.CACHED), self.error)


class Overview:
    """The polls of ``refs`` through ``session`` (its one client).

    ``cache``: FRESH answers are saved to the polls cache, so the main screen opens them at once.
    """

    def __init__(
        self,
        session: Session,
        refs: Sequence[ContentRef],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        deadline: float = DEFAULT_DEADLINE,
        cache: bool = True,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.session = session
        self.refs = list(dict.fromkeys(refs))  # each item once, in the order given
        self.concurrency = concurrency
        self.deadline = deadline
        self.cache = cache
        #: Set once the first requests (``concurrency`` of them, or every item's when fewer) are
        #: handed to the connection pool, or :meth:`run` ended: a screen that shows the answers
        #: is drawn after that, so its drawing never holds up the requests.
        self.sent = asyncio.Event()

    async def cached(self, on_result: Callable[[ItemResult], None], refs: Sequence[ContentRef] | None = None) -> None:
        """Hand each item's (or each of ``refs``') cached copy to ``on_result`` (CACHED listings),
        from disk, no request: all read in one thread, so the requests' own work on the loop waits
        for none of them."""
        refs = self.refs if refs is None else list(refs)
        listings = await self.session.cached_many(refs)
        for ref, listing in zip(refs, listings, strict=True):
            if listing is not None:
                on_result(ItemResult(ref, listing))

    async def run(self, on_result: Callable[[ItemResult], None] | None = None) -> list[ItemResult]:
        """Read every item; ``on_result`` gets each result as it arrives. Returns them all, in the
        order they arrived (the items past the deadline last, in the order given)."""
        gate = asyncio.Semaphore(self.concurrency)
        results: list[ItemResult] = []
        first = min(self.concurrency, len(self.refs))
        handed = 0

        def one_sent() -> None:
            nonlocal handed
            handed += 1
            if handed >= first:
                self.sent.set()

        def arrived(result: ItemResult) -> None:
            results.append(result)
            if on_result is not None:
                on_result(result)

        async def read(ref: ContentRef) -> None:
            async with gate:
                listing = await self.session.load(ref, cache=self.cache, on_send=one_sent)
            arrived(ItemResult(ref, listing, listing.error if listing.source is not Source.FRESH else None))

        tasks = [asyncio.ensure_future(read(ref)) for ref in self.refs]
        try:
            if tasks:
                await asyncio.wait(tasks, timeout=self.deadline)
        finally:
            self.sent.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:  # a bug is not an item's failure: it reaches the caller
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        done = {result.ref.key for result in results}
        for ref in self.refs:
            if ref.key not in done:
                arrived(ItemResult(ref, Listing(ref, source=Source.FAILED), self._late(ref)))
        return results

    def _late(self, ref: ContentRef) -> OverviewDeadlineError:
        return OverviewDeadlineError(
            f"Loading polls on {ref.label}: no answer within the overview's {seconds_text(self.deadline)} "
            "deadline; the other items were read."
        )


# --- order -----------------------------------------------------------------------------------


def closing_first_key(poll: Row, now: datetime | None = None) -> tuple[int, float, str]:
    """The overview's default order: open polls closing soonest first, then open polls without an
    end date, then closed ones (most recently closed first), then unreadable end dates and
    unreadable polls; ties by title."""
    if is_unreadable(poll):
        return (4, 0.0, "")
    title = " ".join(poll.title.split()).casefold()
    text = (poll.settings.end_date or "").strip()
    moment = parse_end_date(text)
    if moment is None:
        return (3 if text else 1, 0.0, title)
    now = now or datetime.now(timezone.utc)
    if moment > now:
        return (0, moment.timestamp(), title)
    return (2, -moment.timestamp(), title)


def has_ended(poll: Row, now: datetime | None = None) -> bool:
    """Whether a poll's end date has passed (False without one, or one pollstui cannot read)."""
    if is_unreadable(poll):
        return False
    moment = parse_end_date((poll.settings.end_date or "").strip())
    return moment is not None and moment <= (now or datetime.now(timezone.utc))


def end_words(poll: Row, now: datetime | None = None) -> str:
    """A poll's end as people say it (:func:`pollstui.dates.say_end_date`): ``in 3 h``, ``Fri 17:00``,
    ``closed``; ``ended`` for a past end date the poll does not close on (``closePollOnEndDate``
    off: votes still count); ``—`` without one; the value as sent when pollstui cannot read it."""
    if is_unreadable(poll):
        return "?"
    return say_end_date(poll.settings.end_date, poll.settings.close_poll_on_end_date, now) or "—"
