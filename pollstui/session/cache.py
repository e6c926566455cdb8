"""The last polls loaded for each content item, so the TUI can show them before the server answers.

One JSON file per content item in :func:`pollstui.paths.polls_cache_dir`, named by a hash of the
endpoint host and :attr:`ContentRef.key` (a demo server and a production one may both have a
PLAT-123; their polls must not be mistaken for each other). Each file holds the raw poll objects
as the server sent them and when they were fetched::

    {"version": 1, "key": "jira/PLAT/PLAT-123/", "fetched_at": "2024-05-01T12:03:00+00:00",
     "polls": [{...}, ...]}

Written atomically with mode 0600 (:func:`pollstui.paths.write_private_file`); no token is ever
stored. A file that cannot be read is treated as absent. Standard library only: no Textual here.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pollstui import paths
from pollstui.api.address import ContentRef

log = logging.getLogger("pollstui.cache")

VERSION = 1


@dataclass(frozen=True)
class CachedPolls:
    """Polls of one content item as last fetched."""

    key: str
    polls: list[dict[str, Any]]
    fetched_at: datetime  # timezone-aware (UTC when written by this module)


class PollsCache:
    """Reads and writes the cache files; ``scope`` (the endpoint) keeps servers and installations apart."""

    def __init__(self, directory: Path | None = None, scope: str = "") -> None:
        self.directory = Path(directory) if directory is not None else paths.polls_cache_dir()
        self.scope = scope

    def path_for(self, ref: ContentRef) -> Path:
        digest = hashlib.sha256(f"{self.scope}\n{ref.key}".encode()).hexdigest()[:32]
        return self.directory / f"{digest}.json"

    def load(self, ref: ContentRef) -> CachedPolls | None:
        path = self.path_for(ref)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != ref.key or not isinstance(data.get("polls"), list):
                return None
            fetched_at = datetime.fromisoformat(data["fetched_at"])
            if fetched_at.tzinfo is None:
                fetched_at = fetched_at.replace(tzinfo=timezone.utc)
            polls = [p for p in data["polls"] if isinstance(p, dict)]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("ignoring unreadable cache file %s: %s", path, exc)
            return None
        return CachedPolls(ref.key, polls, fetched_at)

    def save(
        self, ref: ContentRef, polls: list[dict[str, Any]], fetched_at: datetime | None = None, *, body: bytes | None = None
    ) -> CachedPolls:
        """Write ``polls``; ``body``, the JSON array they were decoded from, is written as it came
        when it is UTF-8 (not encoded again)."""
        when = fetched_at or datetime.now(timezone.utc)
        head = {"version": VERSION, "key": ref.key, "fetched_at": when.isoformat()}
        text = _utf8(body) if body is not None else None
        if text is not None:
            content = json.dumps(head, ensure_ascii=False)[:-1] + ', "polls": ' + text + "}"
        else:
            content = json.dumps({**head, "polls": polls}, ensure_ascii=False)
        try:
            paths.write_private_file(self.path_for(ref), content)
        except OSError as exc:  # a full disk must not break browsing
            log.warning("could not write the polls cache for %s: %s", ref.key, exc)
        return CachedPolls(ref.key, polls, when)

    def forget(self, ref: ContentRef) -> None:
        try:
            self.path_for(ref).unlink()
        except OSError:
            pass


def _utf8(body: bytes) -> str | None:
    """``body`` as text when it is UTF-8 (a leading byte order mark dropped), else None."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
