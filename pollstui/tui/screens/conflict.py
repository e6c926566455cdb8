"""ConflictScreen: someone changed the poll on the server while it was being edited.

Lists what changed between the version the editor opened and the server's current one, and
lets the user choose (a :class:`~pollstui.tui.screens.choice.ChoiceScreen`). Dismisses with a
:class:`~pollstui.session.ask.ConflictChoice`: OVERWRITE saves my version over theirs, RELOAD takes
theirs (the session asks again before discarding the edits), KEEP (the focused button; also
``escape``) closes this and keeps editing.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from pollstui.api.models import Poll, PollOption, PollSettings
from pollstui.session.ask import ConflictChoice
from pollstui.tui.screens.choice import Choice, ChoiceScreen
from pollstui.tui.widgets.settings_form import SWITCHES, VISIBILITY_LABELS

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


def _without_order(option: PollOption) -> dict[str, Any]:
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


class ConflictScreen(ChoiceScreen[ConflictChoice]):
    """Tell the user the poll changed on the server and ask what to do."""

    BINDINGS = [
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("r", "choose('reload')", "Reload theirs", id="conflict.reload"),
        Binding("k,escape", "choose('keep')", "Keep editing", id="conflict.keep"),
    ]

    def __init__(self, original: Poll, theirs: Poll) -> None:
        super().__init__(
            "Someone else changed this poll",
            "Since you opened it, the server's version changed:",
            [
                Choice("keep", "Keep editing", ConflictChoice.KEEP, "k/esc"),
                Choice("reload", "Reload theirs", ConflictChoice.RELOAD, "r"),
                Choice("overwrite", "Overwrite", ConflictChoice.OVERWRITE, "o", "error"),
            ],
            focus="keep",
            lines=describe_changes(original, theirs) or ["Fields this app does not show changed"],
            note="Overwrite saves your version over theirs. Reload takes theirs and drops your edits.",
            tone="warning",
            wide=True,
        )
        self.original = original
        self.theirs = theirs
