"""ReopenScreen: until when to reopen voting, typed as people say it.

The field takes :func:`pollstui.dates.parse_typed_end`'s grammar (``in 5m``, ``fri 17:00``, …;
empty or ``none``: no end date) and shows what it understood below it as you type (``Fri 11 Dec,
17:00 CET · in 3 days``). Enter reopens with that end; text that is no date says what to type and
the dialog stays. Dismisses with the :class:`~pollstui.dates.TypedEnd`, or ``None`` on escape.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pollstui.dates import TYPED_END_HELP, DateError, TypedEnd, parse_typed_end, preview_end
from pollstui.text import one_line


class ReopenScreen(ModalScreen[TypedEnd | None]):
    CSS_PATH = "reopen.tcss"
    AUTO_FOCUS = "#reopen-until"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reopen.cancel")]

    def __init__(self, title: str, *, initial: str = "") -> None:
        super().__init__()
        self.poll_title = title
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="reopen-dialog"):
            yield Label("Reopen voting", id="reopen-title")
            yield Static(f"“{one_line(self.poll_title)}”: open until when? Empty: no end date.", id="reopen-help", markup=False)
            yield Input(self.initial, placeholder=TYPED_END_HELP, id="reopen-until")
            yield Static("", id="reopen-preview", markup=False)
            yield Label("[b]enter[/] reopen · [b]esc[/] cancel", id="reopen-hint")

    def on_mount(self) -> None:
        self._preview(self.initial)

    def _read(self, text: str) -> TypedEnd | str:
        try:
            return parse_typed_end(text)
        except DateError as error:
            return str(error)

    def _preview(self, text: str) -> None:
        read = self._read(text)
        preview = self.query_one("#reopen-preview", Static)
        preview.set_class(isinstance(read, str), "-error")
        preview.update(read if isinstance(read, str) else preview_end(read))

    @on(Input.Changed, "#reopen-until")
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    @on(Input.Submitted, "#reopen-until")
    def _submitted(self, event: Input.Submitted) -> None:
        read = self._read(event.value)
        if not isinstance(read, str):
            self.dismiss(read)

    def action_cancel(self) -> None:
        self.dismiss(None)
