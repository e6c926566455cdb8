"""A content item's polls as the user sees them: where they came from, when, and what could not be read.

Lists are read leniently (:func:`pollstui.api.listing.read_poll_listing`): one poll of the wrong
shape never hides the others; it is an :class:`~pollstui.api.listing.UnreadablePoll` that keeps
the server's raw JSON (it can be shown and deleted, never edited). The readable polls are the read
model (:class:`~pollstui.api.poll_view.PollView`), drawn without building models; a view's
:meth:`~pollstui.api.poll_view.PollView.model` is the write model, for anything that edits, sends
or presents it. A :data:`Row` of a list is one or the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

from pollstui.api.listing import UnreadablePoll
from pollstui.api.poll_view import PollView

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.errors import PollsError

#: One item of a content item's list: a poll (the read model), or an item pollstui cannot read.
Row: TypeAlias = "PollView | UnreadablePoll"


class Source(Enum):
    """Where the polls on screen came from."""

    NONE = "none"  # no content item chosen
    LOADING = "loading"  # asked the server, nothing to show yet
    CACHED = "cached"  # the copy saved at the last load, shown while the server answers
    FRESH = "fresh"  # the server's answer
    STALE = "stale"  # the server could not be reached: an older copy stays on screen
    FAILED = "failed"  # the server could not be reached and there is no copy

    @property
    def has_data(self) -> bool:
        return self in (Source.CACHED, Source.FRESH, Source.STALE)


def search_text(row: Row) -> str:
    """What a filter looks in (case-folded): a poll's title, description and options; an
    unreadable one's title and id."""
    if isinstance(row, UnreadablePoll):
        return f"{raw_title(row.raw)} {row.id or ''}".casefold()
    return " ".join([row.title, row.description, *(o.title for o in row.options)]).casefold()


def _has_all(haystack: str, words: list[str]) -> bool:
    """Whether every one of ``words`` occurs in ``haystack`` (built once per row, not once per word)."""
    return all(word in haystack for word in words)


#: A poll's settings as letters (the poll list's and the overview's Flags column; the help explains them):
#: (letter, setting attribute, meaning), one column position each; "·" when the setting is off.
MARKERS: tuple[tuple[str, str, str], ...] = (
    ("M", "allow_selection_of_multiple_options", "multiple choice: voters may pick several options"),
    ("R", "allow_revote", "revote: voters may change their vote"),
    ("C", "allow_comment", "comments: voters may add a comment"),
    ("H", "hide_absolute_numbers", "hidden numbers: voters see percentages, not counts"),
    ("E", "close_poll_on_end_date", "end: the poll closes by itself on its end date"),
)


def markers(poll: PollView) -> str:
    """The marker string of a poll, e.g. ``M·C·E``."""
    return "".join(letter if getattr(poll.settings, attr, False) else "·" for letter, attr, _ in MARKERS)


def is_unreadable(row: object) -> TypeGuard[UnreadablePoll]:
    """Whether ``row`` (of :meth:`Listing.rows`) is an item pollstui could not read."""
    return isinstance(row, UnreadablePoll)


def raw_title(item: Any) -> str:
    """The ``title`` of an item pollstui could not read, when it has a string one, else ''."""
    value = item.get("title") if isinstance(item, dict) else None
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, eq=False)
class Listing:
    """The polls of ``ref`` (in the server's order) and how current they are.

    Compared by identity: every change is a new Listing, so a screen's reactive never compares
    a thousand polls to decide whether to redraw.
    """

    ref: ContentRef | None
    polls: list[PollView] = field(default_factory=list)
    source: Source = Source.NONE
    fetched_at: datetime | None = None
    unreadable: list[UnreadablePoll] = field(default_factory=list)
    error: PollsError | None = None
    """Why the last load failed (``STALE`` and ``FAILED`` listings)."""

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.polls if p.id} | {u.id for u in self.unreadable if u.id}

    def rows(self) -> list[Row]:
        """Every item in the server's order: the polls, and the unreadable ones where they were."""
        rows: list[Row] = list(self.polls)
        for item in sorted(self.unreadable, key=lambda u: u.index):
            rows.insert(min(item.index, len(rows)), item)
        return rows

    def matching(self, text: str) -> list[Row]:
        """The rows in which every word of ``text`` occurs (case-insensitively): in the title, the
        description or an option of a poll; in the title or id of an unreadable one."""
        words = text.casefold().split()
        rows = self.rows()
        if not words:
            return rows
        return [row for row in rows if _has_all(search_text(row), words)]

    def failed(self, error: PollsError) -> Listing:
        """This listing after a load failed: kept and marked stale, or failed when it was empty."""
        source = Source.STALE if self.source.has_data else Source.FAILED
        return replace(self, source=source, error=error)
