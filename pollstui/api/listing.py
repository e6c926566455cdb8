"""Reading what a GET answers, leniently: a list where one bad poll hides nothing, one poll from an array.

The API documents ``200 … Poll[]`` for GET, and ``pollId`` as a filter on that GET: read literally,
a GET with ``pollId`` answers an array holding the one poll. Servers differ, so
:func:`find_poll` takes an array or a bare object.

:func:`read_poll_listing` reads the array of a content item's polls into a :class:`PollListing`:
every poll that can be read, as the read model :class:`~pollstui.api.poll_view.PollView` (the JSON
as sent, no models built), and every item that cannot (with its position, its ``id`` when it has a
string one, a short reason and the raw JSON), so a UI shows the others and names the bad one.
pydantic is imported only to name what is wrong with an unreadable item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pollstui.api.poll_view import PollView, readable

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["PollListing", "UnreadablePoll", "describe_validation", "find_poll", "read_poll_listing"]


@dataclass(frozen=True)
class UnreadablePoll:
    """One item of a poll list that is not a poll pollstui can read.

    ``index`` is its 0-based position in the server's array; ``id`` its ``"id"`` when that is a
    string (else None); ``reason`` a short phrase (server text inside it is not sanitised: make it
    inert before a terminal sees it); ``raw`` the item exactly as decoded.
    """

    index: int
    id: str | None
    reason: str
    raw: Any

    @property
    def label(self) -> str:
        """``poll 3`` or ``poll 3 (id abc)``: 1-based, as a person counts."""
        return f"poll {self.index + 1}" + (f" (id {self.id})" if self.id else "")


@dataclass
class PollListing:
    """A content item's polls as read: the readable ones in server order, and the unreadable ones."""

    polls: list[PollView] = field(default_factory=list)
    unreadable: list[UnreadablePoll] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        """Every id the server listed, readable or not."""
        ids = {p.id for p in self.polls if p.id}
        return ids | {u.id for u in self.unreadable if u.id}


def read_poll_listing(data: Any) -> PollListing:
    """Read a GET's array of polls: each readable item as a :class:`~pollstui.api.poll_view.PollView`
    (no models built), each other one as an :class:`UnreadablePoll` where it was.

    An item :func:`~pollstui.api.poll_view.readable` does not accept is given to the models, which
    name the reason (pydantic is imported only then). Raises TypeError when ``data`` is not an
    array at all (nothing is readable then).
    """
    if not isinstance(data, list):
        raise TypeError(f"expected a JSON array of polls, got {type(data).__name__}")
    listing = PollListing()
    for index, item in enumerate(data):
        problem = None if readable(item) else _why_unreadable(item)
        if problem is None:
            listing.polls.append(PollView(item))
        else:
            listing.unreadable.append(UnreadablePoll(index, _raw_id(item), problem, item))
    return listing


def _why_unreadable(item: Any) -> str | None:
    """Why the models cannot read ``item`` as a poll, or None when they can."""
    from pydantic import ValidationError

    from pollstui.api.models import Poll

    try:
        Poll.from_api(item)
    except ValidationError as exc:
        return describe_validation(exc)
    except RecursionError:
        return "nested too deeply"
    return None


def describe_validation(exc: ValidationError, limit: int = 3) -> str:
    """A short phrase naming where a value was not what the API promises (``options.0.order: …``)."""
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(top)"
        parts.append(f"{where}: {_short_message(error)}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _short_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "model_type":
        return "not an object"
    if kind == "missing":
        return "missing"
    return str(error.get("msg", kind)).lower()


def find_poll(data: Any, poll_id: str) -> Any:
    """The one poll a GET with ``pollId`` answered, still as decoded JSON.

    An object is the poll. An array of one is that poll; of several, the one whose ``id`` is
    ``poll_id``. Raises LookupError for an empty array (no such poll), ValueError for several
    without that id or an answer that is neither array nor object.
    """
    if isinstance(data, list) and len(data) == 1:
        if not isinstance(data[0], dict):
            return data[0]  # the caller says it is not a poll object
        data = data[0]
    if isinstance(data, dict):
        # A server that ignored pollId answers another poll: taking it would edit the wrong one.
        other = data.get("id")
        if isinstance(other, str) and other and other != poll_id:
            raise ValueError(f"the poll {other!r}, not {poll_id!r}")
        return data
    if not isinstance(data, list):
        raise ValueError(f"expected a poll (an object, or an array holding it), got {type(data).__name__}")
    if not data:
        raise LookupError(poll_id)
    matches = [item for item in data if isinstance(item, dict) and item.get("id") == poll_id]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"an array of {len(data)} items, {len(matches)} of them with id {poll_id!r}")


def _raw_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None
