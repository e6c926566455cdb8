"""SQLite storage for the reference server: polls and their votes.

Why SQLite: edits made in the demo must survive a restart, and a single file is
the least a reader has to set up. WAL mode lets a reader (say a second
``pollstui serve`` on the same file) look while the server writes.

Layout
------
``polls``  one row per poll. The poll body is kept as JSON text, *whole*, so
           fields this server does not know (the API is a beta) come back
           exactly as they were sent. The content item the poll belongs to —
           (product, workspace, content, container) — is kept in columns, and
           ``seq`` keeps creation order (a PUT does not move a poll).
``votes``  one row per (poll, option, voter). Votes belong to option ids, so
           reordering options in a PUT keeps every vote where it was.

Results are computed on read (see :meth:`PollStore.results`), never stored.

Threading: one connection guarded by a lock. Uvicorn serves from one event
loop, but tests, the seeder and a vote simulator may write from other threads;
the lock makes every method one atomic step.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["ContentItem", "PollStore", "VoteError"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS polls (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    product    TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    content    TEXT NOT NULL,
    container  TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS polls_by_content
    ON polls (product, workspace, content, container, seq);
CREATE TABLE IF NOT EXISTS votes (
    poll_id    TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    option_id  TEXT NOT NULL,
    voter      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, option_id, voter)
);
"""


class ContentItem(NamedTuple):
    """The Jira issue or Confluence poll macro a poll lives on (container is '' on Jira)."""

    product: str
    workspace: str
    content: str
    container: str


class VoteError(ValueError):
    """A vote that cannot be recorded: unknown option, or several where only one is allowed."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dumps(body: Mapping[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, allow_nan=False)


def _with_id(body: Mapping[str, Any], poll_id: str) -> dict[str, Any]:
    """The body with ``id`` set; a new key goes first so stored JSON reads naturally."""
    if "id" in body:
        return {**body, "id": poll_id}
    return {"id": poll_id, **body}


def _ordered_options(poll: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The poll's options in display order (by ``order``, ties keep list position)."""
    options = poll.get("options")
    if not isinstance(options, list):
        return []
    valid = [o for o in options if isinstance(o, Mapping) and isinstance(o.get("id"), str)]
    return sorted(valid, key=lambda o: o["order"] if isinstance(o.get("order"), int) else 0)


def _create_private_file(path: Path) -> None:
    """Create the database file 0600 when it is missing, before SQLite does (SQLite gives its
    -wal and -shm files the database file's mode). An existing file keeps its mode."""
    if str(path) == ":memory:" or path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return
    os.chmod(path, 0o600)


