"""What a user does with polls, without Textual (a test proves it).

A :class:`Session` holds one connection's client, the cache, the undo journal, the drafts and
the recent content items; its operations (load, save, delete, undo, duplicate) ask questions
through the small :class:`Ask` protocol and answer with outcomes in plain words. The TUI's
screens are state and rendering on top of it; tests drive it with plain functions.

Nothing here imports httpx or pydantic at import time (the main screen imports this package
before its first frame), and the names below load on first use: the CLI imports
:mod:`pollstui.session.prefetch` to send the first request before anything else is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pollstui.session.ask import ArrivedChoice, Ask, ConflictChoice, Question, Topic
    from pollstui.session.listing import Listing, Source
    from pollstui.session.session import Session

__all__ = ["ArrivedChoice", "Ask", "ConflictChoice", "Listing", "Question", "Session", "Source", "Topic"]

_HOME = {
    "ArrivedChoice": "ask", "Ask": "ask", "ConflictChoice": "ask", "Question": "ask", "Topic": "ask",
    "Listing": "listing", "Source": "listing", "Session": "session",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"pollstui.session.{_HOME[name]}"), name)
    raise AttributeError(f"module 'pollstui.session' has no attribute {name!r}")
