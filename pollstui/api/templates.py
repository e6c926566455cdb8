"""Poll templates: the options and settings a new poll starts with.

A template never carries a title or description: swapping templates in the editor keeps
what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pollstui.api.models import Poll, PollOption


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    option_titles: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    def options(self) -> list[PollOption]:
        return [PollOption(id=str(i + 1), title=t, order=i) for i, t in enumerate(self.option_titles)]

    def new_poll(self, title: str = "", description: str = "") -> Poll:
        return Poll.new(title, description, [o.to_api() for o in self.options()], self.settings)


TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template("yes-no", "Yes / No", ("Yes", "No")),
        Template("stars", "Stars 1–5", ("⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐")),
        Template(
            "agree",
            "Agree scale 1–5",
            ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
        ),
        Template("nps", "NPS 0–10", tuple(str(n) for n in range(11))),
        Template("tshirt", "T-shirt sizes", ("XS", "S", "M", "L", "XL")),
        Template("blank", "Blank", ()),
    )
}

DEFAULT_TEMPLATE = "yes-no"


def get_template(name: str) -> Template:
    from pollstui.api.errors import InvalidInputError

    try:
        return TEMPLATES[name]
    except KeyError:
        raise InvalidInputError(
            f"Unknown template {name!r}: choose one of {', '.join(TEMPLATES)}."
        ) from None
