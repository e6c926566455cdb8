"""ChoiceScreen: one dialog for every question with a few answers, each a button and a key.

A title, a message, optionally a scrolling list of lines (what changed) and a muted note, then one
button per :class:`Choice` and a hint line naming their keys. The focused button is the safe
answer, so ``enter`` never does harm by accident; ``left`` / ``right`` move between buttons.
Subclasses bind their keys to ``choose('<name>')`` and the dialog dismisses with that choice's
value. Everything shown is made inert first (questions quote titles and server text).

:class:`~pollstui.tui.screens.confirm.ConfirmScreen` (yes/no),
:class:`~pollstui.tui.screens.conflict.ConflictScreen` and
:class:`~pollstui.tui.screens.arrived.ArrivedScreen` are this dialog with their own choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from pollstui.text import sanitize

T = TypeVar("T")


@dataclass(frozen=True)
class Choice(Generic[T]):
    """One answer: ``name`` is its button's id and the parameter of ``choose``; ``keys`` as the
    hint shows them ("k/esc"); ``variant`` the button's (default, primary, error)."""

    name: str
    label: str
    value: T
    keys: str
    variant: Literal["default", "primary", "error"] = "default"


class ChoiceScreen(ModalScreen[T], Generic[T]):
    """``tone`` colours the border: "primary", "warning" or "error" (a destructive question)."""

    CSS_PATH = "choice.tcss"

    BINDINGS = [
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        choices: Sequence[Choice[T]],
        *,
        focus: str,
        lines: Sequence[str] = (),
        note: str = "",
        tone: Literal["primary", "warning", "error"] = "primary",
        wide: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = sanitize(title, single_line=True)
        self.message = sanitize(message)
        self.lines = [sanitize(line) for line in lines]
        self.note = sanitize(note)
        self.choices = {choice.name: choice for choice in choices}
        self.tone = tone
        self.wide = wide
        self.AUTO_FOCUS = f"#{focus}"

    def compose(self) -> ComposeResult:
        classes = f"-{self.tone}" + (" -wide" if self.wide else "")
        with Vertical(id="choice-dialog", classes=classes):
            yield Label(self.title_text, id="choice-title", markup=False)
            yield from self.compose_body()
            with Horizontal(id="choice-buttons"):
                for choice in self.choices.values():
                    yield Button(choice.label, id=choice.name, variant=choice.variant, compact=True)
            yield Label(self.hint(), id="choice-hint")

    def compose_body(self) -> ComposeResult:
        """What the dialog says between its title and its buttons."""
        yield Static(self.message, id="choice-message", markup=False)
        if self.lines:
            with VerticalScroll(id="choice-lines"):
                for line in self.lines:
                    yield Static(f"• {line}", classes="choice-line", markup=False)
        if self.note:
            yield Static(self.note, id="choice-note", markup=False)

    def hint(self) -> str:
        """The keys, in the order of the buttons' importance (right to left)."""
        parts = []
        for choice in reversed(self.choices.values()):
            keys = "/".join(f"[b]{escape(key)}[/]" for key in choice.keys.split("/"))
            parts.append(f"{keys} {escape(choice.label.lower())}")
        return " · ".join(parts)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.id or "")

    def action_choose(self, name: str) -> None:
        self.dismiss(self.choices[name].value)
