"""ArrivedScreen: a create whose answer was lost turns out to have arrived; take it, or create another?

Looks like a :class:`ConfirmScreen` (its styles apply) with three buttons. *Open it* has the
focus, so ``enter`` never creates a second poll by accident. ``o`` opens the poll that arrived,
``c`` creates another, ``k`` / ``escape`` keep editing. Dismisses with an :class:`ArrivedChoice`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from pollstui.session.ask import ArrivedChoice
from pollstui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll


class ArrivedScreen(ConfirmScreen):
    AUTO_FOCUS = "#open"

    BINDINGS = [
        Binding("o", "choose('open')", "Open it", id="arrived.open"),
        Binding("c", "choose('create')", "Create another", id="arrived.create"),
        Binding("k,escape", "choose('keep')", "Keep editing", id="arrived.keep"),
    ]

    def __init__(self, ref: ContentRef, found: Poll) -> None:
        title = found.title or "(no title)"
        super().__init__(
            "Your last save may have worked",
            f"The last attempt to create “{title}” lost the server's answer, and a poll with that title "
            f"and those options is now on {ref.label}. Open it (nothing new is created), or create another?",
            confirm_label="Open it",
            cancel_label="Keep editing",
            destructive=False,
        )
        self.found = found

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self.title_text, id="confirm-title", markup=False)
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep editing", id="keep", compact=True)
                yield Button("Create another", id="create", compact=True)
                yield Button("Open it", id="open", variant="primary", compact=True)
            yield Label("[b]o[/] open it · [b]c[/] create another · [b]k[/]/[b]esc[/] keep editing", id="confirm-hint")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(ArrivedChoice(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(ArrivedChoice(choice))

    # The confirmation's own keys (y, n) stay bound in this subclass: they must mean a choice too,
    # never a bare True/False that the session would not recognise (and create another poll).
    def action_confirm(self) -> None:
        self.dismiss(ArrivedChoice.OPEN)

    def action_cancel(self) -> None:
        self.dismiss(ArrivedChoice.KEEP)
