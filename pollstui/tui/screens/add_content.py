"""The "pin content items" dialog: issue keys, page ids (+ space and container), or pasted URLs,
several at once (spaces, commas or lines: a list pasted from a Jira filter).

Read with :func:`~pollstui.api.address.parse_items`; a value that does not fit shows why under
the field and the dialog stays open. Dismisses with the list of :class:`ContentRef`, or ``None``
on escape.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from pollstui.api.address import ContentRef, parse_items
from pollstui.api.errors import PollsError, redact
from pollstui.text import sanitize


def mask_pasted_token(event: Input.Changed) -> None:
    """Mask the token of a URL pasted into ``event.input`` at once.

    A dialog that only needs the content item from a pasted URL never needs its token, and must
    not show it (a shared screen, a demo) while it is open; the masked URL still parses.
    """
    masked = redact(event.value)
    if masked != event.value:
        event.input.value = masked


class ContentPromptScreen(ModalScreen[ContentRef | None]):
    """A modal that asks for a content item and dismisses with it (or ``None``).

    Subclasses compose the fields, name their widgets ``{PREFIX}-error``, ``{PREFIX}-ok`` and
    ``{PREFIX}-cancel``, and implement :meth:`parse`. Enter or OK submits; a value that does not
    parse shows its message under the fields; a pasted URL's token is masked as it arrives.
    """

    PREFIX = ""

    def parse(self) -> ContentRef:  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one(f"#{self.PREFIX}-error").display = False

    def submit(self) -> None:
        error = self.query_one(f"#{self.PREFIX}-error", Static)
        try:
            ref = self.parse()
        except PollsError as exc:
            error.update(sanitize(redact(str(exc))))
            error.display = True
            return
        self.dismiss(ref)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.query_one(f"#{self.PREFIX}-error").display = False
        mask_pasted_token(event)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.PREFIX}-ok":
            self.submit()
        elif event.button.id == f"{self.PREFIX}-cancel":
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ItemsInput(Input):
    """An input that keeps every line of a paste, as spaces between items: a list pasted from a
    Jira filter arrives whole (a plain Input keeps only its first line)."""

    def on_paste(self, event: events.Paste) -> None:
        if event.text:
            event.prevent_default()  # not Input's own paste, which would keep the first line only
            event.stop()
            text = " ".join(event.text.split())
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)


class AddContentScreen(ContentPromptScreen):
    """Ask for content items to pin (one or several)."""

    PREFIX = "add"
    CSS_PATH = "add_content.tcss"
    AUTO_FOCUS = "#add-value"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, product: str, endpoint: str) -> None:
        super().__init__()
        self.product = product
        self.endpoint = endpoint

    def compose(self) -> ComposeResult:
        jira = self.product == "jira"
        with Vertical(id="add-dialog"):
            yield Static("Pin content items", id="add-title")
            yield Label("Issue keys or pasted URLs, several at once" if jira else "Page ids, PAGE:MACRO or pasted URLs")
            yield ItemsInput(placeholder="PLAT-1 PLAT-2, PLAT-7  or  https://…?token=…&content=…" if jira else "557057:a1b2  or  https://…",
                        id="add-value")  # fmt: skip
            if not jira:
                yield Label("Space id (not needed with a URL)")
                yield Input(placeholder="98306", id="add-space")
                yield Label("Container: the poll macro's id (not needed with a URL)")
                yield Input(placeholder="a1b2c3d4-…", id="add-container")
            yield Static("", id="add-error", markup=False)
            with Horizontal(id="add-buttons"):
                yield Button("Pin", variant="primary", id="add-ok")
                yield Button("Cancel", id="add-cancel")

    def _value(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    def parse(self) -> list[ContentRef]:  # type: ignore[override]
        return parse_items(
            self._value("#add-value"), self.product, self.endpoint, self._value("#add-space"), self._value("#add-container")
        )
