"""The session's questions as modal dialogs: the TUI's implementation of :class:`pollstui.session.Ask`.

Each method pushes a modal and waits for its answer (``push_screen_wait``), so call the session's
operations from a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pollstui.session.ask import ArrivedChoice, ConflictChoice, Question

if TYPE_CHECKING:
    from textual.app import App

    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll


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

        return ConflictChoice(await self.app.push_screen_wait(ConflictScreen(original, theirs)))

    async def arrived(self, ref: ContentRef, found: Poll) -> ArrivedChoice:
        from pollstui.tui.screens.arrived import ArrivedScreen

        return ArrivedChoice(await self.app.push_screen_wait(ArrivedScreen(ref, found)))
