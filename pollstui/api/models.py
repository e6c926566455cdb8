"""The Poll object, faithful on the wire.

Names are camelCase on the wire and snake_case in Python. Every model keeps the fields it does
not know (``extra="allow"``), and :meth:`Poll.to_api` dumps only the fields that were set, so a
poll loaded from a server and sent back by PUT carries exactly what it came with, at every level.
Fields are strict: a server that sends an option ``order`` as a string gets an error, not a
silent conversion that would change the value on the way back. The one leniency is ``null``
for the title, description, options and settings of a poll, an option's title, and the
``endDate`` and ``resultsVisibility`` settings: read as the default (the UI never sees
``None``) and sent back as ``null`` unless the user changed the value.

``results`` is not documented by the API. It is kept as raw JSON; :attr:`Poll.results_view`
reads it into :class:`PollResults` when it has one of the shapes :mod:`pollstui.api.results`
knows (ours, per-option entries, a mapping from option id to count). Any other shape stays raw
(shown as JSON by the UI) and still round-trips.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.alias_generators import to_camel

from pollstui.api.poll_view import in_display_order
from pollstui.api.results import PollResults, read_results

__all__ = [
    "DEFAULT_SETTINGS", "KNOWN_RESULTS_VISIBILITY", "Poll", "PollOption", "PollResults", "PollSettings",
    "move_option", "new_option_id", "renumber", "with_option_ids",
]  # fmt: skip

#: ``resultsVisibility`` values we know. Only ``alwaysPublic`` is documented; the field is an
#: open string, and a value not listed here is shown and kept as it is.
KNOWN_RESULTS_VISIBILITY: tuple[str, ...] = ("alwaysPublic", "afterVote", "afterClose")

#: What the seven switches and the two strings default to in a new poll (the docs' example).
DEFAULT_SETTINGS: dict[str, Any] = {
    "allowSelectionOfMultipleOptions": False,
    "resultsVisibility": "alwaysPublic",
    "endDate": "",
    "hideAbsoluteNumbers": False,
    "allowRevote": False,
    "saveParticipantNames": False,
    "closePollOnEndDate": False,
    "allowComment": False,
}


class _WireModel(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        alias_generator=to_camel,
        # Wire keys are the API's camelCase only: an unknown key spelled like a Python name
        # (``allow_revote``) is an unknown field, kept and sent back as it came. Python code sets
        # fields by attribute (validate_assignment) or by names that are the same in both spellings.
        populate_by_name=False,
        strict=True,
        validate_assignment=True,
    )

    #: Fields a real server may send as ``null``: read as their default (so the UI never sees
    #: ``None``) and sent back as ``null`` while they still hold that default. Which fields came as
    #: ``null`` is kept in ``__pydantic_private__`` only on the models that had one (copies keep it).
    _NULLABLE: ClassVar[tuple[tuple[str, str], ...]] = ()

    @model_validator(mode="wrap")
    @classmethod
    def _accept_null(cls, data: Any, handler: Any) -> Any:
        nulls = None
        if cls._NULLABLE and isinstance(data, dict) and None in data.values():
            for name, alias in cls._NULLABLE:
                if alias in data and data[alias] is None:
                    nulls = (nulls or set()) | {name}
                    data = {k: v for k, v in data.items() if k != alias}
        model = handler(data)
        extra = model.__pydantic_extra__ if isinstance(model, _WireModel) else None
        if extra and not extra.keys().isdisjoint(cls.model_fields):
            # An unknown key spelled like a field's Python name counts as set for pydantic; the
            # field was set only when its camelCase key came too.
            for name in extra.keys() & cls.model_fields.keys():
                if (cls.model_fields[name].alias or name) not in data:
                    model.__pydantic_fields_set__.discard(name)
        if nulls and isinstance(model, _WireModel):
            object.__setattr__(model, "__pydantic_private__", {"_null_fields": frozenset(nulls)})
        return model

    @property
    def _null_fields(self) -> frozenset[str]:
        return (self.__pydantic_private__ or {}).get("_null_fields", frozenset())

    def to_api(self) -> dict[str, Any]:
        """The JSON object to send: camelCase, the fields that were set, unknown fields as received.

        A field that was never set but was changed in place (``poll.settings.allow_revote = True``
        or ``poll.options.append(...)`` on a poll that came without them) is sent too. A field
        that came as ``null`` and was not changed goes back as ``null``.
        """
        data = self.model_dump(by_alias=True, exclude_unset=True, mode="json")
        null_fields = self._null_fields
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if name in self.model_fields_set:
                if _has_nulls(value):
                    data[info.alias or name] = _wire_value(value)  # model_dump would drop nested nulls
                continue
            default = info.get_default(call_default_factory=True)
            if value != default:
                data[info.alias or name] = _wire_value(value)
            elif name in null_fields:
                data[info.alias or name] = None
        return data

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields the server sent that this client does not know."""
        return dict(self.__pydantic_extra__ or {})


