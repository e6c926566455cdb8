"""The undo journal: every change pollstui made on a server, so it can be undone.

One JSON object per line in :func:`pollstui.paths.journal_file` (mode 0600)::

    {"time": "2025-01-31T09:12:00+00:00", "action": "update",
     "ref": {"product": "jira", "workspace": "PLAT", "content": "PLAT-1", "container": ""},
     "endpoint": "https://…/x1/…", "poll_id": "ee91…",
     "before": {…poll JSON before the change…}, "after": {…poll JSON after…}}

``before`` is ``null`` for a create and ``after`` is ``null`` for a delete. The endpoint is kept
without its query string, so the token never reaches this file. Poll JSON is stored as sent
(:meth:`Poll.to_api`, without results), unknown fields included, so an undo restores them too.

A create whose answer was lost (a timeout, a broken connection) may or may not have happened:
it is recorded with ``"uncertain": true``, an empty ``poll_id``, the body that was sent as
``after`` and the ids of the polls that were there before as ``known_ids``, so the poll can be
looked for later (by the next save of the same draft, or by an undo). A delete whose outcome
could not be told (its answer was lost and looking failed too) is recorded uncertain as well:
undo first checks that the poll is really gone. A delete whose undo's restore may have been
made (its answer lost, and the poll not found at once) keeps the ids there before that restore
as ``known_ids``, so the next undo looks for the restored poll before restoring it again.

Undoing an entry is :mod:`pollstui.session.changes`'s job; this module only stores them.

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

if TYPE_CHECKING:
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
    uncertain: bool = False
    """A create whose answer was lost: ``poll_id`` is empty, ``after`` is the body sent."""
    known_ids: list[str] = field(default_factory=list)
    """For an uncertain create: the ids of the polls that were on ``ref`` before it. For a
    delete whose restore may have been made: the ids before that restore."""

    @property
    def title(self) -> str:
        """The poll's title as the user last knew it (after the change, else before)."""
        for data in (self.after, self.before):
            if isinstance(data, dict) and isinstance(data.get("title"), str):
                return data["title"]
        return self.poll_id

    def to_dict(self) -> dict[str, Any]:
        data = {
            "time": self.time,
            "action": self.action,
            "ref": self.ref.to_dict(),
            "endpoint": self.endpoint,
            "poll_id": self.poll_id,
            "before": self.before,
            "after": self.after,
        }
        if self.uncertain:
            data["uncertain"] = True
        if self.uncertain or self.known_ids:
            data["known_ids"] = list(self.known_ids)
        return data

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
            uncertain=data.get("uncertain") is True,
            known_ids=[str(i) for i in data.get("known_ids") or [] if isinstance(i, str)],
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
        *,
        uncertain: bool = False,
        known_ids: set[str] | list[str] = (),
    ) -> JournalEntry:
        """Append one change; the file is created 0600 when missing."""
        if action not in ACTIONS:
            raise ValueError(f"unknown journal action {action!r}")
        entry = JournalEntry(
            action, ref, endpoint, poll_id, _poll_json(before), _poll_json(after),
            uncertain=uncertain, known_ids=sorted(known_ids),
        )  # fmt: skip
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

    def remove(self, entry: JournalEntry) -> bool:
        """Remove ``entry`` (the newest equal one); False when it is not in the journal."""
        entries = self.entries()
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].to_dict() == entry.to_dict():
                del entries[index]
                self._rewrite(entries)
                return True
        return False

    def uncertain(self, endpoint: str, ref: ContentRef) -> JournalEntry | None:
        """The newest uncertain create on ``ref`` at ``endpoint``, or None."""
        for entry in reversed(self.entries(endpoint)):
            if entry.uncertain and entry.action == "create" and entry.ref == ref:
                return entry
        return None

    def settle(self, entry: JournalEntry, poll_id: str, after: Poll | dict[str, Any]) -> bool:
        """Turn the uncertain create ``entry`` into a plain one: its poll arrived as ``poll_id``."""
        entries = self.entries()
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].to_dict() == entry.to_dict():
                entries[index] = JournalEntry(
                    "create", entry.ref, entry.endpoint, poll_id, None, _poll_json(after), time=entry.time
                )
                self._rewrite(entries)
                return True
        return False

    def note_restore(self, entry: JournalEntry, known_ids: set[str]) -> bool:
        """The delete ``entry``'s restore may have been made: keep the ids there before it."""
        entries = self.entries()
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].to_dict() == entry.to_dict():
                entries[index].known_ids = sorted(known_ids)
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
