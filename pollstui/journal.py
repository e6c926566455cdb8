"""The undo journal: every change pollstui made on a server, so it can be undone.

One JSON object per line in :func:`pollstui.paths.journal_file` (mode 0600)::

    {"time": "2025-01-31T09:12:00+00:00", "action": "update",
     "ref": {"product": "jira", "workspace": "PLAT", "content": "PLAT-1", "container": ""},
     "endpoint": "https://…/x1/…", "poll_id": "ee91…",
     "before": {…poll JSON before the change…}, "after": {…poll JSON after…}}

``before`` is ``null`` for a create and ``after`` is ``null`` for a delete. The endpoint is kept
without its query string, so the token never reaches this file. Poll JSON is stored as sent
(:meth:`Poll.to_api`, without results), unknown fields included, so an undo restores them too.

:func:`undo` reverses the newest entry for an endpoint:

- delete → POST the ``before`` JSON again. The API assigns ids, so the poll comes back with a
  **new id** (and without its votes: the API has no way to restore them). Older entries that
  name the old id are rewritten to the new one, so they can still be undone.
- update → PUT the ``before`` JSON.
- create → DELETE the poll.

An entry is removed only once its undo succeeded on the server (or is moot: undoing a create
whose poll is already gone). An update whose poll no longer exists cannot ever be undone, so
that entry is dropped too, with a message saying so. An undo is *not* journalled as a new
change: ``u`` walks back through history, one change at a time; there is no redo.

When the server's poll is no longer what this app left it as (someone else edited it, or votes
arrived on a poll whose creation is being undone), :func:`undo` changes nothing and returns an
outcome with ``needs_confirmation`` set; call it again with ``force=True`` once the user agreed.

No Textual here: the CLI can use it too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.text import votes as votes_phrase

if TYPE_CHECKING:  # the client pulls in httpx; the journal itself does not need it
    from pollstui.api.client import PollsClient
    from pollstui.api.models import Poll

Action = Literal["create", "update", "delete"]
ACTIONS: tuple[str, ...] = ("create", "update", "delete")

#: The journal keeps this many entries; older ones are dropped when a new one is recorded.
MAX_ENTRIES = 500


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _poll_json(poll: Poll | dict[str, Any] | None) -> dict[str, Any] | None:
    if poll is None:
        return None
    if isinstance(poll, dict):
        data = json.loads(json.dumps(poll))  # a deep, JSON-clean copy
    else:
        data = poll.to_api()
    data.pop("results", None)
    return data


@dataclass
class JournalEntry:
    """One change made on a server."""

    action: Action
    ref: ContentRef
    endpoint: str
    poll_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    time: str = field(default_factory=_now)

    @property
    def title(self) -> str:
        """The poll's title as the user last knew it (after the change, else before)."""
        for data in (self.after, self.before):
            if isinstance(data, dict) and isinstance(data.get("title"), str):
                return data["title"]
        return self.poll_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "action": self.action,
            "ref": self.ref.to_dict(),
            "endpoint": self.endpoint,
            "poll_id": self.poll_id,
            "before": self.before,
            "after": self.after,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JournalEntry:
        action = data["action"]
        if action not in ACTIONS:
            raise ValueError(f"unknown journal action {action!r}")
        return cls(
            action=action,
            ref=ContentRef.from_dict(data["ref"]),
            endpoint=str(data["endpoint"]),
            poll_id=str(data["poll_id"]),
            before=data.get("before"),
            after=data.get("after"),
            time=str(data.get("time", "")),
        )


class Journal:
    """The JSON-lines journal at ``path``.

    Reads skip lines that cannot be parsed (a crash mid-append leaves at most one), so a damaged
    journal never stops the app; the next rewrite drops them.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def default(cls) -> Journal:
        return cls(paths.journal_file())

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # -- reading ---------------------------------------------------------------------------

    def entries(self, endpoint: str | None = None) -> list[JournalEntry]:
        """Every entry, oldest first; only those for ``endpoint`` when given."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        entries = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                entry = JournalEntry.from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError):
                continue
            if endpoint is None or entry.endpoint == endpoint:
                entries.append(entry)
        return entries

    def last(self, endpoint: str | None = None) -> JournalEntry | None:
        """The newest entry (for ``endpoint`` when given), or None."""
        entries = self.entries(endpoint)
        return entries[-1] if entries else None

    def __len__(self) -> int:
        return len(self.entries())

    # -- writing ---------------------------------------------------------------------------

    def record(
        self,
        action: Action,
        ref: ContentRef,
        endpoint: str,
        poll_id: str,
        before: Poll | dict[str, Any] | None,
        after: Poll | dict[str, Any] | None,
    ) -> JournalEntry:
        """Append one change; the file is created 0600 when missing."""
        if action not in ACTIONS:
            raise ValueError(f"unknown journal action {action!r}")
        entry = JournalEntry(action, ref, endpoint, poll_id, _poll_json(before), _poll_json(after))
        line = json.dumps(entry.to_dict(), ensure_ascii=False) + "\n"
        paths.ensure_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass
        entries = self.entries()
        if len(entries) > MAX_ENTRIES:
            self._rewrite(entries[-MAX_ENTRIES:])
        return entry

    def pop_last(self, endpoint: str | None = None) -> JournalEntry | None:
        """Remove and return the newest entry (for ``endpoint`` when given)."""
        entries = self.entries()
        for index in range(len(entries) - 1, -1, -1):
            if endpoint is None or entries[index].endpoint == endpoint:
                entry = entries.pop(index)
                self._rewrite(entries)
                return entry
        return None

    def remove(self, entry: JournalEntry) -> bool:
        """Remove ``entry`` (the newest equal one); False when it is not in the journal."""
        entries = self.entries()
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].to_dict() == entry.to_dict():
                del entries[index]
                self._rewrite(entries)
                return True
        return False

    def remap_poll_id(self, endpoint: str, ref: ContentRef, old_id: str, new_id: str) -> int:
        """Point every entry about poll ``old_id`` on ``ref`` at ``new_id``; return how many changed.

        Used after undoing a delete: the poll came back under a new id.
        """
        entries = self.entries()
        changed = 0
        for entry in entries:
            if entry.endpoint == endpoint and entry.ref == ref and entry.poll_id == old_id:
                entry.poll_id = new_id
                for data in (entry.before, entry.after):
                    if isinstance(data, dict) and data.get("id") == old_id:
                        data["id"] = new_id
                changed += 1
        if changed:
            self._rewrite(entries)
        return changed

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def _rewrite(self, entries: list[JournalEntry]) -> None:
        text = "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entries)
        paths.write_private_file(self.path, text)


