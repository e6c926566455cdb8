"""SettingsForm: the eight documented settings of a poll.

Six on/off switches, the results visibility (a select of the values we know; a value the server
sent that we do not know is offered as an extra choice and kept as it is) and the end date.

The end date is typed as people say it (:func:`pollstui.dates.parse_typed_end`: ``in 2h``,
``fri 17:00``, ``2026-12-24``, ISO 8601, ``none``), and the line under the field shows what it
understood as you type (``Fri 11 Dec, 17:00 CET · in 3 days``), or why it cannot read it; the
field sends ISO 8601 with the zone's offset. An end date left untouched goes back exactly as the
server sent it, whatever it holds (``next friday`` too): the line under it then says how the
server's value is read (one without a zone is UTC: :func:`pollstui.dates.end_date_warnings`).

:meth:`SettingsForm.apply_to` writes the form into a *copy* of the poll's settings and only
touches a field whose value changed, so unknown settings, and documented ones the server left
out, survive an edit untouched.
"""

from __future__ import annotations


from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Input, Label, Select, Switch

from pollstui.api.models import KNOWN_RESULTS_VISIBILITY, PollSettings
from pollstui.dates import DateError, TypedEnd, end_date_warnings, parse_typed_end, preview_end
from pollstui.text import editable, one_line, unless_untouched
from pollstui.tui.widgets.inert_fields import InertInput

#: (field, label) of the on/off settings, in the order shown.
SWITCHES: tuple[tuple[str, str], ...] = (
    ("allow_selection_of_multiple_options", "Multiple choice: voters may pick several options"),
    ("allow_revote", "Voters may change their vote"),
    ("allow_comment", "Voters may add a comment"),
    ("save_participant_names", "Save voters' names"),
    ("hide_absolute_numbers", "Hide vote counts (show percentages only)"),
    ("close_poll_on_end_date", "Close the poll on the end date"),
)

VISIBILITY_LABELS: dict[str, str] = {
    "alwaysPublic": "Always public",
    "afterVote": "After voting",
    "afterClose": "After the poll closes",
}



def visibility_choices(current: str) -> list[tuple[str | Content, str]]:
    """The select's (label, value) pairs: the known values, plus ``current`` when unknown
    (shown inert, and as a Content so that brackets in it are not read as markup)."""
    choices: list[tuple[str | Content, str]] = [(VISIBILITY_LABELS.get(v, v), v) for v in KNOWN_RESULTS_VISIBILITY]
    if current not in KNOWN_RESULTS_VISIBILITY:
        choices.append((Content(f"{one_line(current) or '(empty)'} (set on the server; kept as is)"), current))
    return choices


#: The line under the end date while nothing needs saying about it.
END_DATE_HELP = "e.g. in 2h · tomorrow 9:00 · fri 17:00 · 2026-12-24 · ISO 8601 · none"


class SettingSwitch(Switch):
    """A one-line switch that says ``on`` / ``off`` in words, so it reads without colour (NO_COLOR)."""

    DEFAULT_CSS = """
    SettingSwitch {
        border: none;
        height: 1;
        width: 7;
        padding: 0;
        color: $text-muted;
        background: $boost;
        &.-on {
            color: $text-success;
            background: $success-muted;
            text-style: bold;
        }
        &:focus {
            border: none;
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: bold;
        }
    }
    """

    def render(self) -> Content:
        return Content(" ● on  " if self.value else " ○ off ")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 7


