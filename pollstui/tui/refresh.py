"""Polite automatic refreshing: a base interval, doubled after each failure up to a cap.

Used by present mode (results every few seconds) and by the main screen's auto-refresh (``w``).
Pure Python, no Textual: the screens own the timers, this only says how long to wait.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The intervals ``+`` and ``-`` step through, in seconds.
INTERVAL_STEPS: tuple[float, ...] = (1, 2, 3, 5, 10, 15, 30, 60)

#: After failures the wait doubles, but never beyond this (unless the interval itself is longer).
MAX_BACKOFF = 60.0


@dataclass
class RefreshSchedule:
    """How long to wait before the next refresh.

    >>> s = RefreshSchedule(2)
    >>> s.failed(); s.failed(); s.delay
    8.0
    >>> s.succeeded(); s.delay
    2.0
    """

    interval: float = 2.0
    cap: float = MAX_BACKOFF
    failures: int = 0

    @property
    def delay(self) -> float:
        """The wait before the next attempt: the interval, doubled once per failure in a row, capped."""
        if not self.failures:
            return float(self.interval)
        return float(min(self.interval * 2 ** min(self.failures, 16), max(self.cap, self.interval)))

    @property
    def retrying(self) -> bool:
        return self.failures > 0

    def succeeded(self) -> None:
        self.failures = 0

    def failed(self) -> None:
        self.failures += 1

    def slower(self) -> float:
        """Step the interval up (``+``); returns the new interval."""
        self.interval = next((s for s in INTERVAL_STEPS if s > self.interval), self.interval)
        return self.interval

    def faster(self) -> float:
        """Step the interval down (``-``); returns the new interval."""
        self.interval = next((s for s in reversed(INTERVAL_STEPS) if s < self.interval), self.interval)
        return self.interval


def seconds_text(seconds: float) -> str:
    """``2 s``, ``1.5 s``, ``2 min`` — for intervals and delays shown on screen."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    if seconds == int(seconds):
        return f"{int(seconds)} s"
    return f"{seconds:.1f} s"
