"""Simulated voters for the reference server: random votes arriving at a steady rate.

Voting is not part of the Polls REST API: the API creates, reads, changes and deletes polls,
and its results are calculated by the real app from votes cast in Jira or Confluence. In the
reference server, votes are a demo-only mechanism, kept apart from the API's code path: this
module writes through :meth:`PollStore.add_vote` and nothing else, and the HTTP app
(:mod:`pollstui.server.app`) never imports it. ``pollstui serve --simulate-votes RATE`` and
``pollstui demo`` (unless ``--no-votes``) run it beside the server so results move on screen.

What a simulated vote respects, poll by poll (read afresh for every batch, so polls created,
edited or deleted through the API meanwhile are followed):

- a single-choice poll gets exactly one option per vote; a poll that allows several
  (``allowSelectionOfMultipleOptions``) gets 1…n distinct options;
- a poll with ``closePollOnEndDate`` whose ``endDate`` is in the past gets nothing: the polls
  app is assumed to stop taking votes then (README, "What we assume about the API"; not in the
  API's docs), and ``pollstui close`` relies on it. Past its end date without
  ``closePollOnEndDate``, a poll still gets votes. The date is read by :mod:`pollstui.dates`: a
  date (closed once that day is over, in UTC), or a date-time with or without seconds, fraction
  and offset (UTC when it has none). An empty or unreadable ``endDate`` means open;
- a poll without options gets nothing;
- each vote comes from a new voter (``sim-<run>-<n>``), so totals grow; on a poll that allows
  revotes, some votes are instead a simulated voter of this run changing their vote.

Options are drawn with per-poll weights, so bars pull apart as real results do. Everything
random comes from ``rng``; with a seeded :class:`random.Random`, :meth:`VoteSimulator.tick`
is deterministic (tests use it instead of sleeping).
"""

from __future__ import annotations

import logging
import math
import random
import sqlite3
import threading
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from pollstui.dates import parse_end_date
from pollstui.server.store import PollStore, VoteError

__all__ = ["VoteSimulator", "parse_end_date", "voting_closed"]

log = logging.getLogger("pollstui.server.voters")

#: Share of votes on revote-allowed polls that are an earlier simulated voter changing their vote.
REVOTE_SHARE = 0.2

def voting_closed(settings: Any, now: datetime | None = None) -> bool:
    """Whether a poll's ``settings`` close it on its ``endDate`` (``closePollOnEndDate`` true) and
    that date is in the past."""
    if not isinstance(settings, Mapping) or settings.get("closePollOnEndDate") is not True:
        return False
    end = parse_end_date(settings.get("endDate"))
    return end is not None and end <= (now or datetime.now(timezone.utc))


