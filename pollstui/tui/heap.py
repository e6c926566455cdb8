"""Keeping the garbage collector's passes off the start-up and off the moves through a list.

Start-up (:func:`pause`, :func:`resume`): what pollstui makes while it starts lives as long as
the app: modules, classes, the first screen's widgets, its rows. Python's collector would walk
each of those objects again and again as it ages (~140 passes while the first list is drawn,
15-30 ms of a ~350 ms start on a small machine) and find almost nothing to free (a few thousand
objects). ``pollstui`` pauses the collector before it imports Textual and the app resumes it
right after its first frame; nothing is collected later instead (the garbage of the start is in
the first pass after it: a young-generation pass, or no pass at all once :func:`settle` ran).

A content item's polls and the table's rows live as long as the list is on screen: tens of
thousands of objects for 1,000 polls, beside Textual's own. Python's collector walks every tracked
object on each full pass, and when such a pass falls on a key press it costs that move tens of
milliseconds. Once the first list is drawn, :func:`settle` moves what exists into the collector's
permanent generation (``gc.freeze``): those objects are still freed as usual when nothing refers
to them any more (reference counting), only the cycle search skips them.

Once per process: a frozen object that later becomes part of unreachable cycles is never
collected, so freezing again on every refresh (every 5 s with auto-refresh) would pin such
garbage for good in a long session.
"""

from __future__ import annotations

import gc

_settled = False
_paused = False


def settle() -> None:
    """Take the objects alive now out of the collector's full passes; the first call only."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


def pause() -> None:
    """No collector passes until :func:`resume` (the start of the app: see the module docstring)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """The collector runs again, when :func:`pause` stopped it (else nothing changes)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
