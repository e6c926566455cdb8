"""``[keys]`` in the config file: the user's own keys for the main screen's actions.

    [keys]
    new-poll = "N"            # an action id of the registry (pollstui.tui.actions) = key(s)
    refresh = "f5,r"          # several keys: comma-separated
    toggle-sidebar = "ctrl+b"

The ids are the registry's (the help lists them). A table that names an unknown id, a key
that is not a key, or a key another action of the main screen already has, is reported in plain
words and that line is ignored: the defaults stay, nothing else breaks. The result goes to
Textual's ``App.set_keymap`` (bindings by id), so the footer, the help and the keys follow.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual.keys import _character_to_key  # what Textual's own keymap normalisation uses

from pollstui.tui import actions

if TYPE_CHECKING:
    from textual.app import App

#: The screens whose keys [keys] may change: the main screen and its poll table.
SCREENS = ("main", "poll-table")

#: Keys the main screen's widgets need for moving around: never given to an action.
RESERVED = frozenset({"tab", "shift+tab", "enter", "up", "down", "left", "right", "pageup", "pagedown", "escape"})

_KEY = re.compile(r"^((ctrl|alt|shift|meta|super|hyper)\+)*([a-z0-9_]+|[^\s,+]|\+)$")


def rebindable() -> dict[str, actions.Action]:
    """Action id → action, for every key [keys] may change."""
    return {a.id: a for screen in SCREENS for a in actions.for_screen(screen) if a.action}


def normalize(keys: str) -> list[str]:
    """``"N, ctrl+b"`` → ``["N", "ctrl+b"]``, single characters by Textual's names (``?`` → question_mark)."""
    found = []
    for key in (k.strip() for k in keys.split(",")):
        found.append(_character_to_key(key) if len(key) == 1 else key.lower())
    return found


def keymap_from_config(raw: Any, where: str = "the config file") -> tuple[dict[str, str], list[str]]:
    """({action id: keys} for ``App.set_keymap``, [problems in plain words]) from a ``[keys]`` table."""
    if raw is None:
        return {}, []
    known = rebindable()
    if not isinstance(raw, dict):
        return {}, [f"[keys] in {where} must be a table of action-id = \"key\" lines; it is ignored."]
    problems: list[str] = []
    wanted: dict[str, list[str]] = {}
    for action_id, value in raw.items():
        if action_id not in known:
            problems.append(
                f"[keys] in {where}: there is no action {action_id!r} on the main screen, so that line is "
                f"ignored. The ids are: {', '.join(sorted(known))}."
            )
            continue
        keys = normalize(value) if isinstance(value, str) and value.strip() else []
        # A control character is no key anyone presses, and the footer and help would draw it raw.
        bad = [k for k in keys if not _KEY.match(k) or not k.isprintable()]
        if not keys or bad:
            problems.append(
                f"[keys] in {where}: {action_id} = {value!r} is not a key (write \"N\", \"ctrl+e\", \"f5\" "
                "or several separated by commas); the default stays."
            )
            continue
        reserved = [k for k in keys if k in RESERVED and k not in normalize(known[action_id].key)]
        if reserved:
            problems.append(
                f"[keys] in {where}: {reserved[0]!r} moves around the main screen and cannot be given to "
                f"{action_id}; the default stays."
            )
            continue
        wanted[action_id] = keys
    owners = _owners(wanted)
    for key, ids in owners.items():
        if len(ids) > 1 and any(i in wanted for i in ids):
            changed = sorted(i for i in ids if i in wanted)
            problems.append(
                f"[keys] in {where}: {key!r} would be the key of {' and '.join(sorted(ids))}, so "
                + " and ".join(changed)
                + (" keeps its default key." if len(changed) == 1 else " keep their default keys.")
            )
            for action_id in ids:
                wanted.pop(action_id, None)
    return {action_id: ",".join(keys) for action_id, keys in wanted.items()}, problems


def _owners(wanted: dict[str, list[str]]) -> dict[str, set[str]]:
    """Key → the ids of every main-screen and app action that would have it."""
    owners: dict[str, set[str]] = {}
    for screen in (*SCREENS, "app"):
        for action in actions.for_screen(screen):
            if not action.action:
                continue
            keys = wanted.get(action.id) or normalize(action.key)
            for key in keys:
                owners.setdefault(key, set()).add(action.id)
    return owners


def shown_key(app: App, action_id: str) -> str:
    """The first key ``app`` has for the main screen's ``action_id`` after [keys], as the footer
    shows it ("U", "^z"): what a message tells the user to press."""
    keymap: dict[str, str] = getattr(app, "key_overrides", {})
    for screen in SCREENS:
        for binding in actions.effective_bindings(screen, keymap):
            if binding.id == action_id:
                return app.get_key_display(binding)
    raise LookupError(action_id)
