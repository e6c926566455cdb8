"""Is the server's poll still the one this app left (or opened)? Allowing for what a server does on its own.

A real server may hand back a poll a little differently from what it was sent or last sent:
it adds fields (a timestamp, defaults), leaves out empty ones, orders keys or the options array
its own way. None of that is someone else's change, so none of it may make an undo say "changed
since" or a save say "changed on the server". :func:`same_as_left` compares with that slack:

- only the fields of ``left`` count: a field the server added is not a change, unless it is one
  of the API's own (a title, a description, options, a setting): one that ``left`` leaves out
  means its default, so it must still be missing, empty or that default on the server (a server
  that leaves out empty fields would otherwise hide someone filling one in, and a save, which
  replaces the whole poll, would then wipe it);
- a field of ``left`` that is empty (``""``, ``null``, ``false``, ``[]``, ``{}``) may be missing
  or empty in another way on the server;
- arrays of objects with ``id`` s (the options) are matched by id, not by position; the same ids
  must be there, and each keeps its fields (``order`` included: a reorder by someone is caught);
- ``results`` never counts.

Anything else that differs is a change: a title, a description, a setting, an option added,
removed, renamed or moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pollstui.api.poll_view import SETTING_SWITCHES, SETTING_TEXTS

__all__ = ["same_as_left", "written"]


def same_as_left(current: Mapping[str, Any] | None, left: Mapping[str, Any] | None) -> bool:
    """Whether the poll ``current`` (as the server has it now) is still ``left`` (what this app
    saved or opened), up to what a server does on its own (see the module docstring)."""
    if current is None or left is None:
        return current is left
    if not _defaults_kept(current, left):
        return False
    return _same({k: v for k, v in current.items() if k != "results"}, {k: v for k, v in left.items() if k != "results"})


#: The API's own fields, with what each means when a poll leaves it out (the models' defaults).
_POLL_DEFAULTS: dict[str, Any] = {"title": "", "description": "", "options": []}
_SETTING_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(SETTING_SWITCHES, False), **{key: default for key, (_, default) in SETTING_TEXTS.items()}
}


def _defaults_kept(current: Mapping[str, Any], left: Mapping[str, Any]) -> bool:
    """Whether every API field ``left`` leaves out is, on the server, still missing, empty or its default."""
    if any(key not in left and not _default(current.get(key), default) for key, default in _POLL_DEFAULTS.items()):
        return False
    settings_now, settings_left = current.get("settings"), left.get("settings", {})
    if not isinstance(settings_now, Mapping) or not isinstance(settings_left, Mapping):
        return True  # compared as they are (see _same)
    return all(key in settings_left or _default(settings_now.get(key), default) for key, default in _SETTING_DEFAULTS.items())


def _default(value: Any, default: Any) -> bool:
    return _empty(value) or (type(value) is type(default) and value == default)


def written(now: Mapping[str, Any], sent: Mapping[str, Any], before: Mapping[str, Any]) -> bool | None:
    """After a write that may have been carried out (its answer lost, 424, 5xx), the poll read
    back (``now``) tells: True when it is what was ``sent``, False when it is still what it was
    ``before``, None when it is neither (it may have been saved and changed again since)."""
    if same_as_left(now, sent):
        return True
    if same_as_left(now, before):
        return False
    return None


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


def _same(current: Any, left: Any) -> bool:
    if _empty(left) and _empty(current):
        return True
    if isinstance(left, Mapping):
        if not isinstance(current, Mapping):
            return False
        return all(_same(current[key], value) if key in current else _empty(value) for key, value in left.items())
    if isinstance(left, list):
        if not isinstance(current, list):
            return False
        by_id_left, by_id_current = _by_id(left), _by_id(current)
        if by_id_left is not None and by_id_current is not None:
            return by_id_left.keys() == by_id_current.keys() and all(
                _same(by_id_current[key], value) for key, value in by_id_left.items()
            )
        return len(current) == len(left) and all(_same(c, v) for c, v in zip(current, left))
    return type(current) is type(left) and current == left or (_number(current) and _number(left) and current == left)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _by_id(items: list[Any]) -> dict[str, Any] | None:
    """``items`` by their ``id`` when every one is an object with a distinct string id, else None."""
    if not items or not all(isinstance(item, Mapping) and isinstance(item.get("id"), str) for item in items):
        return None
    found = {item["id"]: item for item in items}
    return found if len(found) == len(items) else None
