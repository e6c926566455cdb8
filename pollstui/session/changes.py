"""Delete, undo and duplicate: ask what must be asked, change the server, journal it, say what happened.

Each returns an :class:`Outcome` in plain words that name no key (``undoable`` says the change
can be undone: each front end words that, with its own key); a server failure is an outcome
too (with its error), never an exception. Every one refuses in read-only mode.

Undo reverses the newest journalled change made on the session's endpoint:

- delete → POST the ``before`` JSON again. The API assigns ids, so the poll comes back with a
  **new id** (and without its votes). Older entries naming the old id are pointed at the new one.
  An *uncertain* delete (it failed after it went out, and looking failed too) is checked first:
  a poll still there needs no undo.
- update → PUT the ``before`` JSON.
- create → DELETE the poll. An *uncertain* create (its answer was lost) is looked for first;
  when it never arrived there is nothing to undo.

A delete that fails after it went out (a lost answer, 424, 5xx) reads the poll back: gone is
deleted, still there is not deleted, anything else is "maybe deleted" (never "not deleted").

An entry is removed only once its undo succeeded on the server (or is moot). When the server's
poll is no longer what this app left (someone else edited it, votes arrived on a poll whose
creation is undone; what a server does on its own, such as adding fields, does not count: see
:mod:`~pollstui.session.sameness`) the user is asked again. An undo is not journalled: there is no redo.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.session.ask import Question, Topic
from pollstui.session.listing import is_unreadable, raw_title
from pollstui.session.saving import READ_ONLY
from pollstui.session.sameness import same_as_left
from pollstui.text import votes as votes_text

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.session.ask import Ask
    from pollstui.session.journal import JournalEntry
    from pollstui.session.listing import Row
    from pollstui.session.session import Session

@dataclass
class Outcome:
    """What an operation did, for the user."""

    done: bool
    """The server was changed (or already was as wanted)."""
    message: str = ""
    """What to tell the user; '' when there is nothing to tell (they said no), or only the
    ``error`` (each front end words it)."""
    title: str = ""
    severity: str = "information"  # information | warning | error (as Textual's notify)
    ref: ContentRef | None = None
    """The content item whose polls changed."""
    poll: Poll | None = None
    """The poll as the server has it now (created, restored), when there is one."""
    error: PollsError | None = None
    ask_again: str = ""
    """Nothing was done: the server's poll is not what this app left, for this reason."""
    check_before: str = ""
    """It may have been done: what not to do again before checking the list ("deleting it
    again"). Each front end words how to check (the TUI loads the list again on its own)."""
    undoable: bool = False
    """The change (or the one that may have been made) is in the undo history: :func:`undo`
    takes it back, looking first where it is not sure."""


def _failed(
    error: PollsError, title: str, maybe: str, *, ref: ContentRef | None = None, check_before: str = "",
    undoable: bool = False,
) -> Outcome:
    """A server failure: ``title`` ("Not deleted"), or ``maybe`` ("Maybe deleted") when the
    change may have been made all the same (``check_before`` then says what not to do before
    checking; ``ref``, the content item it may have changed, is then the outcome's, so its list
    can be shown as it is now; ``undoable``: it was journalled as uncertain)."""
    told = str(error) if error.advised else ""  # the session's words, else the front end's for the error
    if error.maybe_done:
        return Outcome(False, told, maybe, "warning", ref=ref, error=error, check_before=check_before, undoable=undoable)
    return Outcome(False, told, title, "error", error=error)


def _refused() -> Outcome:
    return Outcome(False, READ_ONLY, "Read-only", "warning")


def votes_phrase(votes: int | None) -> str:
    if votes is None:
        return "Its votes (if any) will be lost."
    if votes == 0:
        return "It has no votes."
    return f"Its {votes_text(votes)} will be lost."


def _journal_warning(problem: str) -> str:
    return f" But {problem}." if problem else ""


# -- delete --------------------------------------------------------------------------------------


