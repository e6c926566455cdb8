"""The help screen: every key binding, grouped, and what the poll list's markers mean.

Built from the bindings themselves (by id), so it cannot drift from what the keys do.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pollstui.tui.widgets.poll_table import MARKERS

#: (group title, [(binding id or None, key shown when no binding, description)])
GROUPS: tuple[tuple[str, tuple[tuple[str | None, str, str], ...]], ...] = (
    (
        "Move around",
        (
            (None, "tab", "next pane: content list, polls, details (shift+tab: back)"),
            (None, "↑ ↓", "move in the list (pgup pgdn home end too)"),
            (None, "enter", "content list: open the item · polls: edit the poll"),
            ("toggle-sidebar", "b", "show or hide the content list"),
            ("filter", "/", "filter the polls as you type (enter keeps the filter)"),
            ("clear-filter", "esc", "clear the filter"),
            ("refresh", "r", "load the polls again"),
            ("toggle-numbers", "h", "show vote counts of polls that hide them from voters"),
        ),
    ),
    (
        "Change polls",
        (
            ("new-poll", "n", "new poll on this content item"),
            ("edit-poll", "e", "edit the highlighted poll (also enter)"),
            ("delete-poll", "d", "delete the highlighted poll (asks first)"),
            ("undo", "u", "undo the last change this app made on the server"),
            ("duplicate-poll", "c", "duplicate the highlighted poll (here or elsewhere)"),
        ),
    ),
    (
        "Show and copy",
        (
            ("present", "p", "present the poll's live results full screen (for a room)"),
            ("auto-refresh", "w", "refresh the list and results on their own"),
            ("copy-json", "y", "copy the highlighted poll's JSON"),
            ("copy-curl", "Y", "copy a curl command for it (token read from $POLLS_TOKEN)"),
        ),
    ),
    (
        "Content items",
        (
            ("add-content", "a", "add an issue key, a page id or a pasted URL"),
            ("remove-content", "x", "remove the selected item from the list (polls untouched)"),
        ),
    ),
    (
        "Everywhere",
        (
            ("help", "?", "this help"),
            (None, "ctrl+p", "command palette: every action, and jump to any content item"),
            ("quit", "q", "quit"),
        ),
    ),
)

WRITE_IDS = frozenset({"new-poll", "edit-poll", "delete-poll", "undo", "duplicate-poll"})


def _binding_keys() -> dict[str, Binding]:
    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.main import MainScreen

    found: dict[str, Binding] = {}
    for binding in [*PollsApp.BINDINGS, *MainScreen.BINDINGS]:
        if isinstance(binding, Binding) and binding.id:
            found[binding.id] = binding
    return found


class HelpScreen(ModalScreen[None]):
    """Keys and markers. Any of escape, q, ? closes it."""

    CSS_PATH = "help.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("pollstui — keys", id="help-title")
            with Container(id="help-columns"):
                with Vertical(classes="help-column"):
                    yield Static(self._keys_table(GROUPS[0], GROUPS[2], GROUPS[4]), id="help-keys-left")
                with Vertical(classes="help-column"):
                    yield Static(self._keys_table(GROUPS[1], GROUPS[3]), id="help-keys-right")
                    yield Static("Markers in the Flags column", classes="help-heading")
                    yield Static(self._markers_table(), id="help-markers")
                    yield Static(
                        "“cached · fetched HH:MM”: the polls saved from your last visit, shown while fresh "
                        "ones load. “stale · fetched HH:MM”: the server could not be reached; what you see "
                        "is from then.",
                        id="help-status",
                    )
            yield Static("esc, q or ? closes this help", id="help-footer")

    def _keys_table(self, *groups: tuple[str, tuple[tuple[str | None, str, str], ...]]) -> Group:
        read_only = bool(getattr(self.app, "read_only", False))
        bindings = _binding_keys()
        parts: list[Text | Table] = []
        for index, (group, rows) in enumerate(groups):
            parts.append(Text(("\n" if index else "") + group, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True, min_width=7)
            table.add_column()
            for binding_id, fallback, description in rows:
                binding = bindings.get(binding_id) if binding_id else None
                key = self.app.get_key_display(binding) if binding is not None else fallback
                if binding_id == "clear-filter":
                    key = "esc"
                what = Text(description)
                if read_only and binding_id in WRITE_IDS:
                    what = Text(f"{description} — off in read-only mode", style="dim strike")
                table.add_row(Text(key, style="bold"), what)
            parts.append(table)
        return Group(*parts)

    def _markers_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=7)
        table.add_column()
        for letter, _, meaning in MARKERS:
            table.add_row(Text(letter, style="bold"), meaning)
        table.add_row(Text("·", style="bold"), "that setting is off")
        table.add_row(Text("hidden", style="bold"), "in Votes: the poll hides counts from voters (h shows)")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
