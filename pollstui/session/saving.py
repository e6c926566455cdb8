"""Saving a poll from the editor, safely.

:func:`save` creates a new poll (``original`` None) or updates one:

- **Update**: the server's current version is fetched first. If it differs from ``original``
  (the version the editor opened; results and the server's own ways ignored, see
  :mod:`~pollstui.session.sameness`), the user chooses: overwrite, reload theirs (after one more
  question), or keep editing. Removing or renaming options that have votes asks first. A poll
  deleted meanwhile can be created again (it gets a new id). A PUT that fails after it went out
  (a lost answer, 424, 5xx) is checked by reading the poll back: saved, not saved, or UNCERTAIN.
- **Create**: when an earlier create of this content item may have been carried out (its answer
  lost, a 424 or 5xx, a 200 that cannot be read: ``maybe_done``), the poll may have arrived: it
  is looked for first (same title and options, not there before), and the user chooses to take
  it or to create another. Such a create is journalled as *uncertain*, so undo can find and
  remove it too.

Every change made is journalled (before/after JSON), so it can be undone, unless the caller
says ``journal=False`` (the CLI: see README, "Undo"). A server failure is an outcome, never an
exception: the edits stay with the caller. The outcome's :class:`SaveStatus` says what happened;
its words are for the user, never to be matched, and name no key (``undoable`` says the save
can be undone: each front end words that, with its own key).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.session.ask import ArrivedChoice, ConflictChoice, Question, Topic
from pollstui.session.sameness import same_as_left, written
from pollstui.text import votes as votes_text

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.client import PollsClient
    from pollstui.api.models import Poll, PollOption
    from pollstui.session.ask import Ask
    from pollstui.session.session import Session


#: What a session in read-only mode (the --read-only flag or the profile) says of a change it refuses.
READ_ONLY = "Read-only mode: this session does not change polls."


class SaveStatus(Enum):
    SAVED = "saved"  # the poll is on the server as edited (or the user took one that arrived)
    RELOADED = "reloaded"  # the user took the server's version instead: show ``poll``, drop the edits
    KEPT = "kept"  # the user chose not to save yet (a conflict, options with votes, a lost create)
    GONE = "gone"  # the poll was deleted on the server, and not created again
    FAILED = "failed"  # the server or the network failed: ``error`` says how
    UNCERTAIN = "uncertain"  # it failed after the change went out: it may have been saved (``error``)
    READ_ONLY = "read-only"  # this session does not change polls
    # Whenever it is not SAVED or RELOADED, the edits stay with the caller; nothing was sent,
    # except for UNCERTAIN (a lost answer, 424, 5xx: look before saving again).


@dataclass
class SaveOutcome:
    status: SaveStatus
    poll: Poll | None = None
    """SAVED: the poll as the server now has it. RELOADED: the server's version."""
    message: str = ""
    """For the editor's status line; '' for a plain failure (the ``error``: each front end words it)."""
    notice: str = ""
    """Worth a notification of its own (a reload, a poll that arrived after all)."""
    warning: str = ""
    """Saved, but something else went wrong (the undo journal could not be written)."""
    error: PollsError | None = None
    """FAILED, UNCERTAIN: what the server (or the network) did."""
    undoable: bool = False
    """SAVED and journalled: undo takes it back."""

    @property
    def saved(self) -> bool:
        return self.status is SaveStatus.SAVED


def _kept(message: str, status: SaveStatus = SaveStatus.KEPT) -> SaveOutcome:
    return SaveOutcome(status, message=message)


def normalized(poll: Poll) -> tuple[Any, ...]:
    """What ``poll`` would send untouched, options in display order as the editor renumbers them,
    in a form to compare (two polls are the same edit when these are equal). Linear in the options
    with no copies: the editor compares after every key, and a poll may have thousands of options."""
    return _all_but_options(poll), [_option_sent(o) for o in poll.ordered_options()]


def _all_but_options(poll: Poll) -> dict[str, Any]:
    return poll.model_copy(update={"options": [], "results": None}).to_api()  # (results are never sent)


def _option_sent(option: PollOption) -> tuple[Any, ...]:
    return option.id, option.title, "title" in option.model_fields_set, option.__pydantic_private__, option.__pydantic_extra__


class EditBaseline:
    """A poll as an editor opened it, to tell whether an edit of it changes what it sends: the
    answer comparing :func:`normalized` gives, in time that does not grow with the options while
    they are not edited (the editor asks after every key, and a poll may have thousands of options).
    """

    def __init__(self, poll: Poll) -> None:
        """``poll``'s options must not change in place from now on (an edit makes a copy)."""
        self._rest, self._options = normalized(poll)
        self._source_options = poll.options

    def changed_in(self, poll: Poll) -> bool:
        """Whether ``poll`` sends other JSON than the poll the baseline was taken from."""
        if _all_but_options(poll) != self._rest:
            return True
        if poll.options is self._source_options:
            return False
        ordered = poll.ordered_options()
        return len(ordered) != len(self._options) or any(_option_sent(o) != b for o, b in zip(ordered, self._options))