async def delete(session: Session, ref: ContentRef, poll: Row | str, ask: Ask, *, journal: bool = True) -> Outcome:
    """Confirm, then delete ``poll`` (a list's row, readable or not, or known by its id only) from
    ``ref``; ``journal`` false: the delete is not recorded, so it cannot be undone (the question says so).

    A poll known by its id only (``pollstui delete --yes``: nothing to ask, so nothing read first)
    costs one request, the DELETE, and its outcome is worded from what that answered."""
    from pollstui.api.listing import UnreadablePoll

    if session.read_only:
        return _refused()
    id_only = isinstance(poll, str)
    if isinstance(poll, str):
        poll = UnreadablePoll(0, poll, "known by its id only", {"id": poll})
    readable = not is_unreadable(poll)
    title = (poll.title if readable else raw_title(poll.raw)) or poll.id or "(no title)"
    named = f"poll {poll.id}" if id_only else f"“{title}”"  # an id in quotes would read as a title
    if not poll.id:
        return Outcome(False, "This poll has no id, so it cannot be deleted.", severity="warning")
    votes = poll.total_votes if readable else None
    undo = (
        "It can be undone (the poll comes back with a new id, without its votes)."
        if journal
        else "This cannot be undone."
    )
    confirmed = await ask.confirm(
        Question(
            f"Delete “{title}”?",
            f"It will be deleted from {ref.label}. {votes_phrase(votes)} {undo}",
            confirm_label="Delete",
            cancel_label="Cancel",
            destructive=True,
            topic=Topic.DELETE,
        )
    )
    if not confirmed:
        return Outcome(False)
    try:
        client = session.client
        before: Poll | dict[str, Any] | None = None
        if not journal:
            pass  # nothing to record: no need to fetch what the server holds now
        elif not readable:
            before = poll.raw  # as the list sent it: pollstui cannot read it back as a poll
        else:
            try:
                # Journal what the server holds now, unknown fields and all, not a possibly stale copy.
                before = await client.get_poll(ref, poll.id)
            except PollNotFoundError:
                return Outcome(True, f"“{title}” was already deleted from {ref.label}.", severity="warning", ref=ref)
        try:
            await client.delete_poll(ref, poll.id)
        except PollsError as error:
            if not error.maybe_done:
                raise
            checked = await _after_uncertain_delete(session, ref, poll.id, named, before, error, journal)
            if checked is not None:
                return checked
    except PollsError as error:
        return _failed(error, "Not deleted", "Maybe deleted", ref=ref)
    if not journal:
        return Outcome(True, f"Deleted {named} from {ref.label}.", "Deleted", ref=ref)
    problem = await session.record("delete", ref, client.endpoint, poll.id, before, None)
    return Outcome(
        True, f"Deleted “{title}”.{_journal_warning(problem)}", "Deleted", "warning" if problem else "information",
        ref=ref, undoable=not problem,
    )  # fmt: skip


async def _after_uncertain_delete(
    session: Session, ref: ContentRef, poll_id: str, named: str, before: Poll | dict[str, Any] | None, error: PollsError,
    journal: bool,
) -> Outcome | None:
    """A DELETE that failed after it went out (a lost answer, 424, 5xx): is the poll still there?
    None when it is gone (deleted after all); else what to tell. When looking fails too, the
    delete is journalled as uncertain, so undo can bring the poll back if it is gone."""
    try:
        await session.client.get_poll_json(ref, poll_id)
    except PollNotFoundError:
        return None
    except PollsError as problem:
        journalled = journal and before is not None
        warning = ""
        if journalled:
            warning = _journal_warning(
                await session.record("delete", ref, session.client.endpoint, poll_id, before, None, uncertain=True)
            )
        told = f"{error.first_sentence} {named[:1].upper()}{named[1:]} may have been deleted; looking failed too ({problem.happened}).{warning}"
        return Outcome(
            False, told, "Maybe deleted", "warning", ref=ref, error=error.retold(told, maybe_done=True),
            check_before="deleting it again", undoable=journalled and not warning,
        )  # fmt: skip
    told = f"{error.first_sentence} {named[:1].upper()}{named[1:]} is still on {ref.label}: it was not deleted. Try again."
    return Outcome(False, told, "Not deleted", "error", error=error.retold(told, maybe_done=False))


# -- duplicate -----------------------------------------------------------------------------------


