"""Autosaved editor drafts: nothing typed in the editor is lost to a crash, a quit or a failed save.

One JSON file per (endpoint, content item, poll) in :func:`pollstui.paths.drafts_dir`, written
atomically with mode 0600: two installations (a demo server and production) may both have a
PLAT-123, and a draft made on one is never offered on the other. A draft for a poll not yet
created is keyed ``new``, so there is at most one unsaved new poll per content item. A draft
written before drafts were kept per endpoint is still offered (on any endpoint) until it is
saved or discarded. The file holds the editor's whole state::

    {"version": 1, "ref": {…ContentRef…}, "poll_id": "ee91…" | null, "saved_at": "…",
     "poll": {…the poll as edited, unknown fields included…},
     "original": {…the poll as the editor opened it, results included…} | null}

``original`` is what the editor compares against to notice that someone else changed the poll
meanwhile, so a restored draft still detects a conflict on save.

No Textual here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pollstui import paths
from pollstui.api.address import ContentRef

if TYPE_CHECKING:
    from pollstui.api.models import Poll

DRAFT_VERSION = 1
NEW = "new"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _as_json(poll: Poll | dict[str, Any] | None, *, include_results: bool) -> dict[str, Any] | None:
    if poll is None:
        return None
    if isinstance(poll, dict):
        return json.loads(json.dumps(poll))
    return poll.to_api(include_results=include_results)


@dataclass
class Draft:
    """One autosaved editor state."""

    ref: ContentRef
    poll_id: str | None
    poll: dict[str, Any]
    original: dict[str, Any] | None = None
    saved_at: str = field(default_factory=_now)

    @property
    def is_new(self) -> bool:
        return self.poll_id is None

    @property
    def title(self) -> str:
        title = self.poll.get("title")
        return title if isinstance(title, str) else ""

    @property
    def saved_at_local(self) -> str:
        """``saved_at`` in local time, for humans (``2025-01-31 10:12``)."""
        try:
            when = datetime.fromisoformat(self.saved_at)
        except ValueError:
            return self.saved_at
        return when.astimezone().strftime("%Y-%m-%d %H:%M")

    def poll_model(self) -> Poll:
        from pollstui.api.models import Poll

        return Poll.from_api(self.poll)

    def original_model(self) -> Poll | None:
        from pollstui.api.models import Poll

        return None if self.original is None else Poll.from_api(self.original)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": DRAFT_VERSION,
            "ref": self.ref.to_dict(),
            "poll_id": self.poll_id,
            "saved_at": self.saved_at,
            "poll": self.poll,
            "original": self.original,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        poll = data["poll"]
        if not isinstance(poll, dict):
            raise ValueError("a draft's poll must be an object")
        original = data.get("original")
        if original is not None and not isinstance(original, dict):
            raise ValueError("a draft's original must be an object")
        poll_id = data.get("poll_id")
        return cls(
            ref=ContentRef.from_dict(data["ref"]),
            poll_id=str(poll_id) if poll_id else None,
            poll=poll,
            original=original,
            saved_at=str(data.get("saved_at", "")),
        )


class DraftStore:
    """The drafts in one directory; ``scope`` (the endpoint) keeps servers and installations apart."""

    def __init__(self, directory: Path | str, scope: str = "") -> None:
        self.dir = Path(directory)
        self.scope = scope

    @classmethod
    def default(cls, scope: str = "") -> DraftStore:
        return cls(paths.drafts_dir(), scope)

    def __repr__(self) -> str:
        return f"DraftStore({str(self.dir)!r})"

    def path_for(self, ref: ContentRef, poll_id: str | None, scope: str | None = None) -> Path:
        """The file of the draft for ``poll_id`` (None: a new poll) on ``ref`` (``scope``: another
        endpoint's, "" for a draft written before drafts were kept per endpoint)."""
        key = f"{ref.key}#{poll_id or NEW}"
        scope = self.scope if scope is None else scope
        readable = quote(key, safe="")
        if len(readable) > 150:
            readable = readable[:100]
        digest = hashlib.sha256((f"{scope}\n{key}" if scope else key).encode("utf-8")).hexdigest()[:12]
        return self.dir / f"{readable}.{digest}.json"

    def _paths(self, ref: ContentRef, poll_id: str | None) -> list[Path]:
        """This endpoint's file for the draft, then the one a draft kept before endpoints had."""
        return [self.path_for(ref, poll_id)] + ([self.path_for(ref, poll_id, "")] if self.scope else [])

    def save(
        self,
        ref: ContentRef,
        poll_id: str | None,
        poll: Poll | dict[str, Any],
        original: Poll | dict[str, Any] | None = None,
    ) -> Draft:
        """Write the draft atomically (0600), replacing any earlier one for the same poll."""
        draft = Draft(
            ref=ref,
            poll_id=poll_id or None,
            poll=_as_json(poll, include_results=False) or {},
            original=_as_json(original, include_results=True),
        )
        # Not indented: json's C encoder writes only compact JSON (the autosave of a poll with
        # thousands of options, as the user types, takes a third of the time).
        paths.write_private_file(self.path_for(ref, poll_id), json.dumps(draft.to_dict(), ensure_ascii=False))
        return draft

    def load(self, ref: ContentRef, poll_id: str | None) -> Draft | None:
        """The draft, or None when there is none or it cannot be read.

        An unreadable draft is renamed to ``….broken`` (kept for the curious, never offered).
        """
        path = next((path for path in self._paths(ref, poll_id) if path.is_file()), None)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            draft = Draft.from_dict(data)
            draft.poll_model()  # a draft the editor could not open is no draft
            draft.original_model()
            return draft
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - any damage means "no usable draft"
            try:
                path.replace(path.with_suffix(".broken"))
            except OSError:
                pass
            return None

    def exists(self, ref: ContentRef, poll_id: str | None) -> bool:
        return any(path.is_file() for path in self._paths(ref, poll_id))

    def existing(self, ref: ContentRef, poll_ids: set[str]) -> set[str]:
        """Which of ``poll_ids`` on ``ref`` have a draft: one listing of the folder (not a look
        per poll; a list of 1,000 polls usually has no draft at all)."""
        try:
            with os.scandir(self.dir) as entries:
                names = {entry.name for entry in entries if entry.name.endswith(".json")}
        except FileNotFoundError:
            return set()
        if not names:
            return set()
        return {poll_id for poll_id in poll_ids if any(path.name in names for path in self._paths(ref, poll_id))}

    def discard(self, ref: ContentRef, poll_id: str | None) -> bool:
        """Delete the draft; False when there was none."""
        found = False
        for path in self._paths(ref, poll_id):
            try:
                path.unlink()
                found = True
            except FileNotFoundError:
                pass
        return found

    def all(self) -> list[Draft]:
        """Every readable draft, newest first."""
        drafts = []
        if not self.dir.is_dir():
            return drafts
        for path in self.dir.glob("*.json"):
            try:
                drafts.append(Draft.from_dict(json.loads(path.read_text(encoding="utf-8"))))
            except Exception:  # noqa: BLE001
                continue
        return sorted(drafts, key=lambda d: d.saved_at, reverse=True)
