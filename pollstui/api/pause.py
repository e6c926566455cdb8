"""The pause after a 429, shared by every request of one client.

A rate limit is the user's (or the installation's), not one request's: when one request is told
to wait (``Retry-After``, or ``X-RateLimit-Reset`` when that is all a gateway sends; else the
client's back-off), every later attempt of the same client waits until that wait has passed, so
an overview's other requests in flight do not run into the same limit one after another. A
request waits out each pause once (the one that got the 429 waits its own, as its retry delay);
one whose deadline comes before the pause ends fails at once with the 429's error.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from pollstui.api.errors import PollsError


class Pause:
    """Until when (``clock`` time) every attempt waits, and the 429 that asked for it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.until = 0.0
        self.error: PollsError | None = None
        #: How many pauses there were: an attempt remembers the last one it waited out.
        self.count = 0

    def hold(self, seconds: float, error: PollsError) -> int:
        """Start a pause of ``seconds`` (the newest 429 says when); return its number."""
        self.until, self.error = self._clock() + seconds, error
        self.count += 1
        return self.count

    async def wait(self, seen: int, end: float, sleep: Callable[[float], Awaitable[None]]) -> int:
        """Wait out the pause unless it is number ``seen`` (waited already); return the pause now
        waited out. Raises the 429's error when the pause outlasts ``end``."""
        if seen == self.count:
            return seen
        wait = self.until - self._clock()
        if wait > 0:
            if self._clock() + wait >= end and self.error is not None:
                raise self.error.retold(self.error.message, maybe_done=False)
            await sleep(wait)
        return self.count