async def duplicate(session: Session, ref: ContentRef, poll: Poll, target: ContentRef) -> Outcome:
    """Create a copy of ``poll`` on ``target`` (titled "… (copy)" on the same content item)."""
    if session.read_only:
        return _refused()
    body = poll.to_api()
    body.pop("id", None)
    body.pop("results", None)
    if target == ref:
        body["title"] = f"{poll.title} (copy)"
    where = "here" if target == ref else f"on {target.label}"
    from pollstui.session.posting import create_or_find

    lost: list[str] = []  # a copy that may have been made, noted in the journal: the journal's problem

    async def remember(known_ids: set[str]) -> str:
        """A copy that may have been made: journalled as an uncertain create, as the editor's save
        journals one, so undo (or the next save of a new poll on ``target``) looks for it again."""
        endpoint = session.client.endpoint
        lost.append(await session.record("create", target, endpoint, "", None, body, uncertain=True, known_ids=known_ids))
        return _journal_warning(lost[-1])

    try:
        client = session.client
        earlier = await _earlier_copy(session, target, poll.model_copy(update={"title": body["title"]}))
        if earlier is not None:
            return Outcome(True, f"The earlier attempt's copy “{earlier.title}” had arrived {where}: no second one "
                           "was made.", "Duplicated", ref=target, poll=earlier, undoable=True)  # fmt: skip
        created = await create_or_find(session, target, body, remember=remember)
    except PollsError as error:
        return _failed(error, "Not duplicated", "Maybe duplicated", ref=target, check_before="duplicating it again",
                       undoable=lost == [""])  # fmt: skip
    session.note_created(target, created.id or "")
    problem = await session.record("create", target, client.endpoint, created.id or "", None, created)
    return Outcome(
        True, f"Duplicated as “{created.title}” {where}.{_journal_warning(problem)}", "Duplicated",
        "warning" if problem else "information", ref=target, poll=created, undoable=not problem,
    )  # fmt: skip


async def _earlier_copy(session: Session, target: ContentRef, copy: Poll) -> Poll | None:
    """A ``copy`` that an earlier duplicate to ``target`` may have made (journalled as uncertain),
    if it arrived since: taken, as the editor's save takes one the user chooses, so a retry makes
    no second copy. One that never arrived is dropped from the journal."""
    from pollstui.api.arrivals import looks_like
    from pollstui.session.posting import settle_uncertain

    entry = await asyncio.to_thread(session.journal.uncertain, session.client.endpoint, target)
    if entry is None or not looks_like(copy, entry.after or {}):
        return None  # none, or another poll's (the editor's save asks about it)
    return await settle_uncertain(session, entry)


async def _note_lost_restore(session: Session, entry: JournalEntry, known_ids: set[str]) -> str:
    """An undo's restore that may have been made: the next undo looks for it first."""
    try:
        await asyncio.to_thread(session.journal.note_restore, entry, known_ids)
    except OSError as exc:
        return f" The undo history could not note it ({exc.strerror or exc})."
    return " Undoing again looks for it before restoring it again."


# -- undo ----------------------------------------------------------------------------------------


async def undo(session: Session, ask: Ask) -> Outcome:
    """Undo the newest change journalled for this endpoint, asking where it must."""
    if session.read_only:
        return _refused()
    entry: JournalEntry | Outcome | None = None
    try:
        client = session.client
        journal = session.journal
        entry = await asyncio.to_thread(journal.last, client.endpoint)
        if entry is None:
            return Outcome(False, "Nothing to undo: this app has made no changes on this server yet.")
        if entry.uncertain and entry.action == "delete":
            if await _still_there(session, entry):
                return Outcome(
                    True,
                    f"“{entry.title}” was never deleted from {entry.ref.label}: nothing to undo. "
                    "It was removed from the undo history.",
                    "Undone",
                )
        elif entry.uncertain:
            entry = await _settle_uncertain(session, entry)
            if isinstance(entry, Outcome):
                return entry
        if entry.action in ("update", "create"):  # changes what is there now, with no redo: ask
            question = (
                f"Put back the version of “{entry.title}” from before your change on {entry.ref.label}?"
                if entry.action == "update"
                else f"Delete “{entry.title}”, which you created on {entry.ref.label}?"
            )
            if not await ask.confirm(
                Question(
                    "Undo the last change?",
                    f"{question} There is no redo.",
                    confirm_label="Undo",
                    cancel_label="Cancel",
                    destructive=entry.action == "create",
                    topic=Topic.UNDO,
                )
            ):
                return Outcome(False)
        outcome = await undo_entry(session, entry)
        if outcome.ask_again:  # the server's poll is not what this app left
            if not await ask.confirm(
                Question("Undo anyway?", f"{outcome.ask_again} Undo anyway?", confirm_label="Undo anyway",
                         cancel_label="Cancel", destructive=True, topic=Topic.UNDO_ANYWAY)
            ):  # fmt: skip
                return Outcome(False, "Nothing was undone.")
            outcome = await undo_entry(session, entry, force=True)
        return outcome
    except PollsError as error:
        changed = entry.ref if entry is not None and not isinstance(entry, Outcome) else None
        return _failed(error, "Not undone", "Maybe undone", ref=changed, check_before="undoing again")


async def _still_there(session: Session, entry: JournalEntry) -> bool:
    """An uncertain delete: True (and the entry dropped) when its poll is still on the server."""
    try:
        await session.client.get_poll_json(entry.ref, entry.poll_id)
    except PollNotFoundError:
        return False
    await asyncio.to_thread(session.journal.remove, entry)
    return True


