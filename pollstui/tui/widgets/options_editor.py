"""OptionsEditor: a poll's ordered options, edited from the keyboard.

Each option is one row with an inline, borderless input, so renaming is just typing. Keys while
an option has the focus (all shown in the footer):

- ``ctrl+n`` adds an option below, ``enter`` moves to the next option (adding one after the last)
- ``ctrl+r`` removes the option
- ``ctrl+up`` / ``ctrl+down`` (or ``alt+up`` / ``alt+down``) move it; ``up`` / ``down`` move the
  focus, ``pgup`` / ``pgdn`` a window at a time

Only a window of rows is built, however many options the poll has (a server may send thousands):
at most :attr:`OptionsEditor.WINDOW` rows, each showing whichever option is at its place in the
window. Moving the focus past the window's edge slides the window; lines above and below it say
how many options are out of view. ``pgup`` / ``pgdn`` move the focus a window at a time.

The widget edits copies of :class:`PollOption`, so unknown fields an option carries stay as they
were. Ids never change when options move; a new option gets an id from :func:`new_option_id`
that collides neither with the current options nor with ``reserved_ids`` (the ids the poll had on
the server, so a new option never inherits the votes of a removed one). ``order`` is renumbered
0…n−1 after every change.

Reading the options as edited costs little however many there are (the editor screen reads them
after every key): :meth:`OptionsEditor.live_options` is one list per edit, and
:meth:`OptionsEditor.differs_from` is answered once per edit, up to the first difference.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from pollstui.api.models import PollOption, move_option, new_option_id, renumber
from pollstui.api.poll_view import in_display_order
from pollstui.text import editable, plural, unless_untouched
from pollstui.text import votes as votes_phrase
from pollstui.tui.widgets.inert_fields import InertInput


def _sent(option: PollOption) -> tuple[object, ...]:
    """What decides the JSON ``option`` sends."""
    return option.id, option.title, option.order, option.model_fields_set, option.__pydantic_private__, option.__pydantic_extra__


def _votes_text(votes: int | None) -> str:
    if votes is None:
        return ""
    return votes_phrase(votes)


class OptionInput(InertInput):
    """The inline input of one option. up/down/enter move between options: the editor screen
    binds them with priority (see :meth:`OptionsEditor.step` and :meth:`OptionsEditor.next_or_add`),
    so a burst of keys after one of them lands in the option it moved to."""

    class Changed(Input.Changed):
        """The text of an option changed: ``option`` is the one the input showed when it changed
        (a row shows another option once the window slides; the message may come after that)."""

        def __init__(self, input: Input, value: str, validation_result: ValidationResult | None = None) -> None:
            super().__init__(input, value, validation_result)
            self.option: PollOption | None = getattr(input, "option", None)

    option: PollOption | None = None


class OptionRow(Horizontal):
    """One place in the window: a position, a title (editable) and votes, for the option shown there."""

    def __init__(self, index: int, option: PollOption, votes: int | None, *, row_id: str) -> None:
        super().__init__(id=row_id, classes="option-row")
        self.index, self.option, self.votes = index, option, votes

    def compose(self) -> ComposeResult:
        yield Label(f"{self.index + 1:>2}.", classes="option-position")
        field = OptionInput(
            editable(self.option.title, single_line=True),  # OptionsEditor keeps the original if untouched
            placeholder="Option text",
            compact=True,
            classes="option-title",
            select_on_focus=False,
        )
        field.option = self.option
        yield field
        yield Label(_votes_text(self.votes), classes="option-votes", markup=False)

    @property
    def input(self) -> OptionInput:
        return self.query_one(OptionInput)

    def show(self, index: int, option: PollOption, votes: int | None) -> None:
        """Show ``option`` (at ``index`` in the list) in this row."""
        if index != self.index:
            self.index = index
            self.query_one(".option-position", Label).update(f"{index + 1:>2}.")
        if option is not self.option:
            field = self.input
            field.option = self.option = option
            with self.prevent(OptionInput.Changed):
                field.value = editable(option.title, single_line=True)
            field.cursor_position = len(field.value)
        if votes != self.votes:
            self.votes = votes
            self.query_one(".option-votes", Label).update(_votes_text(votes))


class OptionsEditor(Vertical):
    """The ordered options of one poll, a window of them built (see the module docstring)."""

    #: The most rows built at once.
    WINDOW = 20

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
        width: auto;
        min-width: 4;
        padding-right: 1;
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
    OptionsEditor #options-empty, OptionsEditor .options-beyond {
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
        Binding("pageup", "page(-1)", "Page up", show=False, id="options.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="options.page_down"),
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
        self._options: list[PollOption] = renumber([o.model_copy(deep=True) for o in in_display_order(options)])
        self._live: list[PollOption] | None = None  # live_options() until the next edit
        self._compared: tuple[list[PollOption], bool] | None = None  # differs_from()'s last answer until then
        self._votes = votes
        self._reserved: set[str] = set(reserved_ids)
        self._row_counter = 0
        self._start = 0  # the index of the option the window's first row shows

    # -- state -----------------------------------------------------------------------------

    @property
    def options(self) -> list[PollOption]:
        """Copies of the options in display order, ``order`` 0…n−1."""
        return [o.model_copy(deep=True) for o in self._options]

    def live_options(self) -> list[PollOption]:
        """The options as edited, not copied (cheap with thousands of them): to read, never to
        change. The same list until the next edit; the options in it change with later edits."""
        if self._live is None:
            self._live = list(self._options)
        return self._live

    def differs_from(self, options: list[PollOption]) -> bool:
        """Whether the options as edited would send other JSON than ``options`` (a list not changed
        in place; compared without copies, up to the first difference, once per edit)."""
        if self._compared is not None and self._compared[0] is options:
            return self._compared[1]
        mine = self._options
        differs = len(mine) != len(options) or any(_sent(a) != _sent(b) for a, b in zip(mine, options))
        self._compared = (options, differs)
        return differs

    @property
    def count(self) -> int:
        return len(self._options)

    def votes_for(self, option_id: str) -> int | None:
        if self._votes is None:
            return None
        return self._votes.get(option_id, 0)

    def next_id(self) -> str:
        return new_option_id({o.id for o in self._options} | self._reserved)

    # -- the window ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="options-above", classes="options-beyond", markup=False)
        with Vertical(id="option-rows"):
            yield from self._new_rows(0, min(self.WINDOW, len(self._options)))
        yield Static("", id="options-below", classes="options-beyond", markup=False)
        yield Static("No options yet: press ctrl+n to add one.", id="options-empty")

    def on_mount(self) -> None:
        self._show_beyond()

    def _new_rows(self, first: int, count: int) -> list[OptionRow]:
        rows = []
        for index in range(first, first + count):
            self._row_counter += 1
            option = self._options[index]
            rows.append(OptionRow(index, option, self.votes_for(option.id), row_id=f"option-row-{self._row_counter}"))
        return rows

    @property
    def _rows_container(self) -> Vertical:
        return self.query_one("#option-rows", Vertical)

    def rows(self) -> list[OptionRow]:
        """The rows built: the window's, top to bottom (``row.index`` is its option's place in the list)."""
        return list(self._rows_container.query_children(OptionRow))

    def _show_beyond(self) -> None:
        rows = len(self.rows())
        above, below = self._start, len(self._options) - self._start - rows
        line = self.query_one("#options-above", Static)
        line.update(f"↑ {plural(above, 'more option', grouped=True)} above (↑ or pgup shows them)")
        line.display = above > 0
        line = self.query_one("#options-below", Static)
        line.update(f"↓ {plural(below, 'more option', grouped=True)} below (↓ or pgdn shows them)")
        line.display = below > 0
        empty = not self._options
        self.query_one("#options-empty").display = empty
        self.can_focus = empty

    async def _sync(self, keep: int | None = None) -> None:
        """Fit the window to the options after a change: as many rows as it can hold, ``keep``
        (an index) inside it, each row showing the option at its place."""
        want = min(self.WINDOW, len(self._options))
        rows = self.rows()
        if len(rows) > want:
            await self._rows_container.remove_children(rows[want:])
        elif len(rows) < want:
            await self._rows_container.mount_all(self._new_rows(len(rows), want - len(rows)))
        self._slide(keep)

    def _slide(self, keep: int | None) -> None:
        """Move the window (its rows already built) so that option ``keep`` is in it, and redraw the rows."""
        rows = self.rows()
        start = max(0, min(self._start, len(self._options) - len(rows)))
        if keep is not None and keep < start:
            start = keep
        elif keep is not None and keep >= start + len(rows):
            start = keep - len(rows) + 1
        self._start = start
        for place, row in enumerate(rows):
            option = self._options[start + place]
            row.show(start + place, option, self.votes_for(option.id))
        self._show_beyond()

    def _row_for(self, index: int) -> OptionRow | None:
        """The row of option ``index``, the window slid to it (None when there is no such option)."""
        if not 0 <= index < len(self._options):
            return None
        rows = self.rows()
        if not self._start <= index < self._start + len(rows):
            self._slide(index)
        return rows[index - self._start]

    def input_for(self, index: int) -> OptionInput | None:
        """The input of option ``index`` (the window slid to show it), to focus or scroll to."""
        row = self._row_for(index)
        return None if row is None else row.input

    def _changed(self) -> None:
        """The options were edited (call it at once: what was read before is out of date)."""
        self._live = self._compared = None
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
        self._options = renumber([o.model_copy(deep=True) for o in in_display_order(options)])
        self._start = 0
        self._changed()
        await self._sync()

    # -- focus -----------------------------------------------------------------------------

    def _row_of(self, widget: Widget | None) -> OptionRow | None:
        while widget is not None and widget is not self:
            if isinstance(widget, OptionRow):
                return widget
            widget = widget.parent  # type: ignore[assignment]
        return None

    def focused_index(self) -> int | None:
        row = self._row_of(self.screen.focused if self.is_attached else None)
        return None if row is None else row.index

    def focus_option(self, index: int) -> None:
        if self._options:
            self._focus_shown(max(0, min(index, len(self._options) - 1)))
        else:
            self.focus()

    def step(self, widget: Widget | None, delta: int) -> None:
        """Focus the option ``delta`` places from the one holding ``widget``, at once (not on the
        next message: keys already queued must land in the option moved to)."""
        row = self._row_of(widget)
        if row is not None:
            self._focus_shown(row.index + delta)

    async def next_or_add(self, widget: Widget | None) -> None:
        """enter in an option: the next option, or a new one after a non-empty last option."""
        row = self._row_of(widget)
        if row is None:
            return
        if row.index + 1 < len(self._options):
            self.step(widget, 1)
        elif row.option.title.strip():
            await self.add_option(after=row.index)

    # -- editing ---------------------------------------------------------------------------

    async def add_option(self, title: str = "", *, after: int | None = None, focus: bool = True) -> PollOption:
        """Add an option after position ``after`` (default: the focused one, else at the end)."""
        if after is None:
            after = self.focused_index()
        index = len(self._options) if after is None else after + 1
        option = PollOption(id=self.next_id(), title=title, order=index)
        self._options.insert(index, option)
        renumber(self._options, index + 1)
        self._changed()
        await self._sync(keep=index)
        if focus:
            self._focus_shown(index)
        return option

    async def remove_option(self, index: int | None = None) -> PollOption | None:
        """Remove the option at ``index`` (default: the focused one)."""
        focused = self.focused_index()
        if index is None:
            index = focused
        if index is None or not 0 <= index < len(self._options):
            return None
        option = self._options.pop(index)
        renumber(self._options, index)
        self._changed()
        after = min(index, len(self._options) - 1)
        await self._sync(keep=after if after >= 0 else None)
        if focused == index:
            self.focus_option(after)
        return option

    def move(self, index: int, delta: int) -> int:
        """Move the option at ``index`` by ``delta``; return its new index (ids unchanged)."""
        if not 0 <= index < len(self._options):
            return index
        focused = self.focused_index() == index
        target = move_option(self._options, index, delta)
        if target != index:
            self._changed()
            self._slide(target)
            if focused:
                self._focus_shown(target)
        return target

    def _focus_shown(self, index: int) -> None:
        """Focus option ``index``, the window slid to it and the form scrolled to show it (the lines
        above and below the window come and go as it slides)."""
        field = self.input_for(index)
        if field is not None:
            self.screen.set_focus(field)
            self.call_after_refresh(field.scroll_visible, animate=False)

    def rename(self, index: int, title: str) -> None:
        """Set the title of the option at ``index`` (its input follows, when it is in the window)."""
        option = self._options[index]
        option.title = title
        self._changed()
        for row in self.rows():
            if row.option is option:
                with self.prevent(OptionInput.Changed):
                    row.input.value = editable(title, single_line=True)

    # -- actions and events ----------------------------------------------------------------

    async def action_add_option(self) -> None:
        await self.add_option()

    async def action_remove_option(self) -> None:
        await self.remove_option()

    def action_move_option(self, delta: int) -> None:
        index = self.focused_index()
        if index is not None:
            self.move(index, delta)

    def action_page(self, direction: int) -> None:
        index = self.focused_index()
        if index is not None:
            self.focus_option(index + direction * max(1, len(self.rows()) - 1))

    def on_option_input_changed(self, event: OptionInput.Changed) -> None:
        option = event.option
        if option is None:
            return
        event.stop()
        value = unless_untouched(event.value, option.title, single_line=True)
        if option.title != value:
            option.title = value
            self._changed()
