"""What a user does with polls, without Textual (a test proves it).

A :class:`~pollstui.session.session.Session` holds one connection's client, the cache, the undo
journal, the drafts and the recent content items; its operations (load, save, delete, undo,
duplicate) ask questions through the small :class:`~pollstui.session.ask.Ask` protocol and answer
with outcomes in plain words. The TUI's screens are state and rendering on top of it; tests drive
it with plain functions.

Nothing here imports httpx or pydantic at import time (the main screen imports this package
before its first frame): the CLI imports :mod:`pollstui.session.prefetch` to send the first
request before anything else is loaded.
"""
