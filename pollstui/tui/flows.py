"""Write flows the main screen runs in workers: delete, undo and duplicate.

Each one asks what it must ask (modal screens, via ``push_screen_wait`` — so call them from a
worker), talks to the server through ``app.client``, journals what it changed in ``app.journal``
and tells the user in plain words. A :class:`PollsError` becomes an error notification (its
message is already plain and redacted); nothing raises out of a flow for an API failure. Every
flow refuses in read-only mode.

``app`` is a :class:`~pollstui.tui.app.PollsApp` (or anything with ``client``, ``journal``,
``connection``, ``read_only``, ``notify`` and ``push_screen_wait``).
"""

from __future__ import annotations

from typing import Any

from pollstui.api.address import ContentRef
from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.api.models import Poll
from pollstui.journal import undo
from pollstui.text import votes as votes_phrase
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.duplicate import DuplicateScreen


def _refuse(app: Any, what: str) -> bool:
    if getattr(app, "read_only", False):
        app.notify(
            f"Read-only mode: {what} is turned off. Start pollstui without --read-only to change polls.",
            title="Read-only",
            severity="warning",
        )
        return True
    return False


def _error(app: Any, err: PollsError, title: str) -> None:
    app.notify(str(err), title=title, severity="error", timeout=10, markup=False)


def _votes_phrase(votes: int | None) -> str:
    if votes is None:
        return "Its votes (if any) will be lost."
    if votes == 0:
        return "It has no votes."
    return f"Its {votes_phrase(votes)} will be lost."


def _record(app: Any, action: str, ref: ContentRef, endpoint: str, poll_id: str, before: Any, after: Any) -> None:
    try:
        app.journal.record(action, ref, endpoint, poll_id, before, after)
    except OSError as exc:
        app.notify(
            f"Done, but the undo journal could not be written ({exc.strerror or exc}): this change cannot be undone.",
            severity="warning",
            markup=False,
        )


async def delete_flow(app: Any, ref: ContentRef, poll: Poll) -> bool:
    """Confirm, then delete ``poll`` from ``ref``; True when it was deleted."""
    if _refuse(app, "deleting"):
        return False
    if not poll.id:
        app.notify("This poll has no id, so it cannot be deleted.", severity="warning")
        return False
    confirmed = await app.push_screen_wait(
        ConfirmScreen(
            f"Delete “{poll.title}”?",
            f"It will be deleted from {ref.label}. {_votes_phrase(poll.total_votes)} "
            "You can undo with u (the poll comes back with a new id, without its votes).",
            confirm_label="Delete",
            cancel_label="Cancel",
        )
    )
    if not confirmed:
        return False
    try:
        client = app.client
        try:
            # Journal what the server holds now, unknown fields and all, not a possibly stale copy.
            before = await client.get_poll(ref, poll.id)
        except PollNotFoundError:
            app.notify(f"“{poll.title}” was already deleted from {ref.label}.", severity="warning", markup=False)
            return True
        await client.delete_poll(ref, poll.id)
    except PollsError as err:
        _error(app, err, "Not deleted")
        return False
    _record(app, "delete", ref, client.endpoint, poll.id, before, None)
    app.notify(f"Deleted “{poll.title}” — press u to undo.", title="Deleted", markup=False)
    return True


async def undo_flow(app: Any) -> ContentRef | None:
    """Undo the last change journalled for this endpoint; the content item it touched, or None."""
    if _refuse(app, "undo"):
        return None
    try:
        client = app.client
    except PollsError as err:
        _error(app, err, "Cannot undo")
        return None
    journal = app.journal
    endpoint = client.endpoint
    entry = journal.last(endpoint)
    if entry is None:
        app.notify("Nothing to undo: this app has made no changes on this server yet.", severity="information")
        return None

    # Undoing an edit or a creation changes what is there now, and there is no redo: ask first.
    if entry.action in ("update", "create"):
        question = (
            f"Put back the version of “{entry.title}” from before your edit on {entry.ref.label}?"
            if entry.action == "update"
            else f"Delete “{entry.title}”, which you created on {entry.ref.label}?"
        )
        if not await app.push_screen_wait(
            ConfirmScreen(
                "Undo the last change?",
                f"{question} There is no redo.",
                confirm_label="Undo",
                cancel_label="Cancel",
                destructive=entry.action == "create",
            )
        ):
            return None
    try:
        outcome = await undo(client, journal, endpoint)
        if outcome.needs_confirmation:
            if not await app.push_screen_wait(
                ConfirmScreen(
                    "Undo anyway?",
                    f"{outcome.message} Undo anyway?",
                    confirm_label="Undo anyway",
                    cancel_label="Cancel",
                )
            ):
                app.notify("Nothing was undone.", timeout=3)
                return None
            outcome = await undo(client, journal, endpoint, force=True)
    except PollsError as err:
        _error(app, err, "Not undone")
        return None
    app.notify(
        outcome.message,
        title="Undone" if outcome.done else "Not undone",
        severity="information" if outcome.done else "warning",
        timeout=8,
        markup=False,
    )
    return outcome.ref if outcome.done else None


async def duplicate_flow(app: Any, ref: ContentRef, poll: Poll) -> tuple[ContentRef, Poll] | None:
    """Ask where to, then create a copy of ``poll`` there; (target, the created poll) or None."""
    if _refuse(app, "duplicating"):
        return None
    try:
        client = app.client
    except PollsError as err:
        _error(app, err, "Not duplicated")
        return None
    target = await app.push_screen_wait(DuplicateScreen(poll.title, ref, client.endpoint))
    if target is None:
        return None
    body = poll.to_api()
    body.pop("id", None)
    body.pop("results", None)
    if target == ref:
        body["title"] = f"{poll.title} (copy)"
    try:
        created = await client.create_poll(target, body)
    except PollsError as err:
        _error(app, err, "Not duplicated")
        return None
    _record(app, "create", target, client.endpoint, created.id or "", None, created)
    where = "here" if target == ref else f"on {target.label}"
    app.notify(f"Duplicated as “{created.title}” {where} — press u to undo.", title="Duplicated", markup=False)
    return target, created
