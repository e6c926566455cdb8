"""The main screen's status line: which content item, how many polls, where they came from, what is going on.

State only (reactives the main screen binds with ``data_bind``); the text follows it::

    PLAT-123 · 12 polls · 3 match “lunch” · 1 unreadable · stale · fetched 10:42 · refreshing… · auto

A refused token (401/403) is said in words that stay: "token refused — cached from 22:21".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from pollstui.api.errors import NotPermittedError
from pollstui.session.listing import Listing, Source
from pollstui.text import one_line, plural, seconds_text

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef


def status_label(ref: ContentRef) -> str:
    """``PLAT-123``, or ``page 557057 · macro a1b2c3d4…`` (container ids are long)."""
    if ref.product == "jira":
        return ref.label
    container = ref.container if len(ref.container) <= 9 else ref.container[:8] + "…"
    return f"page {ref.content} · macro {container}"


class StatusLine(Static):
    """One line about the list on screen."""

    listing: reactive[Listing] = reactive(Listing(None), layout=False)
    filter_text: reactive[str] = reactive("", layout=False)
    #: How many rows the filter leaves (counted once, where the table's rows are chosen).
    matches: reactive[int] = reactive(0, layout=False)
    #: A request for the list is in flight.
    busy: reactive[bool] = reactive(False, layout=False)
    #: Seconds the client waits before it retries (the server asked, with Retry-After); 0: none.
    waiting: reactive[float] = reactive(0.0, layout=False)
    #: "" (auto-refresh off), "auto", or "auto, retry in 20 s".
    auto_note: reactive[str] = reactive("", layout=False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def render(self) -> Text:
        return status_text(self.listing, self.filter_text, self.matches, self.busy, self.waiting, self.auto_note)


def status_text(listing: Listing, filter_text: str, matches: int, busy: bool, waiting: float, auto_note: str) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    ref = listing.ref
    if ref is None:
        text.append("No content item", style="italic")
        return text
    text.append(one_line(status_label(ref)), style="bold")
    if listing.source is Source.LOADING:
        text.append(" · loading…")
    else:
        count = len(listing.polls)
        refused = isinstance(listing.error, NotPermittedError)
        text.append(f" · {plural(count, 'poll')}")
        if filter_text.strip():
            text.append(f" · {matches} match “{one_line(filter_text)}”")
        if listing.unreadable:
            text.append(" · ")
            text.append(f"{len(listing.unreadable)} unreadable", style="bold")
        when = listing.fetched_at.astimezone().strftime("%H:%M") if listing.fetched_at else "?"
        if listing.source is Source.CACHED:
            text.append(" · ")
            text.append(f"cached · fetched {when}", style="reverse")
        elif listing.source is Source.STALE and refused:
            text.append(" · ")
            text.append(f"token refused — cached from {when}", style="bold reverse")
        elif listing.source is Source.STALE:
            text.append(" · ")
            text.append(f"stale · fetched {when}", style="bold reverse")
        elif listing.source is Source.FAILED:
            text.append(" · ")
            text.append("token refused — not loaded" if refused else "not loaded", style="bold reverse")
        if busy:
            text.append(" · refreshing…")
    if waiting > 0:
        text.append(f" · waiting {seconds_text(waiting)} to try again (esc cancels)", style="bold")
    if auto_note:
        text.append(f" · {auto_note}")
    return text
