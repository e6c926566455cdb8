"""Closing and reopening voting: what changes in a poll, and nothing else.

The API has no "close" operation. The polls app is assumed to stop taking votes once a poll with
``closePollOnEndDate`` is past its ``endDate`` (README, "What we assume about the API"; the docs do
not say so), so:

- :func:`closed` sets ``endDate`` to now (in the user's zone, with its offset) and
  ``closePollOnEndDate`` to true;
- :func:`reopened` with an end sets that end and keeps ``closePollOnEndDate`` true; without one it
  clears ``endDate`` and sets ``closePollOnEndDate`` to false.

Every other field, known or not, stays as it came: the result is a clone of the poll with two
settings changed, saved through :meth:`pollstui.session.session.Session.save` like any edit (its conflict
check, its journal for undo). :func:`voting_state` says where a poll stands, for the words above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING

from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.dates import TypedEnd, parse_end_date, parse_typed_end

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.api.poll_view import PollView
    from pollstui.session.ask import Ask
    from pollstui.session.saving import SaveOutcome
    from pollstui.session.session import Session

__all__ = ["VotingChange", "VotingState", "change_voting", "closed", "reopened", "voting_state"]


@dataclass(frozen=True)
class VotingState:
    """Where voting stands by the poll's own settings (the assumption above)."""

    end_date: str  # as the server has it
    closes: bool  # closePollOnEndDate
    ends: datetime | None  # the end date read (None: none, or unreadable)

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.closes and self.ends is not None and self.ends <= (now or datetime.now(timezone.utc))


def voting_state(poll: Poll | PollView) -> VotingState:
    end_date = poll.settings.end_date if isinstance(poll.settings.end_date, str) else ""
    return VotingState(end_date, poll.settings.close_poll_on_end_date, parse_end_date(end_date))


def closed(poll: Poll, now: datetime | None = None, zone: tzinfo | None = None) -> Poll:
    """``poll`` with voting closed at ``now``: a copy, two settings changed; a poll already
    closed comes back as it is (its end date is when it closed, not moved to now)."""
    if voting_state(poll).is_closed(now):
        return poll.clone()
    return _with(poll, parse_typed_end("now", now, zone).wire, closes=True)


def reopened(poll: Poll, until: TypedEnd | None = None) -> Poll:
    """``poll`` open again: until ``until`` (closing on it), or with no end date at all."""
    if until is None or until.ends is None:
        return _with(poll, "", closes=False)
    return _with(poll, until.wire, closes=True)


def _with(poll: Poll, end_date: str, *, closes: bool) -> Poll:
    changed = poll.clone()
    changed.settings.end_date = end_date
    changed.settings.close_poll_on_end_date = closes
    return changed


@dataclass
class VotingChange:
    """What :func:`change_voting` did: ``before`` is the poll as the server had it (None when it
    could not be read); ``outcome`` is the save's; ``unchanged``: nothing needed changing, nothing sent."""

    before: Poll | None
    outcome: SaveOutcome
    unchanged: bool = False


async def change_voting(
    session: Session, ref: ContentRef, poll_id: str, change: Callable[[Poll], Poll], ask: Ask, *, journal: bool = True
) -> VotingChange:
    """Read the poll (results too), apply ``change`` (:func:`closed`, or a :func:`reopened`) to what
    the server has, and save it (one GET, one PUT; journalled for undo unless ``journal`` is false).
    Applied to the server's current version, so no one else's edit is overwritten and no conflict
    question is asked. A failure is an outcome, never an exception."""
    from pollstui.session.saving import READ_ONLY, SaveOutcome, SaveStatus, save

    if session.read_only:
        return VotingChange(None, SaveOutcome(SaveStatus.READ_ONLY, message=READ_ONLY))
    try:
        before = await session.client.get_poll(ref, poll_id, results=True)
    except PollNotFoundError as error:
        return VotingChange(None, SaveOutcome(SaveStatus.GONE, message=str(error), error=error))
    except PollsError as error:
        return VotingChange(None, SaveOutcome(SaveStatus.FAILED, message=str(error), error=error))
    edited = change(before)
    if voting_state(edited) == voting_state(before):
        return VotingChange(before, SaveOutcome(SaveStatus.SAVED, poll=before), unchanged=True)
    outcome = await save(session, ref, edited, before, ask, journal=journal, original_is_current=True)
    return VotingChange(before, outcome)
