"""TemplatePickerScreen: choose the options (and settings) a poll starts from.

Dismisses with the template's name, or None (``escape``). Picking a template never touches the
title or description: templates carry neither.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pollstui.api.templates import TEMPLATES, Template
from pollstui.text import truncate


def _preview(template: Template, limit: int = 44) -> str:
    if not template.option_titles:
        return "no options"
    return truncate(" · ".join(template.option_titles), limit)


class TemplatePickerScreen(ModalScreen[str | None]):
    """A list of the templates; enter picks, escape cancels."""

    CSS_PATH = "template_picker.tcss"
    AUTO_FOCUS = "#templates"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="templates.cancel")]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="template-dialog"):
            yield Label("Start from a template", id="template-title")
            yield Label("Replaces the options; the title and description stay.", id="template-help")
            # One line per template at any width: the preview gets what the dialog leaves it.
            limit = max(12, min(44, self.app.size.width - 30))
            options = [
                Option(
                    Content.assemble((f"{t.label:<16}", "bold"), (_preview(t, limit), "dim")),
                    id=name,
                )
                for name, t in TEMPLATES.items()
            ]
            yield OptionList(*options, id="templates")
            yield Label("[b]enter[/] use · [b]esc[/] cancel", id="template-hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = list(TEMPLATES)
        option_list.highlighted = names.index(self.current) if self.current in names else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