class SettingsForm(Vertical):
    """The form; events of its switches, select and input bubble up to the screen."""

    DEFAULT_CSS = """
    SettingsForm {
        height: auto;
        width: 100%;
    }
    SettingsForm .setting-row {
        height: 1;
        width: 100%;
        margin-bottom: 0;
    }
    SettingsForm SettingSwitch {
        margin-right: 1;
    }
    SettingsForm .setting-label {
        width: 1fr;
    }
    SettingsForm .setting-field {
        height: auto;
        width: 100%;
        margin-top: 1;
    }
    SettingsForm .field-label {
        width: 19;
        padding-top: 0;
    }
    SettingsForm #results-visibility {
        width: 1fr;
        max-width: 56;
    }
    SettingsForm #end-date {
        width: 1fr;
        max-width: 56;
    }
    SettingsForm .field-help {
        color: $text-muted;
        padding-left: 19;
        width: 100%;
        height: auto;
    }
    SettingsForm #end-date-error {
        padding-left: 19;
    }
    SettingsForm #end-date-help.-problem {
        color: $text-warning;
    }
    """

    def __init__(self, settings: PollSettings, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._settings = settings.model_copy(deep=True)

    def compose(self) -> ComposeResult:
        for field, text in SWITCHES:
            with Horizontal(classes="setting-row"):
                yield SettingSwitch(bool(getattr(self._settings, field)), id=f"setting-{field}", animate=False)
                yield Label(text, classes="setting-label")
        current = self._settings.results_visibility
        with Horizontal(classes="setting-field", id="visibility-field"):
            yield Label("Results visible", classes="field-label")
            yield Select(
                visibility_choices(current),
                value=current,
                allow_blank=False,
                compact=True,
                id="results-visibility",
            )
        with Horizontal(classes="setting-field", id="end-date-field"):
            yield Label("End date", classes="field-label")
            yield InertInput(
                editable(self._settings.end_date, single_line=True),  # end_date gives the original back
                placeholder="none",
                compact=True,
                id="end-date",
            )
        yield Label("", classes="field-error", id="end-date-error", markup=False)
        yield Label("", classes="field-help", id="end-date-help", markup=False)

    def on_mount(self) -> None:
        self._describe_end_date()

    # -- reading and writing ---------------------------------------------------------------

    def switch(self, field: str) -> Switch:
        return self.query_one(f"#setting-{field}", Switch)

    def typed_end_date(self) -> TypedEnd | str | None:
        """The end date field read: None while it shows the server's value untouched; else what
        it was understood as, or why it cannot be read (a message)."""
        value = self.query_one("#end-date", Input).value
        original = self._settings.end_date
        if unless_untouched(value, original, single_line=True) is original:
            return None
        try:
            return parse_typed_end(value)
        except DateError as error:
            return str(error)

    @property
    def end_date(self) -> str:
        """What the poll keeps: the server's value untouched, else ISO 8601 with an offset (the
        text as typed while it cannot be read, so a draft keeps it)."""
        typed = self.typed_end_date()
        if typed is None:
            return self._settings.end_date
        return self.query_one("#end-date", Input).value.strip() if isinstance(typed, str) else typed.wire

    def end_date_problem(self) -> str | None:
        """Why the end date cannot be saved (typed, and not a date), or None."""
        typed = self.typed_end_date()
        return typed if isinstance(typed, str) else None

    @property
    def results_visibility(self) -> str:
        value = self.query_one("#results-visibility", Select).value
        return value if isinstance(value, str) else self._settings.results_visibility

    def values(self) -> dict[str, object]:
        """Field → value as the form shows it now (snake_case field names)."""
        values: dict[str, object] = {field: self.switch(field).value for field, _ in SWITCHES}
        values["results_visibility"] = self.results_visibility
        values["end_date"] = self.end_date
        return values

    def apply_to(self, settings: PollSettings) -> PollSettings:
        """A copy of ``settings`` with the form's values; unchanged fields are not touched."""
        result = settings.model_copy(deep=True)
        for field, value in self.values().items():
            if getattr(result, field) != value:
                setattr(result, field, value)
        return result

    def load(self, settings: PollSettings) -> None:
        """Show ``settings`` (a template swap, a reload)."""
        self._settings = settings.model_copy(deep=True)
        for field, _ in SWITCHES:
            self.switch(field).value = bool(getattr(settings, field))
        select = self.query_one("#results-visibility", Select)
        select.set_options(visibility_choices(settings.results_visibility))
        select.value = settings.results_visibility
        self.query_one("#end-date", Input).value = editable(settings.end_date, single_line=True)

    def apply_template_settings(self, changes: dict[str, object]) -> None:
        """Set the fields a template names (camelCase or snake_case keys); others stay."""
        by_alias = {info.alias or name: name for name, info in PollSettings.model_fields.items()}
        for key, value in changes.items():
            field = by_alias.get(key, key)
            if field in dict(SWITCHES):
                self.switch(field).value = bool(value)
            elif field == "results_visibility" and isinstance(value, str):
                select = self.query_one("#results-visibility", Select)
                select.set_options(visibility_choices(value))
                select.value = value
            elif field == "end_date" and isinstance(value, str):
                self.query_one("#end-date", Input).value = editable(value, single_line=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "end-date":
            self._describe_end_date()

    def _describe_end_date(self) -> None:
        """Under the end date: what a typed one was understood as (or why it cannot be read); for
        the server's value untouched, its warnings (in the past; no zone, and which it means), else
        the forms it takes."""
        typed = self.typed_end_date()
        if typed is None:
            line = " ".join(end_date_warnings(self._settings.end_date)) or END_DATE_HELP
        elif isinstance(typed, str):
            line = typed
        else:
            line = "→ " + preview_end(typed)
        help_line = self.query_one("#end-date-help", Label)
        help_line.update(line)
        help_line.set_class(isinstance(typed, str), "-problem")

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#end-date-error", Label)
        error.update(message or "")
        error.set_class(bool(message), "-shown")
