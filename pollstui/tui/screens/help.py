"""The help screen: the keys of the screen it was opened from, grouped, and (on the main screen)
what the poll list's markers mean.

Built from the action registry (:mod:`pollstui.tui.actions`), the same table the bindings come
from, so it cannot drift from what the keys do. A screen the registry does not describe (a small
dialog) gets its own active bindings listed.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pollstui.session.listing import MARKERS
from pollstui.tui import actions
from pollstui.tui.widgets.poll_table import DRAFT_MARK


class HelpScreen(ModalScreen[None]):
    """Keys and markers. Any of escape, q, ? closes it."""

    CSS_PATH = "help.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, origin: Screen | None = None) -> None:
        super().__init__()
        #: The registry's name for the screen this help describes ("main", "editor", …), or None.
        self.topic: str | None = getattr(origin, "ACTION_SCREEN", None) if origin is not None else "main"
        self._origin = origin

    def compose(self) -> ComposeResult:
        groups = self._groups()
        with VerticalScroll(id="help-body"):
            yield Static(f"pollstui — keys{self._title_suffix()}", id="help-title")
            with Container(id="help-columns"):
                if self.topic == "main":
                    # Two columns: moving and showing on the left, changing and markers on the right.
                    left = [g for g in groups if g[0] in ("Move around", "Show and copy", "Everywhere")]
                    right = [g for g in groups if g not in left]
                    with Vertical(classes="help-column"):
                        yield Static(self._keys_table(left), id="help-keys-left")
                    with Vertical(classes="help-column"):
                        yield Static(self._keys_table(right), id="help-keys-right")
                        yield Static("Markers in the Flags column", classes="help-heading")
                        yield Static(self._markers_table(), id="help-markers")
                        yield Static(
                            "“cached · fetched HH:MM”: the polls saved from your last visit, shown while fresh "
                            "ones load. “stale · fetched HH:MM”: the server could not be reached; what you see "
                            "is from then.",
                            id="help-status",
                        )
                else:
                    with Vertical(classes="help-column"):
                        yield Static(self._keys_table(groups), id="help-keys-left")
            yield Static("esc, q or ? closes this help", id="help-footer")

    def _title_suffix(self) -> str:
        return {"editor": " in the editor", "present": " in present mode"}.get(self.topic or "", "" if self.topic == "main" else " here")

    def _groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """(group, [(key, description, writes)]) for this help's screen."""
        bound = self._bound_keys()
        if self.topic is not None:
            return [
                (group, [(bound.get(a.id) or actions.key_text(a), a.help, a.writes) for a in rows])
                for group, rows in actions.help_groups(self.topic)
            ]
        # A dialog the registry does not describe: its own keys, as its bindings say.
        own: list[tuple[str, str, bool]] = []
        if self._origin is not None:
            for key, active in self._origin.active_bindings.items():
                binding = active.binding
                if active.node is self._origin and binding.description:
                    own.append((self.app.get_key_display(binding), binding.description, False))
        everywhere = [(bound.get(a.id) or actions.key_text(a), a.help, False) for a in actions.for_screen("app") if a.help]
        return [(group, rows) for group, rows in (("This dialog", own), ("Everywhere", everywhere)) if rows]

    def _bound_keys(self) -> dict[str, str]:
        """Binding id → its keys as the app displays them, after the config's [keys] (the registry's
        effective bindings, as Textual applies the keymap)."""
        shown: dict[str, list[str]] = {}
        keymap: dict[str, str] = self.app.key_overrides  # type: ignore[attr-defined]
        for screen in (self.topic, "app", *actions.WIDGETS.get(self.topic or "", ())):
            for binding in actions.effective_bindings(screen, keymap):
                keys = shown.setdefault(binding.id or "", [])
                display = self.app.get_key_display(binding)
                if display not in keys:  # "left,pageup" shown as one "←"
                    keys.append(display)
        return {binding_id: " ".join(keys) for binding_id, keys in shown.items() if binding_id}

    def _keys_table(self, groups: list[tuple[str, list[tuple[str, str, bool]]]]) -> Group:
        read_only = bool(self.app.session.read_only)  # type: ignore[attr-defined]
        parts: list[Text | Table] = []
        for index, (group, rows) in enumerate(groups):
            parts.append(Text(("\n" if index else "") + group, style="bold underline"))
            table = Table.grid(padding=(0, 2), expand=True)
            table.add_column(no_wrap=True, min_width=7)
            table.add_column(ratio=1)
            for key, description, writes in rows:
                what = Text(description)
                if read_only and writes:
                    what = Text(f"{description} — off in read-only mode", style="dim strike")
                table.add_row(Text(key, style="bold"), what)
            parts.append(table)
        return Group(*parts)

    def _markers_table(self) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True, min_width=11)
        table.add_column(ratio=1)
        for letter, _, meaning in MARKERS:
            table.add_row(Text(letter, style="bold"), meaning)
        table.add_row(Text("·", style="bold"), "that setting is off")
        table.add_row(Text("hidden", style="bold"), "in Votes: the poll hides counts from voters (h shows)")
        table.add_row(Text("unreadable", style="bold"), "in Title: a poll pollstui cannot read (its JSON in the details; d deletes it)")
        table.add_row(Text(DRAFT_MARK.strip(), style="bold"), "in Title: an unsaved draft of this poll (e offers to restore it)")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
