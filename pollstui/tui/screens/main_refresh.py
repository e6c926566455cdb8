"""The main screen's auto-refresh (``w``): reload the list every few seconds, less often while the
server fails, and not while the screen is covered or a load is in flight.

A mixin of :class:`~pollstui.tui.screens.main.MainScreen` (its state lives there:
``auto_refresh``, ``_auto_timer``, ``auto_note``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pollstui.session.listing import Source
from pollstui.tui.refresh import RefreshSchedule, seconds_text

if TYPE_CHECKING:
    from pollstui.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

#: Seconds between automatic refreshes of the poll list (``w``), doubled while the server fails.
AUTO_REFRESH_INTERVAL = 5.0


class AutoRefresh(_Base):
    def action_toggle_auto_refresh(self) -> None:
        if self.auto_refresh is None:
            self.auto_refresh = RefreshSchedule(AUTO_REFRESH_INTERVAL)
            self.notify(f"Auto-refresh on: every {seconds_text(AUTO_REFRESH_INTERVAL)}, less often while "
                        "the server fails. w turns it off.")  # fmt: skip
        else:
            self.auto_refresh = None
            self.notify("Auto-refresh off.")
        self._plan_auto_refresh()

    def _plan_auto_refresh(self) -> None:
        if self._auto_timer is not None:
            self._auto_timer.stop()
            self._auto_timer = None
        schedule = self.auto_refresh
        if schedule is None:
            self.auto_note = ""
            return
        self.auto_note = f"auto, retry in {seconds_text(schedule.delay)}" if schedule.retrying else "auto"
        self._auto_timer = self.set_timer(schedule.delay, self._auto_refresh_due)

    def _auto_refresh_due(self) -> None:
        self._auto_timer = None
        if self.auto_refresh is None:
            return
        if not self.is_active or self.ref is None or self.busy or self.listing.source is Source.LOADING:
            self._plan_auto_refresh()  # covered (present mode, a dialog) or already loading: next time
            return
        self.reload(quiet=True)

    def _auto_refresh_done(self, succeeded: bool | None) -> None:
        schedule = self.auto_refresh
        if schedule is None:
            return
        if succeeded is True:
            schedule.succeeded()
        elif succeeded is False:
            schedule.failed()
        self._plan_auto_refresh()
