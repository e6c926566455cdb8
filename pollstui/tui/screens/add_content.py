"""The "add a content item" dialog: an issue key, a page id (+ space and container), or a pasted URL.

Validated with :meth:`ContentRef.create` / :func:`parse_pasted_url`; a value that does not fit
shows why beside the field and the dialog stays open. Dismisses with the :class:`ContentRef`,
or ``None`` on escape.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from pollstui.api.address import ContentRef, parse_item
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


class AddContentScreen(ContentPromptScreen):
    """Ask for a content item to add to the sidebar."""

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
            yield Static("Add a content item", id="add-title")
            yield Label("Issue key or pasted URL" if jira else "Page id or pasted URL")
            yield Input(placeholder="PLAT-123  or  https://…?token=…&content=…" if jira else "557057  or  https://…", id="add-value")
            if not jira:
                yield Label("Space id (not needed with a URL)")
                yield Input(placeholder="98306", id="add-space")
                yield Label("Container: the poll macro's id (not needed with a URL)")
                yield Input(placeholder="a1b2c3d4-…", id="add-container")
            yield Static("", id="add-error", markup=False)
            with Horizontal(id="add-buttons"):
                yield Button("Add", variant="primary", id="add-ok")
                yield Button("Cancel", id="add-cancel")

    def _value(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    def parse(self) -> ContentRef:
        return parse_item(
            self._value("#add-value"), self.product, self.endpoint, self._value("#add-space"), self._value("#add-container")
        )
