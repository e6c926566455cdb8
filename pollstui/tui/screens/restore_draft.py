"""RestoreDraftScreen: an unsaved draft was found for the poll being opened.

A :class:`ConfirmScreen` whose safe answer is *Restore*: it has the focus, and ``escape``
restores too, so a stray key never throws typed work away. ``d`` / ``n`` or the Discard button
discard the draft. Dismisses with True (restore) or False (discard).
"""

from __future__ import annotations

from textual.binding import Binding

from pollstui.session.drafts import Draft
from pollstui.tui.screens.confirm import ConfirmScreen


class RestoreDraftScreen(ConfirmScreen):
    BINDINGS = [
        Binding("r,y,escape", "choose('confirm')", "Restore", id="draft.restore"),
        Binding("d,n", "choose('cancel')", "Discard", id="draft.discard"),
    ]

    def __init__(self, draft: Draft) -> None:
        what = f"“{draft.title}”" if draft.title.strip() else "an untitled poll"
        kind = "new poll" if draft.is_new else "edit"
        super().__init__(
            "Restore your unsaved draft?",
            f"An unsaved {kind} of {what} on {draft.ref.label} was autosaved at {draft.saved_at_local}. "
            "Restore it, or discard it and start from the server's version?",
            confirm_label="Restore",
            cancel_label="Discard",
            destructive=False,
            focus_confirm=True,
            confirm_keys="r/esc",
            cancel_keys="d",
        )
        self.draft = draft
