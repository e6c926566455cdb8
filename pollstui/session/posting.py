"""A create whose answer may be lost, and the look for the poll it may have made.

A POST can fail after it went out: its answer lost, a 424 or 5xx, a 200 that cannot be read
(``maybe_done``). The poll may have been made all the same, so a blind retry could make a second
one. :func:`post_watched` is the one way pollstui creates a poll from a user's action (the CLI's
``create``, the editor's save of a new poll, duplicate, undo's restore of a deleted poll): it
notes the ids on the content item first, POSTs, and when the POST may have been carried out says
so with what is needed to look (the ids before), having looked at once when asked to. Each caller
words the result for its user (and journals it, when it keeps an undo history). (``import`` POSTs
directly: it stops at the first failure and names a poll that may have been created.)

:func:`create_or_find` is that for duplicate and undo's restore: it takes the poll that arrived
at once, else says what the look told and lets the caller note how to look again.
:func:`find_arrived` is the later look (a save or an undo after an uncertain create, an undo
after a lost restore), and :func:`settle_uncertain` what a later look does with the journal
entry of an uncertain create.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pollstui.api.errors import PollsError

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.client import PollsClient
    from pollstui.api.models import Poll
    from pollstui.session.journal import JournalEntry
    from pollstui.session.session import Session


@dataclass
class LostCreate:
    """A POST that failed after it went out: the poll may have been created."""

    error: PollsError
    """The POST's failure (``maybe_done``)."""
    known_ids: set[str]
    """The ids of the polls on the content item before the POST."""
    arrived: list[Poll] = field(default_factory=list)
    """Looked for at once: the polls like it that arrived since, oldest first."""
    look_error: PollsError | None = None
    """Looking at once failed: how (``arrived`` is then empty, and tells nothing)."""


async def post_watched(
    client: PollsClient, ref: ContentRef, body: Poll | dict[str, Any], known_ids: Awaitable[set[str]], *, look: bool = True
) -> Poll | LostCreate:
    """POST ``body`` to ``ref``: the poll the server made, or a :class:`LostCreate` when the POST
    may have been carried out (``look``: with the polls like it that arrived, looked for at once).

    ``known_ids`` gives the ids on ``ref`` now; when it fails, the create is still sent, but a
    lost one cannot be looked for, so its error is raised as it is. Raises the POST's error when
    it surely failed.
    """
    try:
        known: set[str] | None = await known_ids
    except PollsError:
        known = None  # a list we cannot have (unreadable, 429, 424, a token that may not list)
    try:
        return await client.create_poll(ref, body)
    except PollsError as error:
        if not error.maybe_done or known is None:
            raise
        lost = LostCreate(error, known)
    if look:
        from pollstui.api.arrivals import find_arrived_polls

        try:
            lost.arrived = await find_arrived_polls(client, ref, body, known)
        except PollsError as problem:
            lost.look_error = problem
    return lost


async def create_or_find(
    session: Session, ref: ContentRef, body: dict[str, Any], *, remember: Callable[[set[str]], Awaitable[str]] | None = None
) -> Poll:
    """POST ``body`` to ``ref``. When that fails after it went out (a lost answer, 424, 5xx:
    ``maybe_done``), look at once for the poll it made (same title and options, not there before)
    and take it; else raise, saying what the look told: not arrived (yet), or the look failed too.
    What to check before trying again is the caller's to say (Outcome.check_before).

    ``remember(known_ids)``: a create not found at once is noted with the ids there before it,
    so it can be looked for again; it returns what to tell of that."""
    posted = await post_watched(session.client, ref, body, session.known_ids(ref))
    if not isinstance(posted, LostCreate):
        return posted
    if posted.arrived:
        found = posted.arrived[-1]
        session.note_created(ref, found.id or "")
        return found
    failure, problem = posted.error, posted.look_error
    if problem is None:
        told = f"{failure.first_sentence} It has not arrived on {ref.label} yet."
    else:  # nothing can be said of whether it arrived
        told = f"{failure.first_sentence} It may have been created; looking for it failed too ({problem.happened})."
    if remember is not None:
        told += await remember(posted.known_ids)
    raise failure.retold(told, maybe_done=True)


async def find_arrived(client: PollsClient, ref: ContentRef, sent: Poll | dict[str, Any], known_ids: set[str]) -> Poll | None:
    """The poll on ``ref`` that a lost create of ``sent`` made, if it arrived: same title and
    options, and not among ``known_ids`` (the polls there before). The newest such, or None."""
    from pollstui.api.arrivals import find_arrived_polls

    found = await find_arrived_polls(client, ref, sent, known_ids)
    return found[-1] if found else None


async def settle_uncertain(session: Session, entry: JournalEntry) -> Poll | None:
    """Look for the poll of the uncertain create ``entry``: when it arrived, the entry becomes a
    plain create of it (undo deletes it) and it is returned; else the entry is dropped (None)."""
    journal = session.journal
    found = await find_arrived(session.client, entry.ref, entry.after or {}, set(entry.known_ids))
    if found is None:
        await asyncio.to_thread(journal.remove, entry)
        return None
    await asyncio.to_thread(journal.settle, entry, found.id or "", found)
    session.note_created(entry.ref, found.id or "")
    return found
