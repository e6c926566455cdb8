"""Polite automatic refreshing: a base interval, doubled after each failure up to a cap.

Used by present mode (results every few seconds) and by the auto-refresh (``w``) of the main
screen and All items (:class:`AutoRefresher`). No Textual import: the screens own the timers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pollstui.text import seconds_text

if TYPE_CHECKING:
    from textual.timer import Timer

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


class AutoRefresher:
    """A screen's auto-refresh (``w``), owned by the screen.

    While on, it calls ``refresh()`` every ``interval`` seconds, the wait doubled per failure in a
    row (:class:`RefreshSchedule`). A turn that finds the screen covered (present mode, a dialog)
    or not ``ready()`` (a load in flight) waits for the next one. The screen's ``auto_note`` says
    whether it is on and when it retries.
    """

    def __init__(self, screen: Any, ready: Callable[[], bool], refresh: Callable[[], None]) -> None:
        self._screen, self._ready, self._refresh = screen, ready, refresh
        self.schedule: RefreshSchedule | None = None  # set while on
        self._timer: Timer | None = None

    @property
    def retrying(self) -> bool:
        """On, and the last reload failed (that failure was told already)."""
        return self.schedule is not None and self.schedule.retrying

    def toggle(self, interval: float) -> bool:
        """Turn it on (the first reload ``interval`` seconds from now) or off; True when it is now on."""
        self.schedule = None if self.schedule is not None else RefreshSchedule(interval)
        self._plan()
        return self.schedule is not None

    def stop(self) -> None:
        self.schedule = None
        self._plan()

    def done(self, succeeded: bool | None) -> None:
        """A quiet reload ended (True: succeeded, False: failed, None: cancelled): plan the next."""
        schedule = self.schedule
        if schedule is None:
            return
        if succeeded is True:
            schedule.succeeded()
        elif succeeded is False:
            schedule.failed()
        self._plan()

    def _plan(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        schedule, screen = self.schedule, self._screen
        if schedule is None:
            screen.auto_note = ""
            return
        screen.auto_note = f"auto, retry in {seconds_text(schedule.delay)}" if schedule.retrying else "auto"
        self._timer = screen.set_timer(schedule.delay, self._due)

    def _due(self) -> None:
        self._timer = None
        if self.schedule is None:
            return
        if not self._screen.is_active or not self._ready():
            self._plan()  # covered or already loading: next time
            return
        self._refresh()
