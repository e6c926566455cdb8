"""OptionsEditor: a poll's ordered options, edited from the keyboard.

Each option is one row with an inline, borderless input, so renaming is just typing. Keys while
an option has the focus (all shown in the footer):

- ``ctrl+n`` adds an option below, ``enter`` moves to the next option (adding one after the last)
- ``ctrl+r`` removes the option
- ``ctrl+up`` / ``ctrl+down`` (or ``alt+up`` / ``alt+down``) move it; ``up`` / ``down`` move the focus

The widget edits copies of :class:`PollOption`, so unknown fields an option carries stay as they
were. Ids never change when options move; a new option gets an id from :func:`new_option_id`
that collides neither with the current options nor with ``reserved_ids`` (the ids the poll had on
the server, so a new option never inherits the votes of a removed one). ``order`` is renumbered
0…n−1 after every change.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from pollstui.api.models import PollOption, move_option, new_option_id, renumber
from pollstui.api.poll_view import in_display_order
from pollstui.text import editable, unless_untouched
from pollstui.text import votes as votes_phrase
from pollstui.tui.widgets.inert_fields import InertInput


def _votes_text(votes: int | None) -> str:
    if votes is None:
        return ""
    return votes_phrase(votes)


class OptionInput(InertInput):
    """The inline input of one option. up/down/enter move between options: the editor screen
    binds them with priority (see :meth:`OptionsEditor.step` and :meth:`OptionsEditor.next_or_add`),
    so a burst of keys after one of them lands in the option it moved to."""


class OptionRow(Horizontal):
    """One option: its position, its title (editable) and its votes, when known."""

    def __init__(self, option: PollOption, votes: int | None, *, row_id: str) -> None:
        super().__init__(id=row_id, classes="option-row")
        self.option = option
        self.votes = votes

    def compose(self) -> ComposeResult:
        yield Label("", classes="option-position")
        yield OptionInput(
            editable(self.option.title, single_line=True),  # OptionsEditor keeps the original if untouched
            placeholder="Option text",
            compact=True,
            classes="option-title",
            select_on_focus=False,
        )
        yield Label(_votes_text(self.votes), classes="option-votes", markup=False)

    @property
    def input(self) -> OptionInput:
        return self.query_one(OptionInput)

    def set_position(self, index: int) -> None:
        self.query_one(".option-position", Label).update(f"{index + 1:>2}.")


class OptionsEditor(Vertical):
    """The ordered options of one poll."""

    DEFAULT_CSS = """
    OptionsEditor {
        height: auto;
        width: 100%;
    }
    OptionsEditor:focus {
        background-tint: $foreground 5%;
    }
    OptionsEditor #option-rows {
        height: auto;
    }
    OptionsEditor .option-row {
        height: 1;
        width: 100%;
    }
    OptionsEditor .option-position {
        width: 4;
        color: $text-muted;
    }
    OptionsEditor .option-title {
        width: 1fr;
        max-width: 72;
    }
    OptionsEditor .option-votes {
        width: 11;
        padding-left: 1;
        color: $text-muted;
    }
    OptionsEditor #options-empty {
        color: $text-muted;
        height: 1;
        padding-left: 4;
    }
    """

    _MOVE = Binding.Group("Move", compact=True)
    BINDINGS = [
        Binding("ctrl+n", "add_option", "Add", id="options.add"),
        Binding("ctrl+r", "remove_option", "Remove", id="options.remove"),
        Binding("ctrl+up,alt+up", "move_option(-1)", "Move up", id="options.up", group=_MOVE),
        Binding("ctrl+down,alt+down", "move_option(1)", "Move down", id="options.down", group=_MOVE),
    ]

    class Changed(Message):
        """Options were added, removed, renamed or moved."""

        def __init__(self, options_editor: OptionsEditor) -> None:
            super().__init__()
            self.options_editor = options_editor

        @property
        def control(self) -> OptionsEditor:
            return self.options_editor

    def __init__(
        self,
        options: Iterable[PollOption] = (),
        *,
        votes: dict[str, int] | None = None,
        reserved_ids: Iterable[str] = (),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._options: list[PollOption] = [o.model_copy(deep=True) for o in in_display_order(options)]
        self._votes = votes
        self._reserved: set[str] = set(reserved_ids)
        self._row_counter = 0

    # -- state -----------------------------------------------------------------------------

    @property
    def options(self) -> list[PollOption]:
        """Copies of the options in display order, ``order`` 0…n−1."""
        return [o.model_copy(deep=True) for o in renumber(self._options)]

    @property
    def reserved_ids(self) -> set[str]:
        return set(self._reserved)

    def votes_for(self, option_id: str) -> int | None:
        if self._votes is None:
            return None
        return self._votes.get(option_id, 0)

    def next_id(self) -> str:
        return new_option_id({o.id for o in self._options} | self._reserved)

    # -- composing -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="option-rows"):
            for option in self._options:
                yield self._make_row(option)
        yield Static("No options yet: press ctrl+n to add one.", id="options-empty")

    def on_mount(self) -> None:
        self._refresh_rows()

    def _make_row(self, option: PollOption) -> OptionRow:
        self._row_counter += 1
        return OptionRow(option, self.votes_for(option.id), row_id=f"option-row-{self._row_counter}")

    @property
    def _rows_container(self) -> Vertical:
        return self.query_one("#option-rows", Vertical)

    def rows(self) -> list[OptionRow]:
        return list(self._rows_container.query_children(OptionRow))

    def _refresh_rows(self) -> None:
        rows = self.rows()
        for index, row in enumerate(rows):
            row.set_position(index)
        empty = not self._options
        self.query_one("#options-empty").display = empty
        self.can_focus = empty
        renumber(self._options)

    def _changed(self) -> None:
        self._refresh_rows()
        self.post_message(self.Changed(self))

    async def set_options(
        self,
        options: Iterable[PollOption],
        *,
        votes: dict[str, int] | None | bool = False,
        reserved_ids: Iterable[str] | None = None,
    ) -> None:
        """Replace every option (a template swap, a reload). ``votes=False`` keeps the current counts."""
        if votes is not False:
            self._votes = votes  # type: ignore[assignment]
        if reserved_ids is not None:
            self._reserved = set(reserved_ids)
        self._options = [o.model_copy(deep=True) for o in in_display_order(options)]
        container = self._rows_container
        await container.remove_children()
        await container.mount_all([self._make_row(o) for o in self._options])
        self._changed()

    # -- focus -----------------------------------------------------------------------------

    def _row_of(self, widget: Widget | None) -> OptionRow | None:
        while widget is not None and widget is not self:
            if isinstance(widget, OptionRow):
                return widget
            widget = widget.parent  # type: ignore[assignment]
        return None

    def focused_index(self) -> int | None:
        row = self._row_of(self.screen.focused if self.is_attached else None)
        if row is None:
            return None
        try:
            return self.rows().index(row)
        except ValueError:
            return None

    def focus_option(self, index: int) -> None:
        rows = self.rows()
        if rows:
            self.screen.set_focus(rows[max(0, min(index, len(rows) - 1))].input)
        else:
            self.focus()

    def step(self, widget: Widget | None, delta: int) -> None:
        """Focus the option ``delta`` rows from the one holding ``widget``, at once (not on the
        next message: keys already queued must land in the option moved to)."""
        row = self._row_of(widget)
        rows = self.rows()
        if row is None or row not in rows:
            return
        index = rows.index(row) + delta
        if 0 <= index < len(rows):
            self.screen.set_focus(rows[index].input)

    async def next_or_add(self, widget: Widget | None) -> None:
        """enter in an option: the next option, or a new one after a non-empty last option."""
        row = self._row_of(widget)
        rows = self.rows()
        if row is None or row not in rows:
            return
        index = rows.index(row)
        if index + 1 < len(rows):
            self.screen.set_focus(rows[index + 1].input)
        elif row.option.title.strip():
            await self.add_option(after=index)

    # -- editing ---------------------------------------------------------------------------

    async def add_option(self, title: str = "", *, after: int | None = None, focus: bool = True) -> PollOption:
        """Add an option after position ``after`` (default: the focused one, else at the end)."""
        if after is None:
            after = self.focused_index()
        index = len(self._options) if after is None else after + 1
        option = PollOption(id=self.next_id(), title=title, order=index)
        self._options.insert(index, option)
        row = self._make_row(option)
        rows = self.rows()
        container = self._rows_container
        if index < len(rows):
            await container.mount(row, before=rows[index])
        else:
            await container.mount(row)
        self._changed()
        if focus:
            self.screen.set_focus(row.input)
            self.call_after_refresh(row.scroll_visible)
        return option

    async def remove_option(self, index: int | None = None) -> PollOption | None:
        """Remove the option at ``index`` (default: the focused one)."""
        if index is None:
            index = self.focused_index()
        if index is None or not 0 <= index < len(self._options):
            return None
        option = self._options.pop(index)
        row = self.rows()[index]
        had_focus = row.has_focus_within
        await row.remove()
        self._changed()
        if had_focus:
            self.focus_option(min(index, len(self._options) - 1))
        return option

    def move(self, index: int, delta: int) -> int:
        """Move the option at ``index`` by ``delta``; return its new index (ids unchanged)."""
        if not 0 <= index < len(self._options):
            return index
        target = move_option(self._options, index, delta)
        if target != index:
            rows = self.rows()
            row = rows[index]
            container = self._rows_container
            if target > index:
                container.move_child(row, after=rows[target])
            else:
                container.move_child(row, before=rows[target])
            self._changed()
            self.call_after_refresh(row.scroll_visible)
        return target

    def rename(self, index: int, title: str) -> None:
        """Set the title of the option at ``index`` (the input follows)."""
        row = self.rows()[index]
        row.option.title = title
        row.input.value = editable(title, single_line=True)
        self.post_message(self.Changed(self))

    # -- actions and events ----------------------------------------------------------------

    async def action_add_option(self) -> None:
        await self.add_option()

    async def action_remove_option(self) -> None:
        await self.remove_option()

    def action_move_option(self, delta: int) -> None:
        index = self.focused_index()
        if index is not None:
            self.move(index, delta)

    def on_input_changed(self, event: Input.Changed) -> None:
        row = self._row_of(event.input)
        if row is None:
            return
        event.stop()
        value = unless_untouched(event.value, row.option.title, single_line=True)
        if row.option.title != value:
            row.option.title = value
            self.post_message(self.Changed(self))

