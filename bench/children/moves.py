"""Highlight moves over 100 rows, in-process with Textual's Pilot (100×30).

``app``: pollstui on the 1,000-poll content item, once its list is on screen. ``bare``: a bare
1,000-row DataTable. ``pane``: the same table in a screen of pollstui's shape and widget count
whose pane of plain Statics follows the cursor (bare_pane.py): Textual's floor for such a screen. Each move is timed from the key press to the end of the paint it causes
(the Key event goes in as the driver sends it; the move is complete when the cursor is on the
next row, pollstui's detail pane shows that row's poll, and nothing is left to lay out or paint:
no message in any widget's queue, no layout, scroll, repaint or callback pending on the screen).
``pilot.press`` is not used for the timing: it sleeps at least 40 ms per key waiting for idle;
neither is Pilot's ``_wait_for_screen`` (see :func:`settle`).
Prints JSON: {"moves_ms": [100 numbers], "gc_ms": [time in garbage collection during each]}.
Usage: moves.py app ENDPOINT TOKEN CONTENT | moves.py app-unfrozen ENDPOINT TOKEN CONTENT |
moves.py bare | moves.py pane. ``app-unfrozen``: pollstui without its ``gc.freeze`` after the
first list (pollstui.tui.heap.settle; bench/collector.py: what it is worth).
"""

import asyncio
import gc
import json
import sys
import time

from textual import events

MOVES = 100


class GCClock:
    """Milliseconds spent in garbage collections, from gc.callbacks."""

    def __init__(self) -> None:
        self.total = 0.0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.total += (time.perf_counter() - self._start) * 1000


def _busy(app) -> bool:
    """Whether a message waits in the queue of the app, the screen or one of its widgets, or a
    callback waits on the screen."""
    screen = app.screen
    if screen._callbacks:
        return True
    return any(node._message_queue.qsize() for node in (app, *screen.walk_children(with_self=True)))


def _dirty(screen) -> bool:
    return bool(
        screen._layout_required or screen._scroll_required or screen._repaint_required
        or screen._dirty_widgets or screen._recompose_required
    )  # fmt: skip


async def settle(pilot, done) -> None:
    """Until the move is complete (``done``) and nothing is left to lay out or paint: let the
    event loop run the widgets' message loops; once no message is waiting anywhere, paint what is
    dirty (as the screen's update timer would, once the messages of a move are handled).

    It looks at the queues instead of calling Pilot's ``_wait_for_screen``, which posts a
    callback to every widget of the screen and waits for each: that costs a screen of 35 widgets
    ~0.3 ms a round, and a move took several rounds, so the figure measured mostly the harness,
    growing with the widget count on both sides."""
    app = pilot.app
    quiet = 0
    for _ in range(20000):
        await asyncio.sleep(0)
        screen = app.screen
        if _busy(app):
            quiet = 0
        elif _dirty(screen):
            screen._on_timer_update()  # the paint the screen's update timer would do next
            quiet = 0
        elif not done():
            quiet = 0
        else:
            quiet += 1
            if quiet >= 3:  # a few turns of the loop with nothing to do: tasks in flight have run
                return
    raise SystemExit("a move did not complete")


async def measure(app, ready, cursor, shown) -> dict[str, list[float]]:
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 60
        while not ready(app):
            if time.monotonic() > deadline:
                raise SystemExit("the list never appeared")
            await pilot.pause(0.02)
        await pilot.pause()
        first = cursor(app)
        times, in_gc = [], []
        clock = GCClock()
        for n in range(1, MOVES + 1):
            gc_before = clock.total
            start = time.perf_counter()
            app._driver.send_message(events.Key("down", None))
            await settle(pilot, lambda: cursor(app) == first + n and shown(app))
            times.append((time.perf_counter() - start) * 1000)
            in_gc.append(clock.total - gc_before)
            await pilot.pause(0)  # untimed: let anything scheduled for later run before the next key
        if cursor(app) != first + MOVES:
            raise SystemExit(f"the cursor moved from row {first} to {cursor(app)}, not {MOVES} rows")
        return {"moves_ms": times, "gc_ms": in_gc}


def app_side(endpoint: str, token: str, content: str):
    from pollstui.settings import resolve_connection
    from pollstui.session.listing import Source
    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.main import MainScreen

    connection = resolve_connection(endpoint=endpoint, token=token, content=content, env={})

    def ready(app) -> bool:
        screen = app.screen
        return isinstance(screen, MainScreen) and screen.listing.source is Source.FRESH and len(screen.table.polls) >= MOVES + 1

    def shown(app) -> bool:  # the detail pane shows the highlighted poll
        return app.screen.detail.poll is app.screen.table.current_poll

    return PollsApp(connection), ready, lambda app: app.screen.table.cursor_row, shown


def pane_side():
    from bare_pane import BarePaneApp
    from bare_table import ROWS
    from textual.widgets import DataTable, Static

    def shown(app) -> bool:  # the pane shows the highlighted row
        table = app.query_one(DataTable)
        return str(app.query_one("#description", Static).content) == f"Row {table.cursor_row} of {ROWS}."

    return (
        BarePaneApp(),
        lambda app: app.query_one(DataTable).row_count == ROWS,
        lambda app: app.query_one(DataTable).cursor_row,
        shown,
    )


def bare_side():
    from bare_table import ROWS, BareTableApp
    from textual.widgets import DataTable

    return (
        BareTableApp(exit_after_first_frame=False),
        lambda app: app.query_one(DataTable).row_count == ROWS,
        lambda app: app.query_one(DataTable).cursor_row,
        lambda app: True,
    )


if __name__ == "__main__":
    if sys.argv[1] == "app-unfrozen":
        from pollstui.tui import heap

        heap.settle = lambda: None
    app = lambda: app_side(*sys.argv[2:5])  # noqa: E731
    sides = {"app": app, "app-unfrozen": app, "pane": pane_side, "bare": bare_side}[sys.argv[1]]()
    print(json.dumps(asyncio.run(measure(*sides))))
