"""DuplicateScreen: where should the copy of a poll go?

Empty input (the default) means the same content item; otherwise an issue key (Jira), a page id
and container id (Confluence: ``557057 a1b2c3d4-…``), or a pasted docs-style URL of the same
endpoint. Dismisses with the target :class:`ContentRef`, or None (``escape``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from pollstui.api.address import ContentRef, parse_item
from pollstui.text import one_line
from pollstui.tui.screens.add_content import ContentPromptScreen


def parse_target(text: str, current: ContentRef, endpoint: str) -> ContentRef:
    """The content item ``text`` names; ``current`` when it is empty (raises InvalidInputError)."""
    value = text.strip()
    if not value:
        return current
    if current.product == "confluence" and "://" not in value:
        parts = value.replace("/", " ").split()
        page = parts[0]
        container = parts[1] if len(parts) > 1 else ""
        if not container:
            from pollstui.api.errors import InvalidInputError

            raise InvalidInputError(
                "Confluence needs the page id and the poll macro's id: type “<page id> <container>”, "
                "or paste the URL the Polls app shows."
            )
        return parse_item(page, "confluence", endpoint, current.workspace, container)
    return parse_item(value, current.product, endpoint, current.workspace, current.container)


class DuplicateScreen(ContentPromptScreen):
    """Ask for the content item the copy goes to."""

    PREFIX = "duplicate"
    CSS_PATH = "duplicate.tcss"
    AUTO_FOCUS = "#duplicate-target"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="duplicate.cancel")]

    def __init__(self, poll_title: str, current: ContentRef, endpoint: str) -> None:
        super().__init__()
        self.poll_title = one_line(poll_title)
        self.current = current
        self.endpoint = endpoint

    def compose(self) -> ComposeResult:
        jira = self.current.product == "jira"
        with Vertical(id="duplicate-dialog"):
            yield Label(f"Duplicate “{self.poll_title}”", id="duplicate-title", markup=False)
            what = "issue" if jira else "page"
            yield Static(
                f"Copy to which {what}? Leave empty for this one ({one_line(self.current.label)}): "
                "the copy is then titled “… (copy)”.",
                id="duplicate-help",
                markup=False,
            )
            yield Input(
                placeholder="issue key (PLAT-123) or pasted URL" if jira else "<page id> <container> or pasted URL",
                id="duplicate-target",
            )
            yield Static("", id="duplicate-error", markup=False)
            with Horizontal(id="duplicate-buttons"):
                yield Button("Cancel", id="duplicate-cancel", compact=True)
                yield Button("Duplicate", variant="primary", id="duplicate-ok", compact=True)
            yield Label("[b]enter[/] duplicate · [b]esc[/] cancel", id="duplicate-hint")

    def parse(self) -> ContentRef:
        return parse_target(self.query_one("#duplicate-target", Input).value, self.current, self.endpoint)