def _has_nulls(value: Any) -> bool:
    """Whether ``value`` (a model, or a list of them) holds a field that came as ``null``."""
    if isinstance(value, _WireModel):
        if value.__pydantic_private__:
            return True
        return any(_has_nulls(v) for v in value.__dict__.values() if isinstance(v, (_WireModel, list)))
    if isinstance(value, list):
        return any(_has_nulls(item) for item in value if isinstance(item, (_WireModel, list)))
    return False


def _wire_value(value: Any) -> Any:
    if isinstance(value, _WireModel):
        return value.to_api()
    if isinstance(value, list):
        return [_wire_value(item) for item in value]
    return value


class PollOption(_WireModel):
    _NULLABLE = (("title", "title"),)

    id: str
    title: str = ""
    order: int = 0


class PollSettings(_WireModel):
    _NULLABLE = (("end_date", "endDate"), ("results_visibility", "resultsVisibility"))

    allow_selection_of_multiple_options: bool = False
    results_visibility: str = "alwaysPublic"
    end_date: str = ""
    hide_absolute_numbers: bool = False
    allow_revote: bool = False
    save_participant_names: bool = False
    close_poll_on_end_date: bool = False
    allow_comment: bool = False

    @classmethod
    def defaults(cls) -> PollSettings:
        """Every setting present with its default value (for new polls)."""
        return cls.model_validate(DEFAULT_SETTINGS)


class Poll(_WireModel):
    _NULLABLE = (("title", "title"), ("description", "description"), ("options", "options"), ("settings", "settings"))

    id: str | None = None
    title: str = ""
    description: str = ""
    options: list[PollOption] = Field(default_factory=list)
    settings: PollSettings = Field(default_factory=PollSettings.defaults)
    results: Any = None

    @classmethod
    def from_api(cls, data: Any) -> Poll:
        """Parse one poll from decoded JSON (raises pydantic's ValidationError on a wrong shape)."""
        return cls.model_validate(data)

    @classmethod
    def new(cls, title: str = "", description: str = "", options: list[dict] | None = None,
            settings: dict | None = None) -> Poll:
        """A poll to create: every documented field present, no id."""
        return cls.model_validate(
            {
                "title": title,
                "description": description,
                "options": options or [],
                "settings": {**DEFAULT_SETTINGS, **(settings or {})},
            }
        )

    def to_api(self, *, include_results: bool = False) -> dict[str, Any]:
        """The body to send: results are computed by the server, so they stay out unless asked."""
        data = super().to_api()
        if not include_results:
            data.pop("results", None)
        return data

    @property
    def results_view(self) -> PollResults | None:
        """``results`` read as :class:`PollResults` when it has a shape pollstui knows
        (:mod:`pollstui.api.results`), else ``None`` (shown raw)."""
        return read_results(self.results)

    @property
    def total_votes(self) -> int | None:
        view = self.results_view
        return None if view is None else view.total_votes

    def ordered_options(self) -> list[PollOption]:
        """Options in display order (:func:`~pollstui.api.poll_view.in_display_order`)."""
        return in_display_order(self.options)

    def clone(self) -> Poll:
        return self.model_copy(deep=True)


# --- option list operations (pure; the editor and the property tests use them) ---------------


def new_option_id(existing: list[str] | set[str]) -> str:
    """A short id not in ``existing``: one more than the largest numeric id ("1", "2", …)."""
    taken = set(existing)
    numbers = [int(i) for i in taken if i.isascii() and i.isdigit()]
    candidate = (max(numbers) + 1) if numbers else 1
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def with_option_ids(body: dict[str, Any]) -> dict[str, Any]:
    """A poll body to POST, its options completed: ids and orders the author left out.

    An option without an ``id`` (missing, ``null`` or ``""``) gets the next free short id
    (``"1"``, ``"2"``, …, unique within the poll, see :func:`new_option_id`); one without an
    ``order`` gets its position in the list. A plain string stands for an option with that
    title. Everything else, unknown fields included, is kept as it is; ``body`` is not changed.
    The CLI's ``create``/``import`` call it, and so can any other place that creates polls.
    """
    options = body.get("options")
    if not isinstance(options, list):
        return dict(body)
    items = [{"title": item} if isinstance(item, str) else item for item in options]
    taken = [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]]
    completed = []
    for position, item in enumerate(items):
        if isinstance(item, dict):
            item = dict(item)
            if item.get("id") is None or item.get("id") == "":
                item["id"] = new_option_id(taken)
                taken.append(item["id"])
            if item.get("order") is None:
                item["order"] = position
        completed.append(item)
    return {**body, "options": completed}


def renumber(options: list[PollOption], start: int = 0) -> list[PollOption]:
    """Set ``order`` to 0…n−1 following list position (ids untouched), from position ``start`` on
    (the options before it are numbered already: an insert or a removal there changes only the rest).

    An order is assigned where it differs or was never set, so that an option made without an
    order still sends one.
    """
    for index in range(start, len(options)):
        option = options[index]
        if option.order != index or "order" not in option.model_fields_set:
            option.order = index
    return options


def move_option(options: list[PollOption], index: int, delta: int) -> int:
    """Move the option at ``index`` by ``delta`` places; return its new index. Orders renumbered."""
    target = max(0, min(len(options) - 1, index + delta))
    if options and target != index:
        options.insert(target, options.pop(index))
    renumber(options)
    return target
