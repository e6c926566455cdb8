"""The session's questions as modal dialogs (the TUI's :class:`pollstui.session.ask.Ask`), and what a
save did as notifications (:func:`announce_save`, for the form editor and ``E`` alike).

Each question pushes a modal and waits for its answer (``push_screen_wait``), so call the
session's operations from a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pollstui.session.ask import ArrivedChoice, ConflictChoice, Question
from pollstui.session.saving import SaveStatus

if TYPE_CHECKING:
    from textual.app import App

    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.session.saving import SaveOutcome


class ModalAsk:
    """Asks through ``app``'s modal screens."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def confirm(self, question: Question) -> bool:
        from pollstui.tui.screens.confirm import ConfirmScreen

        screen = ConfirmScreen(
            question.title,
            question.message,
            confirm_label=question.confirm_label,
            cancel_label=question.cancel_label,
            destructive=question.destructive,
        )
        return bool(await self.app.push_screen_wait(screen))

    async def conflict(self, original: Poll, theirs: Poll) -> ConflictChoice:
        from pollstui.tui.screens.conflict import ConflictScreen

        return await self.app.push_screen_wait(ConflictScreen(original, theirs))

    async def arrived(self, ref: ContentRef, found: Poll) -> ArrivedChoice:
        from pollstui.tui.screens.arrived import ArrivedScreen

        return await self.app.push_screen_wait(ArrivedScreen(ref, found))


def said(outcome: SaveOutcome) -> str:
    """What a save that failed tells: the session's words, or (a plain failure) the error's."""
    if not outcome.message and outcome.error is not None:
        from pollstui.tui.errors import told

        return told(outcome.error)
    return outcome.message


def announce_save(app: App, outcome: SaveOutcome, *, kept: str | None = None) -> None:
    """Tell what a save did in notifications: its warning and notice, and a failure. ``kept``
    (where the edit is kept) is for a caller with no status line of its own: then a save that
    did not happen is told too, with it."""
    if outcome.warning:
        app.notify(outcome.warning, severity="warning", markup=False)
    if outcome.notice:
        from pollstui.tui.keymap import shown_key

        undo = f" · {shown_key(app, 'undo')} to undo" if outcome.undoable else ""
        app.notify(f"{outcome.notice}{undo}", timeout=4, markup=False)
    after = f" {kept}" if kept else ""
    if outcome.status is SaveStatus.FAILED:
        app.notify(f"{said(outcome)}{after}", title="Not saved", severity="error", timeout=10, markup=False)
    elif outcome.status is SaveStatus.UNCERTAIN:  # it failed after going out: never "Not saved"
        app.notify(f"{said(outcome)}{after}", title="Maybe saved", severity="warning", timeout=10, markup=False)
    elif kept is not None and outcome.status is SaveStatus.RELOADED:
        app.notify(kept, markup=False, timeout=10)
    elif kept is not None and outcome.status is not SaveStatus.SAVED:
        app.notify(f"{outcome.message}{after}", title="Not saved", severity="warning", timeout=10, markup=False)
