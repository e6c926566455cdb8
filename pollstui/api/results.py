"""Reading ``results``, which the API leaves undocumented: the shapes servers commonly use.

:func:`read_results` turns a poll's raw ``results`` into :class:`PollResults` (votes per option
id, their total, and the number of voters when the server says) for these families:

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

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from pollstui.api.tally import format_percent, percent, read_tally

__all__ = ["OptionResult", "PollResults", "format_percent", "percent", "read_results"]


class OptionResult(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, strict=True)

    option_id: str
    votes: int


class PollResults(BaseModel):
    """Votes per option id; ``total_votes`` is their sum, ``total_voters`` None when not given."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, strict=True)

    total_votes: int
    total_voters: int | None = None
    options: list[OptionResult]

    def votes_for(self, option_id: str) -> int:
        for item in self.options:
            if item.option_id == option_id:
                return item.votes
        return 0

    def percent_for(self, option_id: str) -> float:
        return percent(self.votes_for(option_id), self.total_votes)


def read_results(data: Any) -> PollResults | None:
    """``data`` (a poll's raw ``results``) as :class:`PollResults`, or None when no family fits."""
    tally = read_tally(data)
    if tally is None:
        return None
    return PollResults(
        total_votes=tally.total_votes,
        total_voters=tally.total_voters,
        options=[OptionResult(option_id=i, votes=n) for i, n in tally.counts],
    )