def votes_by_option(poll: Poll | None) -> dict[str, int] | None:
    """Each option id's votes, from a poll's results in our shape; None without them."""
    view = poll.results_view if poll is not None else None
    if view is None:
        return None
    return dict(view.by_option)


def voted_option_changes(
    server: Poll, mine: Poll, *, original: Poll | None = None, fallback_votes: Poll | None = None
) -> list[str]:
    """Options of ``server`` that have votes and that ``mine`` removes or renames, in words.

    A title that ``mine`` keeps as it was in ``original`` is not the user's rename (someone else
    renamed it on the server, and the user chose to overwrite), so it is not reported again.
    """
    view = server.results_view or (fallback_votes.results_view if fallback_votes else None)
    if view is None:
        return []
    mine_by_id = {o.id: o for o in mine.options}
    original_titles = {o.id: o.title for o in original.options} if original is not None else {}
    lines = []
    for option in server.ordered_options():
        votes = view.votes_for(option.id)
        if votes <= 0:
            continue
        count = votes_text(votes)
        if option.id not in mine_by_id:
            lines.append(f"“{option.title}” ({count}) is removed: its votes will stop counting.")
            continue
        title = mine_by_id[option.id].title
        if title != option.title and original_titles.get(option.id) != title:
            lines.append(f"“{option.title}” ({count}) is renamed to “{title}”: its votes will count for the new text.")
    return lines


async def save(
    session: Session,
    ref: ContentRef,
    edited: Poll,
    original: Poll | None,
    ask: Ask,
    *,
    votes: Poll | None = None,
    journal: bool = True,
    original_is_current: bool = False,
) -> SaveOutcome:
    """Create or update ``edited`` on ``ref``; ``votes`` is a poll with results to warn from
    when the server's answer has none. ``journal`` false: the change is not recorded for undo.
    ``original_is_current``: ``original`` was read from the server (results too) just before
    this call, so it is not read again before the PUT (the CLI's ``update``: one GET, one PUT)."""
    if session.read_only:
        return _kept(READ_ONLY, SaveStatus.READ_ONLY)
    try:
        if original is None or not original.id:
            return await _create(session, ref, edited, ask, journal)
        fresh = original if original_is_current else None
        return await _update(session, ref, edited, original, ask, votes, journal, fresh)
    except PollsError as error:
        status = SaveStatus.UNCERTAIN if error.maybe_done else SaveStatus.FAILED
        return SaveOutcome(status, error=error)  # the front ends word it


async def _update(
    session: Session, ref: ContentRef, edited: Poll, original: Poll, ask: Ask, votes: Poll | None, journal: bool,
    fresh: Poll | None,
) -> SaveOutcome:  # fmt: skip
    """``fresh``: the server's version, when the caller has just read it; else it is read here."""
    client = session.client
    poll_id = original.id or ""
    try:
        if fresh is None:
            fresh = await client.get_poll(ref, poll_id, results=True)
    except PollNotFoundError:
        again = await ask.confirm(
            Question(
                "This poll was deleted on the server",
                "Someone deleted it while you were editing. Create it again from your version? "
                "It will get a new id (the API assigns ids), and its old votes are gone.",
                confirm_label="Create again",
                cancel_label="Keep editing",
                topic=Topic.RECREATE,
            )
        )
        if not again:
            return _kept("The poll no longer exists on the server; your edits are kept.", SaveStatus.GONE)
        return await _post(session, ref, edited, journal)

    if not same_as_left(fresh.to_api(), original.to_api()):  # results, and the server's own ways, ignored
        choice = await ask.conflict(original, fresh)
        if choice is ConflictChoice.RELOAD:
            drop = await ask.confirm(
                Question(
                    "Reload the server's version?",
                    "Your edits in this editor will be discarded and replaced by the server's version.",
                    confirm_label="Reload",
                    cancel_label="Keep editing",
                    destructive=True,
                    topic=Topic.RELOAD,
                )
            )
            if not drop:
                return _kept("Not saved: the poll changed on the server. Save again to decide again.")
            return SaveOutcome(
                SaveStatus.RELOADED,
                poll=fresh,
                message="Reloaded the server's version; your edits were dropped.",
                notice="Reloaded the server's version.",
            )
        if choice is not ConflictChoice.OVERWRITE:
            return _kept("Not saved: the poll changed on the server. Save again to decide again.")

    warnings = voted_option_changes(fresh, edited, original=original, fallback_votes=votes)
    if warnings and not await ask.confirm(
        Question(
            "Change options that have votes?",
            "\n".join(f"• {line}" for line in warnings),
            confirm_label="Save anyway",
            cancel_label="Keep editing",
            destructive=True,
            topic=Topic.VOTES,
        )
    ):
        return _kept("Not saved: options with votes were left as they are on the server.")

    body = edited.clone()
    body.id = poll_id
    try:
        updated = await client.update_poll(ref, body)
    except PollsError as error:
        if not error.maybe_done:
            raise
        back = await read_back(client, ref, poll_id, body.to_api(), fresh.to_api())
        if back.poll is None:  # not saved, or it cannot be told
            told = back.told(error, "Reload the poll to check")
            status = SaveStatus.UNCERTAIN if told.maybe_done else SaveStatus.FAILED
            return SaveOutcome(status, message=str(told), error=back.told(error, ""))  # the CLI words the check
        updated = back.poll  # it was saved after all
    if not journal:
        return _saved(updated, None)
    problem = await session.record("update", ref, client.endpoint, poll_id, fresh, updated)
    return _saved(updated, problem)


