"""The Textual app. Import :func:`run_tui` from here; Textual loads only when it is called."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pollstui.profiles import ProfileStore
    from pollstui.settings import Connection

__all__ = ["run_tui"]


def run_tui(connection: Connection | None, profile_store: ProfileStore | None = None, read_only: bool = False) -> None:
    """Run the TUI on ``connection`` (``None``: the first-run setup) until the user quits."""
    from pollstui.tui.app import run_tui as _run

    _run(connection, profile_store=profile_store, read_only=read_only)
