"""A content item's polls as the user sees them: where they came from, when, and what could not be read.

:func:`parse_listing` reads a list leniently: one poll of the wrong shape never hides the others.
It becomes an :class:`Unreadable` entry that keeps the server's raw JSON (it can be shown and
deleted, never edited).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.errors import PollsError
    from pollstui.api.models import Poll


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


@dataclass(frozen=True)
class Unreadable:
    """One item of a list that is not a poll pollstui can read; kept as the server sent it."""

    raw: Any
    reason: str

    @property
    def id(self) -> str | None:
        value = self.raw.get("id") if isinstance(self.raw, dict) else None
        return value if isinstance(value, str) and value else None

    @property
    def title(self) -> str:
        value = self.raw.get("title") if isinstance(self.raw, dict) else None
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Listing:
    """The polls of ``ref`` (in the server's order) and how current they are."""

    ref: ContentRef | None
    polls: list[Poll] = field(default_factory=list)
    source: Source = Source.NONE
    fetched_at: datetime | None = None
    unreadable: list[Unreadable] = field(default_factory=list)
    error: PollsError | None = None
    """Why the last load failed (``STALE`` and ``FAILED`` listings)."""

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.polls if p.id} | {u.id for u in self.unreadable if u.id}

    def failed(self, error: PollsError) -> Listing:
        """This listing after a load failed: kept and marked stale, or failed when it was empty."""
        source = Source.STALE if self.source.has_data else Source.FAILED
        return replace(self, source=source, error=error)


def parse_listing(data: Any) -> tuple[list[Poll], list[Unreadable]]:
    """The readable polls and the unreadable items of a decoded list (raises TypeError if not a list)."""
    from pydantic import ValidationError

    from pollstui.api.models import Poll

    if not isinstance(data, list):
        raise TypeError(f"expected a JSON array of polls, got {type(data).__name__}")
    polls: list[Poll] = []
    unreadable: list[Unreadable] = []
    for item in data:
        try:
            polls.append(Poll.from_api(item))
        except ValidationError as exc:
            where = ", ".join(".".join(str(p) for p in err["loc"]) or "(top)" for err in exc.errors()[:3])
            unreadable.append(Unreadable(item, f"unexpected values at {where}"))
        except (TypeError, ValueError) as exc:
            unreadable.append(Unreadable(item, str(exc) or type(exc).__name__))
    return polls, unreadable
