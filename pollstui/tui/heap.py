"""Keeping the garbage collector's passes off the start-up and off the moves through a list.

:func:`pause` / :func:`resume`: ``pollstui`` pauses the collector before it imports Textual and
the app resumes it after its first frame. What the start makes lives as long as the app, so
passes during it would walk it again and again and free almost nothing; nothing is left
uncollected (the start's garbage is in the first pass after it).

:func:`settle`, once the first list is drawn: the objects alive then move to the collector's
permanent generation (``gc.freeze``), so the full passes that would fall on key presses skip
them; reference counting still frees them. Once per process: a frozen object that later becomes
part of an unreachable cycle is never collected, so freezing on every refresh would pin such
garbage for good in a long session.

Each pays for itself in ``bench/collector.py`` (same run, each vs the code without it; 2 cores
under load, 10 runs): first poll list 0.76×, slowest of 100 highlight moves over 1,000 polls 0.58×.
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
