"""DiffScreen: "save these changes?" with the changes as a diff (``E``'s JSON edit).

A :class:`~pollstui.tui.screens.confirm.ConfirmScreen` (``y`` saves, ``n`` / ``esc`` do not, the
safe button focused) that gives the diff the whole screen: its width, so ``---`` / ``+++`` lines and
JSON stay on one line, and its height, where the diff scrolls (arrows, page keys, home / end, the
mouse) while the buttons and the keys stay in view below it. Added lines are in the theme's
success colour, removed ones in its error colour, hunk headers in its accent; the text is made
inert first, like everything a dialog shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from pollstui.text import sanitize
from pollstui.tui.screens.confirm import ConfirmScreen


def diff_content(diff: str) -> Content:
    """A unified diff's lines, each in the style its first characters give it."""
    lines = []
    for line in sanitize(diff).splitlines():
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "$text-success"
        elif line.startswith("-"):
            style = "$text-error"
        elif line.startswith("@@"):
            style = "$text-accent"
        else:
            style = ""
        lines.append(Content.styled(line, style) if style else Content(line))
    return Content("\n").join(lines)


class DiffScreen(ConfirmScreen):
    """Confirm a change shown as ``diff`` (a unified diff's text)."""

    CSS_PATH = ["choice.tcss", "diff.tcss"]

    BINDINGS = [
        Binding("up", "scroll_diff('scroll_up')", "Scroll up", show=False),
        Binding("down", "scroll_diff('scroll_down')", "Scroll down", show=False),
        Binding("pageup", "scroll_diff('scroll_page_up')", "Page up", show=False),
        Binding("pagedown", "scroll_diff('scroll_page_down')", "Page down", show=False),
        Binding("home", "scroll_diff('scroll_home')", "Top", show=False),
        Binding("end", "scroll_diff('scroll_end')", "End", show=False),
    ]

    def __init__(self, title: str, diff: str, *, confirm_label: str = "Save", cancel_label: str = "Don't save") -> None:
        super().__init__(title, "", confirm_label, cancel_label, destructive=False)
        self.diff = diff

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="diff-view", can_focus=False):
            yield Static(diff_content(self.diff), id="diff-text")

    def hint(self) -> str:
        return f"[b]↑↓[/] [b]pgup[/]/[b]pgdn[/] scroll · {super().hint()}"

    def action_scroll_diff(self, method: str) -> None:
        getattr(self.query_one("#diff-view", VerticalScroll), method)(animate=False)
