"""The orders the poll list can show (``s`` cycles through them), and sorting polls into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pollstui.dates import parse_end_date
from pollstui.session.listing import is_unreadable

if TYPE_CHECKING:
    from pollstui.api.poll_view import PollView
    from pollstui.session.listing import Row


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


def _end_key(poll: PollView) -> tuple[int, float, str]:
    """Readable end dates by moment, then unreadable ones by their text, then none."""
    text = (poll.settings.end_date or "").strip()
    moment = parse_end_date(text)
    return (0, moment.timestamp(), "") if moment else (1 if text else 2, 0.0, text)
