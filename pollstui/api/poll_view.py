"""The read model of a poll: its decoded JSON, read without building a model.

pollstui has two models of a poll, named for what they are for. :class:`PollView` is the READ
model: the server's JSON as it is, read only for showing (the poll list, the detail pane, the
CLI's table). :class:`~pollstui.api.models.Poll` is the WRITE model (pydantic): what is edited,
saved, duplicated and sent back, with the round-trip rules. A view answers what a model answers
for showing a poll (title, options in display order, settings, results, the fields pollstui does
not know); :meth:`PollView.model` builds the write model of the same JSON, once.

The read model exists for the first frame: drawing a list imports no pydantic and builds no model.

Which items are polls is decided as the models decide it. :func:`readable` accepts an item only
when it has the shape the models accept (strict types: a string is a string, ``order`` an integer
and not ``true``, a switch ``true`` or ``false``; ``null`` where a model reads it as its default);
anything else is given to the models to judge and, when they refuse it, to name the reason (see
:func:`pollstui.api.listing.read_poll_listing`). A test holds the two readings together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pollstui.api.results import PollResults, read_results

if TYPE_CHECKING:
    from pollstui.api.models import Poll

__all__ = ["OptionView", "PollView", "SettingsView", "in_display_order", "readable"]

class _Ordered(Protocol):
    order: int


_Option = TypeVar("_Option", bound=_Ordered)
_UNREAD = object()  # PollView._results before they are first read (None: read, not a known shape)

#: The wire names of each part's fields, and the names pollstui's code reads them by.
_POLL_KEYS = frozenset({"id", "title", "description", "options", "settings", "results"})
_OPTION_KEYS = frozenset({"id", "title", "order"})
SETTING_SWITCHES: dict[str, str] = {
    "allowSelectionOfMultipleOptions": "allow_selection_of_multiple_options",
    "hideAbsoluteNumbers": "hide_absolute_numbers",
    "allowRevote": "allow_revote",
    "saveParticipantNames": "save_participant_names",
    "closePollOnEndDate": "close_poll_on_end_date",
    "allowComment": "allow_comment",
}
SETTING_TEXTS: dict[str, tuple[str, str]] = {
    "resultsVisibility": ("results_visibility", "alwaysPublic"),
    "endDate": ("end_date", ""),
}


def _text_or_null(item: dict[str, Any], key: str) -> bool:
    value = item.get(key)
    return value is None or type(value) is str


def _option_readable(option: Any) -> bool:
    if type(option) is not dict or type(option.get("id")) is not str:
        return False
    order = option.get("order", 0)
    return _text_or_null(option, "title") and type(order) is int


def _settings_readable(settings: Any) -> bool:
    if settings is None:
        return True
    if type(settings) is not dict:
        return False
    return all(type(settings.get(key, False)) is bool for key in SETTING_SWITCHES) and all(
        _text_or_null(settings, key) for key in SETTING_TEXTS
    )


def readable(item: Any) -> bool:
    """Whether the models would read ``item`` as a poll (False: let them judge, and say why)."""
    if type(item) is not dict:
        return False
    if not (_text_or_null(item, "id") and _text_or_null(item, "title") and _text_or_null(item, "description")):
        return False
    options = item.get("options")
    if options is not None and (type(options) is not list or not all(_option_readable(o) for o in options)):
        return False
    return _settings_readable(item.get("settings"))


def in_display_order(options: Iterable[_Option]) -> list[_Option]:
    """Options by ``order``, ties in their list position: how every list of options is shown."""
    items = list(options)
    orders = [option.order for option in items]
    if all(a <= b for a, b in zip(orders, orders[1:])):
        return items  # the usual case, checked without sorting (the editor asks after every key)
    return [items[i] for i in sorted(range(len(items)), key=orders.__getitem__)]


def _unknown(item: dict[str, Any], known: frozenset[str] | dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in known}


class OptionView:
    """One option of a :class:`PollView`."""

    __slots__ = ("id", "order", "raw", "title")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.id: str = raw["id"]
        self.title: str = raw.get("title") or ""
        self.order: int = raw.get("order", 0)

    @property
    def extra_fields(self) -> dict[str, Any]:
        return _unknown(self.raw, _OPTION_KEYS)


class SettingsView:
    """The settings of a :class:`PollView`: each missing or ``null`` one reads as its default."""

    __slots__ = ("raw", *SETTING_SWITCHES.values(), *(name for name, _ in SETTING_TEXTS.values()))

    def __init__(self, raw: dict[str, Any] | None) -> None:
        self.raw = raw or {}
        for key, name in SETTING_SWITCHES.items():
            setattr(self, name, self.raw.get(key, False))
        for key, (name, default) in SETTING_TEXTS.items():
            value = self.raw.get(key)
            setattr(self, name, default if value is None else value)

    @property
    def extra_fields(self) -> dict[str, Any]:
        return _unknown(self.raw, {**SETTING_SWITCHES, **SETTING_TEXTS})


class PollView:
    """A readable poll (:func:`readable`) as the server sent it, to show; :meth:`model` for the
    write model (:class:`~pollstui.api.models.Poll`) to edit or send."""

    __slots__ = ("_model", "_options", "_results", "_settings", "description", "id", "raw", "title")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.id: str | None = raw.get("id")
        self.title: str = raw.get("title") or ""
        self.description: str = raw.get("description") or ""
        self._options: list[OptionView] | None = None
        self._settings: SettingsView | None = None
        self._model: Poll | None = None
        self._results: PollResults | None | object = _UNREAD

    def __repr__(self) -> str:
        return f"PollView(id={self.id!r}, title={self.title!r})"

    @property
    def options(self) -> list[OptionView]:
        if self._options is None:
            self._options = [OptionView(o) for o in self.raw.get("options") or ()]
        return self._options

    @property
    def settings(self) -> SettingsView:
        if self._settings is None:
            self._settings = SettingsView(self.raw.get("settings"))
        return self._settings

    @property
    def results(self) -> Any:
        return self.raw.get("results")

    @property
    def results_view(self) -> PollResults | None:
        """``results`` read (votes per option, totals; read once), or None when its shape is not one pollstui knows."""
        if self._results is _UNREAD:
            self._results = read_results(self.results)
        return self._results  # type: ignore[return-value]

    @property
    def total_votes(self) -> int | None:
        view = self.results_view
        return None if view is None else view.total_votes

    @property
    def extra_fields(self) -> dict[str, Any]:
        return _unknown(self.raw, _POLL_KEYS)

    def ordered_options(self) -> list[OptionView]:
        """Options in display order (:func:`in_display_order`)."""
        return in_display_order(self.options)

    def model(self) -> Poll:
        """The :class:`~pollstui.api.models.Poll` of this JSON (built once; imports pydantic).

        Raises pydantic's ValidationError if the models refuse what :func:`readable` accepted
        (they agree; a test holds them together).
        """
        if self._model is None:
            from pollstui.api.models import Poll

            self._model = Poll.from_api(self.raw)
        return self._model
