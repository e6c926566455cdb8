"""Reading ``results``, which the API leaves undocumented: the shapes servers commonly use.

:func:`read_results` is the one reader of them, for the read model and the write model of a poll
(:mod:`pollstui.api.poll_view`, :mod:`pollstui.api.models`) and every front end. It is plain
Python, no pydantic: the poll list reads every poll's results on the way to its first frame. It
turns a poll's raw ``results`` into :class:`PollResults` (votes per option id in the server's
order, their total, and the number of voters when the server says) for these families:

1. Ours (the reference server's)::

       {"totalVotes": 12, "totalVoters": 9, "options": [{"optionId": "1", "votes": 5}, …]}

2. A list of per-option entries, as ``results`` itself or under ``options``, ``results``,
   ``entries`` or ``items``: each entry an object with the option id under ``optionId``, ``id``
   or ``option`` and the count under ``votes``, ``count`` or ``voteCount``::

       [{"id": "1", "count": 5}, {"id": "2", "count": 7}]

3. A mapping from option id to count, as ``results`` itself or under ``tally``, ``counts`` or
   ``votes``::

       {"1": 5, "2": 7}            {"tally": {"1": 5, "2": 7}, "voters": 9}

Next to the entries or the mapping, a voter total may come as ``totalVoters``, ``voters``,
``voterCount`` or ``participants``, and a vote total as ``totalVotes`` or ``total`` (only
checked to be a count: the total used is always the sum of the counts, and percentages come
from it). Ids may be strings or integers (read as their decimal string); counts are integers
≥ 0 (``5.0`` is 5). Anything else — a count that is not one, an option named twice, a key
no family knows — is not read: ``results`` stays raw JSON, shown as sent, and round-trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

__all__ = ["PollResults", "format_percent", "percent", "read_results"]

_ENTRY_LISTS = ("options", "results", "entries", "items")
_ID_KEYS = ("optionId", "id", "option")
_COUNT_KEYS = ("votes", "count", "voteCount")
_MAPPINGS = ("tally", "counts", "votes")
_VOTER_TOTALS = ("totalVoters", "voters", "voterCount", "participants")
_VOTE_TOTALS = ("totalVotes", "total")


@dataclass(frozen=True)
class PollResults:
    """Votes per option id, in the server's order; ``total_votes`` is their sum,
    ``total_voters`` None when the server did not say."""

    counts: tuple[tuple[str, int], ...]
    total_voters: int | None = None

    @cached_property
    def total_votes(self) -> int:
        return sum(n for _, n in self.counts)

    @cached_property
    def by_option(self) -> dict[str, int]:
        """Votes per option id (an id named twice is never read: see :func:`read_results`)."""
        return dict(self.counts)

    def votes_for(self, option_id: str) -> int:
        return self.by_option.get(option_id, 0)


def percent(votes: int, total: int) -> float:
    """Share of ``votes`` in ``total`` as a percentage (0 when nobody voted).

    The one place the percentage is computed, for the TUI and the CLI alike.
    """
    if total <= 0:
        return 0.0
    return 100.0 * votes / total


def format_percent(value: float) -> str:
    """A :func:`percent` as shown everywhere: one decimal and a percent sign (``"41.7%"``), unpadded."""
    return f"{value:.1f}%"


def read_results(data: Any) -> PollResults | None:
    """``data`` (a poll's raw ``results``) as :class:`PollResults`, or None when no family fits."""
    counts: list[tuple[str, int]] | None = None
    totals: dict[str, Any] = {}
    if isinstance(data, list):
        counts = _entries(data)
    elif isinstance(data, dict):
        lists = [k for k in _ENTRY_LISTS if isinstance(data.get(k), list)]
        maps = [k for k in _MAPPINGS if isinstance(data.get(k), dict)]
        if len(lists) + len(maps) == 1:
            key = (lists or maps)[0]
            counts = _entries(data[key]) if lists else _mapping(data[key])
            totals = {k: v for k, v in data.items() if k != key}
        elif not lists and not maps:
            top = {k: v for k, v in data.items() if k not in _VOTER_TOTALS + _VOTE_TOTALS}
            totals = {k: v for k, v in data.items() if k not in top}
            counts = _mapping(top) if top else None
    if counts is None or len({option_id for option_id, _ in counts}) != len(counts):
        return None
    voters = next((totals[k] for k in _VOTER_TOTALS if k in totals), None)
    declared = [totals[k] for k in _VOTE_TOTALS if k in totals]
    if (voters is not None and _count(voters) is None) or any(_count(v) is None for v in declared):
        return None
    return PollResults(tuple(counts), _count(voters) if voters is not None else None)


def _entries(items: list[Any]) -> list[tuple[str, int]] | None:
    out = []
    for item in items:
        if not isinstance(item, dict):
            return None
        option_id = _option_id(next((item[k] for k in _ID_KEYS if k in item), None))
        count = _count(next((item[k] for k in _COUNT_KEYS if k in item), None))
        if option_id is None or count is None:
            return None
        out.append((option_id, count))
    return out


def _mapping(items: dict[str, Any]) -> list[tuple[str, int]] | None:
    out = []
    for key, value in items.items():
        count = _count(value)
        if count is None:
            return None
        out.append((key, count))
    return out


def _option_id(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value >= 0 else None
