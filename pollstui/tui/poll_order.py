"""The orders the poll list can show (``s`` cycles through them, a click on a column's header
sorts by it and a second click reverses it), and sorting polls into one.

An order is a string, as the profile keeps it: ``""`` (the server's), a column (``"title"``,
``"votes"``, ``"ends"``: each in its natural direction, A to Z, most votes first, soonest first),
or a column followed by ``" reversed"``.
"""

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
#: … and the same columns reversed.
REVERSED_NAMES = {"title": "title (Z to A)", "votes": "votes (fewest first)", "ends": "end date (latest first)"}
#: What follows a column in a reversed order.
REVERSED = " reversed"
_FLIP = {"▲": "▼", "▼": "▲"}


def split_sort(order: str) -> tuple[str, bool]:
    """The column of ``order`` (a key of :data:`SORTS`; "" for one pollstui does not know) and
    whether it is reversed."""
    column = order.removesuffix(REVERSED)
    if column not in SORTS or not column:
        return "", False
    return column, order != column


def sort_header(order: str) -> tuple[str, str]:
    """The column ``order`` sorts by and the arrow its header shows."""
    column, reverse = split_sort(order)
    _, arrow = SORTS[column]
    return column, _FLIP[arrow] if reverse else arrow


def sort_name(order: str) -> str:
    column, reverse = split_sort(order)
    return REVERSED_NAMES[column] if reverse else SORT_NAMES[column]


def next_sort(order: str) -> str:
    """The order after ``order`` in the cycle title → votes → end date → server order (a reversed
    order goes on from its column)."""
    orders = list(SORTS)
    return orders[(orders.index(split_sort(order)[0]) + 1) % len(orders)]


def clicked_sort(order: str, column: str) -> str:
    """The order after a click on ``column``'s header: by that column, or reversed when it already was."""
    current, reverse = split_sort(order)
    if column != current:
        return column
    return column if reverse else column + REVERSED


def sort_polls(polls: list[Row], order: str) -> list[Row]:
    """``polls`` in ``order``; ties, and polls without the value, keep the server's order (last,
    reversed or not).

    Unreadable polls have no value to sort by: they come last, in the server's order.
    """
    keys = {  # (group, value): groups stay in their order (the polls without a value last); values reverse
        "title": lambda p: (not p.title, " ".join(p.title.split()).casefold()),
        "votes": lambda p: ((votes := p.total_votes) is None, -(votes or 0)),
        "ends": _end_key,  # by moment, so other zones and date-only values sort where they end
    }
    column, reverse = split_sort(order)
    if column not in keys:
        return list(polls)
    key = keys[column]
    keyed = [(key(p), p) for p in polls if not is_unreadable(p)]
    keyed.sort(key=lambda pair: pair[0][1:], reverse=reverse)  # (stable, reversed too)
    keyed.sort(key=lambda pair: pair[0][0])
    return [p for _, p in keyed] + [p for p in polls if is_unreadable(p)]


def _end_key(poll: PollView) -> tuple[int, float, str]:
    """Readable end dates by moment, then unreadable ones by their text, then none."""
    text = (poll.settings.end_date or "").strip()
    moment = parse_end_date(text)
    return (0, moment.timestamp(), "") if moment else (1 if text else 2, 0.0, text)
