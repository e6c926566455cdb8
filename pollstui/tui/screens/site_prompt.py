"""SitePromptScreen: ask once where this connection's issues or pages live (the site URL).

Validated with :func:`pollstui.site.check_site`; a value that does not fit shows why and the
dialog stays open. Dismisses with the cleaned URL, or ``None`` on escape.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pollstui.api.errors import PollsError
from pollstui.text import sanitize


class SitePromptScreen(ModalScreen[str | None]):
    CSS_PATH = "site_prompt.tcss"
    AUTO_FOCUS = "#site-value"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="site.cancel")]

    def __init__(self, product: str, remembered: bool) -> None:
        super().__init__()
        self.product = product
        self.remembered = remembered

    def compose(self) -> ComposeResult:
        jira = self.product == "jira"
        with Vertical(id="site-dialog"):
            yield Label("Where do these polls live?", id="site-title")
            yield Static(
                ("The Jira site" if jira else "The Confluence base URL")
                + " you open in a browser. "
                + ("The profile remembers it." if self.remembered else "Used until you quit (no profile to keep it)."),
                id="site-help",
            )
            yield Input(
                placeholder="https://acme.atlassian.net" if jira else "https://acme.atlassian.net/wiki", id="site-value"
            )
            yield Static("", id="site-error", markup=False)
            yield Label("[b]enter[/] use · [b]esc[/] cancel", id="site-hint")

    @on(Input.Submitted, "#site-value")
    def _submitted(self, event: Input.Submitted) -> None:
        from pollstui.site import check_site

        try:
            site = check_site(event.value)
        except PollsError as error:
            self.query_one("#site-error", Static).update(sanitize(str(error)))
            return
        self.dismiss(site)

    def action_cancel(self) -> None:
        self.dismiss(None)
