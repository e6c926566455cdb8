"""Helpers for pilot tests."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    """Everything the active screen shows (toasts included), as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def status(app: App) -> str:
    """The main screen's status line, as plain text."""
    return str(app.screen.query_one("#status").render())


def titles(app: App) -> list[str]:
    """The titles in the main screen's poll list, in order."""
    from pollstui.tui.widgets.poll_table import PollTable

    return [p.title for p in app.screen.query_one(PollTable).polls]


async def settle(pilot: Pilot, delay: float | None = None, *, failed_ok: bool = False) -> None:
    """Let screens switch and every worker finish, including those started by the ones before.

    Waits for conditions, not for a fixed time: the app idle (``pilot.pause()``), then no worker
    running; again until both hold at once. ``delay`` waits that long first (for timers).
    Never returns while a worker waits for a dialog's answer (a confirmation): wait for the dialog.
    A worker that failed raises here, failing the test, unless ``failed_ok`` (tests of faults,
    where a worker may end in an error the app reports).
    """
    await pilot.pause(delay)
    while True:
        if failed_ok:
            await wait_for(pilot, lambda: not any(worker.is_running for worker in pilot.app.workers))
        else:
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


async def wait_for(pilot: Pilot, predicate, timeout: float = 10.0) -> None:  # noqa: ANN001
    """Pause until ``predicate()`` is true (a clearer failure than a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


async def polls_shown(pilot: Pilot, ref=None) -> None:  # noqa: ANN001
    """Pause until the main screen shows the answer of its load (for ``ref`` when given), then settle."""
    from pollstui.session.listing import Source
    from pollstui.tui.screens.main import MainScreen

    def shown() -> bool:
        screen = pilot.app.screen
        if not isinstance(screen, MainScreen) or screen.busy:
            return False
        listing = screen.listing
        if listing.ref is None or listing.source in (Source.NONE, Source.LOADING):
            return False
        return ref is None or listing.ref.key == ref.key

    await wait_for(pilot, shown)
    await settle(pilot)


def toast_text(app: App) -> str:
    """The text of every notification on screen (needs ``run_test(notifications=True)``)."""
    from textual.widgets._toast import Toast

    return "\n".join(" ".join(str(toast.render()).split()) for toast in app.screen.query(Toast))


#: Characters :func:`burst` sends as named keys.
NAMED = {"\t": "tab", "\r": "enter", "↑": "up", "↓": "down"}


def burst(app: App, text: str) -> None:
    """Queue every key at once, as the terminal driver does when they arrive in one read (a paste
    without bracketed paste, tmux send-keys, a slow SSH link catching up)."""
    from textual import events

    for ch in text:
        key = NAMED.get(ch, ch)
        app.post_message(events.Key(key, None if key != ch else ch))
