"""Keeping the garbage collector's full passes short while the user moves through a list.

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


def settle() -> None:
    """Take the objects alive now out of the collector's full passes; the first call only."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