class VoteSimulator:
    """Adds random votes to the polls in ``store``, ``rate`` votes per second in all.

    :meth:`start` runs it in a daemon thread until :meth:`stop` (or use it as a context
    manager); :meth:`tick` adds votes synchronously, for tests. Thread-safe.
    """

    def __init__(self, store: PollStore, rate: float, *, rng: random.Random | None = None) -> None:
        if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0):
            raise ValueError(f"the vote rate must be a positive number of votes per second, not {rate!r}")
        self.store = store
        self.rate = float(rate)
        self.rng = rng if rng is not None else random.Random()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_id = f"{self.rng.getrandbits(24):06x}"  # voters of an earlier run on the same db stay apart
        self._next_voter = 0
        self._voters: dict[str, list[str]] = {}  # poll id -> simulated voters of this run
        self._weights: dict[tuple[str, tuple[str, ...]], list[float]] = {}
        self.votes_cast = 0
        """Votes recorded so far (by the thread and by :meth:`tick`)."""

    # -- the thread ----------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> VoteSimulator:
        """Start voting in a background (daemon) thread; returns at once."""
        if self._thread is not None:
            raise RuntimeError("the vote simulator is already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pollstui-voters", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it (idempotent). A vote in progress is finished first."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def __enter__(self) -> VoteSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        """Keep ``rate`` votes per second on average: cast what is due, sleep until the next."""
        started = time.monotonic()
        due_so_far = 0  # votes attempted, whether or not a poll could take them
        burst = max(1, math.ceil(self.rate))  # never more than a second's worth at once
        while not self._stop.is_set():
            due = int((time.monotonic() - started) * self.rate) - due_so_far
            if due > burst:  # fell behind (a slow disk, a suspended laptop): skip, do not flood
                due_so_far += due - burst
                due = burst
            if due > 0:
                try:
                    self.tick(due)
                except sqlite3.ProgrammingError:  # the store was closed under us: nothing more to do
                    log.debug("vote simulator: the store is closed; stopping")
                    return
                except sqlite3.Error as exc:  # locked, busy …: try again with the next batch
                    log.debug("vote simulator: could not vote (%s)", exc)
                due_so_far += due
            wait = (due_so_far + 1) / self.rate - (time.monotonic() - started)
            self._stop.wait(min(max(wait, 0.0), 0.5))

    # -- votes ---------------------------------------------------------------

    def tick(self, n: int = 1) -> int:
        """Try to add ``n`` votes now; return how many were recorded.

        Fewer than ``n`` when no poll can take a vote (all closed, or without options), or when
        a poll changed or disappeared between reading it and voting.
        """
        with self._lock:
            polls = self._open_polls()
            cast = 0
            for _ in range(n):
                if not polls:
                    break
                if self._vote(self.rng.choice(polls)):
                    cast += 1
            self.votes_cast += cast
            return cast

    def _open_polls(self) -> list[dict[str, Any]]:
        """Every poll in the store that can take a vote now."""
        now = datetime.now(timezone.utc)
        polls = []
        for item in self.store.contents_with_polls():
            for poll in self.store.list_polls(*item):
                if _option_ids(poll) and not voting_closed(poll.get("settings"), now):
                    polls.append(poll)
        return polls

    def _vote(self, poll: Mapping[str, Any]) -> bool:
        poll_id = poll["id"]
        option_ids = _option_ids(poll)
        settings = poll.get("settings")
        settings = settings if isinstance(settings, Mapping) else {}
        weights = self._weights_for(poll_id, option_ids)
        if settings.get("allowSelectionOfMultipleOptions") is True:
            k = self.rng.randint(1, len(option_ids))
            choice = _weighted_sample(self.rng, option_ids, weights, k)
        else:
            choice = self.rng.choices(option_ids, weights)
        earlier = self._voters.get(poll_id, [])
        revote = bool(earlier) and settings.get("allowRevote") is True and self.rng.random() < REVOTE_SHARE
        voter = self.rng.choice(earlier) if revote else self._new_voter()
        try:
            self.store.add_vote(poll_id, choice, voter)
        except (KeyError, VoteError) as exc:  # deleted or edited since it was read
            log.debug("vote simulator: skipped poll %s (%s)", poll_id, exc)
            return False
        if not revote:
            self._voters.setdefault(poll_id, []).append(voter)
        return True

    def _new_voter(self) -> str:
        self._next_voter += 1
        return f"sim-{self._run_id}-{self._next_voter}"

    def _weights_for(self, poll_id: str, option_ids: list[str]) -> list[float]:
        key = (poll_id, tuple(option_ids))
        if key not in self._weights:
            self._weights[key] = [self.rng.uniform(1.0, 4.0) for _ in option_ids]
        return self._weights[key]


def _option_ids(poll: Mapping[str, Any]) -> list[str]:
    """The poll's distinct option ids, in list order (options without a usable id are skipped)."""
    options = poll.get("options")
    if not isinstance(options, list):
        return []
    ids = [o["id"] for o in options if isinstance(o, Mapping) and isinstance(o.get("id"), str) and o["id"]]
    return list(dict.fromkeys(ids))


def _weighted_sample(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    """``k`` distinct items, each draw weighted among those not drawn yet."""
    pool = list(zip(items, weights))
    chosen = []
    for _ in range(k):
        pick = rng.choices(range(len(pool)), [w for _, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen
