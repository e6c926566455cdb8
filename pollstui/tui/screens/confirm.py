"""ConfirmScreen: a yes/no question that a stray key cannot answer by accident.

The Cancel button has the focus when the dialog opens, so ``enter`` cancels; ``y`` confirms and
``n`` / ``escape`` cancel, whatever has the focus. Dismisses with True (confirmed) or False.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from pollstui.text import sanitize


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something; ``destructive`` paints the confirm button red."""

    CSS_PATH = "confirm.tcss"
    AUTO_FOCUS = "#cancel"

    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("n,escape", "cancel", "No", id="confirm.no"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        confirm_label: str = "Delete",
        cancel_label: str = "Cancel",
        destructive: bool = True,
    ) -> None:
        super().__init__()
        # Questions quote poll titles and server messages: inert before they are drawn.
        self.title_text = sanitize(title, single_line=True)
        self.message = sanitize(message)
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="-destructive" if self.destructive else ""):
            yield Label(self.title_text, id="confirm-title", markup=False)
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.cancel_label, id="cancel", variant="default", compact=True)
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    variant="error" if self.destructive else "primary",
                    compact=True,
                )
            yield Label(
                f"[b]y[/] {escape(self.confirm_label.lower())} · [b]n[/]/[b]esc[/] {escape(self.cancel_label.lower())}",
                id="confirm-hint",
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