async def _settle_uncertain(session: Session, entry: JournalEntry) -> JournalEntry | Outcome:
    """An uncertain create: find the poll it made (the entry becomes a plain create), or drop it."""
    from pollstui.session.posting import settle_uncertain

    journal = session.journal
    if await settle_uncertain(session, entry) is None:
        return Outcome(
            True,
            f"The interrupted create of “{entry.title}” never arrived on {entry.ref.label}: nothing to undo. "
            "It was removed from the undo history.",
            "Undone",
        )
    settled = await asyncio.to_thread(journal.last, entry.endpoint)
    assert settled is not None
    return settled


async def undo_entry(session: Session, entry: JournalEntry, *, force: bool = False) -> Outcome:
    """Undo ``entry``; an outcome with ``ask_again`` when the server's poll changed since
    (nothing done: call again with ``force`` once the user agreed).

    Raises PollsError when the server call fails; the entry then stays, to be tried again.
    """
    client = session.client
    journal = session.journal
    title, where = entry.title, entry.ref.label

    if entry.action == "delete":
        if entry.before is None:
            await asyncio.to_thread(journal.remove, entry)
            return Outcome(False, f"Cannot restore “{title}”: its content was not recorded.", "Not undone", "warning")
        body = dict(entry.before)
        body.pop("id", None)
        body.pop("results", None)
        from pollstui.session.posting import create_or_find, find_arrived

        found = None
        if entry.known_ids:  # an earlier restore's answer was lost: it may have been made
            found = await find_arrived(client, entry.ref, body, set(entry.known_ids))
        created = found or await create_or_find(session, entry.ref, body, remember=partial(_note_lost_restore, session, entry))
        await asyncio.to_thread(journal.remove, entry)
        await asyncio.to_thread(journal.remap_poll_id, entry.endpoint, entry.ref, entry.poll_id, created.id or "")
        session.note_created(entry.ref, created.id or "")
        return Outcome(
            True,
            f"Restored “{title}” on {where} (it has a new id: the API assigns ids; its votes could not be restored).",
            "Undone",
            ref=entry.ref,
            poll=created,
        )

    try:
        current = await client.get_poll(entry.ref, entry.poll_id, results=True)
    except PollNotFoundError:
        await asyncio.to_thread(journal.remove, entry)
        if entry.action == "create":
            return Outcome(True, f"“{title}” was already deleted from {where}; nothing to undo.", "Undone", ref=entry.ref)
        return Outcome(
            False,
            f"Cannot undo the edit of “{title}”: the poll no longer exists on {where}. "
            "Nothing was changed; the edit was removed from the undo history.",
            "Not undone",
            "warning",
        )
    changed_since = not same_as_left(current.to_api(), entry.after)  # the server's own ways are no change

    if entry.action == "create":
        votes = current.total_votes or 0
        if not force and (changed_since or votes):
            why = []
            if changed_since:
                why.append("it was changed since this app created it")
            if votes:
                why.append(f"it has {votes_text(votes)} now")
            return Outcome(False, ask_again=f"Undoing the creation of “{title}” deletes it, but {' and '.join(why)}.")
        try:
            await client.delete_poll(entry.ref, entry.poll_id)
        except PollsError as error:  # looked at, as a delete's is: deleted after all, not deleted, or maybe
            if not error.maybe_done:
                raise
            checked = await _after_uncertain_delete(session, entry.ref, entry.poll_id, title, None, error, False)
            if checked is not None and checked.error is not None:
                raise checked.error from None
        await asyncio.to_thread(journal.remove, entry)
        return Outcome(True, f"Undid the creation of “{title}”: it was deleted from {where}.", "Undone", ref=entry.ref)

    if not force and changed_since:
        return Outcome(
            False,
            ask_again=f"“{title}” was changed on the server after this app's edit; "
            "undoing now would also discard those changes.",
        )
    before = dict(entry.before or {})
    before["id"] = entry.poll_id
    try:
        restored = await client.update_poll(entry.ref, before)
    except PollsError as error:  # read back, as a save's PUT is: undone, not undone, or maybe
        if not error.maybe_done:
            raise
        from pollstui.session.saving import read_back

        back = await read_back(client, entry.ref, entry.poll_id, before, current.to_api())
        if back.poll is None:
            raise back.told(error, "") from None
        restored = back.poll
    await asyncio.to_thread(journal.remove, entry)
    return Outcome(
        True,
        f"Undid the change to “{title}”: the previous version is back on {where}.",
        "Undone",
        ref=entry.ref,
        poll=restored,
    )
