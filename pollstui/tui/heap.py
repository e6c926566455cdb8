"""Keeping the garbage collector's full passes short while the user moves through a list.

A content item's polls and the table's rows live as long as the list is on screen: tens of
thousands of objects for 1,000 polls. Python's collector walks every tracked object on each full
pass, and when such a pass falls on a key press it costs that move tens of milliseconds. Once a
list is drawn, :func:`settle` moves what exists into the collector's permanent generation
(``gc.freeze``): those objects are still freed as usual when nothing refers to them any more
(reference counting), only the cycle search skips them.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Take the objects alive now out of the collector's full passes (cheap: no pass runs)."""
    gc.freeze()