class PollStore:
    """Polls and votes in one SQLite file (created 0600); every method is thread-safe.

    The store trusts its caller to have validated poll bodies (the HTTP app
    does); it only guarantees ids, scoping and persistence. A poll is found by
    id *and* its content item: asking for it from another content item is the
    same as asking for an id that does not exist.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        _create_private_file(Path(self.path))
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(_SCHEMA)

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> PollStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One locked transaction: committed on success, rolled back on error."""
        with self._lock, self._conn:
            yield self._conn

    # -- polls ---------------------------------------------------------------

    def list_polls(
        self, product: str, workspace: str, content: str, container: str = ""
    ) -> list[dict[str, Any]]:
        """The polls of one content item, in creation order."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT body FROM polls WHERE product=? AND workspace=? AND content=?"
                " AND container=? ORDER BY seq",
                (product, workspace, content, container),
            ).fetchall()
        return [json.loads(r["body"]) for r in rows]

    def get_poll(
        self, product: str, workspace: str, content: str, container: str, poll_id: str
    ) -> dict[str, Any] | None:
        """One poll of the content item, or None when it has no poll with that id."""
        with self._tx() as db:
            row = db.execute(
                "SELECT body FROM polls WHERE id=? AND product=? AND workspace=?"
                " AND content=? AND container=?",
                (poll_id, product, workspace, content, container),
            ).fetchone()
        return None if row is None else json.loads(row["body"])

    def create_poll(
        self,
        product: str,
        workspace: str,
        content: str,
        container: str,
        body: Mapping[str, Any],
        *,
        poll_id: str | None = None,
    ) -> dict[str, Any]:
        """Store a new poll; any ``id`` in ``body`` is replaced by a fresh uuid4.

        ``poll_id`` is for the seeder only (stable ids keep demo screenshots
        stable); the HTTP API never passes it.
        """
        fresh = poll_id or str(uuid.uuid4())
        poll = {"id": fresh, **{k: v for k, v in body.items() if k != "id"}}
        now = _now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO polls (id, product, workspace, content, container, body,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (poll["id"], product, workspace, content, container, _dumps(poll), now, now),
            )
        return poll

    def replace_poll(
        self,
        product: str,
        workspace: str,
        content: str,
        container: str,
        poll_id: str,
        body: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        """Replace the whole stored poll (id forced to ``poll_id``); None if not found.

        Votes are kept: they follow option ids, so a reordered option keeps its
        votes, and a removed option's votes simply stop counting.
        """
        poll = _with_id(body, poll_id)
        with self._tx() as db:
            cur = db.execute(
                "UPDATE polls SET body=?, updated_at=? WHERE id=? AND product=?"
                " AND workspace=? AND content=? AND container=?",
                (_dumps(poll), _now(), poll_id, product, workspace, content, container),
            )
        return poll if cur.rowcount else None

    def delete_poll(
        self, product: str, workspace: str, content: str, container: str, poll_id: str
    ) -> bool:
        """Delete a poll and its votes; False when the content item has no such poll."""
        with self._tx() as db:
            cur = db.execute(
                "DELETE FROM polls WHERE id=? AND product=? AND workspace=? AND content=?"
                " AND container=?",
                (poll_id, product, workspace, content, container),
            )
        return cur.rowcount > 0

    def count_polls(self) -> int:
        """How many polls the whole store holds (the seeder uses it to stay idempotent)."""
        with self._tx() as db:
            return int(db.execute("SELECT COUNT(*) FROM polls").fetchone()[0])

    def contents_with_polls(self) -> list[ContentItem]:
        """Every content item holding at least one poll, in order of its first poll."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT product, workspace, content, container, MIN(seq) AS first"
                " FROM polls GROUP BY product, workspace, content, container ORDER BY first"
            ).fetchall()
        return [ContentItem(r["product"], r["workspace"], r["content"], r["container"]) for r in rows]

    # -- votes (a demo/test mechanism; the Polls REST API has no voting) -----

    def _body(self, db: sqlite3.Connection, poll_id: str) -> dict[str, Any] | None:
        row = db.execute("SELECT body FROM polls WHERE id=?", (poll_id,)).fetchone()
        return None if row is None else json.loads(row["body"])

    def add_vote(self, poll_id: str, option_ids: Sequence[str], voter: str) -> None:
        """Record ``voter``'s choice, replacing any earlier vote of theirs on this poll.

        Raises KeyError for an unknown poll and VoteError for an empty choice, an
        option id the poll does not have, or several options on a single-choice poll.
        """
        choice = list(dict.fromkeys(option_ids))
        with self._tx() as db:
            poll = self._body(db, poll_id)
            if poll is None:
                raise KeyError(poll_id)
            known = {o["id"] for o in _ordered_options(poll)}
            if not choice:
                raise VoteError("a vote needs at least one option")
            unknown = [o for o in choice if o not in known]
            if unknown:
                raise VoteError(f"poll {poll_id} has no option {unknown[0]!r}")
            settings = poll.get("settings")
            multiple = isinstance(settings, Mapping) and settings.get(
                "allowSelectionOfMultipleOptions"
            ) is True
            if len(choice) > 1 and not multiple:
                raise VoteError(f"poll {poll_id} allows one option per voter")
            db.execute("DELETE FROM votes WHERE poll_id=? AND voter=?", (poll_id, voter))
            now = _now()
            db.executemany(
                "INSERT INTO votes (poll_id, option_id, voter, created_at) VALUES (?, ?, ?, ?)",
                [(poll_id, option_id, voter, now) for option_id in choice],
            )

    def results(self, poll_id: str) -> dict[str, Any] | None:
        """The calculated results of a poll, or None for an unknown poll.

        Shape: ``{"totalVotes": int, "totalVoters": int,
        "options": [{"optionId": str, "votes": int}, ...]}`` with one entry per
        current option, in display order. Only votes on current options count.
        """
        with self._tx() as db:
            poll = self._body(db, poll_id)
            if poll is None:
                return None
            rows = db.execute(
                "SELECT option_id, voter FROM votes WHERE poll_id=?", (poll_id,)
            ).fetchall()
        options = [o["id"] for o in _ordered_options(poll)]
        counts = dict.fromkeys(options, 0)
        voters: set[str] = set()
        for row in rows:
            if row["option_id"] in counts:
                counts[row["option_id"]] += 1
                voters.add(row["voter"])
        return {
            "totalVotes": sum(counts.values()),
            "totalVoters": len(voters),
            "options": [{"optionId": o, "votes": counts[o]} for o in options],
        }
