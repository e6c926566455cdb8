"""ConflictScreen: someone changed the poll on the server while it was being edited.

Lists what changed between the version the editor opened and the server's current one, and
lets the user choose. Dismisses with one of:

- ``"overwrite"``  save my version over theirs,
- ``"reload"``     take theirs (the editor asks again before discarding the edits),
- ``"keep"``       close this and keep editing (the default button; also ``escape``).
"""

from __future__ import annotations

from typing import Any, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from pollstui.api.models import Poll, PollSettings
from pollstui.text import sanitize
from pollstui.tui.widgets.settings_form import SWITCHES, VISIBILITY_LABELS

ConflictChoice = Literal["overwrite", "reload", "keep"]

_SETTING_NAMES: dict[str, str] = {
    "allowSelectionOfMultipleOptions": "Multiple choice",
    "allowRevote": "Change of vote",
    "allowComment": "Comments",
    "saveParticipantNames": "Save voters' names",
    "hideAbsoluteNumbers": "Hide vote counts",
    "closePollOnEndDate": "Close on end date",
    "resultsVisibility": "Results visible",
    "endDate": "End date",
}
assert len(SWITCHES) + 2 == len(_SETTING_NAMES)


def _short(text: Any, limit: int = 60) -> str:
    value = text if isinstance(text, str) else repr(text)
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _setting_value(key: str, value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "on" if value else "off"
    if key == "resultsVisibility" and isinstance(value, str):
        return VISIBILITY_LABELS.get(value, value)
    if key == "endDate" and value == "":
        return "none"
    return _short(value)


def _without_order(option: Any) -> dict[str, Any]:
    data = option.to_api()
    data.pop("order", None)
    return data


def describe_changes(before: Poll, after: Poll) -> list[str]:
    """What differs from ``before`` to ``after``, one plain line per change (results ignored)."""
    old, new = before.to_api(), after.to_api()
    lines: list[str] = []
    if old.get("title") != new.get("title"):
        lines.append(f"Title: “{_short(old.get('title', ''))}” → “{_short(new.get('title', ''))}”")
    if old.get("description", "") != new.get("description", ""):
        lines.append("Description changed")

    old_opts = {o.id: o for o in before.ordered_options()}
    new_opts = {o.id: o for o in after.ordered_options()}
    for option_id, option in new_opts.items():
        if option_id not in old_opts:
            lines.append(f"Option added: “{_short(option.title)}”")
    for option_id, option in old_opts.items():
        if option_id not in new_opts:
            lines.append(f"Option removed: “{_short(option.title)}”")
        elif new_opts[option_id].title != option.title:
            lines.append(f"Option renamed: “{_short(option.title)}” → “{_short(new_opts[option_id].title)}”")
        elif _without_order(new_opts[option_id]) != _without_order(option):
            lines.append(f"Option “{_short(option.title)}”: other fields changed")
    kept_old = [i for i in old_opts if i in new_opts]
    kept_new = [i for i in new_opts if i in old_opts]
    if kept_old != kept_new:
        lines.append("Options reordered")

    old_settings = old.get("settings") if isinstance(old.get("settings"), dict) else {}
    new_settings = new.get("settings") if isinstance(new.get("settings"), dict) else {}
    defaults = PollSettings.defaults().to_api()
    others = sorted((set(old_settings) | set(new_settings)) - set(_SETTING_NAMES))
    for key in [*_SETTING_NAMES, *others]:
        a, b = old_settings.get(key, defaults.get(key)), new_settings.get(key, defaults.get(key))
        if a != b:
            name = _SETTING_NAMES.get(key, f"Setting “{key}”")
            lines.append(f"{name}: {_setting_value(key, a)} → {_setting_value(key, b)}")

    known = {"id", "title", "description", "options", "settings", "results"}
    for key in sorted((set(old) | set(new)) - known):
        if old.get(key) != new.get(key):
            lines.append(f"Field “{key}” changed")
    return lines


class ConflictScreen(ModalScreen[ConflictChoice]):
    """Tell the user the poll changed on the server and ask what to do."""

    CSS_PATH = "conflict.tcss"
    AUTO_FOCUS = "#keep"

    BINDINGS = [
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("r", "choose('reload')", "Reload theirs", id="conflict.reload"),
        Binding("k,escape", "choose('keep')", "Keep editing", id="conflict.keep"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, original: Poll, theirs: Poll) -> None:
        super().__init__()
        self.original = original
        self.theirs = theirs
        changes = describe_changes(original, theirs) or ["Fields this app does not show changed"]
        self.changes = [sanitize(line) for line in changes]  # they quote titles and field names

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog"):
            yield Label("Someone else changed this poll", id="conflict-title")
            yield Static(
                "Since you opened it, the server's version changed:",
                id="conflict-intro",
            )
            with VerticalScroll(id="conflict-changes"):
                for line in self.changes:
                    yield Static(f"• {line}", classes="conflict-change", markup=False)
            yield Static(
                "Overwrite saves your version over theirs. Reload takes theirs and drops your edits.",
                id="conflict-help",
            )
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep editing", id="keep", compact=True)
                yield Button("Reload theirs", id="reload", compact=True)
                yield Button("Overwrite", id="overwrite", variant="error", compact=True)
            yield Label("[b]o[/] overwrite · [b]r[/] reload · [b]k[/]/[b]esc[/] keep editing", id="conflict-hint")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: ConflictChoice) -> None:
        self.dismiss(choice)