@dataclass
class ReadBack:
    """What reading a poll back after a PUT that may have been carried out told."""

    poll: Poll | None = None
    """The poll as saved: the PUT was carried out after all."""
    unchanged: bool = False
    """The poll is as it was before: not saved."""
    problem: PollsError | None = None
    """Reading it back failed."""

    def told(self, error: PollsError, check: str) -> PollsError:
        """The PUT's ``error`` told anew from what was read back (not saved, or unknown), with
        ``check`` ("Reload the poll to check") for how to look before saving again; "" when the
        caller words the check itself (undo: Outcome.check_before)."""
        first = error.first_sentence
        advice = f" {check} before saving again." if check else ""
        if self.problem is not None:
            return error.retold(
                f"{first} It may have been saved; reading it back failed too ({self.problem.happened}).{advice}",
                maybe_done=True,
            )
        if self.unchanged:
            return error.retold(f"{first} It was not saved (the poll on the server is unchanged): try again.", maybe_done=False)
        return error.retold(
            f"{first} The poll on the server is neither as it was nor as you saved it: it may have been saved "
            f"and changed again since.{advice}",
            maybe_done=True,
        )


async def read_back(client: PollsClient, ref: ContentRef, poll_id: str, sent: dict[str, Any], before: dict[str, Any]) -> ReadBack:
    """The PUT of ``sent`` (the poll was ``before``) failed after it went out (a lost answer,
    424, 5xx): read the poll back to tell whether it was saved, rather than say "not saved" (or
    "may or may not") about a change that happened. The server's own ways are no change."""
    try:
        now = await client.get_poll(ref, poll_id, results=True)
    except PollsError as problem:
        return ReadBack(problem=problem)
    became = written(now.to_api(), sent, before)
    return ReadBack(poll=now if became else None, unchanged=became is False)


async def _create(session: Session, ref: ContentRef, edited: Poll, ask: Ask, journal: bool) -> SaveOutcome:
    client = session.client
    entries = session.journal
    entry = await asyncio.to_thread(entries.uncertain, client.endpoint, ref)
    if entry is not None:
        from pollstui.session.posting import find_arrived

        found = await find_arrived(client, ref, entry.after or {}, set(entry.known_ids))
        if found is None:  # it never arrived: nothing to take, nothing to undo
            await asyncio.to_thread(entries.remove, entry)
        else:
            choice = await ask.arrived(ref, found)
            if choice is ArrivedChoice.KEEP:
                return _kept("Not saved: an earlier attempt's poll is on the server; save again to decide.")
            await asyncio.to_thread(entries.settle, entry, found.id or "", found)
            session.note_created(ref, found.id or "")
            if choice is ArrivedChoice.OPEN:
                return SaveOutcome(
                    SaveStatus.SAVED,
                    poll=found,
                    notice=f"“{found.title}” had arrived after all: nothing new was created.",
                )
    return await _post(session, ref, edited, journal)


async def _post(session: Session, ref: ContentRef, edited: Poll, journal: bool) -> SaveOutcome:
    from pollstui.session.posting import LostCreate, post_watched

    client = session.client
    created = await post_watched(client, ref, edited, session.known_ids(ref), look=False)
    if isinstance(created, LostCreate):  # lost, 424, 5xx, an unreadable 200: it may have been created
        if not journal:
            raise created.error
        # Remember how to find it: the next save (or undo) looks for it first.
        await session.record("create", ref, client.endpoint, "", None, edited, uncertain=True, known_ids=created.known_ids)
        return SaveOutcome(
            SaveStatus.UNCERTAIN,
            message=f"{created.error.first_sentence} The poll may have been created: saving again looks for it "
            "first, so it is not created twice.",
            error=created.error,
        )
    session.note_created(ref, created.id or "")
    if not journal:
        return _saved(created, None)
    problem = await session.record("create", ref, client.endpoint, created.id or "", None, created)
    return _saved(created, problem)


def _saved(poll: Poll, problem: str | None) -> SaveOutcome:
    """Saved and journalled (``problem`` ''): "Saved", undoable; the journal could not be
    written: the warning alone; not to be journalled (None): "Saved"."""
    if problem:
        return SaveOutcome(SaveStatus.SAVED, poll=poll, warning=f"Saved, but {problem}.")
    return SaveOutcome(SaveStatus.SAVED, poll=poll, notice=f"Saved “{poll.title}”", undoable=problem is not None)
