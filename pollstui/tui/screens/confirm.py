"""ConfirmScreen: a yes/no question that a stray key cannot answer by accident.

A :class:`~pollstui.tui.screens.choice.ChoiceScreen` with two answers. The Cancel button has the
focus when the dialog opens, so ``enter`` cancels; ``y`` confirms and ``n`` / ``escape`` cancel,
whatever has the focus. Dismisses with True (confirmed) or False.
"""

from __future__ import annotations

from textual.binding import Binding

from pollstui.tui.screens.choice import Choice, ChoiceScreen


class ConfirmScreen(ChoiceScreen[bool]):
    """Ask before doing something; ``destructive`` paints the confirm button and border red."""

    BINDINGS = [
        Binding("y", "choose('confirm')", "Yes", id="confirm.yes"),
        Binding("n,escape", "choose('cancel')", "No", id="confirm.no"),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        confirm_label: str = "Delete",
        cancel_label: str = "Cancel",
        destructive: bool = True,
        *,
        focus_confirm: bool = False,
        confirm_keys: str = "y",
        cancel_keys: str = "n/esc",
    ) -> None:
        super().__init__(
            title,
            message,
            [
                Choice("cancel", cancel_label, False, cancel_keys),
                Choice("confirm", confirm_label, True, confirm_keys, "error" if destructive else "primary"),
            ],
            focus="confirm" if focus_confirm else "cancel",
            tone="error" if destructive else "primary",
        )
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.destructive = destructive
