"""Reading a poll's ``results`` without building models: the families :mod:`pollstui.api.results`
describes, as plain Python (the poll list and the detail pane read every poll's results, and
importing pydantic for that would sit on the path to the first frame).

:func:`read_tally` is the one reader; :func:`pollstui.api.results.read_results` builds its
models from it, so both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Tally", "format_percent", "percent", "read_tally", "total_votes"]

_ENTRY_LISTS = ("options", "results", "entries", "items")
_ID_KEYS = ("optionId", "id", "option")
_COUNT_KEYS = ("votes", "count", "voteCount")
_MAPPINGS = ("tally", "counts", "votes")
_VOTER_TOTALS = ("totalVoters", "voters", "voterCount", "participants")
_VOTE_TOTALS = ("totalVotes", "total")


@dataclass(frozen=True)
class Tally:
    """Votes per option id, in the server's order; ``total_votes`` is their sum,
    ``total_voters`` None when the server did not say."""

    counts: tuple[tuple[str, int], ...]
    total_voters: int | None = None

    @property
    def total_votes(self) -> int:
        return sum(n for _, n in self.counts)

    def votes_for(self, option_id: str) -> int:
        for key, votes in self.counts:
            if key == option_id:
                return votes
        return 0

    def percent_for(self, option_id: str) -> float:
        return percent(self.votes_for(option_id), self.total_votes)


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


def read_tally(data: Any) -> Tally | None:
    """``data`` (a poll's raw ``results``) as a :class:`Tally`, or None when no family fits."""
    read = _read_counts(data)
    return None if read is None else Tally(tuple(read[0]), read[1])


def total_votes(data: Any) -> int | None:
    """``read_results(data).total_votes`` without building the results (a list of 1,000 polls
    shows every total, and building 11,000 models for it took most of the list's drawing)."""
    tally = read_tally(data)
    return None if tally is None else tally.total_votes


def _read_counts(data: Any) -> tuple[list[tuple[str, int]], int | None] | None:
    """The (option id, votes) pairs and the voter total of ``data``, or None when no family fits."""
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
    return counts, _count(voters) if voters is not None else None


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