# -- undo ---------------------------------------------------------------------------------------


@dataclass
class UndoOutcome:
    """What :func:`undo` did (or why it did nothing)."""

    entry: JournalEntry | None
    """The entry undone (or examined); None when there was nothing to undo."""
    done: bool
    """True when the server was changed (or already in the undone state) and the entry removed."""
    message: str
    """A plain sentence for the user."""
    poll: Poll | None = None
    """The poll as it now is on the server (None after undoing a create, or when nothing was done)."""
    new_id: str | None = None
    """Set after undoing a delete: the id the server gave the re-created poll."""
    needs_confirmation: bool = False
    """Nothing was done because the server's poll is not what this app left; retry with force=True."""
    dropped: bool = False
    """The entry could never be undone (its poll is gone) and was removed without a server change."""

    @property
    def ref(self) -> ContentRef | None:
        return self.entry.ref if self.entry else None


def _comparable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    data = dict(data)
    data.pop("results", None)
    return data


async def undo(
    client: PollsClient, journal: Journal, endpoint: str, *, force: bool = False
) -> UndoOutcome:
    """Undo the newest journalled change made on ``endpoint`` (see the module docstring).

    Raises :class:`~pollstui.api.errors.PollsError` when the server call fails; the entry then
    stays in the journal, so the undo can be tried again.
    """
    from pollstui.api.errors import PollNotFoundError

    entry = journal.last(endpoint)
    if entry is None:
        return UndoOutcome(None, False, "Nothing to undo: this app has made no changes on this server.")
    title = entry.title
    where = entry.ref.label

    if entry.action == "delete":
        if entry.before is None:
            journal.remove(entry)
            return UndoOutcome(entry, False, f"Cannot restore “{title}”: its content was not recorded.", dropped=True)
        body = dict(entry.before)
        body.pop("id", None)
        body.pop("results", None)
        created = await client.create_poll(entry.ref, body)
        journal.remove(entry)
        journal.remap_poll_id(endpoint, entry.ref, entry.poll_id, created.id or "")
        return UndoOutcome(
            entry,
            True,
            f"Restored “{title}” on {where} (it has a new id: the API assigns ids; its votes could not be restored).",
            poll=created,
            new_id=created.id,
        )

    try:
        current = await client.get_poll(entry.ref, entry.poll_id, results=True)
    except PollNotFoundError:
        journal.remove(entry)
        if entry.action == "create":
            return UndoOutcome(entry, True, f"“{title}” was already deleted from {where}; nothing to undo.")
        return UndoOutcome(
            entry,
            False,
            f"Cannot undo the edit of “{title}”: the poll no longer exists on {where}. "
            "Nothing was changed; the edit was removed from the undo history.",
            dropped=True,
        )

    changed_since = _comparable(current.to_api()) != _comparable(entry.after)

    if entry.action == "create":
        votes = current.total_votes or 0
        if not force and (changed_since or votes):
            why = []
            if changed_since:
                why.append("it was changed since this app created it")
            if votes:
                why.append(f"it has {votes_phrase(votes)} now")
            return UndoOutcome(
                entry,
                False,
                f"Undoing the creation of “{title}” deletes it, but {' and '.join(why)}.",
                poll=current,
                needs_confirmation=True,
            )
        await client.delete_poll(entry.ref, entry.poll_id)
        journal.remove(entry)
        return UndoOutcome(entry, True, f"Undid the creation of “{title}”: it was deleted from {where}.")

    # update
    if not force and changed_since:
        return UndoOutcome(
            entry,
            False,
            f"“{title}” was changed on the server after this app's edit; undoing now would also discard those changes.",
            poll=current,
            needs_confirmation=True,
        )
    before = dict(entry.before or {})
    before["id"] = entry.poll_id
    restored = await client.update_poll(entry.ref, before)
    journal.remove(entry)
    return UndoOutcome(
        entry, True, f"Undid the edit of “{title}”: the previous version is back on {where}.", poll=restored
    )
